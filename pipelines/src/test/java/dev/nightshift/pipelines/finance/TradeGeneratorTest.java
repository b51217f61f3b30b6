package dev.nightshift.pipelines.finance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.MarketHoliday;
import dev.nightshift.schemas.finance.Participant;
import dev.nightshift.schemas.finance.Security;
import dev.nightshift.schemas.finance.Trade;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradeGeneratorTest {

  private static final LocalDate BUSINESS_DATE = TradeGenerator.DEFAULT_BUSINESS_DATE;
  private static final List<String> FILES =
      List.of(
          TradeGenerator.SECURITIES_FILE,
          TradeGenerator.PARTICIPANTS_FILE,
          TradeGenerator.HOLIDAYS_FILE,
          TradeGenerator.TRADES_FILE,
          TradeGenerator.REPORT_FILE);

  @TempDir Path tmp;

  @Test
  void sameRequestGivesIdenticalBytes() throws IOException {
    TradeGenerator gen = new TradeGenerator();
    gen.generate(new GenerationRequest(tmp.resolve("a"), 5000, 42, 0.1, null));
    gen.generate(new GenerationRequest(tmp.resolve("b"), 5000, 42, 0.1, null));
    gen.generate(new GenerationRequest(tmp.resolve("c"), 5000, 43, 0.1, null));
    for (String f : FILES) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("a").resolve(f)),
          Files.readAllBytes(tmp.resolve("b").resolve(f)),
          f);
    }
    assertFalse(
        Files.mismatch(tmp.resolve("a").resolve("trades.csv"), tmp.resolve("c").resolve("trades.csv"))
            == -1L,
        "another seed gives other trades");
  }

  @Test
  void plantsEveryKindAndAnIndependentValidatorAgrees() throws IOException {
    Path out = tmp.resolve("run");
    GenerationReport report =
        new TradeGenerator().generate(new GenerationRequest(out, 20_000, 7, 0.05, BUSINESS_DATE));

    assertEquals(GenerationReport.fromJson(Files.readString(out.resolve("generation.json"))), report);
    assertEquals("finance-trades", report.dataset());
    assertEquals(BUSINESS_DATE, report.businessDate());
    assertEquals(new TreeSet<>(TradeGenerator.PLANTED_KINDS), report.planted().keySet());
    for (long n : report.planted().values()) {
      assertTrue(n >= 20, "every kind planted often enough: " + report.planted());
    }

    Validation v = Validation.run(out, BUSINESS_DATE);
    assertEquals(20_000, v.rows);
    assertEquals(report.planted(), v.rejected, "planted defects = what an independent check rejects");
    assertEquals(report.expectedValidRecords(), v.accepted);
    assertEquals(20_000 - report.totalPlanted(), v.accepted);
    assertEquals(
        Map.of("holidays.csv", v.holidays, "participants.csv", (long) v.accounts.size(),
            "securities.csv", (long) v.securityCurrency.size(), "trades.csv", 20_000L),
        report.rowsPerFile());
    assertEquals(200, v.securityCurrency.size()); // clamp(20000 / 100, 20, 200000)
    assertEquals(10, v.accounts.size()); // clamp(20000 / 5000, 10, 2000)
    assertTrue(v.quotedNames > 0, "some security names need CSV quoting");
    double badShare = report.totalPlanted() / 20_000.0;
    assertTrue(badShare > 0.04 && badShare < 0.06, "bad share " + badShare);
  }

  @Test
  void noBadRateMeansNoDefects() throws IOException {
    Path out = tmp.resolve("clean");
    GenerationReport report =
        new TradeGenerator().generate(new GenerationRequest(out, 3000, 1, 0.0, null));
    assertTrue(report.planted().isEmpty());
    assertEquals(3000, report.expectedValidRecords());
    Validation v = Validation.run(out, BUSINESS_DATE);
    assertEquals(3000, v.accepted);
    assertTrue(v.rejected.isEmpty(), v.rejected.toString());
  }

  @Test
  void smallRunsAndReferenceDataShape() throws IOException {
    Path out = tmp.resolve("small");
    GenerationReport report =
        new TradeGenerator().generate(new GenerationRequest(out, 0, 3, 0.5, LocalDate.of(2027, 1, 4)));
    assertEquals(0, report.rowsPerFile().get("trades.csv"));
    assertEquals(20, report.rowsPerFile().get("securities.csv"));
    assertEquals(List.of(String.join(",", Trade.COLUMNS)), Files.readAllLines(out.resolve("trades.csv")));
    assertEquals(String.join(",", MarketHoliday.COLUMNS), Files.readAllLines(out.resolve("holidays.csv")).get(0));

    // A bad rate of 1 on a tiny run: the duplicate cannot be planted before a good row exists.
    GenerationReport allBad =
        new TradeGenerator().generate(new GenerationRequest(tmp.resolve("bad"), 100, 3, 1.0, null));
    assertNull(allBad.planted().get(FinanceReasons.DUPLICATE_TRADE_ID));
    assertEquals(0, allBad.expectedValidRecords());
    assertEquals(allBad.planted(), Validation.run(tmp.resolve("bad"), BUSINESS_DATE).rejected);
  }

  @Test
  void reportJsonRoundTrips() {
    GenerationReport r =
        new GenerationReport(
            "x", LocalDate.of(2026, 1, 2), 10, -5, 0.25,
            new TreeMap<>(Map.of("b.csv", 3L, "a.csv", 10L)),
            new TreeMap<>(Map.of("Z", 1L)), 9);
    String json = r.toJson();
    assertEquals(r, GenerationReport.fromJson(json));
    assertTrue(json.indexOf("\"dataset\"") < json.indexOf("\"businessDate\""));
    assertTrue(json.indexOf("\"planted\"") < json.indexOf("\"expectedValidRecords\""));
    assertFalse(json.contains("\r"));
  }

  /**
   * An independent re-implementation of the trade checks, over the files as written. Each rejected
   * row is classified by its first failing check; since a planted row has exactly one defect, the
   * order of checks does not matter.
   */
  static final class Validation {
    final Map<String, String> securityCurrency = new HashMap<>();
    final Set<String> accounts = new HashSet<>();
    final SortedMap<String, Long> rejected = new TreeMap<>();
    long rows;
    long accepted;
    long holidays;
    int quotedNames;

    static Validation run(Path dir, LocalDate businessDate) throws IOException {
      Validation v = new Validation();
      v.readReference(dir);
      v.readTrades(dir.resolve("trades.csv"), businessDate);
      return v;
    }

    private void readReference(Path dir) throws IOException {
      List<String> lines = Files.readAllLines(dir.resolve("securities.csv"), StandardCharsets.UTF_8);
      assertEquals(String.join(",", Security.COLUMNS), lines.get(0));
      for (String line : lines.subList(1, lines.size())) {
        List<String> f = parseCsv(line);
        assertEquals(4, f.size(), line);
        assertTrue(Isin.hasValidCheckDigit(f.get(0)), line);
        assertEquals(null, securityCurrency.put(f.get(0), f.get(2)), "distinct ISINs");
        String prefix = f.get(0).substring(0, 2);
        String expected = switch (f.get(3)) {
          case "XNYS", "XNAS" -> "US/USD";
          case "XETR" -> "DE/EUR";
          case "XPAR" -> "FR/EUR";
          case "XAMS" -> "NL/EUR";
          case "XLON" -> "GB/GBP";
          default -> "?";
        };
        assertEquals(expected, prefix + "/" + f.get(2), line);
        if (line.contains("\"")) quotedNames++;
      }
      lines = Files.readAllLines(dir.resolve("participants.csv"), StandardCharsets.UTF_8);
      assertEquals(String.join(",", Participant.COLUMNS), lines.get(0));
      for (int i = 1; i < lines.size(); i++) {
        List<String> f = parseCsv(lines.get(i));
        String id = String.format("P%04d", i);
        assertEquals(List.of(id, f.get(1), f.get(2), "SA-" + id, "CA-" + id), f);
        assertTrue(Lei.isValid(f.get(2)), f.get(2));
        accounts.add(f.get(3));
      }
      lines = Files.readAllLines(dir.resolve("holidays.csv"), StandardCharsets.UTF_8);
      holidays = lines.size() - 1;
      String previous = "";
      for (String line : lines.subList(1, lines.size())) {
        List<String> f = parseCsv(line);
        String key = f.get(0) + "," + f.get(1);
        assertTrue(key.compareTo(previous) > 0, "sorted by market then date: " + line);
        previous = key;
      }
    }

    private void readTrades(Path file, LocalDate businessDate) throws IOException {
      Set<String> allIds = new HashSet<>();
      Set<String> acceptedIds = new HashSet<>();
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        assertEquals(String.join(",", Trade.COLUMNS), r.readLine());
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          rows++;
          List<String> f = parseCsv(line);
          String reason = check(f, businessDate, acceptedIds);
          if (reason == null) {
            accepted++;
            assertTrue(allIds.add(f.get(0)), "a good row has a fresh id: " + line);
            acceptedIds.add(f.get(0));
          } else {
            rejected.merge(reason, 1L, Long::sum);
            if (!reason.equals(FinanceReasons.DUPLICATE_TRADE_ID)) {
              assertTrue(allIds.add(f.get(0)), "a bad row has a fresh id: " + line);
            }
          }
        }
      }
    }

    private String check(List<String> f, LocalDate businessDate, Set<String> acceptedIds) {
      if (f.size() != Trade.COLUMNS.length) return Reasons.WRONG_FIELD_COUNT;
      for (String s : f) if (s.isEmpty()) return Reasons.MISSING_FIELD;
      assertTrue(f.get(0).matches("TRD-\\d{10}"), f.get(0));
      long quantity;
      BigDecimal price;
      try {
        quantity = Long.parseLong(f.get(4));
        price = new BigDecimal(f.get(5));
      } catch (NumberFormatException e) {
        return Reasons.INVALID_NUMBER;
      }
      LocalDate tradeDate;
      LocalTime time;
      try {
        tradeDate = LocalDate.parse(f.get(1));
        time = LocalTime.parse(f.get(2));
      } catch (DateTimeParseException e) {
        return Reasons.INVALID_DATE;
      }
      String isin = f.get(3);
      if (!Isin.hasValidFormat(isin)) return FinanceReasons.INVALID_ISIN_FORMAT;
      if (!Isin.hasValidCheckDigit(isin)) return FinanceReasons.INVALID_ISIN_CHECK_DIGIT;
      if (!securityCurrency.containsKey(isin)) return FinanceReasons.UNKNOWN_SECURITY;
      if (!accounts.contains(f.get(7)) || !accounts.contains(f.get(8))) {
        return FinanceReasons.UNKNOWN_ACCOUNT;
      }
      if (f.get(7).equals(f.get(8))) return FinanceReasons.SELF_TRADE;
      if (quantity <= 0) return FinanceReasons.NON_POSITIVE_QUANTITY;
      if (price.signum() <= 0) return FinanceReasons.NON_POSITIVE_PRICE;
      if (!securityCurrency.get(isin).equals(f.get(6))) return FinanceReasons.CURRENCY_MISMATCH;
      if (tradeDate.isAfter(businessDate)) return FinanceReasons.TRADE_DATE_AFTER_BUSINESS_DATE;
      if (acceptedIds.contains(f.get(0))) return FinanceReasons.DUPLICATE_TRADE_ID;

      // A row that passes: also check the generator's ranges for good rows.
      assertTrue(quantity <= 5000, "quantity " + quantity);
      assertEquals(2, price.scale(), "price " + price);
      assertFalse(time.isBefore(LocalTime.of(8, 0)) || time.isAfter(LocalTime.of(17, 29, 59)));
      assertFalse(tradeDate.isBefore(businessDate.minusDays(10)), "trade date " + tradeDate);
      assertNotEquals(java.time.DayOfWeek.SATURDAY, tradeDate.getDayOfWeek());
      assertNotEquals(java.time.DayOfWeek.SUNDAY, tradeDate.getDayOfWeek());
      return null;
    }
  }

  /** A small RFC 4180 line parser (no embedded line breaks), independent of the generator. */
  static List<String> parseCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    assertFalse(quoted, "unterminated quote: " + line);
    out.add(cur.toString());
    return out;
  }
}
