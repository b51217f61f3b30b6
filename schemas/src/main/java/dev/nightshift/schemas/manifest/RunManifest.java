package dev.nightshift.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.SortedMap;

/**
 * The run manifest, written as {@code _manifest.json} next to a run's outputs: what went in, what
 * came out (with checksums), the counts of every step and dead-letter reason, and the audit verdict.
 * Field and map orders are fixed, so two runs over the same input differ only in the runner name
 * and in {@code run} (the run id and its timings).
 *
 * <p>{@code options} are the pipeline's own options as the run saw them (flag name without
 * {@code --}, value; not {@code --output}, runner or tuning flags, and a secret only as its
 * {@code file:}/{@code env:} reference): what {@code nightshift replay} needs to run the pipeline
 * again on corrected dead letters. Null in manifests written before it existed.
 */
@JsonPropertyOrder({"pipeline", "runner", "status", "run", "parameters", "options", "inputs", "outputs", "steps", "audit"})
public record RunManifest(
    @JsonProperty("pipeline") String pipeline,
    @JsonProperty("runner") String runner,
    @JsonProperty("status") String status,
    @JsonProperty("run") Run run,
    @JsonProperty("parameters") SortedMap<String, String> parameters,
    @JsonProperty("options") SortedMap<String, String> options,
    @JsonProperty("inputs") List<FileEntry> inputs,
    @JsonProperty("outputs") List<FileEntry> outputs,
    @JsonProperty("steps") SortedMap<String, StepCounts> steps,
    @JsonProperty("audit") Audit audit) {

  public static final String FILE_NAME = "_manifest.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * This run: its id (also on every log line of the run), when it started and finished (UTC ISO
   * instants), how long it took in all and inside the runner, and its steps in pipeline order (the
   * order in which the pipeline applies them, for reports; {@code steps} is sorted by name).
   */
  @JsonPropertyOrder({"id", "started_at", "finished_at", "elapsed_millis", "pipeline_millis", "flow"})
  public record Run(
      @JsonProperty("id") String id,
      @JsonProperty("started_at") String startedAt,
      @JsonProperty("finished_at") String finishedAt,
      @JsonProperty("elapsed_millis") long elapsedMillis,
      @JsonProperty("pipeline_millis") long pipelineMillis,
      @JsonProperty("flow") List<String> flow) {}

  /** A file read or written by the run. {@code records} is -1 where it was not counted. */
  @JsonPropertyOrder({"path", "bytes", "records", "sha256"})
  public record FileEntry(
      @JsonProperty("path") String path,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("records") long records,
      @JsonProperty("sha256") String sha256) {}

  /**
   * The counters of one step: records in, records out, dead letters by reason, and any other
   * quantity the step counts (trade legs netted, keys produced).
   */
  @JsonPropertyOrder({"in", "out", "dead", "dead_by_reason", "other"})
  public record StepCounts(
      @JsonProperty("in") long in,
      @JsonProperty("out") long out,
      @JsonProperty("dead") long dead,
      @JsonProperty("dead_by_reason") SortedMap<String, Long> deadByReason,
      @JsonProperty("other") SortedMap<String, Long> other) {}

  /** The audit verdict: every balance that was checked, and the ones that failed. */
  @JsonPropertyOrder({"balanced", "checks", "failures"})
  public record Audit(
      @JsonProperty("balanced") boolean balanced,
      @JsonProperty("checks") List<String> checks,
      @JsonProperty("failures") List<String> failures) {}

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render manifest", e);
    }
  }

  public static RunManifest fromJson(String json) throws JsonProcessingException {
    return JSON.readValue(json, RunManifest.class);
  }
}
