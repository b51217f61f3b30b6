package dev.nightshift.pipelines.finance.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Financial reports on the Direct Runner (test-time checks on), compared line by line with the
 * plain-Java reference model, and dead letter by dead letter with what the generator planted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinancialReportsTest {

  Path tmp;
  Path input;
  Path output;
  GenerationReport generated;
  List<DeadLetter> deadLetters = new ArrayList<>();

  @BeforeAll
  void reportGeneratedJournals(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    input = tmp.resolve("in");
    output = tmp.resolve("out");
    generated = new JournalGenerator().generate(new GenerationRequest(input, 600, 13, 0.08, null));
    FinancialReports.run(
        "--inputDir=" + input, "--output=" + output, "--businessDate=" + generated.businessDate());
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      deadLetters.add(DeadLetter.fromJson(json));
    }
  }

  @Test
  void reportsEqualTheReferenceModel() throws IOException {
    FinancialReportsModel.Result model =
        FinancialReportsModel.run(input, generated.businessDate(), "EUR");
    assertFalse(model.trialBalance().isEmpty());
    assertFalse(model.pnl().isEmpty());
    assertEquals(model.trialBalance(), dataLines(output, FinancialReports.TRIAL_BALANCE_FILE));
    assertEquals(model.totals(), dataLines(output, FinancialReports.TOTALS_FILE));
    assertEquals(model.pnl(), dataLines(output, FinancialReports.PNL_FILE));
    assertEquals(generated.expectedValidRecords(), model.posted());
    // the ledger of every legal entity and currency balances
    for (String line : dataLines(output, FinancialReports.TOTALS_FILE)) {
      assertTrue(line.endsWith(",true"), line);
    }
  }

  @Test
  void deadLettersPerReasonAreWhatWasPlanted() throws IOException {
    List<String> journals = Files.readAllLines(input.resolve("journals.csv"), StandardCharsets.UTF_8);
    Map<String, Long> byReason = new TreeMap<>();
    for (DeadLetter d : deadLetters) {
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      assertEquals(FinancialReports.NAME, d.pipeline());
      assertEquals(input.resolve("journals.csv").toString(), d.sourceFile());
      assertEquals(journals.get((int) d.lineNumber() - 1), d.rawPayload());
      assertFalse(d.message().isBlank());
    }
    assertEquals(generated.planted(), byReason);
    assertEquals(
        FinancialReportsModel.run(input, generated.businessDate(), "EUR").deadByReason(), byReason);
    for (String kind : JournalGenerator.PLANTED_KINDS) {
      assertTrue(byReason.getOrDefault(kind, 0L) > 0, "planted " + kind + ": " + byReason);
    }
    assertTrue(byReason.get(FinanceReasons.INCOMPLETE_JOURNAL) > 0);
  }

  @Test
  void anUnbalancedJournalHasAllItsLinesDeadLettered() throws IOException {
    Map<String, Long> linesPerJournal = new TreeMap<>();
    for (List<String> row : dev.nightshift.pipelines.testing.CsvFiles.rows(input.resolve("journals.csv"))) {
      linesPerJournal.merge(row.get(0), 1L, Long::sum);
    }
    Map<String, Long> unbalanced = new TreeMap<>();
    for (DeadLetter d : deadLetters) {
      if (d.reasonCode().equals(FinanceReasons.UNBALANCED_JOURNAL)) {
        unbalanced.merge(d.rawPayload().split(",", 2)[0], 1L, Long::sum);
        assertTrue(d.message().matches(".*debits [0-9.]+ credits [0-9.]+ (EUR|USD|GBP).*"), d.message());
      }
    }
    assertFalse(unbalanced.isEmpty());
    unbalanced.forEach((id, n) -> assertEquals(linesPerJournal.get(id), n, id));
    // and none of their lines reached a report: no report line counts them (checked via the model
    // above); here, the posted count excludes them exactly
    RunManifest m = manifest(output);
    assertEquals(generated.expectedValidRecords(), m.steps().get(CheckJournalsFn.STEP).out());
  }

  @Test
  void manifestAccountsForEveryJournalLine() throws IOException {
    RunManifest m = manifest(output);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    long lines = generated.rowsPerFile().get("journals.csv");
    assertEquals(lines, m.steps().get("read-journals").in());
    RunManifest.StepCounts check = m.steps().get(CheckJournalsFn.STEP);
    assertEquals(lines, check.out() + check.dead() + m.steps().get("read-journals").dead());
    assertEquals(generated.totalPlanted(), check.dead());
    assertTrue(m.audit().checks().stream().anyMatch(c -> c.contains("build-pnl")));
  }

  @Test
  void aSecondRunWithOtherBucketsWritesTheSameBytes() throws IOException {
    Path again = tmp.resolve("again");
    FinancialReports.run("--inputDir=" + input, "--output=" + again,
        "--businessDate=" + generated.businessDate(), "--aggregationBuckets=3");
    for (String f : List.of(FinancialReports.TRIAL_BALANCE_FILE, FinancialReports.TOTALS_FILE,
        FinancialReports.PNL_FILE, NightshiftRun.DEAD_LETTERS_FILE)) {
      assertArrayEquals(Files.readAllBytes(output.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  /**
   * A hand-written ledger: a missing rate refuses the line that needs it (and its journal) and puts
   * no zero in the P&L; end-of-day positions from a hand-written settlement output.
   */
  @Test
  void aMissingRateIsADeadLetterNotAZeroAndEodPositionsNetTheSettlementOutput() throws IOException {
    Path in = tmp.resolve("hand");
    Path settlement = tmp.resolve("hand-settlement");
    Files.createDirectories(in);
    Files.createDirectories(settlement);
    Files.writeString(in.resolve("journals.csv"), String.join("\n",
        String.join(",", dev.nightshift.schemas.finance.JournalLine.COLUMNS),
        "J1,1,LE1,1000,EQ,2026-11-24,EUR,100.00,0.00,cash",
        "J1,2,LE1,4000,EQ,2026-11-24,EUR,0.00,100.00,revenue",
        "J2,1,LE1,5000,FX,2026-11-24,USD,30.00,0.00,fees",
        "J2,2,LE1,2000,FX,2026-11-24,USD,0.00,30.00,payable",
        "J3,1,LE2,1000,RATES,2026-11-24,GBP,50.00,0.00,\"cash, GBP\"",
        "J3,2,LE2,4100,RATES,2026-11-24,GBP,0.00,50.00,revenue",
        "J4,1,LE2,1000,RATES,2026-11-26,EUR,5.00,0.00,tomorrow",
        "J4,2,LE2,4100,RATES,2026-11-26,EUR,0.00,5.00,tomorrow",
        "") );
    Files.writeString(in.resolve("fx_rates.csv"),
        "date,from_currency,to_currency,rate\n2026-11-24,USD,EUR,0.925\n2026-11-24,EUR,GBP,0.85\n");
    Files.writeString(settlement.resolve(TradeSettlement.INSTRUCTIONS_FILE), String.join("\n",
        String.join(",", TradeSettlement.INSTRUCTION_COLUMNS),
        "SI-1,P1,US0378331005,2026-11-24,RECEIVE,100,USD,PAY,1000.00,100,0,1",
        "SI-2,P1,US0378331005,2026-11-25,DELIVER,30,USD,RECEIVE,300.00,0,30,1",
        "SI-3,P1,US0378331005,2026-11-26,RECEIVE,999,USD,PAY,9990.00,999,0,1",
        "SI-4,P2,US0378331005,2026-11-24,DELIVER,70,USD,RECEIVE,700.00,0,70,1",
        "SI-5,P2,DE0007164600,2026-11-25,NONE,0,EUR,RECEIVE,5.00,10,10,2",
        ""));
    Files.writeString(settlement.resolve(TradeSettlement.CASH_FILE), String.join("\n",
        String.join(",", TradeSettlement.CASH_COLUMNS),
        "P1,USD,2026-11-24,1000.00,0.00,-1000.00,1",
        "P1,USD,2026-11-25,0.00,300.00,300.00,1",
        "P1,USD,2026-11-26,9990.00,0.00,-9990.00,1",
        "P2,USD,2026-11-24,0.00,700.00,700.00,1",
        "P2,EUR,2026-11-25,0.00,5.00,5.00,1",
        ""));
    Path out = tmp.resolve("hand-out");
    FinancialReports.run("--inputDir=" + in, "--output=" + out, "--businessDate=2026-11-25",
        "--settlementDir=" + settlement);

    // J1 EUR revenue 100; J2 USD fee 30 x 0.925 = 27.75; J3 has no GBP->EUR rate (only EUR->GBP).
    assertEquals(List.of("2026-11-24,EQ,EUR,100.00,0.00,100.00,1", "2026-11-24,FX,EUR,0.00,27.75,-27.75,1"),
        dataLines(out, FinancialReports.PNL_FILE));
    Map<String, String> reasons = new TreeMap<>();
    for (String json : Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      reasons.put(d.rawPayload().substring(0, 4), d.reasonCode());
    }
    assertEquals(Map.of(
        "J3,1", FinanceReasons.INCOMPLETE_JOURNAL, "J3,2", FinanceReasons.MISSING_FX_RATE,
        "J4,1", FinanceReasons.POSTING_DATE_AFTER_BUSINESS_DATE,
        "J4,2", FinanceReasons.POSTING_DATE_AFTER_BUSINESS_DATE), reasons);
    assertEquals(List.of("LE1,1000,EUR,100.00,0.00,100.00,1", "LE1,2000,USD,0.00,30.00,-30.00,1",
            "LE1,4000,EUR,0.00,100.00,-100.00,1", "LE1,5000,USD,30.00,0.00,30.00,1"),
        dataLines(out, FinancialReports.TRIAL_BALANCE_FILE));
    assertEquals(List.of("LE1,EUR,100.00,100.00,0.00,2,true", "LE1,USD,30.00,30.00,0.00,2,true"),
        dataLines(out, FinancialReports.TOTALS_FILE));
    // settled by 2026-11-25 only: P1 +100 -30, P2 -70; cash P1 -1000 +300, P2 +700 USD, +5 EUR
    assertEquals(List.of(
            "P1,CASH,USD,-700.00,2",
            "P1,SECURITY,US0378331005,70,2",
            "P2,CASH,EUR,5.00,1",
            "P2,CASH,USD,700.00,1",
            "P2,SECURITY,DE0007164600,0,1",
            "P2,SECURITY,US0378331005,-70,1"),
        dataLines(out, FinancialReports.EOD_FILE));
    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    assertEquals(2, m.steps().get("eod-settled").other().get("not-yet-settled"));
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingRuns() {
    assertThrows(IllegalArgumentException.class, () -> FinancialReports.run(
        "--inputDir=" + input, "--output=" + tmp.resolve("x"), "--reportingCurrency=EURO"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FinancialReports.run(
        "--inputDir=" + input, "--output=" + tmp.resolve("y"), "--settlementDir=" + tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  static RunManifest manifest(Path out) throws IOException {
    return RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME)));
  }

  static List<String> dataLines(Path out, String file) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }
}
