package dev.nightshift.pipelines.finance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.schemas.finance.Market;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trade settlement on the Direct Runner (with its immutability and encodability checks on),
 * checked line by line against the plain-Java reference model, and dead letter by dead letter
 * against what the generator planted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TradeSettlementTest {

  Path tmp;
  Path input;
  GenerationReport generated;
  NightshiftRun.Summary summary;
  Path output;

  @BeforeAll
  void settleGeneratedTrades(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    input = tmp.resolve("in");
    output = tmp.resolve("out");
    generated = new TradeGenerator().generate(new GenerationRequest(input, 3_000, 11, 0.06, null));
    summary = TradeSettlement.run(
        "--inputDir=" + input, "--output=" + output, "--businessDate=" + generated.businessDate());
  }

  @Test
  void outputsEqualTheReferenceModel() throws IOException {
    TradeSettlementModel.Result model = TradeSettlementModel.run(input, generated.businessDate());
    assertFalse(model.instructions().isEmpty());
    assertEquals(model.instructions(), dataLines(TradeSettlement.INSTRUCTIONS_FILE));
    assertEquals(model.cashPositions(), dataLines(TradeSettlement.CASH_FILE));
    assertEquals(model.report(), dataLines(TradeSettlement.REPORT_FILE));
  }

  @Test
  void everyPlantedErrorIsDeadLetteredWithItsReasonAndPosition() throws IOException {
    List<String> trades = Files.readAllLines(input.resolve("trades.csv"), StandardCharsets.UTF_8);
    Map<String, Long> byReason = new TreeMap<>();
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      assertEquals(TradeSettlement.NAME, d.pipeline());
      assertEquals(input.resolve("trades.csv").toString(), d.sourceFile());
      // the raw payload is the exact line the record was read from
      assertEquals(trades.get((int) d.lineNumber() - 1), d.rawPayload(), json);
      assertFalse(d.message().isBlank());
    }
    assertEquals(generated.planted(), byReason);
    assertEquals(
        TradeSettlementModel.run(input, generated.businessDate()).deadByReason(), byReason);
    assertTrue(byReason.size() >= 14, "every kind of error is planted: " + byReason);
  }

  @Test
  void manifestAccountsForEveryRecord() throws IOException {
    RunManifest m =
        RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced());
    assertTrue(m.audit().failures().isEmpty());
    RunManifest.StepCounts read = m.steps().get("read-trades");
    assertEquals(3_000, read.in());
    long dead = m.steps().values().stream().mapToLong(RunManifest.StepCounts::dead).sum();
    long legs = m.steps().get("build-instructions").other().get("legs");
    // every trade read is dead-lettered or settled as two legs
    assertEquals(3_000, dead + legs / 2);
    assertEquals(generated.expectedValidRecords(), legs / 2);
    for (RunManifest.FileEntry f : m.outputs()) {
      assertEquals(64, f.sha256().length(), f.path());
      assertEquals(
          Files.readAllLines(output.resolve(f.path())).size()
              - (f.path().endsWith(".csv") ? 1 : 0),
          f.records(),
          f.path());
    }
  }

  @Test
  void aSecondRunWritesTheSameBytes() throws IOException {
    Path again = tmp.resolve("again");
    TradeSettlement.run(
        "--inputDir=" + input, "--output=" + again, "--businessDate=" + generated.businessDate(),
        "--aggregationBuckets=3");
    for (String f :
        List.of(TradeSettlement.INSTRUCTIONS_FILE, TradeSettlement.CASH_FILE,
            TradeSettlement.REPORT_FILE, NightshiftRun.DEAD_LETTERS_FILE)) {
      assertArrayEquals(Files.readAllBytes(output.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void aMissingInputIsRefusedBeforeAnythingRuns() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TradeSettlement.run(
                "--inputDir=" + input, "--trades=" + tmp.resolve("nope/*.csv"),
                "--output=" + tmp.resolve("x")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TradeSettlement.run(
            "--inputDir=" + input, "--output=" + tmp.resolve("y"), "--businessDate=25/11/2026"));
  }

  @Test
  void settlementDatesSkipWeekendsAndTheMarketsHolidays() {
    SettlementCalendar calendar = new SettlementCalendar();
    for (Market m : Market.values()) {
      for (HolidayCalendars.Holiday h : HolidayCalendars.forYears(m, 2026, 2027)) {
        calendar.add(m, h.date());
      }
    }
    // Wednesday before Thanksgiving: US T+1 skips Thursday's holiday; EU T+2 is Friday anyway.
    assertEquals(LocalDate.of(2026, 11, 27), calendar.settlementDate(Market.XNYS, LocalDate.of(2026, 11, 25)));
    assertEquals(LocalDate.of(2026, 11, 27), calendar.settlementDate(Market.XETR, LocalDate.of(2026, 11, 25)));
    // Friday: T+1 is Monday.
    assertEquals(LocalDate.of(2026, 11, 30), calendar.settlementDate(Market.XNAS, LocalDate.of(2026, 11, 27)));
    // Christmas Eve 2026 (Thursday) in London: 25th and Boxing Day (observed Monday 28th) are closed.
    assertEquals(LocalDate.of(2026, 12, 30), calendar.settlementDate(Market.XLON, LocalDate.of(2026, 12, 24)));
    // Maundy Thursday in Paris: Good Friday and Easter Monday are TARGET2 closing days.
    assertEquals(LocalDate.of(2027, 3, 31), calendar.settlementDate(Market.XPAR, LocalDate.of(2027, 3, 25)));
  }

  private List<String> dataLines(String file) throws IOException {
    List<String> lines = Files.readAllLines(output.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }
}
