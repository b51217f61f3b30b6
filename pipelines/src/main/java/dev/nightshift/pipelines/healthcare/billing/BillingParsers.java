package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.pipelines.core.Money;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.BillingPayment;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Parsers of billing's inputs. A row that cannot be typed is refused here (MISSING_FIELD,
 * INVALID_NUMBER, INVALID_DATE, INVALID_VALUE); the business checks come after.
 */
public final class BillingParsers {
  private BillingParsers() {}

  public static final CsvRecordParser<AdjudicatedLine> ADJUDICATED =
      CsvRecordParser.of(AdjudicatedLine.COLUMNS, BillingParsers::line);

  public static final CsvRecordParser<BillingPayment> PAYMENTS =
      CsvRecordParser.of(BillingPayment.COLUMNS, BillingParsers::payment);

  /**
   * A line of adjudicated_lines.csv. Amounts are normalised to cents (more digits are refused) and
   * units to their plain value, so that two copies of a line compare equal when their values are.
   * A denied line may lack what adjudication denied it for (member, service date, procedure code),
   * but needs its CARC; a paid line needs its patient, service date and procedure code.
   */
  static AdjudicatedLine line(CsvRow r) throws RecordException {
    String claimId = r.text("claim_id");
    long lineNo = r.lng("line_no");
    if (lineNo < 1 || lineNo > Integer.MAX_VALUE) {
      throw new RecordException(Reasons.INVALID_VALUE, "'line_no' is not a positive line number: " + lineNo);
    }
    String providerId = r.text("provider_id");
    LocalDate adjudicationDate = r.date("adjudication_date");
    LocalDate serviceDate = optDate(r, "service_date");
    LocalDate receivedDate = optDate(r, "received_date");
    BigDecimal units = r.decimal("units").stripTrailingZeros();
    if (units.scale() < 0) {
      units = units.setScale(0);
    }
    BigDecimal charge = money(r, "charge");
    BigDecimal allowed = money(r, "allowed");
    BigDecimal deductible = money(r, "deductible");
    BigDecimal coinsurance = money(r, "coinsurance");
    BigDecimal copay = money(r, "copay");
    BigDecimal planPaid = money(r, "plan_paid");
    BigDecimal patientResponsibility = money(r, "patient_responsibility");
    String status = r.text("status");
    if (!status.equals(AdjudicatedLine.PAID) && !status.equals(AdjudicatedLine.DENIED)) {
      throw new RecordException(Reasons.INVALID_VALUE, "'status' is neither PAID nor DENIED: '" + status + "'");
    }
    String carc = r.optText("carc");
    String patientId = r.optText("patient_id");
    String procedureCode = r.optText("procedure_code");
    if (status.equals(AdjudicatedLine.DENIED)) {
      if (carc.isEmpty()) {
        throw new RecordException(Reasons.MISSING_FIELD, "'carc' is empty: a denied line needs its reason code");
      }
    } else {
      for (String[] required :
          new String[][] {
            {"patient_id", patientId},
            {"service_date", serviceDate == null ? "" : "x"},
            {"procedure_code", procedureCode}
          }) {
        if (required[1].isEmpty()) {
          throw new RecordException(
              Reasons.MISSING_FIELD, "'" + required[0] + "' is empty: a paid line needs it");
        }
      }
    }
    return new AdjudicatedLine(
        claimId,
        (int) lineNo,
        r.optText("member_id"),
        patientId,
        providerId,
        r.optText("payer_id"),
        r.optText("plan_id"),
        serviceDate,
        receivedDate,
        adjudicationDate,
        procedureCode,
        units,
        charge,
        allowed,
        deductible,
        coinsurance,
        copay,
        planPaid,
        patientResponsibility,
        status,
        carc,
        r.optText("denial_reason"),
        r.source());
  }

  static BillingPayment payment(CsvRow r) throws RecordException {
    return new BillingPayment(
        r.text("payment_id"),
        r.text("patient_id"),
        r.date("payment_date"),
        money(r, "amount"),
        r.source());
  }

  static LocalDate optDate(CsvRow r, String column) throws RecordException {
    return r.optText(column).isEmpty() ? null : r.date(column);
  }

  /** A USD amount with at most 2 decimals, normalised to exactly 2. */
  static BigDecimal money(CsvRow r, String column) throws RecordException {
    return Money.usd(r, column);
  }
}
