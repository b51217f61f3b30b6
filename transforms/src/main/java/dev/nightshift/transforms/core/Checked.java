package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.transforms.aggregate.Dedupe;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The good records of the last step of a chain, with that step's name. Dead letters do not travel
 * with it: every step hands them to the run as it is applied, so none can be forgotten. Each
 * {@link #then} registers its balances with the run audit: the step balances, and it receives
 * every record the step before it put out.
 */
public final class Checked<T> {
  private final NightshiftRun run;
  private final String step;
  private final PCollection<T> output;

  private Checked(NightshiftRun run, String step, PCollection<T> output) {
    this.run = run;
    this.step = step;
    this.output = output;
  }

  /** The first step of a chain (a reader): its own balance is registered here. */
  public static <T> Checked<T> source(
      NightshiftRun run, String step, PCollection<T> output, PCollection<DeadLetter> deadLetters) {
    run.audit().step(step);
    run.addDeadLetters(deadLetters);
    return new Checked<>(run, step, output);
  }

  /** Continues a chain from a step that was applied and audited by other means. */
  public static <T> Checked<T> after(NightshiftRun run, String step, PCollection<T> output) {
    return new Checked<>(run, step, output);
  }

  public PCollection<T> output() {
    return output;
  }

  public String step() {
    return step;
  }

  public NightshiftRun run() {
    return run;
  }

  /** Applies a failsafe step; its output coder is inferred from the step's type. */
  @SuppressWarnings("unchecked")
  public <O> Checked<O> then(
      String next, FailsafeFn<? super T, O> fn, PCollectionView<?>... sideInputs) {
    return then(next, fn, null, sideInputs);
  }

  /** Applies a failsafe step with an explicit output coder. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <O> Checked<O> then(
      String next, FailsafeFn<? super T, O> fn, Coder<O> coder, PCollectionView<?>... sideInputs) {
    ((FailsafeFn) fn).bind(run.name(), next, run.deadTag());
    // Not an anonymous subclass: it would capture this Checked (and the run) into the DoFn.
    TupleTag<O> main = new TupleTag<>();
    PCollectionTuple result =
        output.apply(
            next,
            ParDo.of((FailsafeFn<T, O>) fn)
                .withOutputTags(main, TupleTagList.of(run.deadTag()))
                .withSideInputs(List.of(sideInputs)));
    PCollection<O> good = result.get(main);
    if (coder != null) {
      good.setCoder(coder);
    }
    run.audit().link(step, next).step(next);
    run.addDeadLetters(result.get(run.deadTag()));
    return new Checked<>(run, next, good);
  }

  /**
   * The records as a side input by {@code key} (reference data: securities, plans, a fee
   * schedule). Keys must be unique: de-duplicate first.
   */
  public PCollectionView<Map<String, T>> asMap(String name, SerializableFunction<T, String> key) {
    return output
        .apply(name + "/key", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), output.getCoder().getEncodedTypeDescriptor()))
            .via((T t) -> KV.of(key.apply(t), t)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), output.getCoder()))
        .apply(name, View.asMap());
  }

  /**
   * Keeps the first record of each key (first in file and line order, so the choice is the same
   * on every runner) and dead-letters the others with {@code reason}.
   */
  @SuppressWarnings("unchecked")
  public Checked<T> dedupe(String next, SerializableFunction<T, String> key, String reason) {
    Dedupe.Result<T> result =
        output.apply(
            next,
            Dedupe.<T>firstOf(
                run.name(),
                next,
                (SerializableFunction<T, Sourced>) t -> (Sourced) t,
                key,
                reason,
                run.deadTag(),
                run.options().getAggregationBuckets()));
    run.audit().link(step, next).step(next);
    run.addDeadLetters(result.deadLetters());
    return new Checked<>(run, next, result.kept());
  }
}
