package dev.nightshift.transforms.report;

import dev.nightshift.schemas.manifest.RunManifest;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A business figure a pipeline adds to its HTML run report ({@code run_report.html}), computed
 * from the run's outputs after it has finished. A pipeline registers its figures while it is
 * built: {@code run.figure(ReportFigure.sumBy("Net sales by hour", "revenue_by_hour.csv", r ->
 * r.get("hour"), "net_sales", Chart.Style.COLUMNS))}. Figures summarise: labels must not carry
 * identifiers (they are shown as they are).
 */
@FunctionalInterface
public interface ReportFigure {
  Chart chart(RunOutputs outputs) throws IOException;

  /**
   * Sums {@code valueColumn} of a CSV output per key (keys sorted as text); rows whose key is
   * null or whose value is not a number are left out.
   */
  static ReportFigure sumBy(String title, String file, Function<Map<String, String>, String> key,
      String valueColumn, Chart.Style style) {
    return outputs -> {
      Map<String, BigDecimal> sums = new TreeMap<>();
      outputs.forEachRow(file, row -> {
        String k = key.apply(row);
        BigDecimal v = number(row.get(valueColumn));
        if (k != null && v != null) {
          sums.merge(k, v, BigDecimal::add);
        }
      });
      return chart(title, valueColumn + " summed, from " + file, style, sums);
    };
  }

  /** Counts the rows of a CSV output per value of a column (values sorted as text). */
  static ReportFigure countBy(String title, String file, String column, Chart.Style style) {
    return outputs -> {
      Map<String, BigDecimal> counts = new TreeMap<>();
      outputs.forEachRow(file, row -> {
        String k = row.get(column);
        if (k != null) {
          counts.merge(k, BigDecimal.ONE, BigDecimal::add);
        }
      });
      return chart(title, "rows of " + file + " by " + column, style, counts);
    };
  }

  /** Columns of one CSV output summed over all rows, one bar per column (in the given order). */
  static ReportFigure sumColumns(String title, String file, List<String> columns, Chart.Style style) {
    return outputs -> {
      Map<String, BigDecimal> sums = new LinkedHashMap<>();
      columns.forEach(c -> sums.put(c, BigDecimal.ZERO));
      outputs.forEachRow(file, row -> {
        for (String c : columns) {
          BigDecimal v = number(row.get(c));
          if (v != null) {
            sums.merge(c, v, BigDecimal::add);
          }
        }
      });
      return chart(title, "summed over " + file, style, sums);
    };
  }

  /**
   * Counters of the run (from the manifest), one bar each, in order: {@code labelsAndCounters} is
   * a bar's label, then its counter {@code step/what} (or {@code step/in}, {@code step/out},
   * {@code step/dead}), and so on.
   */
  static ReportFigure counters(String title, Chart.Style style, String... labelsAndCounters) {
    return outputs -> {
      Map<String, BigDecimal> values = new LinkedHashMap<>();
      for (int i = 0; i + 1 < labelsAndCounters.length; i += 2) {
        values.put(labelsAndCounters[i], BigDecimal.valueOf(counter(outputs.manifest(), labelsAndCounters[i + 1])));
      }
      return chart(title, "records", style, values);
    };
  }

  private static long counter(RunManifest m, String name) {
    int slash = name.indexOf('/');
    RunManifest.StepCounts s = m.steps().get(name.substring(0, slash));
    if (s == null) {
      return 0;
    }
    String what = name.substring(slash + 1);
    return switch (what) {
      case "in" -> s.in();
      case "out" -> s.out();
      case "dead" -> s.dead();
      default -> s.other().getOrDefault(what, 0L);
    };
  }

  private static Chart chart(String title, String unit, Chart.Style style, Map<String, BigDecimal> values) {
    List<Chart.Bar> bars = new ArrayList<>();
    values.forEach((k, v) -> bars.add(new Chart.Bar(k, v)));
    return new Chart(title, unit, style, bars);
  }

  private static BigDecimal number(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
