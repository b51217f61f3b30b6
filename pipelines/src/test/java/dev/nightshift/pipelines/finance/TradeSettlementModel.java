package dev.nightshift.pipelines.finance;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java reference model of trade settlement, written independently of the pipeline (no
 * Beam, none of its parsers, validator, calendar or netting code): it reads the same files, applies
 * the rules as the README states them, nets with hash maps and renders the output contract. The
 * pipeline test checks that both give the same lines and the same dead-letter counts.
 */
final class TradeSettlementModel {

  record Result(
      List<String> instructions,
      List<String> cashPositions,
      List<String> report,
      Map<String, Long> deadByReason) {}

  private record Leg(String participant, String isin, String currency, LocalDate date) {}

  private static final class Sums {
    long bought;
    long sold;
    BigDecimal paid = BigDecimal.ZERO;
    BigDecimal received = BigDecimal.ZERO;
    long legs;
  }

  static Result run(Path dir, LocalDate businessDate) throws IOException {
    Map<String, String[]> securities = new HashMap<>(); // isin -> [currency, market]
    for (List<String> r : rows(dir.resolve("securities.csv"))) {
      securities.putIfAbsent(r.get(0), new String[] {r.get(2), r.get(3)});
    }
    Map<String, String> participantOf = new HashMap<>();
    for (List<String> r : rows(dir.resolve("participants.csv"))) {
      participantOf.putIfAbsent(r.get(3), r.get(0));
    }
    Map<String, Set<LocalDate>> holidays = new HashMap<>();
    for (List<String> r : rows(dir.resolve("holidays.csv"))) {
      holidays.computeIfAbsent(r.get(0), m -> new HashSet<>()).add(LocalDate.parse(r.get(1)));
    }

    Map<String, Long> dead = new TreeMap<>();
    Set<String> seenIds = new HashSet<>();
    Map<Leg, Sums> positions = new HashMap<>();
    for (List<String> r : rows(dir.resolve("trades.csv"))) {
      String reason = null;
      String id = null;
      LocalDate tradeDate = null;
      String isin = null;
      long quantity = 0;
      BigDecimal price = null;
      String currency = null;
      String buyer = null;
      String seller = null;
      if (r.size() != 9) {
        reason = "WRONG_FIELD_COUNT";
      } else if (r.stream().anyMatch(v -> v.trim().isEmpty())) {
        reason = "MISSING_FIELD";
      } else {
        id = r.get(0).trim();
        isin = r.get(3).trim();
        currency = r.get(6).trim();
        buyer = r.get(7).trim();
        seller = r.get(8).trim();
        try {
          tradeDate = LocalDate.parse(r.get(1).trim());
          LocalTime.parse(r.get(2).trim());
        } catch (RuntimeException e) {
          reason = "INVALID_DATE";
        }
        if (reason == null) {
          try {
            quantity = Long.parseLong(r.get(4).trim());
            price = new BigDecimal(r.get(5).trim());
          } catch (NumberFormatException e) {
            reason = "INVALID_NUMBER";
          }
        }
      }
      if (reason == null && !seenIds.add(id)) {
        reason = "DUPLICATE_TRADE_ID";
      }
      String[] security = reason == null ? securities.get(isin) : null;
      if (reason == null) {
        if (!isin.matches("[A-Z]{2}[A-Z0-9]{9}[0-9]")) {
          reason = "INVALID_ISIN_FORMAT";
        } else if (!luhnOk(isin)) {
          reason = "INVALID_ISIN_CHECK_DIGIT";
        } else if (security == null) {
          reason = "UNKNOWN_SECURITY";
        } else if (!participantOf.containsKey(buyer) || !participantOf.containsKey(seller)) {
          reason = "UNKNOWN_ACCOUNT";
        } else if (buyer.equals(seller)) {
          reason = "SELF_TRADE";
        } else if (quantity <= 0) {
          reason = "NON_POSITIVE_QUANTITY";
        } else if (price.signum() <= 0) {
          reason = "NON_POSITIVE_PRICE";
        } else if (!currency.equals(security[0])) {
          reason = "CURRENCY_MISMATCH";
        } else if (tradeDate.isAfter(businessDate)) {
          reason = "TRADE_DATE_AFTER_BUSINESS_DATE";
        }
      }
      if (reason != null) {
        dead.merge(reason, 1L, Long::sum);
        continue;
      }
      String market = security[1];
      int cycle = market.equals("XNYS") || market.equals("XNAS") ? 1 : 2;
      LocalDate settle = tradeDate;
      Set<LocalDate> closed = holidays.getOrDefault(market, Set.of());
      while (cycle > 0) {
        settle = settle.plusDays(1);
        boolean weekend =
            settle.getDayOfWeek() == DayOfWeek.SATURDAY || settle.getDayOfWeek() == DayOfWeek.SUNDAY;
        if (!weekend && !closed.contains(settle)) {
          cycle--;
        }
      }
      BigDecimal amount =
          price
              .multiply(BigDecimal.valueOf(quantity))
              .setScale(Currency.getInstance(currency).getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
      Sums b = positions.computeIfAbsent(new Leg(participantOf.get(buyer), isin, currency, settle), k -> new Sums());
      b.bought += quantity;
      b.paid = b.paid.add(amount);
      b.legs++;
      Sums s = positions.computeIfAbsent(new Leg(participantOf.get(seller), isin, currency, settle), k -> new Sums());
      s.sold += quantity;
      s.received = s.received.add(amount);
      s.legs++;
    }

    List<String> instructions = new ArrayList<>();
    Map<String, BigDecimal[]> cash = new TreeMap<>(); // participant,currency,date -> pay, receive, net
    Map<String, Long> cashCount = new HashMap<>();
    Map<String, Object[]> report = new TreeMap<>();
    for (Map.Entry<Leg, Sums> e : positions.entrySet()) {
      Leg k = e.getKey();
      Sums n = e.getValue();
      long netQ = n.bought - n.sold;
      BigDecimal netC = n.received.subtract(n.paid);
      String direction = netQ > 0 ? "RECEIVE" : netQ < 0 ? "DELIVER" : "NONE";
      String pay = netC.signum() > 0 ? "RECEIVE" : netC.signum() < 0 ? "PAY" : "NONE";
      instructions.add(String.join(",",
          "SI-" + k.date().toString().replace("-", "") + "-" + k.participant() + "-" + k.isin(),
          k.participant(), k.isin(), k.date().toString(), direction, Long.toString(Math.abs(netQ)), k.currency(),
          pay, money(netC.abs(), k.currency()), Long.toString(n.bought), Long.toString(n.sold),
          Long.toString(n.legs)));
      String ck = k.participant() + "," + k.currency() + "," + k.date();
      BigDecimal[] c = cash.computeIfAbsent(ck, x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      if (netC.signum() < 0) {
        c[0] = c[0].add(netC.negate());
      } else {
        c[1] = c[1].add(netC);
      }
      c[2] = c[2].add(netC);
      cashCount.merge(ck, 1L, Long::sum);
      String rk = k.date() + "," + k.currency();
      Object[] r = report.computeIfAbsent(rk, x -> new Object[] {0L, 0L, 0L, 0L, 0L, 0L, BigDecimal.ZERO, BigDecimal.ZERO, 0L});
      r[0] = (Long) r[0] + 1;
      r[1] = (Long) r[1] + (netQ < 0 ? 1 : 0);
      r[2] = (Long) r[2] + (netQ > 0 ? 1 : 0);
      r[3] = (Long) r[3] + (netQ == 0 ? 1 : 0);
      r[4] = (Long) r[4] + (netQ < 0 ? -netQ : 0);
      r[5] = (Long) r[5] + (netQ > 0 ? netQ : 0);
      r[6] = ((BigDecimal) r[6]).add(netC.signum() < 0 ? netC.negate() : BigDecimal.ZERO);
      r[7] = ((BigDecimal) r[7]).add(netC.signum() > 0 ? netC : BigDecimal.ZERO);
      r[8] = (Long) r[8] + n.legs;
    }
    List<String> cashLines = new ArrayList<>();
    cash.forEach((k, c) -> {
      String ccy = k.split(",")[1];
      cashLines.add(k + "," + money(c[0], ccy) + "," + money(c[1], ccy) + "," + money(c[2], ccy) + "," + cashCount.get(k));
    });
    List<String> reportLines = new ArrayList<>();
    report.forEach((k, r) -> {
      String ccy = k.split(",")[1];
      boolean balanced = r[4].equals(r[5]) && ((BigDecimal) r[6]).compareTo((BigDecimal) r[7]) == 0;
      reportLines.add(k + "," + r[0] + "," + r[1] + "," + r[2] + "," + r[3] + "," + r[4] + "," + r[5] + ","
          + money((BigDecimal) r[6], ccy) + "," + money((BigDecimal) r[7], ccy) + "," + r[8] + "," + balanced);
    });
    instructions.sort(null);
    cashLines.sort(null);
    reportLines.sort(null);
    return new Result(instructions, cashLines, reportLines, dead);
  }

  private static String money(BigDecimal v, String currency) {
    return v.setScale(Currency.getInstance(currency).getDefaultFractionDigits(), RoundingMode.UNNECESSARY).toPlainString();
  }

  /** ISO 6166: letters become two digits (A=10), then the Luhn check over all digits. */
  private static boolean luhnOk(String isin) {
    StringBuilder digits = new StringBuilder();
    for (char ch : isin.toCharArray()) {
      digits.append(Character.isDigit(ch) ? String.valueOf(ch) : Integer.toString(ch - 'A' + 10));
    }
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }
}
