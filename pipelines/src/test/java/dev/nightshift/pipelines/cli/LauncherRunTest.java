package dev.nightshift.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.Logs;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.report.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nightshift run} as a user runs it (in this JVM): progress lines on stderr while the
 * pipeline runs, the summary table on stdout, and the structured log of the run, each checked
 * against the run's manifest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherRunTest {
  Path output;
  int code;
  String out;
  String err;
  List<String> logLines;
  RunManifest manifest;

  @BeforeAll
  void run(@TempDir Path tmp) throws IOException {
    Path input = tmp.resolve("in");
    new TradeGenerator().generate(new GenerationRequest(input, 4_000, 5, 0.05, TradeGenerator.DEFAULT_BUSINESS_DATE));
    output = tmp.resolve("out");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      logLines = Logs.lines(() -> code = Nightshift.run(new String[] {"run", "trade-settlement",
          "--inputDir=" + input, "--output=" + output, "--businessDate=" + TradeGenerator.DEFAULT_BUSINESS_DATE,
          "--progress", "--progressInterval=0.05"}, po, pe));
    }
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    manifest = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
  }

  long sum(java.util.function.Predicate<String> step, java.util.function.ToLongFunction<RunManifest.StepCounts> f) {
    return manifest.steps().entrySet().stream().filter(s -> step.test(s.getKey())).mapToLong(s -> f.applyAsLong(s.getValue())).sum();
  }

  @Test
  void progressLinesEndWithTheFinalCounts() {
    assertEquals(0, code, err);
    String prefix = "[trade-settlement " + manifest.run().id() + "] ";
    List<String> progress = err.lines().filter(l -> l.startsWith(prefix)).toList();
    assertTrue(progress.size() >= 2, err);
    Pattern p = Pattern.compile(Pattern.quote(prefix) + "(done: )?([0-9,]+) records read, ([0-9,]+) processed by all"
        + " steps \\(([0-9,]+)/s\\), ([0-9,]+) dead letters, ([0-9,]+) written, ([0-9]{2}):([0-9]{2}):([0-9]{2}) elapsed");
    long previous = -1;
    for (String line : progress) {
      Matcher m = p.matcher(line);
      assertTrue(m.matches(), line);
      long processed = n(m.group(3));
      assertTrue(processed >= previous, "counts only grow: " + progress);
      previous = processed;
    }
    Matcher last = p.matcher(progress.get(progress.size() - 1));
    assertTrue(last.matches());
    assertEquals("done: ", last.group(1), "the last line is the final one");
    assertEquals(sum(s -> s.startsWith("read-"), RunManifest.StepCounts::in), n(last.group(2)));
    assertEquals(sum(s -> true, RunManifest.StepCounts::in), n(last.group(3)));
    assertEquals(sum(s -> true, RunManifest.StepCounts::dead), n(last.group(5)));
    assertEquals(sum(s -> s.startsWith("write-"), RunManifest.StepCounts::out), n(last.group(6)));
    assertEquals(1, progress.stream().filter(l -> l.startsWith(prefix + "done: ")).count());
  }

  @Test
  void theSummaryTableHasEveryStepReasonAndOutput() throws IOException {
    assertTrue(out.contains("trade-settlement SUCCEEDED on DirectRunner in "), out);
    for (Map.Entry<String, RunManifest.StepCounts> s : manifest.steps().entrySet()) {
      RunManifest.StepCounts c = s.getValue();
      Pattern row = Pattern.compile("(?m)^  " + Pattern.quote(s.getKey()) + " +" + Pattern.quote(f(c.in())) + " +"
          + Pattern.quote(f(c.out())) + " +" + Pattern.quote(f(c.dead())) + "$");
      assertTrue(row.matcher(out).find(), s.getKey() + " in\n" + out);
    }
    // the steps come in pipeline order: reading first, writing the dead letters last
    assertTrue(out.indexOf("  read-trades ") < out.indexOf("  validate-trades "), out);
    assertTrue(out.indexOf("  validate-trades ") < out.indexOf("  write-dead-letters "), out);
    Map<String, Long> reasons = new TreeMap<>();
    manifest.steps().values().forEach(c -> c.deadByReason().forEach((r, n) -> reasons.merge(r, n, Long::sum)));
    assertTrue(reasons.size() >= 10, reasons.toString());
    for (Map.Entry<String, Long> r : reasons.entrySet()) {
      assertTrue(Pattern.compile("(?m)^  " + r.getKey() + " +" + Pattern.quote(f(r.getValue())) + "$").matcher(out).find(),
          r.getKey() + " in\n" + out);
    }
    for (RunManifest.FileEntry file : manifest.outputs()) {
      long bytes = Files.size(output.resolve(file.path()));
      assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(file.path()) + " +" + Pattern.quote(f(file.records()))
          + " +" + Pattern.quote(f(bytes)) + "$").matcher(out).find(), file.path() + " in\n" + out);
    }
    assertTrue(out.contains("Audit: balanced ("), out);
    assertTrue(out.contains("Run report: "), out);
    assertTrue(Files.exists(output.resolve(RunReport.FILE_NAME)));
  }

  @Test
  void everyLogLineIsOneJsonEventAndTheRunsEventsCarryPipelineRunIdAndStep() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : logLines) {
      assertFalse(line.contains("\n"), "one line per event: " + line);
      JsonNode e = json.readTree(line);
      assertTrue(e.isObject() && e.hasNonNull("ts") && e.hasNonNull("level") && e.hasNonNull("msg"), line);
      if (e.path("logger").asText().endsWith(".RunLog")) {
        events.add(e);
      }
    }
    String runId = manifest.run().id();
    for (JsonNode e : events) {
      assertEquals("trade-settlement", e.path("pipeline").asText(), e.toString());
      assertEquals(runId, e.path("run_id").asText(), e.toString());
      assertFalse(e.path("step").asText().isEmpty(), e.toString());
      assertTrue(e.path("data").isObject(), e.toString());
    }
    List<String> kinds = events.stream().map(e -> e.path("event").asText()).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      expected.add("input-registered");
    }
    expected.add("run-start");
    for (int i = 0; i < manifest.steps().size(); i++) {
      expected.add("step-finished");
    }
    expected.add("audit-verdict");
    for (int i = 0; i <= manifest.outputs().size(); i++) { // the outputs, then the run report
      expected.add("output-written");
    }
    expected.add("run-end");
    assertEquals(expected, kinds);
    for (JsonNode e : events) {
      String step = e.path("step").asText();
      JsonNode d = e.path("data");
      switch (e.path("event").asText()) {
        case "input-registered" -> assertTrue(step.startsWith("read-") && d.path("path").asText().endsWith(".csv"), e.toString());
        case "step-finished" -> {
          RunManifest.StepCounts c = manifest.steps().get(step);
          assertEquals(List.of(c.in(), c.out(), c.dead()),
              List.of(d.path("in").asLong(), d.path("out").asLong(), d.path("dead").asLong()), step);
        }
        case "audit-verdict" -> assertTrue(d.path("balanced").asBoolean(), e.toString());
        case "run-end" -> assertEquals("SUCCEEDED", d.path("status").asText());
        default -> { }
      }
    }
  }

  @Test
  void progressIsOffWhenNotAtATerminalUnlessAsked() {
    ProgressFlags quiet = ProgressFlags.of(new String[] {"--output=x"}, false);
    assertFalse(quiet.enabled());
    assertArrayEquals(new String[] {"--output=x"}, quiet.pipelineFlags());
    ProgressFlags asked = ProgressFlags.of(new String[] {"--output=x", "--progress", "--progressInterval=2.5"}, false);
    assertTrue(asked.enabled());
    assertEquals(2500, asked.every().toMillis());
    assertArrayEquals(new String[] {"--output=x", "--blockOnRun=false"}, asked.pipelineFlags());
    ProgressFlags spark = ProgressFlags.of(new String[] {"--runner=SparkRunner"}, true);
    assertTrue(spark.enabled());
    assertArrayEquals(new String[] {"--runner=SparkRunner"}, spark.pipelineFlags());
    assertFalse(ProgressFlags.of(new String[] {"--progress=false"}, true).enabled());
  }

  static long n(String formatted) {
    return Long.parseLong(formatted.replace(",", ""));
  }

  static String f(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
