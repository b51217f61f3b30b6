package dev.nightshift.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.cli.Nightshift;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch command line: its flags, what goes to the pipelines, and the refusals. */
class BatchCommandTest {

  @Test
  void ownFlagsPipelineFlagsAndRunnerFlagsAreToldApart() {
    BatchCommand.Args a = BatchCommand.parse(new String[] {
        "--date", "2026-11-25", "--domains=finance,retail", "--generate", "--parallelism", "3",
        "--runner=SparkRunner", "--sparkMaster=local[2]", "--financial-reports.reportingCurrency=USD",
        "--claims-adjudication.claims=x/*.ndjson"});
    assertEquals(Map.of("date", "2026-11-25", "domains", "finance,retail", "generate", "true", "parallelism", "3"),
        a.own());
    assertEquals(List.of("finance", "retail"), a.list("domains"));
    assertEquals(3, a.integer("parallelism", 2));
    assertEquals(List.of("--runner=SparkRunner", "--sparkMaster=local[2]"), a.childFlags());
    assertEquals(Map.of("financial-reports", List.of("--reportingCurrency=USD"),
        "claims-adjudication", List.of("--claims=x/*.ndjson")), a.pipelineFlags());
    assertThrows(IllegalArgumentException.class, () -> BatchCommand.parse(new String[] {"2026-11-25"}));
    assertThrows(IllegalArgumentException.class, () -> BatchCommand.parse(new String[] {"--retries"}));
  }

  @Test
  void faultInjectionAndDurations() {
    assertEquals(Map.of("billing", 2, "sales-report", 1), BatchCommand.failAttempts("billing:2, sales-report:1"));
    assertThrows(IllegalArgumentException.class, () -> BatchCommand.failAttempts("billing"));
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms", "backoff"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s", "backoff"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30", "backoff"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m", "timeout"));
    assertEquals(Duration.ofHours(2), Durations.parse("PT2H", "timeout"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon", "timeout"));
    assertTrue(e.getMessage().contains("--timeout takes a duration"), e.getMessage());
    assertEquals("3m 05s", Durations.format(Duration.ofSeconds(185)));
  }

  record Result(int code, String out, String err) {}

  static Result batch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "batch";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Nightshift.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void refusalsHaveTheirExitCodes(@TempDir Path tmp) throws Exception {
    assertEquals(BatchCommand.USAGE, batch("--domains=finance").code());
    Result date = batch("--date=25/11/2026");
    assertEquals(BatchCommand.INVALID, date.code());
    assertTrue(date.err().contains("--date must be yyyy-mm-dd"), date.err());
    String wh = "--warehouse=" + tmp.resolve("wh");
    Result domain = batch("--date=2026-11-25", "--domains=insurance", wh);
    assertEquals(BatchCommand.INVALID, domain.code());
    assertTrue(domain.err().contains("unknown domain 'insurance'"), domain.err());
    assertEquals(BatchCommand.INVALID, batch("--date=2026-11-25", "--parallelism=0", wh).code());
    assertEquals(BatchCommand.INVALID, batch("--date=2026-11-25", "--timeout=soon", wh).code());
    Result help = batch("--help");
    assertEquals(BatchCommand.OK, help.code());
    assertTrue(help.out().contains("--parallelism"), help.out());
    assertTrue(Files.notExists(tmp.resolve("wh")), "nothing written for refused arguments");
  }

  @Test
  void oneBatchPerDateAtATime(@TempDir Path tmp) throws Exception {
    BatchPlan.Context c = new BatchPlan.Context(java.time.LocalDate.of(2026, 11, 25), tmp.resolve("l").toString(),
        Partitions.of(tmp.resolve("wh").toString()), "env:X");
    try (BatchCommand.DateLock held = BatchCommand.DateLock.take(c)) {
      assertTrue(held != null);
      assertEquals(null, BatchCommand.DateLock.take(c), "the date is taken");
      Result second = batch("--date=2026-11-25", "--warehouse=" + tmp.resolve("wh"), "--landing=" + tmp.resolve("l"));
      assertEquals(BatchCommand.INVALID, second.code());
      assertTrue(second.err().contains("another batch is running for 2026-11-25"), second.err());
    }
    try (BatchCommand.DateLock again = BatchCommand.DateLock.take(c)) {
      assertTrue(again != null, "released");
    }
  }
}
