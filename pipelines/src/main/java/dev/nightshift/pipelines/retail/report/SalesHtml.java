package dev.nightshift.pipelines.retail.report;

import dev.nightshift.transforms.report.Html;
import dev.nightshift.transforms.report.SvgCharts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code sales_report.html}: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched), deterministic (no timestamp; rows arrive sorted). Every value is HTML-escaped, numbers
 * included, so a description or country holding markup shows as text.
 *
 * <p>Input: the report rows by report name, each row the raw cells that also make the CSV files
 * (see {@link SalesReport} for the cell order of each report).
 */
final class SalesHtml {
  private SalesHtml() {}

  static String render(Map<String, List<List<String>>> rows) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Nightshift sales report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("td.t,th.t{text-align:left}")
        .append(".bar{fill:#3b7dd8}.neg{fill:#d8593b}.axis{stroke:#888}")
        .append("svg text{font-size:10px;fill:#333}\n")
        .append("</style>\n</head>\n<body>\n<h1>Sales report</h1>\n");

    List<List<String>> days = rows.getOrDefault(SalesReport.REVENUE_BY_DAY, List.of());
    List<List<String>> summary = rows.getOrDefault(SalesReport.SUMMARY, List.of());
    List<List<String>> rfmSummary = rows.getOrDefault(SalesReport.RFM_SUMMARY, List.of());
    List<List<String>> returnRates = rows.getOrDefault(SalesReport.RETURN_RATE, List.of());
    h.append("<p>All amounts in GBP. Period: ")
        .append(days.isEmpty() ? "no sales" : esc(days.get(0).get(0)) + " to " + esc(days.get(days.size() - 1).get(0)));
    if (!rfmSummary.isEmpty()) {
      h.append(". RFM as of ").append(esc(rfmSummary.get(0).get(0)));
    }
    h.append(".</p>\n");

