package dev.nightshift.pipelines.retail.inventory;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java reference model of inventory-update, written independently of the pipeline (no
 * Beam, none of its parsers or records): it applies the README's rules with a tree map per store x
 * SKU and renders the output contract. Days chain through {@link Result#snapshot()}.
 */
final class InventoryModel {

  record Result(
      List<String> snapshot, List<String> exceptions, List<String> reorders,
      Map<String, Long> deadByReason) {}

  private static final class Stock {
    boolean known;
    long start;
    long sold;
    long returned;
    long received;
    long point;
    long quantity;
  }

  /** Snapshot rows as lists of fields (header excluded); receipts may be null (none). */
  static Result run(List<List<String>> snapshot, Path movements, Path receipts, LocalDate day,
      long defaultPoint, long defaultQuantity) throws IOException {
    Map<String, Long> dead = new TreeMap<>();
    Map<List<String>, Stock> stock = new TreeMap<>((a, b) -> {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : a.get(1).compareTo(b.get(1));
    });
    for (List<String> r : snapshot) {
      List<String> key = List.of(r.get(1), r.get(2));
      if (stock.containsKey(key)) {
        dead.merge("DUPLICATE_KEY", 1L, Long::sum);
        continue;
      }
      Stock s = new Stock();
      s.known = true;
      s.start = Long.parseLong(r.get(3));
      s.point = Long.parseLong(r.get(4));
      s.quantity = Long.parseLong(r.get(5));
      stock.put(key, s);
    }
    for (List<String> r : rows(movements)) {
      String reason = movementReason(r, day);
      if (reason != null) {
        dead.merge(reason, 1L, Long::sum);
        continue;
      }
      Stock s = stock.computeIfAbsent(List.of(r.get(1), r.get(2)), k -> fresh(defaultPoint, defaultQuantity));
      s.sold += Long.parseLong(r.get(3));
      s.returned += Long.parseLong(r.get(4));
    }
    if (receipts != null) {
      Set<String> ids = new HashSet<>();
      for (List<String> r : rows(receipts)) {
        String reason = receiptReason(r, day);
        if (reason == null && !ids.add(r.get(0))) {
          reason = "DUPLICATE_KEY";
        }
        if (reason != null) {
          dead.merge(reason, 1L, Long::sum);
          continue;
        }
        stock.computeIfAbsent(List.of(r.get(2), r.get(3)), k -> fresh(defaultPoint, defaultQuantity))
            .received += Long.parseLong(r.get(4));
      }
    }
    List<String> snap = new ArrayList<>();
    List<String> exceptions = new ArrayList<>();
    List<String> reorders = new ArrayList<>();
    for (Map.Entry<List<String>, Stock> e : stock.entrySet()) {
      String store = e.getKey().get(0);
      String sku = e.getKey().get(1);
      Stock s = e.getValue();
      long end = s.start - s.sold + s.returned + s.received;
      snap.add(String.join(",", day.toString(), store, sku, "" + end, "" + s.point, "" + s.quantity));
      String numbers = "start " + s.start + ", sold " + s.sold + ", returned " + s.returned
          + ", received " + s.received;
      if (!s.known && s.sold > 0) {
        exceptions.add(store + "," + sku + ",UNKNOWN_SKU," + s.sold
            + ",\"sold with no start-of-day snapshot row; started at 0: " + numbers + "\"");
      }
      if (end < 0) {
        exceptions.add(store + "," + sku + ",NEGATIVE_STOCK," + end
            + ",\"sold more than available: " + numbers + " = " + end + "\"");
      } else if (end == 0 && s.sold > 0) {
        exceptions.add(store + "," + sku + ",STOCK_OUT,0,\"sold out: " + numbers + " = 0\"");
      }
      if (end < s.point) {
        // order up to reorder point + reorder quantity
        reorders.add(String.join(",", store, sku, "" + end, "" + s.point,
            "" + (s.point + s.quantity - end)));
      }
    }
    exceptions.sort(null);
    reorders.sort(null);
    snap.sort(null);
    return new Result(snap, exceptions, reorders, dead);
  }

  private static Stock fresh(long point, long quantity) {
    Stock s = new Stock();
    s.point = point;
    s.quantity = quantity;
    return s;
  }

  private static String movementReason(List<String> r, LocalDate day) {
    if (r.size() != 5) {
      return "WRONG_FIELD_COUNT";
    }
    LocalDate date;
    try {
      date = LocalDate.parse(r.get(0));
    } catch (RuntimeException e) {
      return "INVALID_DATE";
    }
    long sold;
    long returned;
    try {
      sold = Long.parseLong(r.get(3));
      returned = Long.parseLong(r.get(4));
    } catch (NumberFormatException e) {
      return "INVALID_NUMBER";
    }
    if (!date.equals(day)) {
      return "WRONG_BUSINESS_DATE";
    }
    return sold < 0 || returned < 0 ? "INVALID_QUANTITY" : null;
  }

  private static String receiptReason(List<String> r, LocalDate day) {
    if (r.size() != 5) {
      return "WRONG_FIELD_COUNT";
    }
    LocalDate date;
    try {
      date = LocalDate.parse(r.get(1));
    } catch (RuntimeException e) {
      return "INVALID_DATE";
    }
    long quantity;
    try {
      quantity = Long.parseLong(r.get(4));
    } catch (NumberFormatException e) {
      return "INVALID_NUMBER";
    }
    if (!date.equals(day)) {
      return "WRONG_BUSINESS_DATE";
    }
    return quantity <= 0 ? "INVALID_QUANTITY" : null;
  }

  /** Snapshot lines (header excluded) back into fields, to chain the model's days. */
  static List<List<String>> fields(List<String> lines) {
    List<List<String>> out = new ArrayList<>();
    for (String l : lines) {
      out.add(List.of(l.split(",", -1)));
    }
    return out;
  }
}
