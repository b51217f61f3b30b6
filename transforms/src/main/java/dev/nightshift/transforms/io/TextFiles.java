package dev.nightshift.transforms.io;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.Stage;
import dev.nightshift.transforms.core.StepCounters;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/** What the text readers share: matching files, decoding UTF-8, and counting what they emit. */
public final class TextFiles {
  private TextFiles() {}

  /**
   * The files of a pattern, registered as the input of {@code step} (a pattern that matches no file
   * is refused before anything runs), ready to be read whole or line by line.
   */
  public static PCollection<FileIO.ReadableFile> match(NightshiftRun run, String step, String filepattern) {
    run.registerInput(step, filepattern);
    return run.pipeline()
        .apply(
            step + "/match",
            FileIO.match().filepattern(filepattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply(step + "/open", FileIO.readMatches());
  }

  /**
   * UTF-8 with malformed bytes replaced by U+FFFD, so that the reader keeps its place and the one
   * record holding them is dead-lettered, rather than the whole file failing.
   */
  static Reader utf8(FileIO.ReadableFile file) throws IOException {
    return utf8(Channels.newInputStream(file.open()));
  }

  /** As above, for a stream (a {@link FileRange}'s bytes). */
  static Reader utf8(java.io.InputStream in) {
    return new InputStreamReader(
        in,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  /**
   * Counts a reader step's records and dead letters and hands them on: to the next stage of a
   * fused chain, or ({@link #to}) to the outputs of a reader applied as a DoFn of its own. A silent
   * pass (the de-duplication's key pass) counts nothing and drops dead letters.
   */
  static final class RecordSink<T> implements Serializable {
    private final String pipeline;
    private final StepCounters counters;

    RecordSink(String pipeline, String step) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
    }

    /** The outputs {@code main} and {@code dead} of a DoFn's receiver, as a counted {@link Stage.Emit}. */
    static <T> Stage.Emit<T> to(DoFn.MultiOutputReceiver out, TupleTag<T> main, TupleTag<DeadLetter> dead) {
      return new Stage.Emit<T>() {
        @Override
        public void output(T record) {
          out.get(main).output(record);
        }

        @Override
        public void dead(DeadLetter letter) {
          out.get(dead).output(letter);
        }

        @Override
        public <X> void side(TupleTag<X> tag, X value) {
          out.get(tag).output(value);
        }

        @Override
        public boolean counting() {
          return true;
        }

        @Override
        public DoFn<?, ?>.ProcessContext context() {
          return null;
        }
      };
    }

    void in(Stage.Emit<T> out) {
      if (out.counting()) {
        counters.in();
      }
    }

    void out(Stage.Emit<T> out, T record) {
      if (out.counting()) {
        counters.out();
      }
      out.output(record);
    }

    void dead(Stage.Emit<T> out, SourceRef source, String reason, String message) {
      if (out.counting()) {
        counters.dead(reason);
        out.dead(DeadLetter.of(pipeline, counters.step(), source, reason, message));
      }
    }

    /** The whole file is one dead letter (line 0): it is counted as one record in. */
    void fileDead(Stage.Emit<T> out, String path, String reason, String message) {
      in(out);
      dead(out, SourceRef.of(path, 0, ""), reason, message);
    }
  }
}
