package dev.nightshift.schemas.healthcare;

/**
 * X12 Claim Adjustment Reason Codes (CARC, maintained by X12) used by Nightshift's adjudication,
 * in the order they are checked: the first that applies denies the claim line.
 */
public final class Carc {
  private Carc() {}

  /** Claim/service lacks information or has submission/billing error(s). */
  public static final String MISSING_INFORMATION = "16";
  /** Insured or patient cannot be identified as our insured. */
  public static final String NOT_OUR_INSURED = "31";
  /** Expenses incurred after coverage terminated (used for any date outside coverage). */
  public static final String NOT_COVERED_ON_DATE = "27";
  /** Exact duplicate claim/service. */
  public static final String DUPLICATE = "18";
  /** The time limit for filing has expired. */
  public static final String TIMELY_FILING = "29";
  /** Non-covered charge(s). */
  public static final String NON_COVERED = "96";

  /** Adjustment reasons on paid lines (835 CAS): deductible, coinsurance, copay, over fee schedule. */
  public static final String DEDUCTIBLE = "1";
  public static final String COINSURANCE = "2";
  public static final String COPAY = "3";
  public static final String OVER_FEE_SCHEDULE = "45";
}
