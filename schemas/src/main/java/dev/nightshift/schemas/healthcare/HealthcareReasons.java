package dev.nightshift.schemas.healthcare;

/**
 * Dead-letter reason codes of the healthcare pipelines, on top of the shared ones in {@link
 * dev.nightshift.schemas.Reasons}. A dead letter is input that could not be read or trusted; a
 * claim that reads but must not be paid is not a dead letter but a denial with a CARC code (see
 * {@link Carc}).
 */
public final class HealthcareReasons {
  private HealthcareReasons() {}

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