    h.append("<h2>Summary</h2>\n<table>\n");
    if (!summary.isEmpty()) {
      List<String> s = summary.get(0);
      String[] labels = {
        "Gross sales", "Returns", "Net sales", "Non-product lines (postage, fees)", "Quantity sold",
        "Quantity returned", "Invoices", "Order lines"
      };
      for (int i = 0; i < labels.length; i++) {
        h.append("<tr><th class=\"t\">").append(esc(labels[i])).append("</th><td>").append(esc(s.get(i)))
            .append("</td></tr>\n");
      }
    }
    for (List<String> r : returnRates) {
      if (r.get(0).equals("overall")) {
        h.append("<tr><th class=\"t\">Return rate (quantity)</th><td>").append(esc(r.get(5))).append("</td></tr>\n")
            .append("<tr><th class=\"t\">Return rate (value)</th><td>").append(esc(r.get(8))).append("</td></tr>\n");
      }
    }
    if (!rfmSummary.isEmpty()) {
      h.append("<tr><th class=\"t\">Customers scored (RFM)</th><td>").append(esc(rfmSummary.get(0).get(1)))
          .append("</td></tr>\n<tr><th class=\"t\">Customers with no purchase (only returns)</th><td>")
          .append(esc(rfmSummary.get(0).get(2))).append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Net sales by day</h2>\n");
    List<String[]> dayBars = new ArrayList<>();
    for (List<String> d : days) {
      dayBars.add(new String[] {d.get(0), d.get(3)});
    }
    barChart(h, dayBars);

    h.append("<h2>Net sales by hour</h2>\n");
    List<String[]> hourBars = new ArrayList<>();
    List<List<String>> hours = rows.getOrDefault(SalesReport.REVENUE_BY_HOUR, List.of());
    for (List<String> d : hours) {
      hourBars.add(new String[] {days.size() > 1 ? d.get(0) + " " + d.get(1) + "h" : d.get(1) + "h", d.get(4)});
    }
    barChart(h, hourBars);

    // Countries by net sales (ties by name).
    List<List<String>> countries = new ArrayList<>(rows.getOrDefault(SalesReport.REVENUE_BY_COUNTRY, List.of()));
    countries.sort(Comparator.comparing((List<String> c) -> new BigDecimal(c.get(3))).reversed()
        .thenComparing(c -> c.get(0)));
    h.append("<h2>Net sales by country</h2>\n<table>\n<tr><th class=\"t\">Country</th><th>Gross sales</th>")
        .append("<th>Returns</th><th>Net sales</th><th>Invoices</th></tr>\n");
    for (List<String> c : countries) {
      h.append("<tr><td class=\"t\">").append(esc(c.get(0))).append("</td><td>").append(esc(c.get(1)))
          .append("</td><td>").append(esc(c.get(2))).append("</td><td>").append(esc(c.get(3)))
          .append("</td><td>").append(esc(c.get(7))).append("</td></tr>\n");
    }
    h.append("</table>\n");

    List<List<String>> top = rows.getOrDefault(SalesReport.TOP_PRODUCTS, List.of());
    for (String[] ranking : new String[][] {{"net_revenue", "Top products by net sales"},
        {"quantity", "Top products by net quantity"}}) {
      h.append("<h2>").append(esc(ranking[1])).append("</h2>\n<table>\n<tr><th>Rank</th>")
          .append("<th class=\"t\">Stock code</th><th class=\"t\">Description</th><th>Net sales</th>")
          .append("<th>Net quantity</th><th>Returns</th><th>Invoices</th></tr>\n");
      for (List<String> t : top) {
        if (t.get(0).equals(ranking[0])) {
          h.append("<tr><td>").append(esc(t.get(1))).append("</td><td class=\"t\">").append(esc(t.get(2)))
              .append("</td><td class=\"t\">").append(esc(t.get(3))).append("</td><td>").append(esc(t.get(4)))
              .append("</td><td>").append(esc(t.get(5))).append("</td><td>").append(esc(t.get(7)))
              .append("</td><td>").append(esc(t.get(10))).append("</td></tr>\n");
        }
      }
      h.append("</table>\n");
    }

    // The products with the largest returned value (ties by stock code): where returns hurt most.
    List<List<String>> returned = new ArrayList<>();
    for (List<String> r : returnRates) {
      if (r.get(0).equals("product") && new BigDecimal(r.get(7)).signum() > 0) {
        returned.add(r);
      }
    }
    returned.sort(Comparator.comparing((List<String> r) -> new BigDecimal(r.get(7))).reversed()
        .thenComparing(r -> r.get(1)));
    h.append("<h2>Most returned products (by value)</h2>\n<table>\n<tr><th class=\"t\">Stock code</th>")
        .append("<th class=\"t\">Description</th><th>Sold</th><th>Returned</th><th>Return rate (quantity)</th>")
        .append("<th>Returned value</th><th>Return rate (value)</th></tr>\n");
    long shown = top.stream().filter(t -> t.get(0).equals("net_revenue")).count(); // topN, or fewer
    for (List<String> r : returned.subList(0, (int) Math.min(returned.size(), Math.max(1, shown)))) {
      h.append("<tr><td class=\"t\">").append(esc(r.get(1))).append("</td><td class=\"t\">").append(esc(r.get(2)))
          .append("</td><td>").append(esc(r.get(3))).append("</td><td>").append(esc(r.get(4)))
          .append("</td><td>").append(esc(r.get(5))).append("</td><td>").append(esc(r.get(7)))
          .append("</td><td>").append(esc(r.get(8))).append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>RFM customer segments</h2>\n");
    List<String[]> segmentBars = new ArrayList<>();
    List<List<String>> segments = new ArrayList<>(rows.getOrDefault(SalesReport.RFM_SEGMENTS, List.of()));
    segments.sort(Comparator.comparingInt(s -> Rfm.SEGMENTS.indexOf(s.get(0))));
    for (List<String> s : segments) {
      segmentBars.add(new String[] {s.get(0), s.get(1)});
    }
    horizontalChart(h, segmentBars);
    h.append("<p>Recency, frequency and monetary quintiles over all customers (guests excluded);"
        + " segments from the (recency, frequency) scores. See rfm.csv per customer.</p>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void barChart(StringBuilder h, List<String[]> bars) {
    SvgCharts.columns(h, bars);
  }

  private static void horizontalChart(StringBuilder h, List<String[]> bars) {
    if (bars.isEmpty()) {
      h.append("<p>No customers.</p>\n");
      return;
    }
    SvgCharts.bars(h, bars);
  }

  static String esc(String s) {
    return Html.escape(s);
  }
}
