package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * An order line with its line type (SALE, CANCELLATION, NON_PRODUCT, GUEST_PURCHASE) and its
 * amount, quantity x unit price rounded half-even to pence (signed: cancellations are negative).
 */
public record ClassifiedLine(OrderLine line, String lineType, BigDecimal amount)
    implements Sourced, Serializable {

  public static final String SALE = "SALE";
  public static final String CANCELLATION = "CANCELLATION";
  public static final String NON_PRODUCT = "NON_PRODUCT";
  public static final String GUEST_PURCHASE = "GUEST_PURCHASE";

  @Override
  public SourceRef source() {
    return line.source();
  }

  public static final RecordCoder<ClassifiedLine> CODER =
      RecordCoder.of(
          ClassifiedLine.class,
          (c, out) -> out.with(OrderLine.CODER, c.line).str(c.lineType).decimal(c.amount),
          in -> new ClassifiedLine(in.with(OrderLine.CODER), in.str(), in.decimal()));
}
