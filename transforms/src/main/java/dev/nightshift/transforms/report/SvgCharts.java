package dev.nightshift.transforms.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for self-contained HTML pages (no script, nothing fetched). Labels and values
 * are escaped. Each bar is {@code {label, value}} with the value as a plain decimal string.
 */
public final class SvgCharts {
  private SvgCharts() {}

  /** Vertical bars with a zero line; negative values go below it (class {@code neg}). */
  public static void columns(StringBuilder h, List<String[]> bars) {
    if (bars.isEmpty()) {
      h.append("<p>No data.</p>\n");
      return;
    }
    double max = 0;
    double min = 0;
    for (String[] b : bars) {
      double v = Double.parseDouble(b[1]);
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    double span = max - min == 0 ? 1 : max - min;
    int plot = 200;
    int barWidth = Math.max(6, Math.min(40, 900 / bars.size()));
    int width = 60 + bars.size() * barWidth + 40; // room for the last rotated label
    double zero = 10 + plot * max / span;
    h.append("<svg width=\"").append(width).append("\" height=\"")
        .append(plot + 90).append("\" role=\"img\">\n");
    h.append("<line class=\"axis\" x1=\"50\" x2=\"").append(width - 40).append("\" y1=\"").append(fmt(zero))
        .append("\" y2=\"").append(fmt(zero)).append("\"/>\n");
    h.append("<text x=\"0\" y=\"20\">").append(Html.escape(fmt(max))).append("</text>\n");
    for (int i = 0; i < bars.size(); i++) {
      double v = Double.parseDouble(bars.get(i)[1]);
      double height = plot * Math.abs(v) / span;
      double x = 55 + i * barWidth;
      double y = v >= 0 ? zero - height : zero;
      h.append("<rect class=\"").append(v >= 0 ? "bar" : "neg").append("\" x=\"").append(fmt(x))
          .append("\" y=\"").append(fmt(y)).append("\" width=\"").append(barWidth - 2)
          .append("\" height=\"").append(fmt(height)).append("\"><title>").append(Html.escape(bars.get(i)[0]))
          .append(": ").append(Html.escape(bars.get(i)[1])).append("</title></rect>\n");
      double lx = x + barWidth / 2.0;
      double ly = plot + 25;
      h.append("<text x=\"").append(fmt(lx)).append("\" y=\"").append(fmt(ly))
          .append("\" transform=\"rotate(60 ").append(fmt(lx)).append(' ').append(fmt(ly)).append(")\">")
          .append(Html.escape(bars.get(i)[0])).append("</text>\n");
    }
    h.append("</svg>\n");
  }

  /** Horizontal bars with their labels and values; negative values are drawn as zero-width. */
  public static void bars(StringBuilder h, List<String[]> bars) {
    if (bars.isEmpty()) {
      h.append("<p>No data.</p>\n");
      return;
    }
    double max = 1;
    int longest = 0;
    for (String[] b : bars) {
      max = Math.max(max, Double.parseDouble(b[1]));
      longest = Math.max(longest, b[0].length());
    }
    int label = Math.max(130, Math.min(330, 7 * longest + 10)); // labels of up to ~45 characters fit
    int row = 22;
    h.append("<svg width=\"").append(label + 560).append("\" height=\"").append(bars.size() * row + 10)
        .append("\" role=\"img\">\n");
    for (int i = 0; i < bars.size(); i++) {
      double w = 400 * Math.max(0, Double.parseDouble(bars.get(i)[1])) / max;
      int y = 5 + i * row;
      h.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(Html.escape(bars.get(i)[0])).append("</text>\n")
          .append("<rect class=\"bar\" x=\"").append(label).append("\" y=\"").append(y).append("\" width=\"").append(fmt(w))
          .append("\" height=\"").append(row - 6).append("\"/>\n")
          .append("<text x=\"").append(fmt(label + 5 + w)).append("\" y=\"").append(y + 14).append("\">")
          .append(Html.escape(bars.get(i)[1])).append("</text>\n");
    }
    h.append("</svg>\n");
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
