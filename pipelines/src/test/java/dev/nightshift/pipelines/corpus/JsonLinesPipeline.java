package dev.nightshift.pipelines.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.JsonRecordParser;
import dev.nightshift.transforms.io.ReadJsonLines;
import dev.nightshift.transforms.io.Values;
import dev.nightshift.transforms.sink.SortedSink;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The corpus's JSON-lines pipeline: no shipped pipeline reads plain JSON lines through
 * {@link ReadJsonLines} yet (patient-records reads FHIR NDJSON through its own handler), so the
 * corpus runs the shared reader in this smallest real run: JSON objects {@code {"id": "...",
 * "amount": "12.30"}} into {@code records.csv}, dead letters and manifest as in every pipeline.
 */
public final class JsonLinesPipeline {
  private JsonLinesPipeline() {}

  public static final String NAME = "json-lines";

  public interface Options extends NightshiftOptions {
    @Description("JSON-lines file or glob")
    @Validation.Required
    String getInput();

    void setInput(String value);
  }

  /** An object with a non-empty text {@code id} and a decimal {@code amount} (text or number). */
  static final JsonRecordParser<String> PARSER =
      (JsonNode node, dev.nightshift.schemas.SourceRef source) -> {
        JsonNode id = node.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
          throw new RecordException(Reasons.MISSING_FIELD, "'id' is missing or not a text");
        }
        if (id.asText().chars().anyMatch(Character::isISOControl)) {
          throw new RecordException(Reasons.INVALID_VALUE, "'id' holds a control character");
        }
        JsonNode amount = node.get("amount");
        if (amount == null || amount.isNull()) {
          throw new RecordException(Reasons.MISSING_FIELD, "'amount' is missing");
        }
        try {
          return Csv.line(id.asText(), Values.decimal(amount.asText()).toPlainString());
        } catch (NumberFormatException e) {
          throw new RecordException(Reasons.INVALID_NUMBER, "'amount' is not a decimal number: '" + amount + "'");
        }
      };

  public static NightshiftRun.Summary run(String... args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    NightshiftRun run = NightshiftRun.create(NAME, options);
    var records = ReadJsonLines.read(run, "read-records", options.getInput(), PARSER, StringUtf8Coder.of());
    SortedSink.write(run, "write-records", "records.csv", "id,amount", records.output());
    run.audit().link("read-records", "write-records");
    return run.execute();
  }
}
