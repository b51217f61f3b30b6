package dev.nightshift.pipelines.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a batch did: per pipeline its status (SUCCEEDED, FAILED, SKIPPED with the reason), every
 * attempt (times, exit code, reason, log), its duration and the record counts of its manifest;
 * printed as a table and written as {@code <warehouse>/_batches/<D>/batch_summary.json}.
 */
public record BatchReport(
    String batchId,
    LocalDate businessDate,
    Instant started,
    Instant ended,
    Map<String, String> settings,
    List<PipelineReport> pipelines) {

  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String SKIPPED = "SKIPPED";
  public static final String FILE_NAME = "batch_summary.json";

  /** Records read, written (all output files but the dead letters) and dead-lettered; -1 unknown. */
  public record Counts(long in, long out, long dead) {
    static final Counts UNKNOWN = new Counts(-1, -1, -1);

    static Counts of(RunManifest m) {
      long in = m.steps().entrySet().stream()
          .filter(e -> e.getKey().startsWith("read-")).mapToLong(e -> e.getValue().in()).sum();
      long out = 0;
      long dead = 0;
      for (RunManifest.FileEntry f : m.outputs()) {
        if (f.path().equals(dev.nightshift.transforms.core.NightshiftRun.DEAD_LETTERS_FILE)) {
          dead += f.records();
        } else {
          out += f.records();
        }
      }
      return new Counts(in, out, dead);
    }
  }

  /** One attempt: {@code exitCode} is the child's ({@code -1} timed out, none if it never started). */
  public record AttemptReport(
      int attempt, Instant started, Instant ended, Integer exitCode, String outcome, String reason, String log) {}

  public record PipelineReport(
      String pipeline,
      String domain,
      List<String> dependsOn,
      String status,
      String reason,
      List<AttemptReport> attempts,
      Instant started,
      Instant ended,
      Counts counts,
      String partition) {

    Duration duration() {
      return started == null || ended == null ? Duration.ZERO : Duration.between(started, ended);
    }
  }

  public boolean succeeded() {
    return pipelines.stream().allMatch(p -> p.status().equals(SUCCEEDED));
  }

  public String status() {
    return succeeded() ? SUCCEEDED : FAILED;
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("business_date", businessDate.toString());
    root.put("batch_id", batchId);
    root.put("status", status());
    root.put("started", started.toString());
    root.put("ended", ended.toString());
    root.put("duration_ms", Duration.between(started, ended).toMillis());
    ObjectNode s = root.putObject("settings");
    settings.forEach(s::put);
    ArrayNode list = root.putArray("pipelines");
    for (PipelineReport p : pipelines) {
      ObjectNode n = list.addObject();
      n.put("pipeline", p.pipeline());
      n.put("domain", p.domain());
      ArrayNode deps = n.putArray("depends_on");
      p.dependsOn().forEach(deps::add);
      n.put("status", p.status());
      n.put("reason", p.reason());
      n.put("attempts", p.attempts().size());
      n.put("started", p.started() == null ? null : p.started().toString());
      n.put("ended", p.ended() == null ? null : p.ended().toString());
      n.put("duration_ms", p.duration().toMillis());
      n.put("records_in", p.counts().in());
      n.put("records_out", p.counts().out());
      n.put("records_dead", p.counts().dead());
      n.put("partition", p.partition());
      ArrayNode attempts = n.putArray("attempt_log");
      for (AttemptReport a : p.attempts()) {
        ObjectNode an = attempts.addObject();
        an.put("attempt", a.attempt());
        an.put("started", a.started().toString());
        an.put("ended", a.ended().toString());
        an.put("duration_ms", Duration.between(a.started(), a.ended()).toMillis());
        if (a.exitCode() == null) {
          an.putNull("exit_code");
        } else {
          an.put("exit_code", a.exitCode());
        }
        an.put("outcome", a.outcome());
        an.put("reason", a.reason());
        an.put("log", a.log());
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the batch summary", e);
    }
  }

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  /** The summary table, then the reason of every pipeline that did not succeed. */
  public void print(PrintStream out) {
    String fmt = "%-24s %-10s %-9s %8s %8s %8s %9s %10s %10s %8s%n";
    out.printf(Locale.ROOT, "%nBatch %s for business date %s: %s in %s%n", batchId, businessDate, status(),
        Durations.format(Duration.between(started, ended)));
    out.printf(Locale.ROOT, fmt, "pipeline", "domain", "status", "attempts", "start", "end", "duration",
        "in", "out", "dead");
    for (PipelineReport p : pipelines) {
      out.printf(Locale.ROOT, fmt, p.pipeline(), p.domain(), p.status(), p.attempts().size(),
          p.started() == null ? "-" : CLOCK.format(p.started()), p.ended() == null ? "-" : CLOCK.format(p.ended()),
          p.started() == null ? "-" : Durations.format(p.duration()), count(p.counts().in()),
          count(p.counts().out()), count(p.counts().dead()));
    }
    for (PipelineReport p : pipelines) {
      if (!p.status().equals(SUCCEEDED)) {
        out.printf(Locale.ROOT, "  %s %s: %s%n", p.pipeline(), p.status(), p.reason());
        p.attempts().stream().reduce((a, b) -> b).filter(a -> a.log() != null)
            .ifPresent(a -> out.printf(Locale.ROOT, "    log: %s%n", a.log()));
      }
    }
  }

  private static String count(long n) {
    return n < 0 ? "-" : String.format(Locale.ROOT, "%,d", n);
  }
}
