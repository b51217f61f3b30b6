package dev.nightshift.pipelines.corpus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One case of the bad-input corpus: what {@code <format>/<case>.expect.json} says. See the README's
 * "Bad input" section for the meaning of each field; {@link Corpus} lays the case out and checks it.
 *
 * @param description what the case shows, one line
 * @param pipeline the pipeline that reads the file ({@link Corpus#PIPELINES})
 * @param companions folder under {@code corpus/_companions/} copied into the input folder first
 * @param as where the case file goes in the input folder (replacing a companion of that name)
 * @param args the pipeline's arguments; {@code ${in}} and {@code ${out}} are the input and output
 *     folders
 * @param generate when present, the case file is made of these parts at test time (for sizes that
 *     must not be committed) instead of read from the corpus
 * @param deadLetters every dead letter the run must write, and no other
 * @param steps counters of steps that must hold exactly these values
 * @param outputs output files: record counts and lines they must hold
 * @param launcher also run through {@code Nightshift.run} and check that nothing like a stack
 *     trace is printed
 * @param timeoutSeconds the run fails the test after this long (default 180)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CorpusCase(
    @JsonProperty("description") String description,
    @JsonProperty("pipeline") String pipeline,
    @JsonProperty("companions") String companions,
    @JsonProperty("as") String as,
    @JsonProperty("args") List<String> args,
    @JsonProperty("generate") List<Part> generate,
    @JsonProperty("deadLetters") List<Letter> deadLetters,
    @JsonProperty("steps") Map<String, Counts> steps,
    @JsonProperty("outputs") Map<String, Output> outputs,
    @JsonProperty("launcher") boolean launcher,
    @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {

  /**
   * A part of a generated file: {@code text} (UTF-8), {@code hex} (raw bytes), or {@code resource}
   * (a corpus file, relative to the case's folder) or {@code group} (parts), written {@code times}
   * times (default 1).
   */
  public record Part(
      @JsonProperty("text") String text,
      @JsonProperty("hex") String hex,
      @JsonProperty("resource") String resource,
      @JsonProperty("group") List<Part> group,
      @JsonProperty("times") Long times) {}

  /**
   * Expected dead letters: {@code count} (default 1) letters of this step and reason, from
   * {@code file} (default: the case file's name; {@code *} for any), at {@code line} when given
   * (0 = the whole file), whose message holds {@code message} when given.
   */
  public record Letter(
      @JsonProperty("step") String step,
      @JsonProperty("reason") String reason,
      @JsonProperty("file") String file,
      @JsonProperty("line") Long line,
      @JsonProperty("message") String message,
      @JsonProperty("count") Integer count) {}

  /** Counters of one step; a null value is not checked. */
  public record Counts(
      @JsonProperty("in") Long in,
      @JsonProperty("out") Long out,
      @JsonProperty("dead") Long dead,
      @JsonProperty("other") Map<String, Long> other) {}

  /** An output file: its record count (header excluded) and lines it must hold. */
  public record Output(
      @JsonProperty("records") Long records,
      @JsonProperty("contains") List<String> contains) {}

  public int timeout() {
    return timeoutSeconds == null ? 180 : timeoutSeconds;
  }
}
