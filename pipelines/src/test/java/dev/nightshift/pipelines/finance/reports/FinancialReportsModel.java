package dev.nightshift.pipelines.finance.reports;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java reference model of the financial reports, written independently of the pipeline (no
 * Beam, none of its parsers, checks or aggregation code): it reads the same files, applies the rules
 * as the README states them (a journal is posted whole or refused whole), sums with tree maps and
 * renders the output contract.
 */
final class FinancialReportsModel {

  record Result(
      List<String> trialBalance,
      List<String> totals,
      List<String> pnl,
      Map<String, Long> deadByReason,
      long posted) {}

  private static final class Sums {
    BigDecimal a = BigDecimal.ZERO;
    BigDecimal b = BigDecimal.ZERO;
    long n;
  }

  private record Line(List<String> f, String reason) {}

  static Result run(Path dir, LocalDate businessDate, String reporting) throws IOException {
    Map<String, BigDecimal> rates = new HashMap<>();
    for (List<String> r : rows(dir.resolve("fx_rates.csv"))) {
      rates.putIfAbsent(r.get(0) + " " + r.get(1) + " " + r.get(2), new BigDecimal(r.get(3)));
    }
    Map<String, Long> dead = new TreeMap<>();
    Map<String, List<Line>> journals = new LinkedHashMap<>();
    for (List<String> r : rows(dir.resolve("journals.csv"))) {
      if (r.size() != 10) {
        dead.merge("WRONG_FIELD_COUNT", 1L, Long::sum);
        continue;
      }
      if (r.get(0).isBlank()) {
        dead.merge("MISSING_FIELD", 1L, Long::sum);
        continue;
      }
      journals.computeIfAbsent(r.get(0).trim(), k -> new ArrayList<>()).add(new Line(r, problem(r, businessDate)));
    }
    int digits = java.util.Currency.getInstance(reporting).getDefaultFractionDigits();
    Map<String, Sums> tb = new TreeMap<>();
    Map<String, Sums> totals = new TreeMap<>();
    Map<String, Sums> pnl = new TreeMap<>();
    long posted = 0;
    for (List<Line> journal : journals.values()) {
      Set<String> numbers = new HashSet<>();
      boolean refused = false;
      List<String> reasons = new ArrayList<>();
      for (Line l : journal) {
        String reason = l.reason();
        if (reason == null && !numbers.add(l.f().get(1).trim())) {
          reason = "DUPLICATE_JOURNAL_LINE";
        }
        reasons.add(reason);
        refused |= reason != null;
      }
      if (refused) {
        for (String reason : reasons) {
          dead.merge(reason == null ? "INCOMPLETE_JOURNAL" : reason, 1L, Long::sum);
        }
        continue;
      }
      BigDecimal debit = BigDecimal.ZERO;
      BigDecimal credit = BigDecimal.ZERO;
      Set<String> currencies = new HashSet<>();
      for (Line l : journal) {
        debit = debit.add(new BigDecimal(l.f().get(7).trim()));
        credit = credit.add(new BigDecimal(l.f().get(8).trim()));
        currencies.add(l.f().get(6).trim());
      }
      if (currencies.size() != 1 || debit.compareTo(credit) != 0) {
        dead.merge("UNBALANCED_JOURNAL", (long) journal.size(), Long::sum);
        continue;
      }
      List<BigDecimal> amounts = new ArrayList<>();
      long missing = 0;
      for (Line l : journal) {
        String account = l.f().get(3).trim();
        String currency = l.f().get(6).trim();
        BigDecimal d = new BigDecimal(l.f().get(7).trim());
        BigDecimal c = new BigDecimal(l.f().get(8).trim());
        BigDecimal amount = account.charAt(0) == '4' ? c.subtract(d) : account.charAt(0) == '5' ? d.subtract(c) : null;
        if (amount != null && !currency.equals(reporting)) {
          BigDecimal rate = rates.get(l.f().get(5).trim() + " " + currency + " " + reporting);
          if (rate == null) {
            missing++;
            amount = null;
          } else {
            amount = amount.multiply(rate);
          }
        }
        amounts.add(amount == null ? null : amount.setScale(digits, RoundingMode.HALF_EVEN));
      }
      if (missing > 0) {
        dead.merge("MISSING_FX_RATE", missing, Long::sum);
        dead.merge("INCOMPLETE_JOURNAL", journal.size() - missing, (a, b) -> a + b);
        continue;
      }
      for (int i = 0; i < journal.size(); i++) {
        List<String> f = journal.get(i).f();
        String entity = f.get(2).trim();
        String account = f.get(3).trim();
        String currency = f.get(6).trim();
        BigDecimal d = new BigDecimal(f.get(7).trim());
        BigDecimal c = new BigDecimal(f.get(8).trim());
        add(tb, entity + "," + account + "," + currency, d, c);
        add(totals, entity + "," + currency, d, c);
        if (account.charAt(0) == '4') {
          add(pnl, f.get(5).trim() + "," + f.get(4).trim(), amounts.get(i), BigDecimal.ZERO);
        } else if (account.charAt(0) == '5') {
          add(pnl, f.get(5).trim() + "," + f.get(4).trim(), BigDecimal.ZERO, amounts.get(i));
        }
        posted++;
      }
    }
    List<String> tbLines = new ArrayList<>();
    tb.forEach((k, s) -> {
      String currency = k.substring(k.lastIndexOf(',') + 1);
      tbLines.add(k + "," + m(s.a, currency) + "," + m(s.b, currency) + "," + m(s.a.subtract(s.b), currency) + "," + s.n);
    });
    List<String> totalLines = new ArrayList<>();
    totals.forEach((k, s) -> {
      String currency = k.substring(k.lastIndexOf(',') + 1);
      totalLines.add(k + "," + m(s.a, currency) + "," + m(s.b, currency) + "," + m(s.a.subtract(s.b), currency)
          + "," + s.n + "," + (s.a.compareTo(s.b) == 0));
    });
    List<String> pnlLines = new ArrayList<>();
    pnl.forEach((k, s) -> pnlLines.add(k + "," + reporting + "," + m(s.a, reporting) + "," + m(s.b, reporting)
        + "," + m(s.a.subtract(s.b), reporting) + "," + s.n));
    return new Result(sorted(tbLines), sorted(totalLines), sorted(pnlLines), dead, posted);
  }

