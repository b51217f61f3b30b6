package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One adjudicated claim line: a row of {@code adjudicated_lines.csv}, written by {@code
 * claims-adjudication} and read by {@code billing} (see {@code pipelines/src/main/java/dev/nightshift/pipelines/healthcare/README.md}).
 *
 * <p>Money identities, checked by both pipelines' tests: {@code allowed = deductible + coinsurance
 * + copay + planPaid}, {@code patientResponsibility = deductible + coinsurance + copay}, and the
 * contractual adjustment is {@code charge - allowed}. A denied line has {@code status = DENIED}, a
 * CARC code in {@code carc}, {@code allowed} and every share zero.
 */
public record AdjudicatedLine(
    String claimId,
    int lineNo,
    String memberId,
    String patientId,
    String providerId,
    String payerId,
    String planId,
    LocalDate serviceDate,
    LocalDate receivedDate,
    LocalDate adjudicationDate,
    String procedureCode,
    BigDecimal units,
    BigDecimal charge,
    BigDecimal allowed,
    BigDecimal deductible,
    BigDecimal coinsurance,
    BigDecimal copay,
    BigDecimal planPaid,
    BigDecimal patientResponsibility,
    String status,
    String carc,
    String denialReason,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String PAID = "PAID";
  public static final String DENIED = "DENIED";

  /** The CSV header of {@code adjudicated_lines.csv}, in column order. */
  public static final String[] COLUMNS = {
    "claim_id", "line_no", "member_id", "patient_id", "provider_id", "payer_id", "plan_id",
    "service_date", "received_date", "adjudication_date", "procedure_code", "units", "charge",
    "allowed", "deductible", "coinsurance", "copay", "plan_paid", "patient_responsibility",
    "status", "carc", "denial_reason"
  };

  public boolean denied() {
    return DENIED.equals(status);
  }

  public static final RecordCoder<AdjudicatedLine> CODER =
      RecordCoder.of(
          AdjudicatedLine.class,
          (l, out) -> {
            out.str(l.claimId)
                .integer(l.lineNo)
                .str(l.memberId)
                .str(l.patientId)
                .str(l.providerId)
                .str(l.payerId)
                .str(l.planId)
                .optDate(l.serviceDate)
                .optDate(l.receivedDate)
                .date(l.adjudicationDate)
                .str(l.procedureCode)
                .decimal(l.units)
                .decimal(l.charge)
                .decimal(l.allowed)
                .decimal(l.deductible)
                .decimal(l.coinsurance)
                .decimal(l.copay)
                .decimal(l.planPaid)
                .decimal(l.patientResponsibility)
                .str(l.status)
                .str(l.carc)
                .str(l.denialReason);
            l.source.write(out);
          },
          in ->
              new AdjudicatedLine(
                  in.str(),
                  in.integer(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.optDate(),
                  in.optDate(),
                  in.date(),
                  in.str(),
                  in.decimal(),
                  in.decimal(),
                  in.decimal(),
                  in.decimal(),
                  in.decimal(),
                  in.decimal(),
                  in.decimal(),
                  in.decimal(),
                  in.str(),
                  in.str(),
                  in.str(),
                  SourceRef.read(in)));
}
