package dev.nightshift.transforms.io;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.core.Stage;
import dev.nightshift.transforms.core.StepCounters;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
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
 * Reads line-oriented files (JSON lines, FIX session logs, ...) one line at a time with exact line
 * numbers, and hands each line to a {@link Handler}. What every such reader needs is done here
 * once: a byte-order mark is dropped, blank lines are skipped, a line longer than the limit or
 * holding invalid UTF-8 is a dead letter, an empty or unreadable file is one dead letter naming
 * it, and a handler's refusal or unexpected exception is a dead letter, never a crash.
 *
 * <p>Counters of the step: {@code in} per non-blank line, {@code out} per record, {@code dead} per
 * refused line, {@code skipped} per line the handler deliberately passes over (also counted as
 * {@code skipped-<what>}). The audit balance is {@code in = out + dead + skipped}.
 */
public final class ReadLines {
  private ReadLines() {}

  public static final String SKIPPED = "skipped";

  public static String skippedCounter(String what) {
    return SKIPPED + "-" + what;
  }

  /** What a handler may do with its line. */
  public interface Output<T> {
    void emit(T record);

    /** The line is not a record and not an error (a heartbeat in a session log): counted, dropped. */
    void skip(String what);

    /** Counts {@code <step>/<what>} (e.g. messages with a bad checksum that were still read). */
    void count(String what, long n);
  }

  /** Turns one line into a record, skips it, or refuses it with {@link RecordException}. */
  public interface Handler<T> extends Serializable {
    void handle(String line, SourceRef source, Output<T> out) throws RecordException;
  }

  public static <T> Checked<T> read(
      NightshiftRun run, String step, String filepattern, Handler<T> handler, Coder<T> coder) {
    return read(run, step, TextFiles.match(run, step, filepattern), handler, coder);
  }

  /** Reads files matched elsewhere (e.g. the files of one format among several). */
  public static <T> Checked<T> read(
      NightshiftRun run, String step, PCollection<FileIO.ReadableFile> files, Handler<T> handler, Coder<T> coder) {
    TupleTag<T> main = new TupleTag<>();
    PCollectionTuple result =
        files
            .apply(
                step + "/read",
                ParDo.of(FileReaderFn.of(new ReadFn<>(run.name(), step, handler, main, run.deadTag()), run.pipeline().getOptions()))
                    .withOutputTags(main, TupleTagList.of(run.deadTag())));
    run.audit()
        .expect(
            step,
            "every line is a record, a dead letter or skipped",
            List.of(RunAudit.term(StepCounters.inName(step))),
            List.of(
                RunAudit.term(StepCounters.outName(step)),
                RunAudit.term(StepCounters.deadName(step)),
                RunAudit.term(StepCounters.named(step, SKIPPED))));
    run.addDeadLetters(result.get(run.deadTag()));
    return Checked.after(run, step, result.get(main).setCoder(coder));
  }

  static final class ReadFn<T> implements FileReaderFn.Body<T> {
    private final TextFiles.RecordSink<T> sink;
    private final StepCounters counters;
    private final Handler<T> handler;
    private final TupleTag<T> main;
    private final TupleTag<DeadLetter> dead;

    ReadFn(String pipeline, String step, Handler<T> handler, TupleTag<T> main, TupleTag<DeadLetter> dead) {
      this.sink = new TextFiles.RecordSink<>(pipeline, step);
      this.main = main;
      this.dead = dead;
      this.counters = new StepCounters(step);
      this.handler = handler;
    }

    @Override
    public void read(FileIO.ReadableFile file, DoFn.MultiOutputReceiver receiver) {
      String path = file.getMetadata().resourceId().toString();
      Stage.Emit<T> emit = TextFiles.RecordSink.to(receiver, main, dead);
      Output<T> out =
          new Output<>() {
            @Override
            public void emit(T record) {
              sink.out(emit, record);
            }

            @Override
            public void skip(String what) {
              counters.count(SKIPPED, 1);
              counters.count(skippedCounter(what), 1);
            }

            @Override
            public void count(String what, long n) {
              counters.count(what, n);
            }
          };
      long lineNo = 0;
      try (Reader reader = TextFiles.utf8(file)) {
        BoundedLineReader lines = new BoundedLineReader(reader, ReadCsv.MAX_RECORD_CHARS);
        for (BoundedLineReader.Line next = lines.next(); next != null; next = lines.next()) {
          lineNo++;
          String line = next.text();
          if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          if (!next.tooLong() && line.isBlank()) {
            continue;
          }
          sink.in(emit);
          if (next.tooLong()) {
            // only the first characters were kept: a 10 MB line costs no more memory than the limit
            sink.dead(emit, SourceRef.of(path, lineNo, line + "..."),
                Reasons.RECORD_TOO_LONG, "line longer than " + ReadCsv.MAX_RECORD_CHARS + " characters");
            continue;
          }
          SourceRef source = SourceRef.of(path, lineNo, line);
          if (line.indexOf('\uFFFD') >= 0) {
            sink.dead(emit, source, Reasons.INVALID_ENCODING, "the line holds bytes that are not UTF-8");
            continue;
          }
          try {
            handler.handle(line, source, out);
          } catch (RecordException e) {
            sink.dead(emit, source, e.reasonCode(), e.getMessage());
          } catch (RuntimeException e) {
            sink.dead(emit, source, Reasons.INTERNAL_ERROR, e.toString());
          }
        }
        if (lineNo == 0) {
          sink.fileDead(emit, path, Reasons.EMPTY_FILE, "the file is empty");
        }
      } catch (IOException | RuntimeException e) {
        sink.fileDead(emit, path, Reasons.UNREADABLE_FILE, "cannot read the file"
            + (lineNo > 0 ? " past line " + lineNo + " (the lines before it were read)" : "") + ": " + e);
      }
    }
  }
}
