package dev.nightshift.schemas.finance;

/**
 * Dead-letter reason codes of the finance pipelines, on top of the shared ones in
 * {@link dev.nightshift.schemas.Reasons}. The trade generator plants each of these, so a test can
 * check that every one of them is recognised.
 */
public final class FinanceReasons {
  private FinanceReasons() {}

  /** The ISIN is not two letters, nine alphanumerics and a digit. */
  public static final String INVALID_ISIN_FORMAT = "INVALID_ISIN_FORMAT";
  /** The ISIN's check digit (ISO 6166, Luhn over the letter-expanded digits) is wrong. */
  public static final String INVALID_ISIN_CHECK_DIGIT = "INVALID_ISIN_CHECK_DIGIT";
  /** The ISIN is well formed but not in the securities reference data. */
  public static final String UNKNOWN_SECURITY = "UNKNOWN_SECURITY";
  /** The buyer's or seller's account is not a known participant's securities account. */
  public static final String UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT";
  /** Buyer and seller are the same account. */
  public static final String SELF_TRADE = "SELF_TRADE";
  /** Quantity is zero or negative. */
  public static final String NON_POSITIVE_QUANTITY = "NON_POSITIVE_QUANTITY";
  /** Price is zero or negative. */
  public static final String NON_POSITIVE_PRICE = "NON_POSITIVE_PRICE";
  /** The trade's currency is not the currency the security trades in. */
  public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
  /** The trade date is after the business date being processed. */
  public static final String TRADE_DATE_AFTER_BUSINESS_DATE = "TRADE_DATE_AFTER_BUSINESS_DATE";
  /** A second trade with a trade id already seen (the first occurrence in file order is kept). */
  public static final String DUPLICATE_TRADE_ID = "DUPLICATE_TRADE_ID";
  /** A market in the reference data that Nightshift does not settle. */
  public static final String UNKNOWN_MARKET = "UNKNOWN_MARKET";

  // --- FIX session logs (trade-settlement --fixLogs) ---
  /** A FIX log line with no {@code 8=FIX} message in it, or one QuickFIX/J cannot parse. */
  public static final String MALFORMED_FIX = "MALFORMED_FIX";
  /** A FIX fill whose security is not identified by ISIN (SecurityIDSource 22 is not 4). */
  public static final String FIX_SECURITY_NOT_ISIN = "FIX_SECURITY_NOT_ISIN";
}
