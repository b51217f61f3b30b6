package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * One record-at-a-time step of a chain that runs fused with its neighbours in one DoFn
 * ({@link FusedFn}): a reader turning a file range into records, a failsafe step, a step that
 * puts out several records per input, a pre-aggregation that puts out its sums at the end of the
 * bundle. {@link Checked} builds chains of stages and applies each chain as one ParDo.
 *
 * <p>Why: every ParDo with a dead-letter output is a multi-output ParDo, and the Spark Runner
 * encodes and stores (DISK_ONLY) the whole output of each one; the Direct Runner hands every
 * record from step to step as a bundle element. Fused, the records of a chain are Java objects
 * passed by a method call, and only what the chain puts out (sums, dead letters) is stored.
 *
 * <p>A stage counts its own records (in, out, dead) through {@link StepCounters}, but only when
 * {@link Emit#counting()}: the de-duplication's key pass runs the stages before it a second time,
 * silently (no counts, no dead letters).
 */
public abstract class Stage<I, O> implements Serializable {

  /** Where a stage's records go: the next stage, or the fused DoFn's outputs. */
  public interface Emit<T> {
    /** Hands a record to what follows. */
    void output(T record);

    /** A refused record (dropped in a silent pass). */
    void dead(DeadLetter letter);

    /** A record for one of the chain's extra outputs ({@link #extraOutputs}). */
    <X> void side(TupleTag<X> tag, X value);

    /** False in a silent pass: counters and dead letters are skipped. */
    boolean counting();

    /** The DoFn's context while an element is processed (side inputs); null in finishBundle. */
    DoFn<?, ?>.ProcessContext context();
  }

  /** A stage that turns each record into one other (keying for a combine), counting nothing. */
  public static <I, O> Stage<I, O> map(org.apache.beam.sdk.transforms.SerializableFunction<I, O> fn) {
    return new Stage<I, O>() {
      @Override
      public void process(I input, Emit<O> out) {
        out.output(fn.apply(input));
      }
    };
  }

  /** Called at the start of every bundle. */
  public void startBundle() {}

  /** Processes one record. */
  public abstract void process(I input, Emit<O> out);

  /** Called at the end of every bundle, before the next stage's: what the stage still holds goes out. */
  public void finishBundle(Emit<O> out) {}

  /** The side inputs the stage reads through {@link Emit#context()}. */
  public List<PCollectionView<?>> sideInputs() {
    return List.of();
  }

  /**
   * For a reader of rows with named columns (CSV): a stage that puts out only the text of
   * {@code column} of each row it reads (trimmed, as {@code CsvRow.text} reads it), parsing
   * nothing else, for the de-duplication's key pass; null for other stages.
   */
  public Stage<I, String> keyPass(String column) {
    return null;
  }

  /** Outputs other than the main and the dead letters that the stage writes with {@link Emit#side}. */
  public List<TupleTag<?>> extraOutputs() {
    return List.of();
  }
}
