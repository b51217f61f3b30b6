package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/** Billing: a row of {@code payments.csv}, a payment received from a patient. */
public record BillingPayment(
    String paymentId, String patientId, LocalDate paymentDate, BigDecimal amount, SourceRef source)
    implements Sourced, Serializable {

  /** The CSV header of {@code payments.csv}, in column order. */
  public static final String[] COLUMNS = {"payment_id", "patient_id", "payment_date", "amount"};

  public static final RecordCoder<BillingPayment> CODER =
      RecordCoder.of(
          BillingPayment.class,
          (p, out) -> {
            out.str(p.paymentId).str(p.patientId).date(p.paymentDate).decimal(p.amount);
            p.source.write(out);
          },
          in ->
              new BillingPayment(in.str(), in.str(), in.date(), in.decimal(), SourceRef.read(in)));
}
