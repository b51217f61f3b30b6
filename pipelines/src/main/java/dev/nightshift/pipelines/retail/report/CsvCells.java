package dev.nightshift.pipelines.retail.report;

import dev.nightshift.pipelines.core.Csv;
import java.util.List;
import java.util.Set;

/**
 * CSV lines of the sales report. Text cells that come from the input (stock codes, descriptions,
 * countries, customer ids) are neutralised against formula injection (OWASP "CSV injection"): a
 * cell starting with {@code = + - @}, tab or carriage return gets a leading {@code '} so a
 * spreadsheet shows it as text instead of evaluating it. Numeric columns are never touched: a
 * negative amount stays a number. Line breaks inside a text cell become spaces: every output
 * record is one line (the manifest counts records by lines).
 */
final class CsvCells {
  private CsvCells() {}

  static String neutralise(String text) {
    if (text.isEmpty()) {
      return text;
    }
    char c = text.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
  }

  /** One CSV line; the cells at {@code textColumns} (0-based) are neutralised. */
  static String line(List<String> cells, Set<Integer> textColumns) {
    Object[] values = new Object[cells.size()];
    for (int i = 0; i < values.length; i++) {
      String v = cells.get(i);
      values[i] = textColumns.contains(i) ? neutralise(v).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ') : v;
    }
    return Csv.line(values);
  }
}
