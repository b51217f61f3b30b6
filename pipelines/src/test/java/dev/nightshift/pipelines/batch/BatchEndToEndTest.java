package dev.nightshift.pipelines.batch;

import static dev.nightshift.pipelines.testing.RunFiles.withoutTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.Pipelines;
import dev.nightshift.pipelines.cli.Nightshift;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nightshift batch} as a user runs it, every pipeline attempt in its own JVM on the Direct
 * Runner. Three batches share one warehouse (child JVMs cost seconds each, so the assertions share
 * them):
 *
 * <ol>
 *   <li>the three domains for 2026-11-25 on inputs written by {@code --generate}, with the first
 *       attempt of account-reconciliation made to fail ({@code --failAttempts});
 *   <li>a rerun of finance and retail for the same date with trades.csv gone from the landing area
 *       (a real failure: invalid input, not retried) and order-processing failing every attempt;
 *   <li>the next day for the chained pipelines: inventory-update on yesterday's snapshot,
 *       patient-records on yesterday's master, and billing on a claims-adjudication partition
 *       (written here by billing's generator: billing reads every claims day up to the date).
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchEndToEndTest {
  static final LocalDate D = LocalDate.of(2026, 11, 25);
  static final LocalDate NEXT = D.plusDays(1);
  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int code, String out, String err, JsonNode summary) {
    JsonNode pipeline(String name) {
      for (JsonNode p : summary.path("pipelines")) {
        if (p.path("pipeline").asText().equals(name)) {
          return p;
        }
      }
      throw new AssertionError("no " + name + " in the summary:\n" + summary.toPrettyString());
    }

    String status(String name) {
      return pipeline(name).path("status").asText();
    }

    String why() {
      return "exit " + code + "\n" + out + "\n" + err;
    }
  }

  Path landing;
  Path warehouse;
  Path keyFile;
  Run first;
  Run rerun;
  Run next;
  Map<String, Map<String, String>> beforeRerun = new TreeMap<>();

  @BeforeAll
  void runThreeBatches(@TempDir Path tmp) throws Exception {
    landing = tmp.resolve("landing");
    warehouse = tmp.resolve("warehouse");
    keyFile = tmp.resolve("secret/deid.key");
    Files.createDirectories(keyFile.getParent());
    Files.writeString(keyFile, "batch-test-deid-key-0c4e7a91\n");

    first = batch(D, "--generate", "--size=120", "--failAttempts=account-reconciliation:1", "--backoff=500ms");

    for (String p : List.of("trade-settlement", "account-reconciliation", "order-processing")) {
      beforeRerun.put(p, files(partition(p, D)));
    }
    Files.delete(landing.resolve(D + "/finance/trades/trades.csv"));
    Files.writeString(partition("account-reconciliation", D).resolve("stale_from_run_1.csv"), "gone after a rerun\n");
    rerun = batch(D, "--domains=finance,retail", "--failAttempts=order-processing:9", "--retries=2",
        "--backoff=200ms");

    Path claims = tmp.resolve("claims");
    new BillingGenerator().generate(new GenerationRequest(claims, 120, 11, 0.02, NEXT));
    Path adjudicated = partition(BatchPlan.CLAIMS_ADJUDICATION, NEXT);
    Files.createDirectories(adjudicated);
    Files.copy(claims.resolve(BillingGenerator.ADJUDICATED_FILE), adjudicated.resolve("adjudicated_lines.csv"));
    Files.writeString(adjudicated.resolve(Partitions.SUCCESS), "");
    next = batch(NEXT, "--generate", "--size=120",
        "--pipelines=order-processing,inventory-update,patient-records,billing");
  }

  Run batch(LocalDate date, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("batch", "--date=" + date, "--landing=" + landing,
        "--warehouse=" + warehouse, "--deidKey=file:" + keyFile,
        // Small JVMs that start fast: the inputs are a few hundred records.
        "--childJavaOpts=-Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Nightshift.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Path summary = warehouse.resolve("_batches/" + date + "/" + BatchReport.FILE_NAME);
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    System.out.println(String.join(" ", args) + "\n" + o + e); // kept in the surefire report
    assertTrue(Files.exists(summary), "no summary; exit " + code + "\n" + o + "\n" + e);
    return new Run(code, o, e, JSON.readTree(summary.toFile()));
  }

  Path partition(String pipeline, LocalDate date) {
    return warehouse.resolve(pipeline + "/business_date=" + date);
  }

  /** Every file of a folder: relative name to content. */
  static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  RunManifest manifest(String pipeline, LocalDate date) throws IOException {
    return RunManifest.fromJson(Files.readString(partition(pipeline, date).resolve(RunManifest.FILE_NAME)));
  }

  static Instant at(JsonNode node, String field) {
    return Instant.parse(node.path(field).asText());
  }

  static final List<String> EVERY_PIPELINE = Pipelines.ALL.stream().map(Pipelines.Spec::name).toList();

  @Test
  void theGeneratedDayRunsEveryDomain() throws IOException {
    assertEquals(9, EVERY_PIPELINE.size(), EVERY_PIPELINE.toString());
    for (String p : EVERY_PIPELINE) {
      JsonNode n = first.pipeline(p);
      assertEquals("SUCCEEDED", n.path("status").asText(), p + ": " + first.why());
      assertTrue(n.path("records_in").asLong() > 0 && n.path("records_out").asLong() > 0, n.toPrettyString());
      assertTrue(Files.exists(partition(p, D).resolve(Partitions.SUCCESS)), p);
      RunManifest m = manifest(p, D);
      assertEquals("SUCCEEDED", m.status());
      assertEquals(n.path("records_dead").asLong(), m.outputs().stream()
          .filter(f -> f.path().equals("dead_letters.jsonl")).findFirst().orElseThrow().records(), p);
      assertTrue(first.out().lines().anyMatch(l -> l.startsWith(p + " ") && l.contains("SUCCEEDED")), first.out());
    }
    assertEquals(BatchCommand.OK, first.code(), first.why());
    // billing ran after claims-adjudication, on the lines it adjudicated that day
    assertTrue(manifest("billing", D).inputs().stream().anyMatch(f -> f.path().equals(
        partition(BatchPlan.CLAIMS_ADJUDICATION, D).resolve("adjudicated_lines.csv").toString())), "today's claims");
    assertTrue(at(first.pipeline("billing"), "started").compareTo(at(first.pipeline(BatchPlan.CLAIMS_ADJUDICATION), "ended")) >= 0);
    // Inputs as designed: the opening stock on the first inventory day, today's settlement.
    assertTrue(manifest("inventory-update", D).inputs().stream()
        .anyMatch(f -> f.path().equals(landing.resolve(D + "/retail/opening_stock/snapshot.csv").toString())));
    assertTrue(manifest("financial-reports", D).inputs().stream().anyMatch(f -> f.path().equals(
        partition("trade-settlement", D).resolve("instructions.csv").toString())), "today's settlement partition");
    assertTrue(first.out().contains("Summary: " + warehouse.resolve("_batches/" + D + "/batch_summary.json")));
  }

  @Test
  void aFailedAttemptIsRetried() {
    JsonNode recon = first.pipeline("account-reconciliation");
    assertEquals("SUCCEEDED", recon.path("status").asText());
    assertEquals(2, recon.path("attempts").asInt());
    JsonNode one = recon.path("attempt_log").get(0);
    assertEquals(4, one.path("exit_code").asInt());
    assertEquals("FAILED", one.path("outcome").asText());
    assertTrue(one.path("reason").asText().contains("injected failure (--failAttempts)"), one.toPrettyString());
    JsonNode two = recon.path("attempt_log").get(1);
    assertEquals(0, two.path("exit_code").asInt());
    assertFalse(at(two, "started").isBefore(at(one, "ended").plusMillis(500)), "the backoff was waited");
  }

  @Test
  void independentPipelinesOverlapAndDependentsWaitForTheirParents() {
    JsonNode summary = first.summary();
    // trade-settlement and account-reconciliation are the first two ready: both start at once.
    JsonNode ts = first.pipeline("trade-settlement").path("attempt_log").get(0);
    JsonNode ar = first.pipeline("account-reconciliation").path("attempt_log").get(0);
    assertTrue(at(ts, "started").isBefore(at(ar, "ended")) && at(ar, "started").isBefore(at(ts, "ended")),
        "trade-settlement and account-reconciliation ran at the same time");
    // Never more than --parallelism (2) attempts at once, and 2 at some point.
    List<long[]> events = new ArrayList<>();
    for (JsonNode p : summary.path("pipelines")) {
      for (JsonNode a : p.path("attempt_log")) {
        events.add(new long[] {at(a, "started").toEpochMilli(), 1});
        events.add(new long[] {at(a, "ended").toEpochMilli(), -1});
      }
    }
    events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    int running = 0;
    int max = 0;
    for (long[] e : events) {
      running += (int) e[1];
      max = Math.max(max, running);
    }
    assertEquals(2, max);
    // Each dependent's first attempt starts after its parent's last attempt ended.
    Map<String, String> edges = new LinkedHashMap<>();
    edges.put("financial-reports", "trade-settlement");
    edges.put("inventory-update", "order-processing");
    edges.put("sales-report", "order-processing");
    edges.forEach((child, parent) -> {
      JsonNode c = first.pipeline(child).path("attempt_log").get(0);
      JsonNode pl = first.pipeline(parent).path("attempt_log");
      JsonNode last = pl.get(pl.size() - 1);
      assertFalse(at(c, "started").isBefore(at(last, "ended")), child + " started before " + parent + " ended");
    });
  }

  @Test
  void aPermanentFailureSkipsItsDependentsAndTheOthersFinish() {
    assertEquals(BatchCommand.INCOMPLETE, rerun.code(), rerun.why());
    // A real failure: the landing area lacks trades.csv. Invalid input is not retried.
    JsonNode ts = rerun.pipeline("trade-settlement");
    assertEquals("FAILED", ts.path("status").asText());
    assertEquals(1, ts.path("attempts").asInt());
    String reason = ts.path("reason").asText();
    assertTrue(reason.startsWith("invalid input (exit 2)") && reason.contains("trades.csv")
        && reason.endsWith("(not retried)"), reason);
    assertEquals("SKIPPED", rerun.status("financial-reports"));
    assertEquals("depends on trade-settlement, which FAILED", rerun.pipeline("financial-reports").path("reason").asText());
    // Injected: every attempt of order-processing fails, retried twice.
    JsonNode op = rerun.pipeline("order-processing");
    assertEquals("FAILED", op.path("status").asText());
    assertEquals(3, op.path("attempts").asInt());
    assertTrue(op.path("reason").asText().endsWith("(after 3 attempts)"), op.path("reason").asText());
    for (String child : List.of("inventory-update", "sales-report")) {
      assertEquals("SKIPPED", rerun.status(child));
      assertEquals("depends on order-processing, which FAILED", rerun.pipeline(child).path("reason").asText());
      assertEquals(0, rerun.pipeline(child).path("attempts").asInt());
    }
    assertEquals("SUCCEEDED", rerun.status("account-reconciliation"));
    assertEquals(6, rerun.summary().path("pipelines").size(), "the summary is this batch's: finance and retail");
    assertTrue(rerun.out().contains("trade-settlement FAILED: invalid input (exit 2)"), rerun.out());
  }

  @Test
  void aRerunReplacesThePartitionWhole() throws IOException {
    Map<String, String> now = files(partition("account-reconciliation", D));
    assertFalse(now.containsKey("stale_from_run_1.csv"), "a file the rerun did not write is gone");
    assertEquals(withoutTimings(beforeRerun.get("account-reconciliation")), withoutTimings(now),
        "the same bytes as the first, fresh run (but the run's id and timings)");
  }

  @Test
  void aFailedRerunKeepsThePreviousPartition() throws IOException {
    for (String p : List.of("trade-settlement", "order-processing")) {
      assertEquals(beforeRerun.get(p), files(partition(p, D)), p);
    }
    // No staging or old folder is left anywhere.
    try (Stream<Path> s = Files.walk(warehouse, 2)) {
      List<String> leftovers = s.map(x -> x.getFileName().toString())
          .filter(n -> n.contains(".staging-") || n.contains(".old-")).toList();
      assertEquals(List.of(), leftovers);
    }
  }

  @Test
  void theNextDayChainsFromYesterdaysPartitions() throws IOException {
    assertEquals(BatchCommand.OK, next.code(), next.why());
    assertEquals(4, next.summary().path("pipelines").size());
    RunManifest inventory = manifest("inventory-update", NEXT);
    assertTrue(inventory.inputs().stream().anyMatch(
        f -> f.path().equals(partition("inventory-update", D).resolve("snapshot.csv").toString())),
        "inventory-update read yesterday's end of day");
    assertTrue(inventory.inputs().stream().noneMatch(f -> f.path().contains("opening_stock")));
    RunManifest patients = manifest("patient-records", NEXT);
    RunManifest.FileEntry master = patients.inputs().stream()
        .filter(f -> f.path().equals(partition("patient-records", D).resolve("patient_master.csv").toString()))
        .findFirst().orElse(null);
    assertNotNull(master, "patient-records read yesterday's master: " + patients.inputs());
    RunManifest billing = manifest("billing", NEXT);
    assertTrue(billing.inputs().stream().anyMatch(f -> f.path().equals(
        partition(BatchPlan.CLAIMS_ADJUDICATION, NEXT).resolve("adjudicated_lines.csv").toString())), billing.inputs().toString());
    assertTrue(Files.size(partition("billing", NEXT).resolve("remittance_835.edi")) > 0);
    assertTrue(next.pipeline("billing").path("records_in").asLong() > 0);
  }
}
