package dev.nightshift.transforms.io;

import dev.nightshift.transforms.core.Runners;
import java.io.Serializable;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Runs a reader that turns one file into many records, so that a file's records never have to fit
 * in a worker's memory together.
 *
 * <p>Why: the Spark Runner collects everything one {@code @ProcessElement} call outputs before it
 * passes any of it on, so a reader of a 5M-line file held 5M records at once (a 4 GiB executor
 * ran out of memory on W1). Beam's Spark Runner streams the output of a splittable DoFn through a
 * bounded queue instead when the experiment {@value #SPARK_STREAMING_EXPERIMENT} is set. So when a
 * user passes {@code --experiments=use_bounded_concurrent_output_for_sdf} off the Direct Runner, a
 * reader runs as a splittable DoFn whose restriction is the whole file, never split
 * ({@code [0, 1)}: the file is read in order, so line numbers stay exact). Otherwise it is a plain
 * DoFn. Same records, same bytes, either way.
 *
 * <p>Opt-in, not the default, because of what it does to the counts: on the standalone cluster
 * (ExecutorKillTest, 2026-12-02) the reads of the small reference files that feed side inputs
 * (holidays, securities, participants) were counted twice with it on (the streamed output is not
 * cached, so the side input and the main job each read the file). The outputs were right and the
 * audit still balanced, but the manifest's counts were wrong. Making it the default needs those
 * reads materialised once (e.g. a Reshuffle after the reader) and the kill test green.
 */
public final class FileReaderFn {
  private FileReaderFn() {}

  /** The Spark Runner's switch for streaming a splittable DoFn's outputs (Beam 2.45+). */
  public static final String SPARK_STREAMING_EXPERIMENT = "use_bounded_concurrent_output_for_sdf";

  /** What a reader does with one element (a file, or a byte range of one: {@link FileRange}). */
  public interface ElementBody<E, T> extends Serializable {
    void read(E element, DoFn.MultiOutputReceiver out);
  }

  /** What a reader does with one file. */
  public interface Body<T> extends ElementBody<FileIO.ReadableFile, T> {}

  /** Whether readers of a pipeline with these options run as splittable DoFns (see above). */
  public static boolean streamed(PipelineOptions options) {
    return !Runners.isDirect(options)
        && ExperimentalOptions.hasExperiment(options, SPARK_STREAMING_EXPERIMENT);
  }

  /** The DoFn for {@code body} on the runner of {@code options}. */
  public static <E, T> DoFn<E, T> of(ElementBody<E, T> body, PipelineOptions options) {
    return streamed(options) ? new Streamed<>(body) : new Plain<>(body);
  }

  static final class Plain<E, T> extends DoFn<E, T> {
    private final ElementBody<E, T> body;

    Plain(ElementBody<E, T> body) {
      this.body = body;
    }

    @ProcessElement
    public void process(@Element E element, MultiOutputReceiver out) {
      body.read(element, out);
    }
  }

  static final class Streamed<E, T> extends DoFn<E, T> {
    private final ElementBody<E, T> body;

    Streamed(ElementBody<E, T> body) {
      this.body = body;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element E element) {
      return new OffsetRange(0, 1);
    }

    @GetRestrictionCoder
    public OffsetRange.Coder restrictionCoder() {
      return OffsetRange.Coder.of();
    }

    @ProcessElement
    public void process(
        @Element E element,
        RestrictionTracker<OffsetRange, Long> tracker,
        MultiOutputReceiver out) {
      if (tracker.tryClaim(0L)) {
        body.read(element, out);
      }
    }
  }
}
