package dev.nightshift.schemas.healthcare;

/**
 * Dead-letter reason codes of the healthcare pipelines, on top of the shared ones in {@link
 * dev.nightshift.schemas.Reasons}. A dead letter is input that could not be read or trusted; a
 * claim that reads but must not be paid is not a dead letter but a denial with a CARC code (see
 * {@link Carc}).
 */
public final class HealthcareReasons {
  private HealthcareReasons() {}
}
