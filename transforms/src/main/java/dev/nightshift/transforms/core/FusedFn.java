package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Runs a chain of {@link Stage}s in one DoFn: each stage's records go straight to the next stage's
 * {@code process}; the last stage's go to the main output, dead letters to {@code deadTag}, extra
 * records to the stages' extra outputs. A silent chain ({@code counting} false: the
 * de-duplication's key pass) counts nothing and drops dead letters and extra records. At
 * the end of a bundle each stage's {@code finishBundle} runs in order, so what a stage flushes
 * still passes through the stages after it. Global window only (batch pipelines).
 */
public final class FusedFn<S, T> extends DoFn<S, T> {
  private final List<Stage<?, ?>> stages;
  private final TupleTag<T> main;
  private final TupleTag<DeadLetter> deadTag;
  private final boolean counting;

  private transient List<Link> links; // links.get(i) receives what stage i puts out
  private transient ProcessContext processing;
  private transient FinishBundleContext finishing;

  /**
   * A chain whose dead letters go to {@code deadTag} (null: its stages refuse nothing), counted
   * unless {@code counting} is false.
   */
  public FusedFn(List<Stage<?, ?>> stages, TupleTag<T> main, TupleTag<DeadLetter> deadTag, boolean counting) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a fused chain has at least one stage");
    }
    this.stages = List.copyOf(stages);
    this.main = main;
    this.deadTag = deadTag;
    this.counting = counting;
  }

  /** Every side input of the chain's stages, each once. */
  public static List<PCollectionView<?>> sideInputs(List<Stage<?, ?>> stages) {
    Set<PCollectionView<?>> views = new LinkedHashSet<>();
    for (Stage<?, ?> s : stages) {
      views.addAll(s.sideInputs());
    }
    return new ArrayList<>(views);
  }

  /** Every extra output of the chain's stages. */
  public static List<TupleTag<?>> extraOutputs(List<Stage<?, ?>> stages) {
    List<TupleTag<?>> tags = new ArrayList<>();
    for (Stage<?, ?> s : stages) {
      tags.addAll(s.extraOutputs());
    }
    return tags;
  }

  @StartBundle
  public void startBundle() {
    if (links == null) {
      links = new ArrayList<>();
      for (int i = 0; i < stages.size(); i++) {
        links.add(new Link(i + 1));
      }
    }
    for (Stage<?, ?> s : stages) {
      s.startBundle();
    }
  }

  @ProcessElement
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void process(ProcessContext context) {
    processing = context;
    try {
      ((Stage) stages.get(0)).process(context.element(), links.get(0));
    } finally {
      processing = null;
    }
  }

  @FinishBundle
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void finishBundle(FinishBundleContext context) {
    finishing = context;
    try {
      for (int i = 0; i < stages.size(); i++) {
        ((Stage) stages.get(i)).finishBundle(links.get(i));
      }
    } finally {
      finishing = null;
    }
  }

  @SuppressWarnings("unchecked")
  private <X> void emit(TupleTag<X> tag, X value) {
    boolean isMain = tag == main; // the main output untagged: a single-output ParDo has a tag of its own
    if (processing != null) {
      if (isMain) {
        processing.output((T) value);
      } else {
        processing.output(tag, value);
      }
    } else if (finishing != null) {
      if (isMain) {
        finishing.output((T) value, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      } else {
        finishing.output(tag, value, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
    } else {
      throw new IllegalStateException("a stage put out a record outside processElement and finishBundle");
    }
  }

  /** What stage {@code next - 1} puts out: the next stage, or the DoFn's outputs after the last. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private final class Link implements Stage.Emit<Object> {
    private final int next;

    Link(int next) {
      this.next = next;
    }

    @Override
    public void output(Object record) {
      if (next < stages.size()) {
        ((Stage) stages.get(next)).process(record, links.get(next));
      } else {
        emit((TupleTag) main, record);
      }
    }

    @Override
    public void dead(DeadLetter letter) {
      if (!counting) {
        return;
      }
      if (deadTag == null) {
        throw new IllegalStateException("a stage refused a record in a chain without dead letters: " + letter);
      }
      emit(deadTag, letter);
    }

    @Override
    public <X> void side(TupleTag<X> tag, X value) {
      if (counting) {
        emit(tag, value);
      }
    }

    @Override
    public boolean counting() {
      return counting;
    }

    @Override
    public DoFn<?, ?>.ProcessContext context() {
      return processing;
    }
  }
}
