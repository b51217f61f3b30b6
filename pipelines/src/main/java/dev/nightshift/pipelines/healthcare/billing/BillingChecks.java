package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.BillingPayment;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.RecordException;
import java.math.BigDecimal;
import java.time.LocalDate;

/** The business checks of billing's inputs, each failure its own reason code, in this order. */
public final class BillingChecks {
  private BillingChecks() {}

  /** CLP01 (claim id) is at most 38 characters; SVC01-2 (procedure code) 48; NM109 (ids) 2-80. */
  static final int MAX_CLAIM_ID = 38;
  static final int MAX_PROCEDURE_CODE = 48;
  static final int MAX_PATIENT_ID = 80;

  /**
   * An adjudicated line is trusted when its amounts are non-negative, a denied line carries no
   * amount but its charge, allowed does not exceed the charge, the money identities hold (allowed
   * = deductible + coinsurance + copay + plan paid; patient responsibility = deductible +
   * coinsurance + copay), the payee is a valid NPI, every value fits the 835, and a paid line's
   * service came before its adjudication.
   */
  public static final class CheckLine extends FailsafeFn<AdjudicatedLine, AdjudicatedLine> {
    @Override
    protected AdjudicatedLine apply(AdjudicatedLine l, ProcessContext context) throws RecordException {
      check(l);
      return l;
    }
  }

  public static void check(AdjudicatedLine l) throws RecordException {
    String[] names = {
      "charge", "allowed", "deductible", "coinsurance", "copay", "plan_paid", "patient_responsibility"
    };
    BigDecimal[] amounts = {
      l.charge(), l.allowed(), l.deductible(), l.coinsurance(), l.copay(), l.planPaid(),
      l.patientResponsibility()
    };
    for (int i = 0; i < amounts.length; i++) {
      if (amounts[i].signum() < 0) {
        throw new RecordException(
            HealthcareReasons.NEGATIVE_AMOUNT, "'" + names[i] + "' is negative: " + amounts[i]);
      }
    }
    if (l.denied()) {
      for (int i = 1; i < amounts.length; i++) {
        if (amounts[i].signum() != 0) {
          throw new RecordException(
              HealthcareReasons.DENIED_WITH_AMOUNTS,
              "a denied line has '" + names[i] + "' " + amounts[i] + " (only the charge may be non-zero)");
        }
      }
    }
    if (l.allowed().compareTo(l.charge()) > 0) {
      throw new RecordException(
          HealthcareReasons.ALLOWED_EXCEEDS_CHARGE,
          "allowed " + l.allowed() + " exceeds the charge " + l.charge());
    }
    BigDecimal patient = l.deductible().add(l.coinsurance()).add(l.copay());
    BigDecimal shares = patient.add(l.planPaid());
    if (shares.compareTo(l.allowed()) != 0) {
      throw new RecordException(
          HealthcareReasons.ALLOWED_SHARES_MISMATCH,
          "allowed " + l.allowed() + " but deductible + coinsurance + copay + plan_paid = " + shares);
    }
    if (patient.compareTo(l.patientResponsibility()) != 0) {
      throw new RecordException(
          HealthcareReasons.PATIENT_RESPONSIBILITY_MISMATCH,
          "patient_responsibility " + l.patientResponsibility()
              + " but deductible + coinsurance + copay = " + patient);
    }
    if (!Npi.isValid(l.providerId())) {
      throw new RecordException(
          HealthcareReasons.INVALID_NPI,
          "provider_id '" + l.providerId() + "' is not a 10-digit NPI with a valid check digit");
    }
    x12(l.claimId(), "claim_id", 1, MAX_CLAIM_ID);
    if (!l.procedureCode().isEmpty()) {
      x12(l.procedureCode(), "procedure_code", 1, MAX_PROCEDURE_CODE);
    }
    if (!l.patientId().isEmpty()) {
      x12(l.patientId(), "patient_id", 2, MAX_PATIENT_ID);
    }
    if (!l.memberId().isEmpty()) {
      x12(l.memberId(), "member_id", 2, MAX_PATIENT_ID);
    }
    if (l.denied() && !l.carc().matches("[A-Z0-9]{1,5}")) {
      throw new RecordException(
          HealthcareReasons.INVALID_X12_VALUE, "'carc' is not a CARC code: '" + l.carc() + "'");
    }
    if (!l.denied() && l.serviceDate().isAfter(l.adjudicationDate())) {
      throw new RecordException(
          HealthcareReasons.SERVICE_AFTER_ADJUDICATION,
          "paid line served on " + l.serviceDate() + ", after its adjudication on " + l.adjudicationDate());
    }
  }

  /**
   * Printable ASCII without the interchange's delimiters (* : ^ ~), within the element's length:
   * X12 has no escape character, so a value that holds a delimiter cannot be written.
   */
  static void x12(String value, String column, int min, int max) throws RecordException {
    if (value.length() < min || value.length() > max) {
      throw new RecordException(
          HealthcareReasons.INVALID_X12_VALUE,
          "'" + column + "' must be " + min + ".." + max + " characters in an 835: '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E || c == Remittance835.ELEMENT || c == Remittance835.COMPONENT
          || c == Remittance835.REPETITION || c == Remittance835.SEGMENT) {
        throw new RecordException(
            HealthcareReasons.INVALID_X12_VALUE,
            "'" + column + "' holds a character an 835 cannot carry: '" + value + "'");
      }
    }
  }

  /** A payment is positive and not dated after the payment run. */
  public static final class CheckPayment extends FailsafeFn<BillingPayment, BillingPayment> {
    private final LocalDate businessDate;

    public CheckPayment(LocalDate businessDate) {
      this.businessDate = businessDate;
    }

    @Override
    protected BillingPayment apply(BillingPayment p, ProcessContext context) throws RecordException {
      if (p.amount().signum() <= 0) {
        throw new RecordException(
            HealthcareReasons.NON_POSITIVE_PAYMENT, "payment amount " + p.amount() + " is not positive");
      }
      if (p.paymentDate().isAfter(businessDate)) {
        throw new RecordException(
            HealthcareReasons.PAYMENT_AFTER_BUSINESS_DATE,
            "payment dated " + p.paymentDate() + ", after the business date " + businessDate);
      }
      return p;
    }
  }
}
