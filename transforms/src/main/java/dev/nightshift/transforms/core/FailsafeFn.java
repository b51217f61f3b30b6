package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
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
    process(context.element(), context, new Stage.Emit<O>() {
      @Override
      public void output(O record) {
        context.output(record);
      }

      @Override
      public void dead(DeadLetter letter) {
        context.output(deadTag, letter);
      }

      @Override
      public <X> void side(TupleTag<X> tag, X value) {
        context.output(tag, value);
      }

      @Override
      public boolean counting() {
        return true;
      }

      @Override
      public DoFn<?, ?>.ProcessContext context() {
        return context;
      }
    });
  }

  @StartBundle
  public final void startBundle() {
    bundleStarted();
  }

  /** Called at the start of every bundle, applied alone or fused: drop what was read of side inputs. */
  protected void bundleStarted() {}

  /** One record, counted (unless the pass is silent), its output or dead letter to {@code out}. */
  final void process(I input, ProcessContext context, Stage.Emit<O> out) {
    boolean counting = out.counting();
    if (counting) {
      counters.in();
    }
    O output;
    try {
      output = apply(input, context);
    } catch (RecordException e) {
      refuse(out, input, e.reasonCode(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      refuse(out, input, Reasons.INTERNAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
      return;
    }
    if (output == null) {
      refuse(out, input, Reasons.INTERNAL_ERROR, "the step returned no record");
      return;
    }
    if (counting) {
      counters.out();
    }
    out.output(output);
  }

  private void refuse(Stage.Emit<O> out, I input, String reason, String message) {
    if (out.counting()) {
      counters.dead(reason);
      out.dead(DeadLetter.of(pipeline, counters.step(), sourceOf(input), reason, String.valueOf(message)));
    }
  }

  /** This step as a stage of a fused chain; {@code sideInputs} are the views {@link #apply} reads. */
  final Stage<I, O> asStage(List<PCollectionView<?>> sideInputs) {
    return new AsStage<>(this, sideInputs);
  }

  private static final class AsStage<I, O> extends Stage<I, O> {
    private final FailsafeFn<I, O> fn;
    private final List<PCollectionView<?>> sideInputs;

    AsStage(FailsafeFn<I, O> fn, List<PCollectionView<?>> sideInputs) {
      this.fn = fn;
      this.sideInputs = List.copyOf(sideInputs);
    }

    @Override
    public void startBundle() {
      fn.bundleStarted();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(I input, Emit<O> out) {
      fn.process(input, (FailsafeFn<I, O>.ProcessContext) out.context(), out);
    }

    @Override
    public List<PCollectionView<?>> sideInputs() {
      return sideInputs;
    }
  }

  /** Where a refused record came from; records that are {@link Sourced} say so themselves. */
  protected SourceRef sourceOf(I input) {
    return input instanceof Sourced
        ? ((Sourced) input).source()
        : SourceRef.of("", 0, String.valueOf(input));
  }
}
