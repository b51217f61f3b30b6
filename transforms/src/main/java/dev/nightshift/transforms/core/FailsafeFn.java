package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A one-in, at-most-one-out step that never throws: {@link #apply} returns the output record, or
 * throws {@link RecordException} to refuse the record, which becomes a dead letter carrying the
 * original payload, source file and line. An unexpected runtime exception is kept as an
 * {@link Reasons#INTERNAL_ERROR} dead letter instead of failing the run. Every record is counted in,
 * and counted out or dead, so the run audit can prove the step lost nothing.
 *
 * <p>Apply it with {@link Checked#then}; side inputs are read from the {@link ProcessContext}.
 */
public abstract class FailsafeFn<I, O> extends DoFn<I, O> {
  private String pipeline;
  private StepCounters counters;
  private TupleTag<DeadLetter> deadTag;

  /** Called by {@link Checked#then} before the step is applied. */
  final void bind(String pipeline, String step, TupleTag<DeadLetter> deadTag) {
    this.pipeline = pipeline;
    this.counters = new StepCounters(step);
    this.deadTag = deadTag;
  }

  /** Turns one record into its output, or refuses it. */
  protected abstract O apply(I input, ProcessContext context) throws RecordException;

  @ProcessElement
  public void processElement(ProcessContext context) {
    I input = context.element();
    counters.in();
    O output;
    try {
      output = apply(input, context);
    } catch (RecordException e) {
      refuse(context, input, e.reasonCode(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      refuse(context, input, Reasons.INTERNAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
      return;
    }
    if (output == null) {
      refuse(context, input, Reasons.INTERNAL_ERROR, "the step returned no record");
      return;
    }
    counters.out();
    context.output(output);
  }

  private void refuse(ProcessContext context, I input, String reason, String message) {
    counters.dead(reason);
    context.output(
        deadTag,
        DeadLetter.of(pipeline, counters.step(), sourceOf(input), reason, String.valueOf(message)));
  }

  /** Where a refused record came from; records that are {@link Sourced} say so themselves. */
  protected SourceRef sourceOf(I input) {
    return input instanceof Sourced
        ? ((Sourced) input).source()
        : SourceRef.of("", 0, String.valueOf(input));
  }
}
