package dev.nightshift.transforms.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import java.io.BufferedReader;
import java.io.IOException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads JSON-lines files (one JSON object per line) into typed records through a
 * {@link JsonRecordParser}. A line that is not a JSON object, holds invalid UTF-8, is too long or
 * is refused by the parser becomes a dead letter with the file, line and raw text; blank lines are
 * skipped; an unreadable or empty file is one dead letter naming the file.
 */
public final class ReadJsonLines {
  private ReadJsonLines() {}

  public static <T> Checked<T> read(
      NightshiftRun run, String step, String filepattern, JsonRecordParser<T> parser, Coder<T> coder) {
    TupleTag<T> main = new TupleTag<>();
    ReadFn<T> fn = new ReadFn<>(run.name(), step, parser, main, run.deadTag());
    PCollectionTuple result =
        TextFiles.match(run, step, filepattern)
            .apply(step + "/read", ParDo.of(fn).withOutputTags(main, TupleTagList.of(run.deadTag())));
    return Checked.source(run, step, result.get(main).setCoder(coder), result.get(run.deadTag()));
  }

  static final class ReadFn<T> extends DoFn<FileIO.ReadableFile, T> {
    // A line is one JSON value: "{...} trailing" or "{...}{...}" is malformed, not its first object.
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final TextFiles.RecordSink<T> sink;
    private final JsonRecordParser<T> parser;

    ReadFn(
        String pipeline,
        String step,
        JsonRecordParser<T> parser,
        TupleTag<T> main,
        TupleTag<DeadLetter> dead) {
      this.sink = new TextFiles.RecordSink<>(pipeline, step, main, dead);
      this.parser = parser;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      try (BufferedReader reader = new BufferedReader(TextFiles.utf8(file), 1 << 16)) {
        long lineNo = 0;
        boolean any = false;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lineNo++;
          any = true;
          if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          if (line.isBlank()) {
            continue;
          }
          sink.in();
          if (line.length() > ReadCsv.MAX_RECORD_CHARS) {
            sink.dead(
                out,
                SourceRef.of(path, lineNo, line.substring(0, 200) + "..."),
                Reasons.RECORD_TOO_LONG,
                "line longer than " + ReadCsv.MAX_RECORD_CHARS + " characters");
            continue;
          }
          SourceRef source = SourceRef.of(path, lineNo, line);
          if (line.indexOf('\uFFFD') >= 0) {
            sink.dead(out, source, Reasons.INVALID_ENCODING, "the line holds bytes that are not UTF-8");
            continue;
          }
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            sink.dead(out, source, Reasons.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
            continue;
          }
          if (node == null || !node.isObject()) {
            sink.dead(out, source, Reasons.MALFORMED_JSON, "not a JSON object");
            continue;
          }
          try {
            sink.out(out, parser.parse(node, source));
          } catch (RecordException e) {
            sink.dead(out, source, e.reasonCode(), e.getMessage());
          } catch (RuntimeException e) {
            sink.dead(out, source, Reasons.INTERNAL_ERROR, e.toString());
          }
        }
        if (!any) {
          sink.fileDead(out, path, Reasons.EMPTY_FILE, "the file is empty");
        }
      } catch (IOException | RuntimeException e) {
        sink.fileDead(out, path, Reasons.UNREADABLE_FILE, "cannot read the file: " + e);
      }
    }
  }
}
