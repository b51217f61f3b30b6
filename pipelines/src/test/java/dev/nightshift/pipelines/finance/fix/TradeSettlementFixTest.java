package dev.nightshift.pipelines.finance.fix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trade settlement with trades from CSV and from FIX session logs, on the Direct Runner: the
 * FIX fills settle exactly as the same trades written as CSV do, and every log line is accounted
 * for as a trade, a skipped message or a dead letter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TradeSettlementFixTest {
  static final String[] OUTPUTS = {
    TradeSettlement.INSTRUCTIONS_FILE, TradeSettlement.CASH_FILE, TradeSettlement.REPORT_FILE
  };

  Path tmp;
  Path input;
  Path fixDir;
  GenerationReport generated;
  FixLogGenerator.Expected fix;
  Path withFix;
  Path csvOnly;

  @BeforeAll
  void settle(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    input = tmp.resolve("in");
    fixDir = tmp.resolve("fix");
    generated = new TradeGenerator().generate(new GenerationRequest(input, 400, 5, 0.05, null));
    fix = FixLogGenerator.generate(input, fixDir, 7, 120, generated.businessDate());
    // The same trades, all as CSV: the generated trades.csv and the FIX fills written as CSV.
    Path csvDir = tmp.resolve("csv");
    Files.createDirectories(csvDir);
    Files.copy(input.resolve("trades.csv"), csvDir.resolve("trades.csv"));
    fix.writeTradesCsv(csvDir.resolve("fix-trades.csv"));

    withFix = tmp.resolve("out-fix");
    TradeSettlement.run(
        "--inputDir=" + input, "--trades=" + input.resolve("trades.csv"),
        "--fixLogs=" + fixDir.resolve("*.log"), "--output=" + withFix,
        "--businessDate=" + generated.businessDate());
    csvOnly = tmp.resolve("out-csv");
    TradeSettlement.run(
        "--inputDir=" + input, "--trades=" + csvDir.resolve("*.csv"), "--output=" + csvOnly,
        "--businessDate=" + generated.businessDate());
  }

  @Test
  void theGeneratorPlantsWhatTheReaderFinds() throws IOException {
    assertTrue(fix.trades().size() > 100, "fills: " + fix.trades().size());
    List<Trade> read = new ArrayList<>();
    SortedMap<String, Long> skipped = new TreeMap<>();
    SortedMap<String, Long> dead = new TreeMap<>();
    long badSums = 0;
    long badLengths = 0;
    long lines = 0;
    for (String log : List.of(FixLogGenerator.FIX44_LOG, FixLogGenerator.FIX42_LOG)) {
      List<String> content = Files.readAllLines(fixDir.resolve(log), StandardCharsets.UTF_8);
      for (int i = 0; i < content.size(); i++) {
        FixTradeReader.Result r = FixTradeReader.read(log, i + 1, content.get(i));
        lines++;
        badSums += r.badChecksum() ? 1 : 0;
        badLengths += r.badBodyLength() ? 1 : 0;
        switch (r.kind()) {
          case TRADE -> read.add(r.trade());
          case SKIPPED -> skipped.merge(r.msgType(), 1L, Long::sum);
          case REFUSED -> dead.merge(r.reason(), 1L, Long::sum);
        }
      }
    }
    assertEquals(fix.lines(), lines);
    assertEquals(fix.skippedByMsgType(), skipped);
    assertEquals(fix.deadByReason(), dead);
    assertEquals(fix.badChecksums(), badSums);
    assertEquals(fix.badBodyLengths(), badLengths);
    assertTrue(fix.badChecksums() > 0 && fix.badBodyLengths() > 0);
    assertEquals(withoutSource(fix.trades()), withoutSource(read));
    assertTrue(skipped.keySet().containsAll(List.of("0", "5", "8", "A", "D", "F")), skipped.toString());
  }

  @Test
  void fixFillsSettleExactlyAsTheSameTradesFromCsv() throws IOException {
    for (String f : OUTPUTS) {
      assertArrayEquals(Files.readAllBytes(csvOnly.resolve(f)), Files.readAllBytes(withFix.resolve(f)), f);
    }
    RunManifest m = manifest(withFix);
    long legs = m.steps().get("build-instructions").other().get("legs");
    assertEquals(generated.expectedValidRecords() + fix.trades().size(), legs / 2);
  }

  @Test
  void theManifestCountsSkippedMessagesByTypeAndBadFraming() throws IOException {
    RunManifest m = manifest(withFix);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    RunManifest.StepCounts read = m.steps().get("read-fix-trades");
    assertEquals(fix.lines(), read.in());
    assertEquals(fix.trades().size(), read.out());
    assertEquals(fix.dead(), read.dead());
    assertEquals(fix.deadByReason(), read.deadByReason());
    SortedMap<String, Long> other = read.other();
    assertEquals(fix.skipped(), other.get(ReadFixTrades.SKIPPED));
    fix.skippedByMsgType().forEach(
        (type, n) -> assertEquals(n, other.get(ReadFixTrades.skippedCounter(type)), type));
    assertEquals(fix.badChecksums(), other.get(ReadFixTrades.BAD_CHECKSUM));
    assertEquals(fix.badBodyLengths(), other.get(ReadFixTrades.BAD_BODY_LENGTH));
    assertEquals(read.in(), read.out() + read.dead() + other.get(ReadFixTrades.SKIPPED));
    // the flatten is audited: both readers' trades reach the merge
    assertTrue(m.audit().checks().stream().anyMatch(c -> c.startsWith("merge-trades: read-trades/out + read-fix-trades/out")),
        m.audit().checks().toString());
    assertEquals(m.steps().get("read-trades").out() + read.out(), m.steps().get("merge-trades").in());
  }

  @Test
  void junkLinesAndNonIsinFillsAreDeadLettersWithTheirLine() throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    for (String json : Files.readAllLines(withFix.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      if (!d.step().equals("read-fix-trades")) {
        continue;
      }
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      List<String> lines = Files.readAllLines(Path.of(d.sourceFile()), StandardCharsets.UTF_8);
      assertEquals(lines.get((int) d.lineNumber() - 1), d.rawPayload(), json);
      assertFalse(d.message().isBlank());
    }
    assertEquals(fix.deadByReason(), byReason);
    assertTrue(byReason.get(FinanceReasons.MALFORMED_FIX) >= 4, byReason.toString());
    assertTrue(byReason.get(FinanceReasons.FIX_SECURITY_NOT_ISIN) >= 1, byReason.toString());
  }

  @Test
  void fixLogsAloneNeedNoTradesCsv() throws IOException {
    Path out = tmp.resolve("out-fix-only");
    NightshiftRun.Summary s = TradeSettlement.run(
        "--inputDir=" + input, "--fixLogs=" + fixDir.resolve("*.log"), "--output=" + out,
        "--businessDate=" + generated.businessDate());
    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced());
    assertNull(m.steps().get("read-trades"), "trades.csv is not read when only FIX logs are given");
    assertEquals(fix.trades().size(), s.counter("dedupe-trades/in"));
    assertEquals(fix.trades().size(), m.steps().get("build-instructions").other().get("legs") / 2);
  }

  @Test
  void noTradeInputIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TradeSettlement.run(
            "--securities=" + input.resolve("securities.csv"),
            "--participants=" + input.resolve("participants.csv"),
            "--holidays=" + input.resolve("holidays.csv"),
            "--output=" + tmp.resolve("none")));
    assertTrue(e.getMessage().contains("--fixLogs"), e.getMessage());
  }

  @Test
  void theDatasetGeneratorIsDeterministicAndReportsTheFills() throws IOException {
    GenerationReport a = new FixLogDataset().generate(new GenerationRequest(tmp.resolve("ds-a"), 30, 3, 0, null));
    GenerationReport b = new FixLogDataset().generate(new GenerationRequest(tmp.resolve("ds-b"), 30, 3, 0, null));
    assertEquals(a, b);
    for (String log : List.of(FixLogGenerator.FIX44_LOG, FixLogGenerator.FIX42_LOG)) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("ds-a/fix").resolve(log)),
          Files.readAllBytes(tmp.resolve("ds-b/fix").resolve(log)), log);
    }
    assertTrue(a.expectedValidRecords() > 30, a.toJson());
    assertTrue(a.planted().containsKey(FinanceReasons.MALFORMED_FIX), a.toJson());
  }

  private static RunManifest manifest(Path out) throws IOException {
    return RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME)));
  }

  private static List<Trade> withoutSource(List<Trade> trades) {
    return trades.stream()
        .map(t -> new Trade(t.tradeId(), t.tradeDate(), t.tradeTime(), t.isin(), t.quantity(), t.price(),
            t.currency(), t.buyerAccount(), t.sellerAccount(), SourceRef.of("", 0, "")))
        .toList();
  }
}
