package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's path: the {@code ./nightshift} launcher script and the shaded jar it runs, as a
 * separate process (so a missing service file in the fat jar, or a missing --add-opens, fails
 * here). Runs after the pipelines module has been packaged.
 */
class LauncherTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Result(int exit, String out) {}

  static Result nightshift(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("nightshift").toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("nightshift", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("nightshift " + String.join(" ", args) + " timed out");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void listAndHelpDescribeThePipeline(@TempDir Path tmp) throws Exception {
    Result list = nightshift(tmp, "list");
    assertEquals(0, list.exit(), list.out());
    assertTrue(list.out().contains("trade-settlement"), list.out());

    Result help = nightshift(tmp, "run", "trade-settlement", "--help");
    assertEquals(0, help.exit(), help.out());
    for (String option : List.of("--inputDir", "--businessDate", "--output", "--aggregationBuckets")) {
      assertTrue(help.out().contains(option), option + " in\n" + help.out());
    }
    assertTrue(help.out().contains("Default: 2026-11-25"), help.out());

    Result unknown = nightshift(tmp, "run", "no-such-pipeline");
    assertEquals(1, unknown.exit(), unknown.out());
  }

  @Test
  void demoRunsTheFinancePipelinesFromAFreshDirectory(@TempDir Path tmp) throws Exception {
    Result demo = nightshift(tmp, "demo");
    assertEquals(0, demo.exit(), demo.out());
    Path out = tmp.resolve("nightshift-data/demo/output");
    Map<String, List<String>> expected = Map.of(
        "trade-settlement", List.of("instructions.csv", "cash_positions.csv", "settlement_report.csv"),
        "account-reconciliation", List.of("matched.csv", "breaks.csv", "balance_proof.csv", "reconciliation_report.csv"),
        "financial-reports", List.of("trial_balance.csv", "pnl_by_desk.csv", "eod_positions.csv"),
        "sales-report", List.of("revenue_by_day.csv", "top_products.csv", "rfm.csv", "sales_report.html"));
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertTrue(demo.out().contains(e.getKey() + " SUCCEEDED on DirectRunner"), e.getKey() + "\n" + demo.out());
      for (String f : e.getValue()) {
        assertTrue(Files.size(out.resolve(e.getKey()).resolve(f)) > 0, e.getKey() + "/" + f);
      }
      assertTrue(Files.exists(out.resolve(e.getKey()).resolve("_manifest.json")));
    }
    // retail: three days, each day's inventory starting from the previous day's end of day
    for (String day : List.of("2010-12-01", "2010-12-02", "2010-12-03")) {
      assertTrue(Files.size(out.resolve("order-processing").resolve(day).resolve("daily_movements.csv")) > 0, day);
      assertTrue(Files.size(out.resolve("inventory-update").resolve(day).resolve("snapshot.csv")) > 0, day);
    }
    assertEquals(3 + 3 + 3 + 1, demo.out().split("Audit: balanced", -1).length - 1, demo.out());
  }

  @Test
  void sparkFlagsAloneSwitchTheRunnerAndTheBytesStayTheSame(@TempDir Path tmp) throws Exception {
    Result gen = nightshift(tmp, "generate", "finance-trades", "--size", "5000", "--out", "in",
        "--seed", "3", "--bad-rate", "0.02");
    assertEquals(0, gen.exit(), gen.out());
    Result direct = nightshift(tmp, "run", "trade-settlement", "--inputDir=in", "--output=direct");
    assertEquals(0, direct.exit(), direct.out());
    Result spark = nightshift(tmp, "run", "trade-settlement", "--inputDir=in", "--output=spark",
        "--runner=SparkRunner", "--sparkMaster=local[2]");
    assertEquals(0, spark.exit(), spark.out());
    assertTrue(spark.out().contains("SUCCEEDED on SparkRunner"), spark.out());
    for (String f : List.of("instructions.csv", "cash_positions.csv", "settlement_report.csv",
        "dead_letters.jsonl")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("direct").resolve(f)),
          Files.readAllBytes(tmp.resolve("spark").resolve(f)), f);
    }
  }

  /**
   * {@code nightshift cluster start|status|stop} as a user runs it, on a port of its own (the e2e
   * tests' cluster may hold 7077), and a pipeline run on it with relative paths: the executors work
   * in their own folders, so the launcher must hand them absolute paths.
   */
  @Test
  void clusterCommandsStartRunAndStopALocalSparkCluster(@TempDir Path tmp) throws Exception {
    String home = "--home=" + tmp.resolve("cluster");
    int port = freePort(); // other clusters may hold fixed ports on a shared machine
    try {
      Result start = nightshift(tmp, "cluster", "start", home, "--port=" + port, "--cores=2", "--memory=3g");
      assertEquals(0, start.exit(), start.out());
      assertTrue(start.out().contains("spark://127.0.0.1:" + port), start.out());
      Result status = nightshift(tmp, "cluster", "status", home);
      assertEquals(0, status.exit(), status.out());
      assertTrue(status.out().contains("running at spark://127.0.0.1:" + port), status.out());

      assertEquals(0, nightshift(tmp, "generate", "finance-trades", "--size", "1500", "--out", "in").exit());
      Result direct = nightshift(tmp, "run", "trade-settlement", "--inputDir=in", "--output=direct");
      assertEquals(0, direct.exit(), direct.out());
      Result onCluster = nightshift(tmp, "run", "trade-settlement", "--inputDir=in", "--output=cluster",
          "--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:" + port);
      assertEquals(0, onCluster.exit(), onCluster.out());
      assertTrue(onCluster.out().contains("SUCCEEDED on SparkRunner"), onCluster.out());
      for (String f : List.of("instructions.csv", "cash_positions.csv", "settlement_report.csv")) {
        assertArrayEquals(Files.readAllBytes(tmp.resolve("direct").resolve(f)),
            Files.readAllBytes(tmp.resolve("cluster").resolve(f)), f);
      }
      assertTrue(Files.list(tmp.resolve("cluster/work")).findAny().isPresent(), "executors ran on the worker");
    } finally {
      Result stop = nightshift(tmp, "cluster", "stop", home);
      assertEquals(0, stop.exit(), stop.out());
    }
    Result after = nightshift(tmp, "cluster", "status", home);
    assertEquals(4, after.exit(), after.out());
    assertTrue(after.out().contains("not running"), after.out());
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aMissingInputExitsWithACleanError(@TempDir Path tmp) throws Exception {
    Result r = nightshift(tmp, "run", "trade-settlement", "--inputDir=does-not-exist", "--output=out");
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.out().contains("matches no file"), r.out());
    assertTrue(!r.out().contains("\tat "), "no stack trace:\n" + r.out());
  }
}
