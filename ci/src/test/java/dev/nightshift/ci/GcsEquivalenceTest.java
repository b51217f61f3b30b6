package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.fix.FixLogGenerator;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.OrderLinesFixture;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.testing.FakeGcs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pipeline reads its inputs from {@code gs://} and writes its outputs to {@code gs://}
 * through Beam's GCS file system (the real gcsio client, against {@link FakeGcs} on 127.0.0.1),
 * and writes the same bytes as from and to local folders. Each case generates its inputs into a
 * local folder (running a prerequisite pipeline where one reads another's outputs), uploads the
 * folder, and runs the pipeline twice with {@code {in}} the local folder or its gs:// copy.
 */
class GcsEquivalenceTest {
  private static FakeGcs gcs;

  @BeforeAll
  static void start() throws Exception {
    gcs = FakeGcs.start();
  }

  @AfterAll
  static void stop() {
    gcs.close();
  }

  /** Writes a case's inputs into a folder; returns the pipeline's flags, {@code {in}} standing for it. */
  interface Inputs {
    List<String> write(Path in) throws Exception;
  }

  record Case(String name, Function<String[], NightshiftRun.Summary> pipeline, Inputs inputs, List<String> runner) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  private static Inputs trades(int size, long seed) {
    return in -> {
      GenerationReport g = new TradeGenerator().generate(new GenerationRequest(in, size, seed, 0.03, null));
      return List.of("--inputDir={in}", "--businessDate=" + g.businessDate());
    };
  }

  static Stream<Arguments> pipelines() {
    return Stream.of(
        new Case("trade-settlement", TradeSettlement::run, trades(1_500, 5), DIRECT),
        new Case("trade-settlement on Spark", TradeSettlement::run, trades(1_000, 6),
            List.of("--runner=SparkRunner", "--sparkMaster=local[2]")),
        new Case("trade-settlement from FIX logs", TradeSettlement::run, in -> {
          GenerationReport g = new TradeGenerator().generate(new GenerationRequest(in, 300, 9, 0.03, null));
          FixLogGenerator.generate(in, in.resolve("fix"), 9, 60, g.businessDate());
          return List.of("--inputDir={in}", "--trades={in}/trades.csv", "--fixLogs={in}/fix/*.log",
              "--businessDate=" + g.businessDate());
        }, DIRECT),
        new Case("account-reconciliation", AccountReconciliation::run, in -> {
          new StatementGenerator().generate(new GenerationRequest(in, 800, 9, 0.05, null));
          return List.of("--inputDir={in}");
        }, DIRECT),
        new Case("financial-reports", FinancialReports::run, in -> {
          GenerationReport g = new JournalGenerator().generate(new GenerationRequest(in.resolve("journals"), 800, 5, 0.04, null));
          new TradeGenerator().generate(new GenerationRequest(in.resolve("trades"), 600, 5, 0.0, g.businessDate()));
          TradeSettlement.run("--inputDir=" + in.resolve("trades"), "--output=" + in.resolve("settlement"),
              "--businessDate=" + g.businessDate());
          return List.of("--inputDir={in}/journals", "--businessDate=" + g.businessDate(),
              "--settlementDir={in}/settlement");
        }, DIRECT),
        new Case("order-processing", OrderProcessing::run, in -> {
          new RetailOrderGenerator().generate(new GenerationRequest(in, 800, 3, 0.03, null));
          return List.of("--inputDir={in}");
        }, DIRECT),
        new Case("inventory-update", InventoryUpdate::run, in -> {
          LocalDate day = LocalDate.of(2010, 12, 2);
          new InventoryGenerator().generate(new GenerationRequest(in, 1_000, 13, 0.04, day));
          return List.of("--inputDir={in}", "--businessDate=" + day);
        }, DIRECT),
        new Case("sales-report", SalesReport::run, in -> {
          new OrderLinesFixture().write(in.resolve("orders/order_lines.csv"), 1_500, 3, 5, 101);
          return List.of("--ordersDir={in}/orders", "--topN=15");
        }, DIRECT),
        new Case("claims-adjudication", ClaimsAdjudication::run, in -> {
          GenerationReport g = new ClaimsGenerator().generate(new GenerationRequest(in, 1_200, 29, 0.05, null));
          return List.of("--inputDir={in}", "--businessDate=" + g.businessDate());
        }, DIRECT),
        new Case("billing", Billing::run, in -> {
          LocalDate day = LocalDate.of(2026, 11, 25);
          new BillingGenerator().generate(new GenerationRequest(in, 800, 17, 0.04, day));
          return List.of("--inputDir={in}", "--businessDate=" + day);
        }, DIRECT),
        new Case("patient-records", PatientRecords::run, in -> {
          GenerationReport g = new PatientUpdateGenerator().generate(new GenerationRequest(in, 400, 21, 0.15, null));
          Files.writeString(in.resolve("deid.key"), "gcs-equivalence-key-0001");
          PatientRecords.run("--updates=" + in.resolve(PatientUpdateGenerator.DAY1_FILE),
              "--output=" + in.resolve("day1"), "--businessDate=" + g.businessDate().minusDays(1),
              "--deidKey=file:" + in.resolve("deid.key"));
          return List.of("--updates={in}/" + PatientUpdateGenerator.DAY2_FILE,
              "--master={in}/day1/" + PatientRecords.MASTER_FILE, "--businessDate=" + g.businessDate(),
              "--deidKey=file:{in}/deid.key");
        }, DIRECT))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void gcsInputsAndOutputsGiveTheBytesOfALocalRun(Case c, @TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    List<String> flags = c.inputs().write(in);
    String bucket = "nightshift-" + c.name().replaceAll("[^a-z0-9]+", "-");
    String gsIn = gcs.upload(in, bucket, "landing/in");
    String gsOut = "gs://" + bucket + "/results/out";

    NightshiftRun.Summary local = c.pipeline().apply(args(flags, in.toString(), "--output=" + tmp.resolve("out"), c.runner()));
    List<String> gsFlags = new ArrayList<>(gcs.flags());
    gsFlags.addAll(c.runner());
    NightshiftRun.Summary remote = c.pipeline().apply(args(flags, gsIn, "--output=" + gsOut, gsFlags));

    assertEquals(gsOut + "/", remote.outputDir());
    assertTrue(remote.manifest().audit().balanced());
    assertTrue(remote.manifest().inputs().stream().allMatch(f -> f.path().startsWith(gsIn + "/")),
        "every input was read from gs://: " + remote.manifest().inputs());
    assertEquals(relative(local.manifest().inputs(), in.toString()), relative(remote.manifest().inputs(), gsIn),
        "the same inputs (relative paths, sha256)");
    assertEquals(local.manifest().steps(), remote.manifest().steps());
    assertEquals(local.manifest().outputs().stream().map(f -> f.path() + ":" + f.records()).toList(),
        remote.manifest().outputs().stream().map(f -> f.path() + ":" + f.records()).toList());
    assertTrue(local.manifest().outputs().stream().anyMatch(f -> f.records() > 0));
    // Byte for byte; where an output names its source files (dead letters, lineage columns), once
    // the gs:// folder is read as the local one.
    for (RunManifest.FileEntry f : local.manifest().outputs()) {
      byte[] expected = Files.readAllBytes(tmp.resolve("out").resolve(f.path()));
      byte[] actual = gcs.object(bucket, "results/out/" + f.path()).orElseThrow(() -> new AssertionError(f.path())).data();
      if (!Arrays.equals(expected, actual)) {
        String text = new String(actual, StandardCharsets.UTF_8);
        assertTrue(text.contains(gsIn + "/"), f.path() + " differs, and not by the input location");
        assertArrayEquals(expected, text.replace(gsIn + "/", in + "/").getBytes(StandardCharsets.UTF_8), f.path());
      }
    }
    byte[] manifest = gcs.object(bucket, "results/out/" + RunManifest.FILE_NAME).orElseThrow().data();
    assertEquals(remote.manifest(), RunManifest.fromJson(new String(manifest, StandardCharsets.UTF_8)));
    assertTrue(gcs.names(bucket).stream().noneMatch(n -> n.contains("inprogress")), "no temporary file left");
  }

  /** Input paths under their root, with their sha256, sorted. */
  private static Map<String, String> relative(List<RunManifest.FileEntry> inputs, String root) {
    Map<String, String> out = new TreeMap<>();
    for (RunManifest.FileEntry f : inputs) {
      assertTrue(f.path().startsWith(root + "/"), f.path() + " is not under " + root);
      out.put(f.path().substring(root.length()), f.sha256());
    }
    return out;
  }

  private static String[] args(List<String> flags, String in, String output, List<String> extra) {
    List<String> all = new ArrayList<>();
    for (String f : flags) {
      all.add(f.replace("{in}", in));
    }
    all.add(output);
    all.addAll(extra);
    return all.toArray(new String[0]);
  }
}
