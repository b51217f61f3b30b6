package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Billing: one open item of a patient's account, the patient responsibility of one paid claim
 * line (the patient is the key it travels with).
 */
public record BillingOpenItem(String claimId, int lineNo, LocalDate serviceDate, BigDecimal amount)
    implements Serializable {

  public static final RecordCoder<BillingOpenItem> CODER =
      RecordCoder.of(
          BillingOpenItem.class,
          (i, out) -> out.str(i.claimId).integer(i.lineNo).date(i.serviceDate).decimal(i.amount),
          in -> new BillingOpenItem(in.str(), in.integer(), in.date(), in.decimal()));
}
