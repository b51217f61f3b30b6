package dev.nightshift.transforms.io;

import java.util.List;

/** Renders CSV fields and lines (RFC 4180 quoting): the inverse of {@link CsvReader}. */
public final class CsvFormat {
  private CsvFormat() {}

  /** The field as written: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
  public static String field(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  public static String line(List<String> fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(field(fields.get(i)));
    }
    return b.toString();
  }
}
