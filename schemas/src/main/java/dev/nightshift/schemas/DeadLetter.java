package dev.nightshift.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * A record that could not be processed, with everything needed to find, understand and replay it:
 * the pipeline and step that refused it, the source file and line, the raw payload, a stable reason
 * code and a human-readable message. One dead-letter shape serves every pipeline and step.
 */
@JsonPropertyOrder({
  "pipeline", "step", "source_file", "line_number", "reason_code", "message", "raw_payload"
})
public record DeadLetter(
    @JsonProperty("pipeline") String pipeline,
    @JsonProperty("step") String step,
    @JsonProperty("source_file") String sourceFile,
    @JsonProperty("line_number") long lineNumber,
    @JsonProperty("raw_payload") String rawPayload,
    @JsonProperty("reason_code") String reasonCode,
    @JsonProperty("message") String message)
    implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static final RecordCoder<DeadLetter> CODER =
      RecordCoder.of(
          DeadLetter.class,
          (d, out) ->
              out.str(d.pipeline)
                  .str(d.step)
                  .str(d.sourceFile)
                  .lng(d.lineNumber)
                  .str(d.rawPayload)
                  .str(d.reasonCode)
                  .str(d.message),
          in ->
              new DeadLetter(
                  in.str(), in.str(), in.str(), in.lng(), in.str(), in.str(), in.str()));

  public static DeadLetter of(
      String pipeline, String step, SourceRef source, String reasonCode, String message) {
    return new DeadLetter(
        pipeline, step, source.file(), source.line(), source.raw(), reasonCode, message);
  }

  /** One JSON object on one line, fields in a fixed order. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render dead letter", e);
    }
  }

  public static DeadLetter fromJson(String line) throws JsonProcessingException {
    return JSON.readValue(line, DeadLetter.class);
  }
}
