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
import dev.nightshift.transforms.audit.AuditException;
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
 * it has finished {@link #KILL_AFTER_TASKS} tasks, so shuffle outputs and cached blocks are lost
 * with it): the standalone worker starts a new executor, Spark re-runs the lost tasks and stages,
 * and the job completes with outputs byte-identical to the Direct Runner's.
 *
 * <p>The counters are another matter. Beam's metrics on Spark are accumulators read as attempted
 * values (the runner has no committed ones): a task that Spark runs again because the executor
 * holding its output died adds its counts a second time. Measured here: the reads' and dedupes'
 * counts doubled, or {@code explode-legs/out} doubled against {@code build-instructions/legs}; with
 * fused chains (2026-12-07) the reference chains feeding side inputs doubled whole, views and all,
 * and still balanced. So the run watches the runner ({@code SparkRework}: a lost executor, a failed
 * task, a stage attempted again) and fails its audit (exit 3, {@code AUDIT_FAILED}) when Spark ran
 * work again, whatever the counts say: it refuses to prove a balance from counts it cannot trust,
 * and it never passes a run that lost records. The rule: such a run is rerun ({@code nightshift
 * batch} retries exit 3), and the rerun balances. The test asserts exactly that: the bytes always,
 * the counts never below the Direct Runner's, an audit failure that names the lost executor, and a
 * rerun on the cluster that balances with the Direct Runner's counts.
 */
@ExtendWith(SparkCluster.class)
class ExecutorKillTest {
  static final int TRADES = 150_000;
  /**
   * Killed once it has finished this many tasks: well into the job (about 70 tasks in 40 stages
   * here), so shuffle outputs of finished stages are lost with it and must be recomputed.
   */
  static final int KILL_AFTER_TASKS = 30;
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
        if (log != null && Files.exists(log) && finishedTasks(log) >= KILL_AFTER_TASKS) {
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

    // The job completes. Its attempted counters may count re-run tasks twice (see the class comment).
    Path out = tmp.resolve("cluster");
    try {
      job.get(30, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      assertTrue(e.getCause() instanceof AuditException, "only the audit may refuse the run: " + e.getCause());
    }
    Path appDir = executorLog.getParent().getParent();
    try (Stream<Path> executors = Files.list(appDir)) {
      assertTrue(executors.count() >= 2, "the worker started another executor for the application: " + appDir);
    }
    RunManifest killed = RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME)));
    assertEquals("SparkRunner", killed.runner());
    assertSameOutputs(direct.manifest(), tmp.resolve("direct"), killed, out);
    System.out.println("audit after the kill: " + killed.status() + " " + killed.audit().failures());
    assertEquals("AUDIT_FAILED", killed.status());
    assertTrue(killed.audit().failures().stream()
            .anyMatch(f -> f.contains("the runner ran some work again") && f.toLowerCase().contains("lost")),
        "the audit names the lost executor: " + killed.audit().failures());
    // Never fewer: a counter of the killed run is the Direct Runner's or more (re-run tasks added again).
    for (var step : direct.manifest().steps().entrySet()) {
      RunManifest.StepCounts k = killed.steps().get(step.getKey());
      RunManifest.StepCounts d = step.getValue();
      assertTrue(k.in() >= d.in() && k.out() >= d.out() && k.dead() >= d.dead(), step.getKey() + ": " + k + " vs " + d);
    }
    {
      // The rerun (what the batch does after exit 3) balances, with the Direct Runner's counts.
      NightshiftRun.Summary rerun = TradeSettlement.run(RunnerEquivalenceTest.concat(
          RunnerEquivalenceTest.concat(common, "--output=" + out), SparkCluster.flags()));
      assertTrue(rerun.manifest().audit().balanced());
      assertSameOutputs(direct.manifest(), tmp.resolve("direct"), rerun.manifest(), out);
      assertEquals(direct.manifest().steps(), rerun.manifest().steps(), "the counts of every step, once");
    }
  }

  static void assertSameOutputs(RunManifest direct, Path directDir, RunManifest cluster, Path clusterDir)
      throws java.io.IOException {
    assertEquals(direct.outputs(), cluster.outputs(), "paths, sizes, records, sha256");
    assertFalse(direct.outputs().isEmpty());
    for (RunManifest.FileEntry f : direct.outputs()) {
      assertArrayEquals(Files.readAllBytes(directDir.resolve(f.path())), Files.readAllBytes(clusterDir.resolve(f.path())),
          f.path());
    }
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
