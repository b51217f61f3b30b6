package dev.nightshift.pipelines.faults;

import static dev.nightshift.pipelines.testing.RunFiles.bytes;
import static dev.nightshift.pipelines.testing.RunFiles.withoutTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.batch.BatchAttempt;
import dev.nightshift.pipelines.cli.Nightshift;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.Processes;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.report.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL while it writes its outputs (a real JVM, {@code destroyForcibly}, as
 * the OOM killer or a preempted node would) leaves nothing a reader would take as complete, and the
 * next run completes cleanly with the bytes of a run that was never interrupted:
 *
 * <ul>
 *   <li>{@code nightshift run trade-settlement} in a child JVM, over a folder holding an earlier
 *       complete run of other inputs, killed once its first output file is being written: no
 *       {@code _manifest.json} and no run report are left (the earlier ones were removed before the
 *       pipeline ran), and the next run into the folder writes exactly a fresh run's files;
 *   <li>{@code nightshift batch}'s child JVM for trade-settlement, killed while it writes into its
 *       staging folder: the published partition is still the previous batch's, whole, byte for byte
 *       (no staging folder is left, none has {@code _SUCCESS}); the rerun of the date publishes the
 *       bytes of an uninterrupted run.
 * </ul>
 *
 * The trades are large enough (see {@link #TRADES}) that writing and checksumming the outputs
 * takes well over the polling interval; the test polls the output folder until a file of the run
 * appears and kills the child at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilledRunTest {
  static final LocalDate D = TradeGenerator.DEFAULT_BUSINESS_DATE;
  static final int TRADES = 60_000;
  static final String CHILD_HEAP = "-Xmx2g";

  Path tmp;
  /** Two different days of trades: an earlier run's inputs and the inputs of the run that is killed. */
  Path earlier;
  Path today;

  @BeforeAll
  void generate(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    earlier = tmp.resolve("trades-earlier");
    today = tmp.resolve("trades-today");
    new TradeGenerator().generate(new GenerationRequest(earlier, TRADES, 1, 0.02, D));
    new TradeGenerator().generate(new GenerationRequest(today, TRADES, 2, 0.02, D));
  }

  @Test
  void aKilledRunLeavesNoManifestAndTheNextRunRepairsIt() throws Exception {
    Path reference = tmp.resolve("run/reference");
    Path out = tmp.resolve("run/out");
    run(today, reference);
    run(earlier, out);
    assertTrue(Files.exists(out.resolve(RunManifest.FILE_NAME)));
    assertTrue(Files.exists(out.resolve(RunReport.FILE_NAME)));
    SortedMap<String, String> before = bytes(out);

    FileTime started = FileTime.from(java.time.Instant.now());
    List<String> cmd = new ArrayList<>(Processes.javaCommand(List.of(CHILD_HEAP), Nightshift.class));
    cmd.addAll(List.of("run", TradeSettlement.NAME, "--inputDir=" + today, "--businessDate=" + D,
        "--output=" + out));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("run/killed.log").toFile()).start();
    List<String> seen = killWhen(child, () -> writing(out, started));

    SortedMap<String, String> after = bytes(out);
    assertFalse(after.containsKey(RunManifest.FILE_NAME), "a killed run leaves no manifest: " + after.keySet());
    assertFalse(after.containsKey(RunReport.FILE_NAME), "nor the earlier run's report claiming success");
    before.remove(RunManifest.FILE_NAME);
    before.remove(RunReport.FILE_NAME);
    assertNotEquals(before, after, "the killed run had started writing its outputs: " + seen);

    run(today, out);
    SortedMap<String, String> fresh = bytes(reference);
    SortedMap<String, String> rerun = bytes(out);
    assertEquals(fresh.keySet(), rerun.keySet(), "a fresh run's files, no temporary or stale one");
    assertEquals(withoutTimings(fresh), withoutTimings(rerun), "the bytes of an uninterrupted run");
  }

  @Test
  void aKilledBatchAttemptKeepsThePublishedPartitionWhole() throws Exception {
    Path landing = tmp.resolve("batch/landing");
    Path warehouse = tmp.resolve("batch/warehouse");
    Path trades = landing.resolve(D + "/finance/trades");
    Path partition = warehouse.resolve(TradeSettlement.NAME + "/business_date=" + D);
    copyTree(earlier, trades);
    assertEquals(0, batch(landing, warehouse).join(), "the first batch");
    SortedMap<String, String> published = bytes(partition);
    assertTrue(published.containsKey("_SUCCESS"));

    // The same date again on another day's trades (a corrected landing area), killed mid-write.
    deleteTree(trades);
    copyTree(today, trades);
    CompletableFuture<Integer> killed = batch(landing, warehouse);
    ProcessHandle attempt = Processes.await(() -> ProcessHandle.current().descendants(),
        BatchAttempt.class.getName(), 120_000, 20).orElseThrow(() -> new AssertionError("no attempt JVM started"));
    List<String> seen = killWhen(attempt, () -> {
      try (Stream<Path> s = Files.list(partition.getParent())) {
        for (Path staging : s.filter(p -> p.getFileName().toString().contains(".staging-")).toList()) {
          List<String> files = writing(staging, FileTime.fromMillis(0));
          if (!files.isEmpty()) {
            return files;
          }
        }
        return List.of();
      }
    });
    assertEquals(5, killed.join(), "the attempt crashed (retries=0): the pipeline FAILED, seen " + seen);
    assertEquals(published, bytes(partition), "the published partition is the previous one, whole");
    try (Stream<Path> s = Files.list(partition.getParent())) {
      assertEquals(List.of("business_date=" + D), s.map(p -> p.getFileName().toString()).toList(),
          "no staging or old folder is left");
    }

    assertEquals(0, batch(landing, warehouse).join(), "the rerun of the date");
    Path reference = tmp.resolve("batch/reference");
    run(trades, reference);
    SortedMap<String, String> now = bytes(partition);
    assertEquals("", now.remove("_SUCCESS"));
    assertEquals(withoutTimings(bytes(reference)), withoutTimings(now), "the bytes of an uninterrupted run");
  }

  /** Files of the run being written in {@code dir}: temporary ones, or files newer than {@code since}. */
  static List<String> writing(Path dir, FileTime since) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) {
        try {
          if (f.getFileName().toString().endsWith(".inprogress")
              || Files.getLastModifiedTime(f).compareTo(since) > 0) {
            files.add(f.getFileName().toString());
          }
        } catch (java.nio.file.NoSuchFileException renamed) {
          files.add(f.getFileName().toString()); // renamed into place while we looked
        }
      }
    }
    return files;
  }

  interface Probe {
    List<String> files() throws IOException;
  }

  /** Polls every 2 ms until {@code probe} sees files, then SIGKILLs the process; what it saw. */
  static List<String> killWhen(Process child, Probe probe) throws Exception {
    List<String> seen = pollUntil(child.toHandle(), probe);
    child.destroyForcibly();
    System.out.println("killed pid " + child.pid() + " while it wrote " + seen); // kept in the surefire report
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    return seen;
  }

  static List<String> killWhen(ProcessHandle child, Probe probe) throws Exception {
    List<String> seen = pollUntil(child, probe);
    child.destroyForcibly();
    System.out.println("killed pid " + child.pid() + " while it wrote " + seen); // kept in the surefire report
    child.onExit().get(60, TimeUnit.SECONDS);
    return seen;
  }

  private static List<String> pollUntil(ProcessHandle child, Probe probe) throws Exception {
    while (true) {
      List<String> seen = probe.files();
      if (!seen.isEmpty()) {
        return seen;
      }
      if (!child.isAlive()) {
        throw new AssertionError("the child ended before it wrote anything");
      }
      Thread.sleep(2);
    }
  }

  /** {@code nightshift run trade-settlement} in this JVM, uninterrupted. */
  static void run(Path input, Path out) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = Nightshift.run(new String[] {"run", TradeSettlement.NAME, "--inputDir=" + input,
        "--businessDate=" + D, "--output=" + out}, p, p);
    assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
  }

  /** {@code nightshift batch} for trade-settlement alone, no retry, on a pool thread: its exit code. */
  CompletableFuture<Integer> batch(Path landing, Path warehouse) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
      int code = Nightshift.run(new String[] {"batch", "--date=" + D, "--landing=" + landing,
          "--warehouse=" + warehouse, "--pipelines=" + TradeSettlement.NAME, "--retries=0",
          "--childJavaOpts=" + CHILD_HEAP}, p, p);
      System.out.println("batch: exit " + code + "\n" + buf.toString(StandardCharsets.UTF_8));
      return code;
    });
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : s.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
