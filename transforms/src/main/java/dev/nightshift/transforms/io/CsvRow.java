package dev.nightshift.transforms.io;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.RecordException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
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

  public long lng(String column) throws RecordException {
    String v = text(column);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new RecordException(
          Reasons.INVALID_NUMBER, "'" + column + "' is not a whole number: '" + v + "'");
    }
  }

  public BigDecimal decimal(String column) throws RecordException {
    String v = text(column);
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new RecordException(
          Reasons.INVALID_NUMBER, "'" + column + "' is not a decimal number: '" + v + "'");
    }
  }

  public LocalDate date(String column) throws RecordException {
    String v = text(column);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new RecordException(
          Reasons.INVALID_DATE, "'" + column + "' is not an ISO date (yyyy-mm-dd): '" + v + "'");
    }
  }

  public LocalTime time(String column) throws RecordException {
    String v = text(column);
    try {
      return LocalTime.parse(v);
    } catch (DateTimeParseException e) {
      throw new RecordException(
          Reasons.INVALID_DATE, "'" + column + "' is not an ISO time (hh:mm:ss): '" + v + "'");
    }
  }
}
