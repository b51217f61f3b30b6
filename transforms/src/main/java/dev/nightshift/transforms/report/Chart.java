package dev.nightshift.transforms.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * One business figure of the run report: a title, what the values are, and labelled values.
 * {@link Style#COLUMNS} draws vertical bars with negative values below the zero line (series in
 * order, such as hours); {@link Style#BARS} draws labelled horizontal bars (categories).
 */
public record Chart(String title, String unit, Style style, List<Bar> bars) {
  public enum Style {
    COLUMNS,
    BARS
  }

  /** A labelled value. */
  public record Bar(String label, BigDecimal value) {}

  public Chart {
    bars = List.copyOf(bars);
  }
}
