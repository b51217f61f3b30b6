package dev.nightshift.pipelines.retail.report;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.testing.CsvFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plain-Java reference model of the sales report CSV files: reads order_lines.csv with the test
 * CSV reader, sums in maps, ranks and scores by counting, and renders the expected lines (sorted,
 * as the sink writes them). Written apart from the pipeline's code.
 */
final class SalesReportModel {

  /** Running totals of one report key. */
  static final class Acc {
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal returns = BigDecimal.ZERO;
    BigDecimal other = BigDecimal.ZERO;
    long sold;
    long returned;
    long otherQty;
    long lines;
    Set<String> invoices = new HashSet<>();
    Set<String> saleInvoices = new HashSet<>();
    LocalDate lastSale;
    String label = null;

    void add(List<String> r) {
      String type = r.get(10);
      BigDecimal amount = new BigDecimal(r.get(6));
      long qty = Long.parseLong(r.get(4));
      lines++;
      invoices.add(r.get(0));
      if (type.equals("SALE") || type.equals("GUEST_PURCHASE")) {
        gross = gross.add(amount);
        sold += qty;
        saleInvoices.add(r.get(0));
        LocalDate d = LocalDateTime.parse(r.get(7)).toLocalDate();
        if (lastSale == null || d.isAfter(lastSale)) {
          lastSale = d;
        }
      } else if (type.equals("CANCELLATION")) {
        returns = returns.add(amount);
        returned -= qty;
      } else {
        other = other.add(amount);
        otherQty += qty;
      }
      String d = r.get(3).trim();
      if (!d.isEmpty() && (label == null || d.compareTo(label) < 0)) {
        label = d;
      }
    }

    BigDecimal net() {
      return gross.add(returns);
    }

    List<Object> sales() {
      return List.of(m(gross), m(returns), m(net()), sold, returned, sold - returned, invoices.size(), lines);
    }
  }

  record Result(Map<String, List<String>> files, long validLines, Map<String, Long> deadByReason) {}

