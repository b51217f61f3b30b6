package dev.nightshift.transforms.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import org.apache.beam.sdk.coders.Coder;

/**
 * Reads JSON-lines files (one JSON object per line) into typed records through a
 * {@link JsonRecordParser}. A line that is not one JSON object (text after the object counts as
 * malformed) or is refused by the parser becomes a dead letter with the file, line and raw text;
 * {@link ReadLines} handles blank, too long, non-UTF-8 lines and empty or unreadable files.
 */
public final class ReadJsonLines {
  private ReadJsonLines() {}

  // Text after the first JSON value would otherwise be ignored silently.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public static <T> Checked<T> read(
      NightshiftRun run, String step, String filepattern, JsonRecordParser<T> parser, Coder<T> coder) {
    ReadLines.Handler<T> handler =
        (line, source, out) -> {
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (JsonProcessingException e) {
            throw new RecordException(Reasons.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
          }
          if (node == null || !node.isObject()) {
            throw new RecordException(Reasons.MALFORMED_JSON, "not a JSON object");
          }
          out.emit(parser.parse(node, source));
        };
    return ReadLines.read(run, step, filepattern, handler, coder);
  }
}
