package dev.nightshift.transforms.io;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads CSV files with a header row into typed records. Each record is parsed by a
 * {@link CsvRecordParser}; a record that is malformed, has the wrong number of fields, holds invalid
 * UTF-8 or a line break inside a field (every output is one record per line) or is refused by the
 * parser becomes a dead letter with the file, line and raw text. A file
 * that cannot be read at all, is empty or lacks a required column becomes one dead letter naming
 * the file. Files are read whole, in order, so line numbers are exact.
 */
public final class ReadCsv {
  private ReadCsv() {}

  /** Default limit on one record's length; longer records are skipped and dead-lettered. */
  public static final int MAX_RECORD_CHARS = 1 << 20;

  public static <T> Checked<T> read(
      NightshiftRun run, String step, String filepattern, CsvRecordParser<T> parser, Coder<T> coder) {
    TupleTag<T> main = new TupleTag<>();
    ReadFn<T> fn = new ReadFn<>(run.name(), step, parser, main, run.deadTag(), MAX_RECORD_CHARS);
    PCollectionTuple result =
        TextFiles.match(run, step, filepattern)
            .apply(step + "/read", ParDo.of(FileReaderFn.of(fn, run.pipeline().getOptions())).withOutputTags(main, TupleTagList.of(run.deadTag())));
    return Checked.source(run, step, result.get(main).setCoder(coder), result.get(run.deadTag()));
  }

  /** The 1-based number of the first field holding a line break, or 0. */
  static int lineBreakIn(List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).indexOf('\n') >= 0 || fields.get(i).indexOf('\r') >= 0) {
        return i + 1;
      }
    }
    return 0;
  }

  static final class ReadFn<T> implements FileReaderFn.Body<T> {
    private final TextFiles.RecordSink<T> sink;
    private final CsvRecordParser<T> parser;
    private final int maxRecordChars;

    ReadFn(
        String pipeline,
        String step,
        CsvRecordParser<T> parser,
        TupleTag<T> main,
        TupleTag<DeadLetter> dead,
        int maxRecordChars) {
      this.sink = new TextFiles.RecordSink<>(pipeline, step, main, dead);
      this.parser = parser;
      this.maxRecordChars = maxRecordChars;
    }

    @Override
    public void read(FileIO.ReadableFile file, DoFn.MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      long lastLine = 0; // the last record read, for the message when the file breaks off
      try (Reader reader = new BufferedReader(TextFiles.utf8(file), 1 << 16)) {
        CsvReader csv = new CsvReader(reader, maxRecordChars);
        CsvReader.Record header = csv.next();
        if (header == null) {
          sink.fileDead(out, path, Reasons.EMPTY_FILE, "the file is empty: no header, no records");
          return;
        }
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
          columns.put(header.fields().get(i).trim(), i);
        }
        List<String> missing = new ArrayList<>();
        for (String required : parser.requiredColumns()) {
          if (!columns.containsKey(required)) {
            missing.add(required);
          }
        }
        if (!header.ok() || !missing.isEmpty()) {
          sink.fileDead(
              out,
              path,
              Reasons.MISSING_COLUMN,
              "the header '" + header.raw() + "' lacks the required columns " + missing);
          return;
        }
        int width = header.fields().size();
        for (CsvReader.Record record = csv.next(); record != null; record = csv.next()) {
          SourceRef source = SourceRef.of(path, record.line(), record.raw());
          lastLine = record.line();
          sink.in();
          if (!record.ok()) {
            sink.dead(out, source, record.reason(), record.error());
          } else if (record.raw().indexOf('\uFFFD') >= 0) {
            sink.dead(out, source, Reasons.INVALID_ENCODING, "the record holds bytes that are not UTF-8");
          } else if (record.fields().size() != width) {
            sink.dead(
                out,
                source,
                Reasons.WRONG_FIELD_COUNT,
                "expected " + width + " fields as in the header, found " + record.fields().size());
          } else if (lineBreakIn(record.fields()) > 0) {
            // RFC 4180 allows it, but every output is one record per line: such a value cannot flow
            sink.dead(out, source, Reasons.INVALID_VALUE,
                "field " + lineBreakIn(record.fields()) + " holds a line break");
          } else {
            try {
              sink.out(out, parser.parse(CsvRow.of(columns, record.fields(), source)));
            } catch (RecordException e) {
              sink.dead(out, source, e.reasonCode(), e.getMessage());
            } catch (RuntimeException e) {
              sink.dead(out, source, Reasons.INTERNAL_ERROR, e.toString());
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        sink.fileDead(out, path, Reasons.UNREADABLE_FILE, "cannot read the file"
            + (lastLine > 0 ? " past line " + lastLine + " (the records before it were read)" : "") + ": " + e);
      }
    }
  }
}
