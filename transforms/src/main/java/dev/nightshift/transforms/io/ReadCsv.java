package dev.nightshift.transforms.io;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.core.Stage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads CSV files with a header row into typed records. Each record is parsed by a
 * {@link CsvRecordParser}; a record that is malformed, has the wrong number of fields, holds invalid
 * UTF-8 or a line break inside a field (every output is one record per line) or is refused by the
 * parser becomes a dead letter with the file, line and raw text. A file
 * that cannot be read at all, is empty or lacks a required column becomes one dead letter naming
 * the file. A large file is read in byte ranges of whole lines ({@link FileRange}), each by its own
 * call and on any worker, with the same records, dead letters and exact line numbers as one read of
 * the whole file (the ranges are spread by a GroupByKey, so that each is its own bundle).
 */
public final class ReadCsv {
  private ReadCsv() {}

  /** Default limit on one record's length; longer records are skipped and dead-lettered. */
  public static final int MAX_RECORD_CHARS = 1 << 20;

  public static <T> Checked<T> read(
      NightshiftRun run, String step, String filepattern, CsvRecordParser<T> parser, Coder<T> coder) {
    return read(run, step, filepattern, parser, coder, FileRange.MIN_SPLIT_FILE, FileRange.SPLIT_BYTES);
  }

  /** As above, with the sizes that decide when and where a file is cut (tests cut small files). */
  static <T> Checked<T> read(
      NightshiftRun run,
      String step,
      String filepattern,
      CsvRecordParser<T> parser,
      Coder<T> coder,
      long minSplitFile,
      long splitBytes) {
    PCollection<FileRange> ranges =
        TextFiles.match(run, step, filepattern)
            .apply(step + "/plan", ParDo.of(new PlanFn(minSplitFile, splitBytes)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), FileRange.RangeCoder.of()))
            .apply(step + "/spread", GroupByKey.create())
            .apply(step + "/ranges", ParDo.of(new UngroupFn()))
            .setCoder(FileRange.RangeCoder.of());
    // Not applied here: the reader is the first stage of a chain that runs fused (see Checked).
    return Checked.fusedSource(run, step, ranges,
        new ReadStage<>(run.name(), step, parser, MAX_RECORD_CHARS), coder);
  }

  /** Cuts each file into ranges, keyed by file and range so that a GroupByKey spreads them. */
  static final class PlanFn extends DoFn<FileIO.ReadableFile, KV<String, FileRange>> {
    private final long minSplitFile;
    private final long splitBytes;

    PlanFn(long minSplitFile, long splitBytes) {
      this.minSplitFile = minSplitFile;
      this.splitBytes = splitBytes;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<KV<String, FileRange>> out) {
      for (FileRange range : FileRange.plan(file, minSplitFile, splitBytes)) {
        out.output(KV.of(range.path() + "#" + range.index(), range));
      }
    }
  }

  static final class UngroupFn extends DoFn<KV<String, Iterable<FileRange>>, FileRange> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<FileRange>> group, OutputReceiver<FileRange> out) {
      for (FileRange range : group.getValue()) {
        out.output(range);
      }
    }
  }

  /** The header of {@code file}, read from its start; null when it is empty or cannot be read. */
  static CsvReader.Record headerOf(FileIO.ReadableFile file, int maxRecordChars) {
    try (Reader reader = new BufferedReader(TextFiles.utf8(FileRange.whole(file).open()), 1 << 16)) {
      return new CsvReader(reader, maxRecordChars).next();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The index of each column of {@code header} by its trimmed name (a repeated name: its last). */
  static Map<String, Integer> columns(CsvReader.Record header) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < header.fields().size(); i++) {
      columns.put(header.fields().get(i).trim(), i);
    }
    return columns;
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

  /**
   * The de-duplication's key pass over a CSV source: the trimmed text of {@code column} of every
   * row read cleanly (a superset of the records the reader puts out), nothing parsed. What is wrong
   * with a file or a row is left to the reader.
   */
  static final class KeyPass extends Stage<FileRange, String> {
    private final String column;
    private final int maxRecordChars;

    KeyPass(String column, int maxRecordChars) {
      this.column = column;
      this.maxRecordChars = maxRecordChars;
    }

    @Override
    public void process(FileRange range, Emit<String> out) {
      try (Reader reader = new BufferedReader(TextFiles.utf8(range.open()), 1 << 16)) {
        CsvReader csv = new CsvReader(reader, maxRecordChars, range.firstLine(), range.first());
        CsvReader.Record header = range.first() ? csv.next() : headerOf(range.file(), maxRecordChars);
        if (header == null || !header.ok()) {
          return;
        }
        Integer index = columns(header).get(column);
        if (index == null) {
          return;
        }
        for (CsvReader.Record record = csv.next(); record != null; record = csv.next()) {
          if (record.ok() && index < record.fields().size()) {
            out.output(record.fields().get(index).trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        // the reader reports the file
      }
    }

  }

  /** Reads one range of a file (or a whole file) into records and dead letters. */
  static final class ReadStage<T> extends Stage<FileRange, T> {
    private final TextFiles.RecordSink<T> sink;
    private final CsvRecordParser<T> parser;
    private final int maxRecordChars;

    ReadStage(String pipeline, String step, CsvRecordParser<T> parser, int maxRecordChars) {
      this.sink = new TextFiles.RecordSink<>(pipeline, step);
      this.parser = parser;
      this.maxRecordChars = maxRecordChars;
    }

    @Override
    public Stage<FileRange, String> keyPass(String column) {
      return new KeyPass(column, maxRecordChars);
    }

    @Override
    public void process(FileRange range, Emit<T> out) {
      String path = range.path();
      long lastLine = 0; // the last record read, for the message when the file breaks off
      CsvReader.Record header;
      if (!range.first()) {
        // a later range: the header is read from the file's start; range 0 reports a bad one
        header = headerOf(range.file(), maxRecordChars);
        if (header == null || !header.ok()) {
          return;
        }
      } else {
        header = null;
      }
      try (Reader reader = new BufferedReader(TextFiles.utf8(range.open()), 1 << 16)) {
        CsvReader csv = new CsvReader(reader, maxRecordChars, range.firstLine(), range.first());
        if (range.first()) {
          header = csv.next();
        }
        if (header == null) {
          sink.fileDead(out, path, Reasons.EMPTY_FILE, "the file is empty: no header, no records");
          return;
        }
        Map<String, Integer> columns = columns(header);
        List<String> missing = new ArrayList<>();
        for (String required : parser.requiredColumns()) {
          if (!columns.containsKey(required)) {
            missing.add(required);
          }
        }
        if (!header.ok() || !missing.isEmpty()) {
          if (!range.first()) {
            return; // range 0 reports it
          }
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
          sink.in(out);
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
