package dev.nightshift.pipelines.core;

import dev.nightshift.transforms.io.CsvFormat;
import java.math.BigDecimal;

/** Renders CSV output lines (RFC 4180 quoting). */
public final class Csv {
  private Csv() {}

  public static String line(Object... values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(field(values[i]));
    }
    return b.toString();
  }

  public static String header(String... columns) {
    return String.join(",", columns);
  }

  static String field(Object value) {
    String s =
        value == null
            ? ""
            : value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
    return CsvFormat.field(s);
  }
}
