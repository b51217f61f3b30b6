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

  // --- Bank statements (camt.053 / MT940 parsing for account reconciliation) ---

  /** The XML file declares a DOCTYPE: refused before any entity is expanded or fetched. */
  public static final String XML_DTD_FORBIDDEN = "XML_DTD_FORBIDDEN";
  /** The file starts like XML but is not well-formed XML. */
  public static final String MALFORMED_XML = "MALFORMED_XML";
  /** Well-formed XML whose root is not a camt.053 Document with BkToCstmrStmt. */
  public static final String NOT_CAMT053 = "NOT_CAMT053";
  /** A text file that holds no MT940 statement (no :20: tag, or tags out of place). */
  public static final String NOT_MT940 = "NOT_MT940";
  /** Neither XML nor MT940: the statement format cannot be recognised. */
  public static final String UNKNOWN_STATEMENT_FORMAT = "UNKNOWN_STATEMENT_FORMAT";
  /** The file is larger than the statement reader reads into memory. */
  public static final String FILE_TOO_LARGE = "FILE_TOO_LARGE";
  /** One statement lacks a required part or holds a value that does not parse (only it is lost). */
  public static final String MALFORMED_STATEMENT = "MALFORMED_STATEMENT";

  // --- financial-reports ---
  /** A journal whose debits do not equal its credits, or that mixes currencies: every line refused. */
  public static final String UNBALANCED_JOURNAL = "UNBALANCED_JOURNAL";
  /** A line of a journal that has another refused line: the journal is posted whole or not at all. */
  public static final String INCOMPLETE_JOURNAL = "INCOMPLETE_JOURNAL";
  /** A P&L line in a foreign currency with no FX rate to the reporting currency on its date. */
  public static final String MISSING_FX_RATE = "MISSING_FX_RATE";
  /** An account number outside the chart (4 digits, 1xxx-5xxx). */
  public static final String INVALID_ACCOUNT = "INVALID_ACCOUNT";
  /** Debit and credit not exactly one non-zero and non-negative, or more decimals than the currency has. */
  public static final String INVALID_AMOUNT = "INVALID_AMOUNT";
  /** A journal line posted after the business date being reported. */
  public static final String POSTING_DATE_AFTER_BUSINESS_DATE = "POSTING_DATE_AFTER_BUSINESS_DATE";
  /** A second line with the same journal id and line number. */
  public static final String DUPLICATE_JOURNAL_LINE = "DUPLICATE_JOURNAL_LINE";

  // --- FIX session logs (trade-settlement --fixLogs) ---
  /** A FIX log line with no {@code 8=FIX} message in it, or one QuickFIX/J cannot parse. */
  public static final String MALFORMED_FIX = "MALFORMED_FIX";
  /** A FIX fill whose security is not identified by ISIN (SecurityIDSource 22 is not 4). */
  public static final String FIX_SECURITY_NOT_ISIN = "FIX_SECURITY_NOT_ISIN";
}
