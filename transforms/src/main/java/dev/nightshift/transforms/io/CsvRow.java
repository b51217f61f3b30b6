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
    return typed(column, Values::isoDate, Reasons.INVALID_DATE, "an ISO date (yyyy-mm-dd)");
  }

  public LocalTime time(String column) throws RecordException {
    return typed(column, LocalTime::parse, Reasons.INVALID_DATE, "an ISO time (hh:mm:ss)");
  }
}
