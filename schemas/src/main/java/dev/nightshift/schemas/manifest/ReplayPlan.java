package dev.nightshift.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * What {@code nightshift replay} sends back through a pipeline, written as {@code replay.json} in
 * the replay run's {@code replay-input/} folder and read by the replay run itself (hidden option
 * {@code --replayPlan}): the run the dead letters came from, and per record input of the pipeline
 * the option it was given as, the step that reads it, the glob of the replay files, and per replay
 * file its origin and the records it holds. A replay file keeps every record on the line it had in
 * its origin (the lines between are blank, which the readers skip), so a position in the replay run
 * (an output's line number, a dead letter's {@code line_number}) is the position in the origin.
 * {@code skipped} lists the dead letters that were not replayed, each with why.
 */
@JsonPropertyOrder({"pipeline", "replay_of", "replay_of_run_id", "dead_letters", "inputs", "skipped"})
public record ReplayPlan(
    @JsonProperty("pipeline") String pipeline,
    @JsonProperty("replay_of") String replayOf,
    @JsonProperty("replay_of_run_id") String replayOfRunId,
    @JsonProperty("dead_letters") String deadLetters,
    @JsonProperty("inputs") List<Input> inputs,
    @JsonProperty("skipped") List<Skipped> skipped) {

  public static final String FILE_NAME = "replay.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One record input of the replay run: {@code --option=pattern}, read by {@code step}, holding
   * {@code records} replayed records in all (-1 when a whole file was replayed, whose records are
   * not known before the run).
   */
  @JsonPropertyOrder({"option", "step", "pattern", "records", "files"})
  public record Input(
      @JsonProperty("option") String option,
      @JsonProperty("step") String step,
      @JsonProperty("pattern") String pattern,
      @JsonProperty("records") long records,
      @JsonProperty("files") List<ReplayFile> files) {}

  /**
   * A replay file and the file its records came from; {@code whole_file} when the origin was
   * refused whole and is replayed as it is now.
   */
  @JsonPropertyOrder({"path", "source_file", "records", "whole_file"})
  public record ReplayFile(
      @JsonProperty("path") String path,
      @JsonProperty("source_file") String sourceFile,
      @JsonProperty("records") long records,
      @JsonProperty("whole_file") boolean wholeFile) {}

  /** A dead letter that was not replayed, and why. */
  @JsonPropertyOrder({"source_file", "line_number", "step", "reason_code", "why"})
  public record Skipped(
      @JsonProperty("source_file") String sourceFile,
      @JsonProperty("line_number") long lineNumber,
      @JsonProperty("step") String step,
      @JsonProperty("reason_code") String reasonCode,
      @JsonProperty("why") String why) {}

  /** Records replayed in all, whole files not counted. */
  public long records() {
    return inputs.stream().mapToLong(i -> Math.max(0, i.records())).sum();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render replay plan", e);
    }
  }

  public static ReplayPlan fromJson(String json) throws JsonProcessingException {
    return JSON.readValue(json, ReplayPlan.class);
  }
}
