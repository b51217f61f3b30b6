package dev.nightshift.pipelines.core;

import dev.nightshift.transforms.io.CsvFormat;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Renders CSV output lines (RFC 4180 quoting), safe to open in a spreadsheet.
 *
 * <p>{@link #line} is what every pipeline writes its CSV outputs with. Against formula injection
 * (OWASP "CSV injection"), a cell starting with {@code = + - @}, tab or carriage return gets a
 * leading {@code '}, so a spreadsheet shows it as text instead of evaluating it; a cell that is a
 * plain decimal number ({@code -12.50}, {@code 7}) is left alone, so numbers stay numbers. The
 * rule looks at the rendered value, so it covers every text cell that may carry input data (ids,
 * descriptions, names, references) without a list of columns to keep up to date, and it is
 * idempotent (a neutralised cell starts with {@code '}). Line breaks inside a cell become spaces:
 * every output record is one line (the manifest counts records by lines).
 *
 * <p>{@link #rawLine} writes cells exactly as given (quoted where needed): for generators and test
 * fixtures that must produce hostile input as it arrives from outside.
 */
public final class Csv {
  private Csv() {}

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  public static String line(Object... values) {
    return join(values, Csv::cell);
  }

  /** A line with the cells as they are: no neutralisation, line breaks kept inside quotes. */
  public static String rawLine(Object... values) {
    return join(values, Csv::text);
  }

  private static String join(Object[] values, java.util.function.Function<Object, String> render) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(CsvFormat.field(render.apply(values[i])));
    }
    return b.toString();
  }

  public static String header(String... columns) {
    return String.join(",", columns);
  }

  /** The cell text as {@link #line} writes it, before quoting. */
  public static String cell(Object value) {
    String s = neutralise(text(value));
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      s = s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
    return s;
  }

  /** Prefixes {@code '} to text starting with = + - @ tab or CR, unless it is a plain decimal number. */
  public static String neutralise(String text) {
    if (text.isEmpty()) {
      return text;
    }
    char c = text.charAt(0);
    boolean risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    return risky && !(c == '-' && NUMBER.matcher(text).matches()) ? "'" + text : text;
  }

  private static String text(Object value) {
    return value == null
        ? ""
        : value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
  }

  static String field(Object value) {
    return CsvFormat.field(text(value));
  }
}
