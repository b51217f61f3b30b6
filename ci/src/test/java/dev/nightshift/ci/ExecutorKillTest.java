package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.Processes;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark executor killed mid-job (SIGKILL of its {@code CoarseGrainedExecutorBackend} JVM, once
 * it has finished tasks, so shuffle outputs are lost with it): the standalone worker starts a new
 * executor, Spark re-runs the lost tasks and stages, and the job completes with outputs
 * byte-identical to the Direct Runner's.
 */
@ExtendWith(SparkCluster.class)
class ExecutorKillTest {
  static final int TRADES = 150_000;
  static final Pattern APP = Pattern.compile("--app-id (\\S+)");
  static final Pattern EXECUTOR = Pattern.compile("--executor-id (\\S+)");

  @Test
  void aKilledExecutorGivesTheDirectRunnersBytes(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new TradeGenerator().generate(new GenerationRequest(input, TRADES, 31, 0.02, null));
    String[] common = {"--inputDir=" + input, "--businessDate=" + g.businessDate()};
    NightshiftRun.Summary direct = TradeSettlement.run(
        RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("direct"), "--runner=DirectRunner",
        // as the launcher runs it: the runner's encode-and-compare checks cost more than the job here
        "--enforceImmutability=false", "--enforceEncodability=false"));
    assertEquals(0, SparkCluster.cluster().executors().size(), "no application was running before the job");

    CompletableFuture<NightshiftRun.Summary> job = CompletableFuture.supplyAsync(() -> TradeSettlement.run(
        RunnerEquivalenceTest.concat(RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("cluster")),
            SparkCluster.flags())));

    // The executor, once it has finished tasks (its log says so), and while the job still runs.
    ProcessHandle executor = null;
    Path executorLog = null;
    while (executor == null) {
      assertFalse(job.isDone(), "the job ended before the executor was killed: make it bigger");
      for (ProcessHandle e : SparkCluster.cluster().executors()) {
        Path log = executorLog(e);
        if (log != null && Files.exists(log) && finishedTasks(log) >= 1) {
          executor = e;
          executorLog = log;
        }
      }
      Thread.sleep(50);
    }
    long finishedBefore = finishedTasks(executorLog);
    assertTrue(executor.destroyForcibly());
    executor.onExit().get(60, TimeUnit.SECONDS);
    System.out.println("killed executor " + executor.pid() + " after " + finishedBefore + " finished tasks ("
        + executorLog + ")"); // kept in the surefire report

    NightshiftRun.Summary cluster = job.get(30, TimeUnit.MINUTES);
    assertFalse(job.isCompletedExceptionally());
    Path appDir = executorLog.getParent().getParent();
    try (Stream<Path> executors = Files.list(appDir)) {
      assertTrue(executors.count() >= 2, "the worker started another executor for the application: " + appDir);
    }
    assertEquals("SparkRunner", cluster.manifest().runner());
    assertEquals(direct.manifest().outputs(), cluster.manifest().outputs(), "paths, sizes, records, sha256");
    for (RunManifest.FileEntry f : direct.manifest().outputs()) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("direct").resolve(f.path())),
          Files.readAllBytes(tmp.resolve("cluster").resolve(f.path())), f.path());
    }
    assertTrue(cluster.manifest().audit().balanced(), String.join("\n", cluster.manifest().audit().failures()));
    assertEquals(direct.manifest().steps(), cluster.manifest().steps(), "the counts of every step, once");
  }

  /**
   * {@code <worker work dir>/<app id>/<executor id>/stdout}, from the executor's command line: the
   * cluster's log4j2.properties logs to the console, which the worker sends to that file.
   */
  static Path executorLog(ProcessHandle executor) {
    String cmd = Processes.commandLine(executor);
    Matcher app = APP.matcher(cmd);
    Matcher id = EXECUTOR.matcher(cmd);
    if (!app.find() || !id.find()) {
      return null;
    }
    return SparkCluster.cluster().home().resolve("work").resolve(app.group(1)).resolve(id.group(1)).resolve("stdout");
  }

  static long finishedTasks(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    return lines.stream().filter(l -> l.contains("Finished task")).count();
  }
}
