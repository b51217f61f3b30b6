package dev.nightshift.pipelines.faults;

import static dev.nightshift.pipelines.testing.RunFiles.bytes;
import static dev.nightshift.pipelines.testing.RunFiles.withoutTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.Pipelines;
import dev.nightshift.pipelines.cli.Nightshift;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.pipelines.retail.OpeningStock;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rerun idempotence: every pipeline of {@code nightshift list}, run twice on the same small seeded
 * inputs (the launcher's {@code run} command, in-process, Direct Runner), gives byte-identical
 * outputs, but the manifest's run block (id and timings) and the run report that shows it. Once into
 * a fresh folder, and once again into the first run's folder (a rerun over an existing output):
 * there too the bytes are the fresh run's and no file is left that a fresh run does not write.
 */
class RerunIdempotenceTest {
  static final LocalDate D = LocalDate.of(2026, 11, 25);
  static final long SEED = 8;

  /** The day's inputs, written once by the project's generators. */
  record Inputs(Path dir, Path openingStock, Path deidKey) {
    static Inputs generate(Path dir) throws IOException {
      gen(new TradeGenerator(), dir.resolve("trades"), 400, 0.03);
      gen(new StatementGenerator(), dir.resolve("statements"), 120, 0.03);
      gen(new JournalGenerator(), dir.resolve("journals"), 300, 0.02);
      gen(new RetailOrderGenerator(), dir.resolve("orders"), 300, 0.03);
      gen(new ClaimsGenerator(), dir.resolve("claims"), 300, 0.05);
      gen(new BillingGenerator(), dir.resolve("payments"), 300, 0.0);
      gen(new PatientUpdateGenerator(), dir.resolve("patients"), 200, 0.03);
      Path stock = OpeningStock.write(dir.resolve("opening_stock"), D.minusDays(1), SEED);
      Path key = dir.resolve("deid.key");
      Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
      return new Inputs(dir, stock, key);
    }

    private static void gen(DatasetGenerator g, Path out, long size, double badRate) throws IOException {
      g.generate(new GenerationRequest(out, size, SEED, badRate, D));
    }

    /**
     * Each pipeline's flags (but {@code --output}), in an order where a pipeline's parents come
     * first. Pipelines reading another's output read it from {@code upstream}, the same folder in
     * every run, so every run of a pipeline has the same inputs.
     */
    Map<String, List<String>> flags(Path upstream) {
      Map<String, List<String>> f = new LinkedHashMap<>();
      f.put(TradeSettlement.NAME, List.of("--inputDir=" + dir.resolve("trades"), "--businessDate=" + D));
      f.put(AccountReconciliation.NAME, List.of("--inputDir=" + dir.resolve("statements")));
      f.put(FinancialReports.NAME, List.of("--inputDir=" + dir.resolve("journals"), "--businessDate=" + D,
          "--settlementDir=" + upstream.resolve(TradeSettlement.NAME)));
      f.put(OrderProcessing.NAME, List.of("--input=" + dir.resolve("orders").resolve(RetailOrderGenerator.fileName(D))));
      f.put(InventoryUpdate.NAME, List.of("--snapshot=" + openingStock,
          "--movements=" + upstream.resolve(OrderProcessing.NAME).resolve(OrderProcessing.MOVEMENTS_FILE),
          "--businessDate=" + D));
      f.put(SalesReport.NAME, List.of(
          "--orderLines=" + upstream.resolve(OrderProcessing.NAME).resolve(OrderProcessing.ORDER_LINES_FILE),
          "--asOf=" + D.plusDays(1)));
      f.put(ClaimsAdjudication.NAME, List.of("--inputDir=" + dir.resolve("claims"), "--businessDate=" + D));
      f.put(Billing.NAME, List.of(
          "--adjudicated=" + upstream.resolve(ClaimsAdjudication.NAME).resolve(ClaimsAdjudication.LINES_FILE),
          "--payments=" + dir.resolve("payments").resolve(BillingGenerator.PAYMENTS_FILE),
          "--businessDate=" + D));
      f.put(PatientRecords.NAME, List.of(
          "--updates=" + dir.resolve("patients").resolve(PatientUpdateGenerator.DAY1_FILE),
          "--deidKey=file:" + deidKey, "--businessDate=" + D.minusDays(1)));
      return f;
    }
  }

  @Test
  void everyPipelineGivesTheSameBytesOnARerun(@TempDir Path tmp) throws IOException {
    Inputs inputs = Inputs.generate(tmp.resolve("in"));
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    Map<String, List<String>> flags = inputs.flags(first);
    assertEquals(Pipelines.ALL.stream().map(Pipelines.Spec::name).sorted().toList(),
        flags.keySet().stream().sorted().toList(), "every pipeline of nightshift list");

    runAll(flags, first);
    SortedMap<String, String> firstFiles = bytes(first);
    for (String pipeline : flags.keySet()) {
      RunManifest m = manifest(first, pipeline);
      assertEquals("SUCCEEDED", m.status(), pipeline);
      assertFalse(m.outputs().isEmpty(), pipeline);
      assertTrue(m.outputs().stream().anyMatch(o -> o.records() > 0), pipeline + " wrote records");
    }

    // Into a fresh folder.
    runAll(flags, second);
    SortedMap<String, String> secondFiles = bytes(second);
    assertSame(firstFiles, secondFiles, "a second run into a fresh folder");

    // Into the first run's folder, over its outputs.
    runAll(flags, first);
    SortedMap<String, String> rerunFiles = bytes(first);
    assertEquals(secondFiles.keySet(), rerunFiles.keySet(), "no stale file: the files of a fresh run, no more");
    assertSame(secondFiles, rerunFiles, "a rerun over the existing output");
    for (String pipeline : flags.keySet()) {
      assertNotEquals(runId(firstFiles, pipeline), runId(rerunFiles, pipeline), pipeline + " really ran again");
    }
  }

  /** Per pipeline (a readable failure), then as a whole; the timings left out narrowly. */
  static void assertSame(SortedMap<String, String> expected, SortedMap<String, String> actual, String what)
      throws IOException {
    SortedMap<String, String> e = withoutTimings(expected);
    SortedMap<String, String> a = withoutTimings(actual);
    for (String file : e.keySet()) {
      assertEquals(e.get(file), a.get(file), what + ": " + file);
    }
    assertEquals(e, a, what);
    assertEquals(expected.keySet(), actual.keySet(), what + ": the same files, run reports too");
  }

  static String runId(Map<String, String> files, String pipeline) throws IOException {
    return RunManifest.fromJson(files.get(pipeline + "/" + RunManifest.FILE_NAME)).run().id();
  }

  static RunManifest manifest(Path base, String pipeline) throws IOException {
    return RunManifest.fromJson(Files.readString(base.resolve(pipeline).resolve(RunManifest.FILE_NAME)));
  }

  /** {@code nightshift run <pipeline> <flags> --output=<base>/<pipeline>} for each, in order. */
  static void runAll(Map<String, List<String>> flags, Path base) {
    for (Map.Entry<String, List<String>> p : flags.entrySet()) {
      List<String> args = new ArrayList<>(List.of("run", p.getKey()));
      args.addAll(p.getValue());
      args.add("--output=" + base.resolve(p.getKey()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Nightshift.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, p.getKey() + ": " + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }
  }
}
