package dev.nightshift.pipelines.retail.inventory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three generated days chained through inventory-update on the Direct Runner (checks on): day 1
 * starts from the generated snapshot, days 2 and 3 from the previous day's end-of-day snapshot.
 * Each day is compared line by line with the reference model chained on its own outputs, and dead
 * letters per reason with what the generator planted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventoryUpdateTest {
  static final LocalDate D1 = LocalDate.of(2010, 12, 1);
  static final int DAYS = 3;
  static final String[] DATA_FILES = {
    InventoryUpdate.SNAPSHOT_FILE, InventoryUpdate.EXCEPTIONS_FILE, InventoryUpdate.REORDERS_FILE,
    NightshiftRun.DEAD_LETTERS_FILE
  };

  Path tmp;
  final List<Path> in = new ArrayList<>();
  final List<Path> out = new ArrayList<>();
  final List<GenerationReport> generated = new ArrayList<>();

  @BeforeAll
  void chainThreeDays(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    for (int d = 0; d < DAYS; d++) {
      Path dir = tmp.resolve("in" + (d + 1));
      in.add(dir);
      generated.add(new InventoryGenerator().generate(
          new GenerationRequest(dir, 600, 7, 0.05, D1.plusDays(d))));
      Path snapshot = d == 0 ? dir.resolve("snapshot.csv") : out.get(d - 1).resolve("snapshot.csv");
      out.add(tmp.resolve("out" + (d + 1)));
      InventoryUpdate.run(args(d, snapshot, out.get(d)));
    }
  }

  String[] args(int d, Path snapshot, Path output, String... more) {
    List<String> a = new ArrayList<>(List.of(
        "--snapshot=" + snapshot,
        "--movements=" + in.get(d).resolve("daily_movements.csv"),
        "--receipts=" + in.get(d).resolve("receipts.csv"),
        "--businessDate=" + D1.plusDays(d),
        "--output=" + output));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void everyDayEqualsTheChainedModel() throws IOException {
    List<List<String>> start = CsvFiles.rows(in.get(0).resolve("snapshot.csv"));
    for (int d = 0; d < DAYS; d++) {
      InventoryModel.Result model = InventoryModel.run(start, in.get(d).resolve("daily_movements.csv"),
          in.get(d).resolve("receipts.csv"), D1.plusDays(d), 10, 50);
      assertEquals(model.snapshot(), data(out.get(d), InventoryUpdate.SNAPSHOT_FILE), "day " + (d + 1));
      assertEquals(model.exceptions(), data(out.get(d), InventoryUpdate.EXCEPTIONS_FILE), "day " + (d + 1));
      assertEquals(model.reorders(), data(out.get(d), InventoryUpdate.REORDERS_FILE), "day " + (d + 1));
      assertEquals(model.deadByReason(), deadByReason(out.get(d)), "day " + (d + 1));
      start = InventoryModel.fields(model.snapshot());
    }
  }

  @Test
  void eachEndOfDayIsTheNextStartOfDay() throws IOException {
    for (int d = 0; d < DAYS; d++) {
      List<String> eod = data(out.get(d), InventoryUpdate.SNAPSHOT_FILE);
      assertFalse(eod.isEmpty());
      for (String line : eod) {
        assertTrue(line.startsWith(D1.plusDays(d) + ","), line);
      }
      // the header is the input snapshot's, so the file is tomorrow's input as it is
      assertEquals(Files.readAllLines(in.get(0).resolve("snapshot.csv")).get(0),
          Files.readAllLines(out.get(d).resolve("snapshot.csv")).get(0));
      if (d + 1 < DAYS) {
        // the next day's run read exactly this day's end-of-day rows
        RunManifest next = manifest(out.get(d + 1));
        assertEquals(eod.size(), next.steps().get("read-snapshot").in());
        assertEquals(eod.size(), next.steps().get("settle-stock").other().get("snapshot-rows"));
      }
    }
  }

  @Test
  void negativeStockStaysNegativeAndEveryExceptionKindOccurs() throws IOException {
    List<String> exceptions = data(out.get(0), InventoryUpdate.EXCEPTIONS_FILE);
    for (String type : List.of("NEGATIVE_STOCK", "STOCK_OUT", "UNKNOWN_SKU")) {
      assertTrue(exceptions.stream().anyMatch(l -> l.contains("," + type + ",")), type);
    }
    String negative = exceptions.stream().filter(l -> l.contains(",NEGATIVE_STOCK,")).findFirst().get();
    String[] f = negative.split(",");
    String eod = data(out.get(0), InventoryUpdate.SNAPSHOT_FILE).stream()
        .filter(l -> l.startsWith(D1 + "," + f[0] + "," + f[1] + ",")).findFirst().get();
    assertEquals(f[3], eod.split(",")[3]);
    assertTrue(Long.parseLong(f[3]) < 0);
    assertTrue(negative.contains("start ") && negative.contains("sold ") && negative.contains("received "));
    assertFalse(data(out.get(0), InventoryUpdate.REORDERS_FILE).isEmpty());
  }

  @Test
  void deadLettersPerReasonEqualWhatWasPlanted() throws IOException {
    for (int d = 0; d < DAYS; d++) {
      assertEquals(generated.get(d).planted(), deadByReason(out.get(d)), "day " + (d + 1));
      assertEquals(3, generated.get(d).planted().size(), "every kind planted: " + generated.get(d).planted());
    }
  }

  @Test
  void everyDaysAuditBalances() throws IOException {
    for (int d = 0; d < DAYS; d++) {
      RunManifest m = manifest(out.get(d));
      assertEquals("SUCCEEDED", m.status());
      assertTrue(m.audit().balanced(), m.audit().failures().toString());
      long dead = m.steps().values().stream().mapToLong(RunManifest.StepCounts::dead).sum();
      long rowsIn = m.steps().get("read-snapshot").in() + m.steps().get("read-movements").in()
          + m.steps().get("read-receipts").in();
      Map<String, Long> settled = m.steps().get("settle-stock").other();
      assertEquals(rowsIn, dead + settled.get("snapshot-rows") + settled.get("movement-rows")
          + settled.get("receipt-rows"), "every row read is settled or dead, day " + (d + 1));
      assertEquals(generated.get(d).expectedValidRecords(),
          settled.get("movement-rows") + settled.get("receipt-rows"));
    }
  }

  @Test
  void rerunningADayChangesNothing() throws IOException {
    Map<String, byte[]> before = new TreeMap<>();
    for (String f : DATA_FILES) {
      before.put(f, Files.readAllBytes(out.get(1).resolve(f)));
    }
    // the same day again, into the same directory, and into another one with other buckets
    InventoryUpdate.run(args(1, out.get(0).resolve("snapshot.csv"), out.get(1)));
    Path again = tmp.resolve("again2");
    InventoryUpdate.run(args(1, out.get(0).resolve("snapshot.csv"), again, "--aggregationBuckets=3"));
    for (String f : DATA_FILES) {
      assertArrayEquals(before.get(f), Files.readAllBytes(out.get(1).resolve(f)), f);
      assertArrayEquals(before.get(f), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void aSnapshotThatIsNotOfTheDayBeforeIsRefusedBeforeAnythingRuns() {
    Path output = tmp.resolve("refused");
    // day 3 from day 1's end of day: a snapshot of D-2
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InventoryUpdate.run(args(2, out.get(0).resolve("snapshot.csv"), output)));
    assertTrue(e.getMessage().contains(D1.toString()) && e.getMessage().contains(D1.plusDays(1).toString()),
        e.getMessage());
    assertFalse(Files.exists(output), "nothing ran");
    assertThrows(IllegalArgumentException.class,
        () -> InventoryUpdate.run("--inputDir=" + in.get(0), "--output=" + output));
  }

  @Test
  void withoutReceiptsTheDayHasNone() throws IOException {
    Path output = tmp.resolve("no-receipts");
    InventoryUpdate.run("--snapshot=" + in.get(0).resolve("snapshot.csv"),
        "--movements=" + in.get(0).resolve("daily_movements.csv"), "--businessDate=" + D1,
        "--output=" + output, "--defaultReorderPoint=4", "--defaultReorderQuantity=12");
    InventoryModel.Result model = InventoryModel.run(CsvFiles.rows(in.get(0).resolve("snapshot.csv")),
        in.get(0).resolve("daily_movements.csv"), null, D1, 4, 12);
    assertEquals(model.snapshot(), data(output, InventoryUpdate.SNAPSHOT_FILE));
    assertEquals(model.reorders(), data(output, InventoryUpdate.REORDERS_FILE));
    assertTrue(manifest(output).audit().balanced());
  }

  private static List<String> data(Path dir, String file) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }

  private static Map<String, Long> deadByReason(Path dir) throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    for (String json : Files.readAllLines(dir.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      assertEquals(InventoryUpdate.NAME, d.pipeline());
      assertFalse(d.rawPayload().isEmpty());
      byReason.merge(d.reasonCode(), 1L, Long::sum);
    }
    return byReason;
  }

  private static RunManifest manifest(Path dir) throws IOException {
    return RunManifest.fromJson(Files.readString(dir.resolve(RunManifest.FILE_NAME)));
  }
}
