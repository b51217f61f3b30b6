package dev.nightshift.schemas;

/**
 * Reason codes shared by every reader and step. Domain pipelines add their own codes next to their
 * records; a reason code is an upper-case identifier that never changes once published.
 */
public final class Reasons {
  private Reasons() {}

  /** The file could not be opened or decoded at all. */
  public static final String UNREADABLE_FILE = "UNREADABLE_FILE";
  /** The file has no bytes at all, not even a header. */
  public static final String EMPTY_FILE = "EMPTY_FILE";
  /** The record holds bytes that are not valid UTF-8. */
  public static final String INVALID_ENCODING = "INVALID_ENCODING";
  /** The record is longer than the reader's limit (it is skipped, not held in memory). */
  public static final String RECORD_TOO_LONG = "RECORD_TOO_LONG";
  /** The file is larger than its reader reads into memory at once. */
  public static final String FILE_TOO_LARGE = "FILE_TOO_LARGE";
  /** The header lacks a column the reader requires. */
  public static final String MISSING_COLUMN = "MISSING_COLUMN";
  /** A CSV record with a different number of fields than the header. */
  public static final String WRONG_FIELD_COUNT = "WRONG_FIELD_COUNT";
  /** A CSV record whose quoting is broken (an unterminated quoted field). */
  public static final String MALFORMED_CSV = "MALFORMED_CSV";
  /** A JSON line that does not parse, or is not an object. */
  public static final String MALFORMED_JSON = "MALFORMED_JSON";
  /** A required field is empty or absent. */
  public static final String MISSING_FIELD = "MISSING_FIELD";
  /** A field that should be a number is not one. */
  public static final String INVALID_NUMBER = "INVALID_NUMBER";
  /** A field that should be a date or time is not one. */
  public static final String INVALID_DATE = "INVALID_DATE";
  /** A field that has the wrong form for its kind (a code, an enumeration value). */
  public static final String INVALID_VALUE = "INVALID_VALUE";
  /** A second record with a key that must be unique. */
  public static final String DUPLICATE_KEY = "DUPLICATE_KEY";
  /** A step failed on the record in a way its author did not foresee: a bug, kept, not thrown. */
  public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
}
