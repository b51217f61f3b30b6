package dev.nightshift.schemas.healthcare;

/**
 * Dead-letter reason codes of the healthcare pipelines, on top of the shared ones in {@link
 * dev.nightshift.schemas.Reasons}. A dead letter is input that could not be read or trusted; a
 * claim that reads but must not be paid is not a dead letter but a denial with a CARC code (see
 * {@link Carc}).
 */
public final class HealthcareReasons {
  private HealthcareReasons() {}

  // --- claims adjudication ---
  /** A claims file whose name ends in none of .ndjson, .json, .edi, .x12, .837: its format is unknown. */
  public static final String UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT";
  /** A FHIR resource that is not a Claim where claims are expected (an NDJSON line). */
  public static final String NOT_A_CLAIM = "NOT_A_CLAIM";
  /** A .json claims file that is not a FHIR Bundle. */
  public static final String NOT_A_BUNDLE = "NOT_A_BUNDLE";
  /** A claim that cannot be read: HAPI FHIR refuses it, or it has no id, no lines, twice a line number. */
  public static final String MALFORMED_CLAIM = "MALFORMED_CLAIM";
  /** An X12 file StAEDI cannot read, or whose envelope (ISA/GS/ST/SE/GE/IEA) is in error. */
  public static final String MALFORMED_X12 = "MALFORMED_X12";
  /** A claim id seen again (the first copy in file order is adjudicated; each later copy is refused). */
  public static final String DUPLICATE_CLAIM_ID = "DUPLICATE_CLAIM_ID";
  /** A member's coverage row naming a plan that plans.csv does not have. */
  public static final String UNKNOWN_PLAN = "UNKNOWN_PLAN";

  // --- billing ---
  /** A line whose allowed amount is not deductible + coinsurance + copay + plan paid. */
  public static final String ALLOWED_SHARES_MISMATCH = "ALLOWED_SHARES_MISMATCH";
  /** A line whose patient responsibility is not deductible + coinsurance + copay. */
  public static final String PATIENT_RESPONSIBILITY_MISMATCH = "PATIENT_RESPONSIBILITY_MISMATCH";
  /** A denied line with a non-zero allowed amount or share. */
  public static final String DENIED_WITH_AMOUNTS = "DENIED_WITH_AMOUNTS";
  /** A line with a negative charge, allowed amount or share. */
  public static final String NEGATIVE_AMOUNT = "NEGATIVE_AMOUNT";
  /** A line whose allowed amount exceeds its charge (the contractual adjustment would be negative). */
  public static final String ALLOWED_EXCEEDS_CHARGE = "ALLOWED_EXCEEDS_CHARGE";
  /** A payee provider id that is not a 10-digit NPI with a valid check digit. */
  public static final String INVALID_NPI = "INVALID_NPI";
  /** A value an X12 835 cannot carry (too long, or holding a delimiter or control character). */
  public static final String INVALID_X12_VALUE = "INVALID_X12_VALUE";
  /** A paid line whose service date is after its adjudication date. */
  public static final String SERVICE_AFTER_ADJUDICATION = "SERVICE_AFTER_ADJUDICATION";
  /** The same claim line (claim id, line number) with different values in two places: every copy. */
  public static final String CONFLICTING_CLAIM_LINE = "CONFLICTING_CLAIM_LINE";
  /** A second payment with a payment id already seen (the first is kept). */
  public static final String DUPLICATE_PAYMENT_ID = "DUPLICATE_PAYMENT_ID";
  /** A payment whose amount is zero or negative. */
  public static final String NON_POSITIVE_PAYMENT = "NON_POSITIVE_PAYMENT";
  /** A payment dated after the business date (the payment run). */
  public static final String PAYMENT_AFTER_BUSINESS_DATE = "PAYMENT_AFTER_BUSINESS_DATE";

  // --- patient records ---
  /** A FHIR resource that is not a Patient (or has no resourceType) in the patient updates. */
  public static final String NOT_A_PATIENT = "NOT_A_PATIENT";
  /** A Patient HAPI FHIR refuses: an invalid value (a date, a code) or a broken structure. */
  public static final String MALFORMED_PATIENT = "MALFORMED_PATIENT";
  /** A Patient with no usable identifier and not family name + given name + birth date. */
  public static final String NO_PATIENT_IDENTITY = "NO_PATIENT_IDENTITY";
  /** A Patient without meta.lastUpdated: the update cannot be placed in the patient's history. */
  public static final String MISSING_LAST_UPDATED = "MISSING_LAST_UPDATED";
  /** An update that points at more than one master patient (identifiers or demographics). */
  public static final String AMBIGUOUS_MATCH = "AMBIGUOUS_MATCH";
  /** Updates of one patient with the same lastUpdated but different content (none is applied). */
  public static final String CONFLICTING_UPDATE = "CONFLICTING_UPDATE";
  /** An update older than the version of the patient that is in force. */
  public static final String STALE_UPDATE = "STALE_UPDATE";
}