  static String m(BigDecimal v) {
    return v.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  static String text(String s) {
    String t = s;
    if (!t.isEmpty() && "=+-@\t\r".indexOf(t.charAt(0)) >= 0) {
      t = "'" + t;
    }
    return t.replace("\r\n", " ").replace("\n", " ").replace("\r", " ");
  }

  static String rate(BigDecimal part, BigDecimal whole) {
    return whole.signum() <= 0 ? "" : part.divide(whole, 4, RoundingMode.HALF_EVEN).toPlainString();
  }

  static String line(Object... cells) {
    return Csv.line(cells);
  }

  static Result run(Path orderLines, LocalDate asOfOption, int topN) throws IOException {
    Map<String, Acc> day = new TreeMap<>();
    Map<String, Acc> hour = new TreeMap<>();
    Map<String, Acc> country = new TreeMap<>();
    Map<String, Acc> product = new TreeMap<>();
    Map<String, Acc> other = new TreeMap<>();
    Map<String, Acc> customer = new TreeMap<>();
    Map<String, Long> dead = new TreeMap<>();
    LocalDate latest = null;
    long valid = 0;
    for (List<String> r : CsvFiles.rows(orderLines)) {
      String reason = invalid(r);
      if (reason != null) {
        dead.merge(reason, 1L, Long::sum);
        continue;
      }
      valid++;
      LocalDateTime t = LocalDateTime.parse(r.get(7));
      latest = latest == null || t.toLocalDate().isAfter(latest) ? t.toLocalDate() : latest;
      day.computeIfAbsent(t.toLocalDate().toString(), k -> new Acc()).add(r);
      hour.computeIfAbsent(t.toLocalDate() + "," + (t.getHour() < 10 ? "0" : "") + t.getHour(), k -> new Acc()).add(r);
      country.computeIfAbsent(r.get(9).trim(), k -> new Acc()).add(r);
      (r.get(10).equals("NON_PRODUCT") ? other : product).computeIfAbsent(r.get(2).trim(), k -> new Acc()).add(r);
      if (!r.get(8).isEmpty()) {
        customer.computeIfAbsent(r.get(8), k -> new Acc()).add(r);
      }
    }
    Map<String, List<String>> files = new TreeMap<>();
    List<String> out = new ArrayList<>();
    day.forEach((k, a) -> out.add(join(List.of(k), a.sales(), m(a.other))));
    files.put("revenue_by_day.csv", sorted(out));
    List<String> h = new ArrayList<>();
    hour.forEach((k, a) -> h.add(join(List.of(k.split(",")[0], k.split(",")[1]), a.sales(), m(a.other))));
    files.put("revenue_by_hour.csv", sorted(h));
    List<String> c = new ArrayList<>();
    country.forEach((k, a) -> c.add(join(List.of(text(k)), a.sales(), m(a.other))));
    files.put("revenue_by_country.csv", sorted(c));
    List<String> p = new ArrayList<>();
    product.forEach((k, a) -> p.add(join(List.of(text(k), text(lbl(a))), a.sales())));
    files.put("revenue_by_product.csv", sorted(p));
    List<String> o = new ArrayList<>();
    other.forEach((k, a) -> o.add(line(text(k), text(lbl(a)), m(a.other), a.otherQty, a.invoices.size(), a.lines)));
    files.put("non_product.csv", sorted(o));

    // top products: best first, then stock code
    List<String> top = new ArrayList<>();
    List<String> codes = new ArrayList<>(product.keySet());
    List<String> byNet = new ArrayList<>(codes);
    byNet.sort((x, y) -> {
      int cmp = product.get(y).net().compareTo(product.get(x).net());
      return cmp != 0 ? cmp : x.compareTo(y);
    });
    List<String> byQty = new ArrayList<>(codes);
    byQty.sort((x, y) -> {
      Acc ax = product.get(x);
      Acc ay = product.get(y);
      int cmp = Long.compare(ay.sold - ay.returned, ax.sold - ax.returned);
      return cmp != 0 ? cmp : x.compareTo(y);
    });
    int width = Integer.toString(topN).length();
    for (int i = 0; i < Math.min(topN, codes.size()); i++) {
      top.add(topLine("net_revenue", i + 1, width, byNet.get(i), product.get(byNet.get(i))));
      top.add(topLine("quantity", i + 1, width, byQty.get(i), product.get(byQty.get(i))));
    }
    files.put("top_products.csv", sorted(top));

    List<String> rr = new ArrayList<>();
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal returned = BigDecimal.ZERO;
    long sold = 0;
    long back = 0;
    for (Map.Entry<String, Acc> e : product.entrySet()) {
      Acc a = e.getValue();
      gross = gross.add(a.gross);
      returned = returned.add(a.returns.negate());
      sold += a.sold;
      back += a.returned;
      rr.add(line("product", text(e.getKey()), text(lbl(a)), a.sold, a.returned,
          rate(BigDecimal.valueOf(a.returned), BigDecimal.valueOf(a.sold)), m(a.gross), m(a.returns.negate()),
          rate(a.returns.negate(), a.gross)));
    }
    if (valid > 0) {
      rr.add(line("overall", "", "", sold, back, rate(BigDecimal.valueOf(back), BigDecimal.valueOf(sold)),
          m(gross), m(returned), rate(returned, gross)));
    }
    files.put("return_rate.csv", sorted(rr));

    // RFM: a score is 1 + floor(5 * (customers with a strictly worse value) / n)
    LocalDate asOf = asOfOption != null ? asOfOption : latest == null ? null : latest.plusDays(1);
    Map<String, Acc> buyers = new TreeMap<>();
    customer.forEach((k, a) -> {
      if (!a.saleInvoices.isEmpty()) {
        buyers.put(k, a);
      }
    });
    int n = buyers.size();
    List<String> rfm = new ArrayList<>();
    Map<String, Long> segCount = new TreeMap<>();
    Map<String, BigDecimal> segMoney = new TreeMap<>();
    for (Map.Entry<String, Acc> e : buyers.entrySet()) {
      Acc a = e.getValue();
      long rec = ChronoUnit.DAYS.between(a.lastSale, asOf);
      int worseR = 0;
      int worseF = 0;
      int worseM = 0;
      for (Acc b : buyers.values()) {
        if (ChronoUnit.DAYS.between(b.lastSale, asOf) > rec) {
          worseR++;
        }
        if (b.saleInvoices.size() < a.saleInvoices.size()) {
          worseF++;
        }
        if (b.net().compareTo(a.net()) < 0) {
          worseM++;
        }
      }
      int r = 1 + 5 * worseR / n;
      int f = 1 + 5 * worseF / n;
      int mm = 1 + 5 * worseM / n;
      String seg = segment(r, f);
      rfm.add(line(text(e.getKey()), a.lastSale, rec, a.saleInvoices.size(), m(a.net()), r, f, mm,
          "" + r + f + mm, seg));
      segCount.merge(seg, 1L, Long::sum);
      segMoney.merge(seg, a.net(), BigDecimal::add);
    }
    files.put("rfm.csv", sorted(rfm));
    List<String> segs = new ArrayList<>();
    if (valid > 0) {
      for (String s : List.of("Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising",
          "Need Attention", "About to Sleep", "At Risk", "Cannot Lose Them", "Hibernating")) {
        segs.add(line(s, segCount.getOrDefault(s, 0L), m(segMoney.getOrDefault(s, BigDecimal.ZERO))));
      }
    }
    files.put("rfm_segments.csv", sorted(segs));
    return new Result(files, valid, dead);
  }

  /** The segment map, written as its table (R rows, F columns 1..5). */
  static String segment(int r, int f) {
    String[][] table = {
      {"Hibernating", "Hibernating", "At Risk", "At Risk", "Cannot Lose Them"}, // R=1
      {"Hibernating", "Hibernating", "At Risk", "At Risk", "Cannot Lose Them"}, // R=2
      {"About to Sleep", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"},
      {"Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers"},
      {"New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"},
    };
    return table[r - 1][f - 1];
  }

  private static String lbl(Acc a) {
    return a.label == null ? "" : a.label;
  }

  private static String topLine(String ranking, int rank, int width, String code, Acc a) {
    String r = Integer.toString(rank);
    while (r.length() < width) {
      r = "0" + r;
    }
    return line(ranking, r, text(code), text(lbl(a)), m(a.net()), a.sold - a.returned, m(a.gross),
        m(a.returns), a.sold, a.returned, a.invoices.size());
  }

  private static String join(List<String> keys, List<Object> sales, Object... more) {
    List<Object> all = new ArrayList<>(keys);
    all.addAll(sales);
    all.addAll(List.of(more));
    return line(all.toArray());
  }

  private static List<String> sorted(List<String> lines) {
    List<String> s = new ArrayList<>(lines);
    java.util.Collections.sort(s);
    return s;
  }

  /** The reason a line is refused, or null; the same rules as the contract requires. */
  static String invalid(List<String> r) {
    try {
      Long.parseLong(r.get(1).trim());
      Long.parseLong(r.get(4).trim());
    } catch (NumberFormatException e) {
      return "INVALID_NUMBER";
    }
    BigDecimal amount = new BigDecimal(r.get(6).trim());
    BigDecimal expected = new BigDecimal(r.get(5).trim()).multiply(new BigDecimal(r.get(4).trim()))
        .setScale(2, RoundingMode.HALF_EVEN);
    if (amount.compareTo(expected) != 0) {
      return "INVALID_VALUE";
    }
    try {
      LocalDateTime.parse(r.get(7).trim());
    } catch (RuntimeException e) {
      return "INVALID_DATE";
    }
    if (!Set.of("SALE", "CANCELLATION", "NON_PRODUCT", "GUEST_PURCHASE").contains(r.get(10).trim())) {
      return "INVALID_VALUE";
    }
    return null;
  }
}