  /** The first problem of a line in column order, or null. */
  private static String problem(List<String> f, LocalDate businessDate) {
    for (int i : new int[] {1, 2, 3, 4, 6, 5, 7, 8}) {
      if (f.get(i).isBlank()) {
        return "MISSING_FIELD";
      }
    }
    LocalDate date;
    BigDecimal d;
    BigDecimal c;
    try {
      date = LocalDate.parse(f.get(5).trim());
    } catch (RuntimeException e) {
      return "INVALID_DATE";
    }
    try {
      d = new BigDecimal(f.get(7).trim());
      c = new BigDecimal(f.get(8).trim());
    } catch (NumberFormatException e) {
      return "INVALID_NUMBER";
    }
    String account = f.get(3).trim();
    if (account.length() != 4 || account.charAt(0) < '1' || account.charAt(0) > '5'
        || !account.chars().allMatch(Character::isDigit)) {
      return "INVALID_ACCOUNT";
    }
    int digits;
    try {
      digits = java.util.Currency.getInstance(f.get(6).trim()).getDefaultFractionDigits();
    } catch (IllegalArgumentException e) {
      return "INVALID_VALUE";
    }
    if (d.signum() < 0 || c.signum() < 0 || (d.signum() == 0) == (c.signum() == 0)
        || (d.signum() != 0 && d.stripTrailingZeros().scale() > digits)
        || (c.signum() != 0 && c.stripTrailingZeros().scale() > digits)) {
      return "INVALID_AMOUNT";
    }
    return date.isAfter(businessDate) ? "POSTING_DATE_AFTER_BUSINESS_DATE" : null;
  }

  private static void add(Map<String, Sums> map, String key, BigDecimal a, BigDecimal b) {
    Sums s = map.computeIfAbsent(key, k -> new Sums());
    s.a = s.a.add(a);
    s.b = s.b.add(b);
    s.n++;
  }

  private static String m(BigDecimal v, String currency) {
    return v.setScale(java.util.Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
  }

  private static List<String> sorted(List<String> lines) {
    List<String> out = new ArrayList<>(lines);
    java.util.Collections.sort(out);
    return out;
  }
}
