package dev.nightshift.transforms.io;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.core.StepCounters;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads files that must be parsed whole (a JSON document, an X12 interchange) into the records they
 * hold, through a {@link Parser}. Two counted steps, both balanced in the run audit:
 *
 * <ul>
 *   <li>{@code fileStep}: one record per file. {@code in} = files, {@code out} = files parsed,
 *       {@code dead} = files refused whole (one dead letter naming the file, line 0: larger than
 *       the limit, unreadable, or refused by the parser).
 *   <li>{@code recordStep}: one record per record found in a parsed file. {@code out} = records
 *       emitted, {@code dead} = records the parser could not read (a broken record costs only
 *       itself; its dead letter carries the position and text the parser gives).
 * </ul>
 *
 * A file is parsed completely before any of its records is emitted, so a file refused late (a bad
 * trailer) emits nothing.
 */
public final class ReadWholeFiles {
  private ReadWholeFiles() {}

  /** Files larger than this are refused rather than read into memory. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  /** Turns one file's bytes into its records and the records it could not read. */
  public interface Parser<T> extends Serializable {
    /** Throws {@link RecordException} to refuse the whole file. */
    Parsed<T> parse(String path, byte[] bytes) throws RecordException;
  }

  /** A record the parser found but could not read. */
  public record Failure(SourceRef source, String reason, String message) implements Serializable {}

  /** What one file held. */
  public static final class Parsed<T> {
    private final List<T> records = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    public void add(T record) {
      records.add(record);
    }

    public void fail(SourceRef source, String reason, String message) {
      failures.add(new Failure(source, reason, message));
    }

    public List<T> records() {
      return records;
    }

    public List<Failure> failures() {
      return failures;
    }
  }

  public static <T> Checked<T> read(
      NightshiftRun run,
      String fileStep,
      String recordStep,
      PCollection<FileIO.ReadableFile> files,
      Parser<T> parser,
      Coder<T> coder) {
    TupleTag<T> main = new TupleTag<>();
    PCollectionTuple out =
        files.apply(
            fileStep + "/parse",
            ParDo.of(new ParseFn<>(run.name(), fileStep, recordStep, parser, main, run.deadTag()))
                .withOutputTags(main, TupleTagList.of(run.deadTag())));
    run.addDeadLetters(out.get(run.deadTag()).setCoder(DeadLetter.CODER));
    run.audit().step(fileStep).step(recordStep);
    return Checked.after(run, recordStep, out.get(main).setCoder(coder));
  }

  static final class ParseFn<T> extends DoFn<FileIO.ReadableFile, T> {
    private final String pipeline;
    private final StepCounters files;
    private final StepCounters records;
    private final Parser<T> parser;
    private final TupleTag<T> main;
    private final TupleTag<DeadLetter> deadTag;

    ParseFn(String pipeline, String fileStep, String recordStep, Parser<T> parser, TupleTag<T> main,
        TupleTag<DeadLetter> deadTag) {
      this.pipeline = pipeline;
      this.files = new StepCounters(fileStep);
      this.records = new StepCounters(recordStep);
      this.parser = parser;
      this.main = main;
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      files.in();
      Parsed<T> parsed;
      try {
        if (file.getMetadata().sizeBytes() > MAX_FILE_BYTES) {
          throw new RecordException(Reasons.FILE_TOO_LARGE,
              "the file has " + file.getMetadata().sizeBytes() + " bytes, more than " + MAX_FILE_BYTES);
        }
        parsed = parser.parse(path, file.readFullyAsBytes());
      } catch (RecordException e) {
        fileDead(out, path, e.reasonCode(), e.getMessage());
        return;
      } catch (IOException e) {
        fileDead(out, path, Reasons.UNREADABLE_FILE, "cannot read the file: " + e);
        return;
      } catch (RuntimeException e) {
        fileDead(out, path, Reasons.INTERNAL_ERROR, e.toString());
        return;
      }
      files.out();
      for (T record : parsed.records()) {
        records.in();
        records.out();
        out.get(main).output(record);
      }
      for (Failure f : parsed.failures()) {
        records.in();
        records.dead(f.reason());
        out.get(deadTag).output(DeadLetter.of(pipeline, records.step(), f.source(), f.reason(), f.message()));
      }
    }

    private void fileDead(MultiOutputReceiver out, String path, String reason, String message) {
      files.dead(reason);
      out.get(deadTag).output(DeadLetter.of(pipeline, files.step(), SourceRef.of(path, 0, ""), reason, message));
    }
  }
}
