package dev.nightshift.pipelines.retail;

import dev.nightshift.pipelines.testing.CsvFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A plain-Java reference model of order-processing, written independently of the pipeline: reads
 * the UCI CSV files itself, validates, classifies and aggregates with maps, and matches
 * cancellations with a straightforward scan. Its outputs are the expected data lines of each file,
 * sorted like the sink sorts them.
 */
final class OrderProcessingModel {
  private OrderProcessingModel() {}

  record Result(
      List<String> orderLines,
      List<String> movements,
      List<String> totals,
      List<String> cancellations,
      List<String> customers,
      Map<String, Long> deadByReason,
      long matched,
      long unmatched) {}

  record Line(String file, long lineNo, String invoice, String code, String desc, long qty,
      LocalDateTime time, BigDecimal price, String customer, String country, String type, BigDecimal amount) {
    boolean cancel() {
      return invoice.startsWith("C");
    }
  }

  static final Set<String> NON_PRODUCT =
      Set.of("POST", "D", "M", "m", "BANK CHARGES", "DOT", "AMAZONFEE", "CRUK", "C2", "PADS", "S", "B");
  static final DateTimeFormatter IN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
      .withResolverStyle(ResolverStyle.STRICT);
  static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

  static Result run(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().matches("online_retail.*\\.csv")).sorted().toList();
    }
    Map<String, Long> dead = new TreeMap<>();
    List<Line> lines = new ArrayList<>();
    for (Path file : files) {
      List<List<String>> rows = CsvFiles.rows(file);
      for (int i = 0; i < rows.size(); i++) {
        List<String> r = rows.get(i).stream().map(String::trim).toList();
        String reason = invalid(r);
        if (reason != null) {
          dead.merge(reason, 1L, Long::sum);
          continue;
        }
        String customer = r.get(6).isEmpty() ? "" : r.get(6).replaceAll("\\.0+$", "");
        long qty = Long.parseLong(r.get(3));
        BigDecimal price = new BigDecimal(r.get(5));
        String type = r.get(0).startsWith("C") ? "CANCELLATION"
            : nonProduct(r.get(1)) ? "NON_PRODUCT" : customer.isEmpty() ? "GUEST_PURCHASE" : "SALE";
        lines.add(new Line(file.toString(), i + 2, r.get(0), r.get(1), r.get(2), qty,
            LocalDateTime.parse(r.get(4), IN), price, customer, r.get(7), type,
            price.multiply(BigDecimal.valueOf(qty)).setScale(2, RoundingMode.HALF_EVEN)));
      }
    }

    List<String> orderLines = new ArrayList<>();
    Map<String, long[]> movements = new HashMap<>();
    for (Line l : lines) {
      orderLines.add(csv(l.invoice, l.lineNo, l.code, l.desc, l.qty, price(l.price), l.amount.toPlainString(),
          l.time.format(OUT), l.customer, l.country, l.type));
      if (!nonProduct(l.code)) {
        long[] m = movements.computeIfAbsent(
            csv(l.time.toLocalDate(), l.country, l.code), k -> new long[2]);
        m[l.cancel() ? 1 : 0] += Math.abs(l.qty);
      }
    }
    List<String> movementLines = new ArrayList<>();
    movements.forEach((k, m) -> movementLines.add(k + "," + m[0] + "," + m[1]));

    // Invoices: lines in file order; the earliest line (time, file, line) gives customer, country, time.
    Map<String, List<Line>> byInvoice = new LinkedHashMap<>();
    for (Line l : lines) {
      byInvoice.computeIfAbsent(l.invoice, k -> new ArrayList<>()).add(l);
    }
    List<String> totals = new ArrayList<>();
    Map<String, Object[]> customers = new HashMap<>();
    byInvoice.forEach((invoice, ls) -> {
      Line first = ls.stream().min(Comparator.comparing(Line::time).thenComparing(Line::file)
          .thenComparingLong(Line::lineNo)).orElseThrow();
      long qty = ls.stream().mapToLong(Line::qty).sum();
      BigDecimal amount = ls.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
      boolean allNonProduct = ls.stream().allMatch(l -> nonProduct(l.code));
      String type = invoice.startsWith("C") ? "CANCELLATION" : allNonProduct ? "NON_PRODUCT"
          : first.customer.isEmpty() ? "GUEST_PURCHASE" : "SALE";
      totals.add(csv(invoice, first.customer, first.country, first.time.format(OUT), ls.size(), qty,
          amount.toPlainString(), type));
      if (!first.customer.isEmpty()) {
        Object[] c = customers.computeIfAbsent(first.customer,
            k -> new Object[] {first.time, first.time, 0L, 0L, 0L, 0L, BigDecimal.ZERO});
        if (first.time.isBefore((LocalDateTime) c[0])) c[0] = first.time;
        if (first.time.isAfter((LocalDateTime) c[1])) c[1] = first.time;
        c[invoice.startsWith("C") ? 3 : 2] = (Long) c[invoice.startsWith("C") ? 3 : 2] + 1;
        c[4] = (Long) c[4] + ls.size();
        c[5] = (Long) c[5] + qty;
        c[6] = ((BigDecimal) c[6]).add(amount);
      }
    });
    List<String> customerLines = new ArrayList<>();
    customers.forEach((id, c) -> customerLines.add(csv(id, ((LocalDateTime) c[0]).format(OUT),
        ((LocalDateTime) c[1]).format(OUT), c[2], c[3], c[4], c[5], ((BigDecimal) c[6]).toPlainString())));

    // Cancellations: all lines in time order (then invoice number, file, line); each cancellation
    // takes the most recent earlier original of its customer and stock code with enough left.
    List<Line> ordered = new ArrayList<>(lines);
    ordered.sort(Comparator.comparing(Line::time)
        .thenComparingLong(l -> Long.parseLong(l.invoice.replaceFirst("^[A-Z]", "")))
        .thenComparing(Line::file).thenComparingLong(Line::lineNo));
    List<Line> originals = new ArrayList<>();
    Map<Line, Long> left = new HashMap<>();
    List<String> cancellations = new ArrayList<>();
    long matched = 0;
    long unmatched = 0;
    for (Line l : ordered) {
      if (!l.cancel()) {
        if (!l.customer.isEmpty()) {
          originals.add(l);
          left.put(l, l.qty);
        }
        continue;
      }
      Line found = null;
      if (!l.customer.isEmpty()) {
        for (int i = originals.size() - 1; i >= 0; i--) {
          Line o = originals.get(i);
          if (o.customer.equals(l.customer) && o.code.equals(l.code) && left.get(o) >= -l.qty) {
            found = o;
            left.put(o, left.get(o) + l.qty);
            break;
          }
        }
      }
      if (found != null) matched++; else unmatched++;
      cancellations.add(csv(l.invoice, l.lineNo, l.code, l.qty, l.amount.toPlainString(), l.time.format(OUT),
          l.customer, l.country, found == null ? "" : found.invoice, found == null ? "" : found.lineNo,
          found != null ? "MATCHED" : l.customer.isEmpty() ? "UNMATCHED_GUEST" : "UNMATCHED"));
    }
    for (List<String> l : List.of(orderLines, movementLines, totals, cancellations, customerLines)) {
      l.sort(null);
    }
    return new Result(orderLines, movementLines, totals, cancellations, customerLines, dead, matched, unmatched);
  }

  static boolean nonProduct(String code) {
    return NON_PRODUCT.contains(code) || code.startsWith("gift_");
  }

  /** The reason a row is refused, or null; the order of checks is the documented one. */
  static String invalid(List<String> r) {
    for (int i : new int[] {0, 1, 3, 4, 5, 7}) {
      if (r.get(i).isEmpty()) return "MISSING_FIELD";
    }
    if (!r.get(0).matches("[A-Z]?\\d{6,18}")) return "INVALID_INVOICE_NO";
    long qty;
    BigDecimal price;
    try {
      qty = Long.parseLong(r.get(3));
      price = new BigDecimal(r.get(5));
    } catch (NumberFormatException e) {
      return "INVALID_NUMBER";
    }
    try {
      LocalDateTime.parse(r.get(4), IN);
    } catch (RuntimeException e) {
      return "INVALID_DATE";
    }
    if (price.signum() < 0) return "NEGATIVE_PRICE";
    if (!r.get(6).isEmpty() && !r.get(6).matches("\\d+(\\.0+)?")) return "INVALID_CUSTOMER_ID";
    if (qty == 0) return "ZERO_QUANTITY";
    if (r.get(0).startsWith("C") && qty > 0) return "INVALID_CANCELLATION";
    return null;
  }

  static String price(BigDecimal p) {
    return p.scale() >= 2 ? p.toPlainString() : p.setScale(2).toPlainString();
  }

  static String csv(Object... values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) sb.append(',');
      String s = String.valueOf(values[i]);
      sb.append(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
    }
    return sb.toString();
  }
}
