package dev.nightshift.transforms.io;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.RecordException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * One CSV record seen through its file's header, with typed accessors that refuse bad values with
 * the right reason code. Values are trimmed.
 */
public final class CsvRow {
  private final Map<String, Integer> header;
  private final List<String> fields;
  private final SourceRef source;

  CsvRow(Map<String, Integer> header, List<String> fields, SourceRef source) {
    this.header = header;
    this.fields = fields;
    this.source = source;
  }

  /** For tests and callers that build rows by hand. */
  public static CsvRow of(Map<String, Integer> header, List<String> fields, SourceRef source) {
    return new CsvRow(header, fields, source);
  }

  public SourceRef source() {
    return source;
  }

  /** The trimmed value, or "" when the column is empty or absent. */
  public String optText(String column) {
    Integer i = header.get(column);
    return i == null || i >= fields.size() ? "" : fields.get(i).trim();
  }

  public String text(String column) throws RecordException {
    String v = optText(column);
    if (v.isEmpty()) {
      throw new RecordException(Reasons.MISSING_FIELD, "'" + column + "' is empty");
    }
    return v;
  }

  /** Parses a value, or refuses it with {@code reason}: "'column' is not <expected>: 'value'". */
  private <T> T typed(String column, ValueParser<T> parser, String reason, String expected)
      throws RecordException {
    String v = text(column);
    try {
      return parser.parse(v);
    } catch (RuntimeException e) { // NumberFormatException, DateTimeParseException
      throw new RecordException(reason, "'" + column + "' is not " + expected + ": '" + v + "'");
    }
  }

  private interface ValueParser<T> {
    T parse(String value);
  }

  public long lng(String column) throws RecordException {
    return typed(column, Long::parseLong, Reasons.INVALID_NUMBER, "a whole number");
  }

  /** A whole number of units or shares, at most {@link Values#MAX_QUANTITY} either way. */
  public long quantity(String column) throws RecordException {
    return typed(column, Values::quantity, Reasons.INVALID_NUMBER,
        "a whole number of at most " + Values.MAX_QUANTITY + " either way");
  }

  public BigDecimal decimal(String column) throws RecordException {
    return typed(column, Values::decimal, Reasons.INVALID_NUMBER,
        "a decimal number (at most " + Values.MAX_INTEGER_DIGITS + " digits before and "
            + Values.MAX_FRACTION_DIGITS + " after the point)");
  }

  public LocalDate date(String column) throws RecordException {
    return typed(column, CsvRow::isoDate, Reasons.INVALID_DATE, "an ISO date (yyyy-mm-dd)");
  }

  public LocalTime time(String column) throws RecordException {
    return typed(column, CsvRow::isoTime, Reasons.INVALID_DATE, "an ISO time (hh:mm:ss)");
  }

  /**
   * {@link LocalDate#parse}, with a fast path for the plain form yyyy-mm-dd (the formatter costs
   * about a microsecond a value; at millions of rows it shows). Both accept and refuse the same
   * values: the fast path builds the date with {@link LocalDate#of}, which refuses a month 13 or a
   * 30 February exactly as the strict ISO formatter does; any other form goes to the formatter.
   */
  static LocalDate isoDate(String v) {
    if (v.length() == 10 && v.charAt(4) == '-' && v.charAt(7) == '-') {
      int y = digits(v, 0, 4);
      int m = digits(v, 5, 7);
      int d = digits(v, 8, 10);
      if (y >= 0 && m >= 0 && d >= 0) {
        return LocalDate.of(y, m, d);
      }
    }
    return Values.isoDate(v); // the strict parser: four-digit years only
  }

  /** {@link LocalTime#parse}, with the same kind of fast path for hh:mm:ss. */
  static LocalTime isoTime(String v) {
    if (v.length() == 8 && v.charAt(2) == ':' && v.charAt(5) == ':') {
      int h = digits(v, 0, 2);
      int m = digits(v, 3, 5);
      int s = digits(v, 6, 8);
      if (h >= 0 && m >= 0 && s >= 0) {
        return LocalTime.of(h, m, s);
      }
    }
    return LocalTime.parse(v);
  }

  /** The ASCII digits v[from, to) as a number, or -1 if any is not a digit. */
  private static int digits(String v, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
