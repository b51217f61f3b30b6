package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Billing: the X12 835 transaction of one payee provider, built per provider and written into the
 * run's single interchange. {@code body} holds the segments between ST and SE (BPR .. the last
 * claim), one per line, elements separated by U+001F and components by U+001E: the writer turns
 * them into X12 with the interchange's delimiters and adds ST/SE with their control number.
 */
public record BillingTransaction(
    String providerId, String body, int claims, int lines, int segments, BigDecimal payment)
    implements Serializable {

  public static final RecordCoder<BillingTransaction> CODER =
      RecordCoder.of(
          BillingTransaction.class,
          (t, out) ->
              out.str(t.providerId)
                  .str(t.body)
                  .integer(t.claims)
                  .integer(t.lines)
                  .integer(t.segments)
                  .decimal(t.payment),
          in ->
              new BillingTransaction(
                  in.str(), in.str(), in.integer(), in.integer(), in.integer(), in.decimal()));
}
