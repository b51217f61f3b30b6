package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.transforms.aggregate.Dedupe;
import dev.nightshift.transforms.aggregate.HashDedupe;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The good records of the last step of a chain, with that step's name. Dead letters do not travel
 * with it: every step hands them to the run as it is applied, so none can be forgotten. Each
 * {@link #then} registers its balances with the run audit: the step balances, and it receives
 * every record the step before it put out.
 *
 * <p><b>Fusion.</b> A chain is not applied step by step: a reader ({@code ReadCsv}) and the steps
 * after it ({@link #then}, {@link #through}, {@link #dedupe}, the pre-aggregation of
 * {@link #combine}) are {@link Stage}s that run together in one DoFn ({@link FusedFn}), applied
 * when the records are needed: {@link #output()}, {@link #asMap}, {@link #combine}. The counts,
 * dead letters and records are those of the steps applied one by one (every pipeline's tests check
 * its outputs and manifest); what changes is that no record is handed from step to step through
 * the runner (see {@link Stage} for why). {@link #dedupe} on such a chain shuffles key hashes
 * instead of records ({@link HashDedupe}), which splits the chain: the records of repeated keys
 * take a second branch, de-duplicated, through the same later stages; {@link #output()} flattens the
 * branches.
 *
 * <p>A chain that is not applied yet is continued once: a second {@code then}, {@code dedupe} or
 * {@code output} of the same unapplied Checked would run its stages twice (counted twice), so it is
 * refused. {@code output()} applies the chain; the result can then be used any number of times.
 */
public final class Checked<T> {
  private final NightshiftRun run;
  private final String step;
  private final Coder<T> coder;

  /** The applied records, or null while the chain is pending. */
  private PCollection<T> output;

  /** The pending chain: its branches, or null once applied. */
  private List<Branch> branches;

  /** Whether a pending chain was continued (it belongs to the continuation now). */
  private boolean continued;

  private Checked(NightshiftRun run, String step, PCollection<T> output) {
    this.run = run;
    this.step = step;
    this.output = output;
    this.coder = output.getCoder();
  }

  private Checked(NightshiftRun run, String step, Coder<T> coder, List<Branch> branches) {
    this.run = run;
    this.step = step;
    this.coder = coder;
    this.branches = branches;
  }

  /**
   * A source of records for a fused chain: a materialized collection, or the extra output of an
   * earlier branch (a tap), prepared by {@code prepare} (grouping, de-duplication) once its
   * producers are applied.
   */
  private record Source(PCollection<?> root, TupleTag<?> tap, Coder<?> tapCoder, String name,
      Function<PCollection<?>, PCollection<?>> prepare) {}

  /** One branch of a pending chain: a source and the stages (with their step names) after it. */
  private record Branch(Source source, List<Stage<?, ?>> stages, List<String> steps) {
    Branch with(Stage<?, ?> stage, String step) {
      List<Stage<?, ?>> s = new ArrayList<>(stages);
      s.add(stage);
      List<String> n = new ArrayList<>(steps);
      n.add(step);
      return new Branch(source, s, n);
    }
  }

  /** The first step of a chain (a reader): its own balance is registered here. */
  public static <T> Checked<T> source(
      NightshiftRun run, String step, PCollection<T> output, PCollection<DeadLetter> deadLetters) {
    run.audit().step(step);
    run.addDeadLetters(deadLetters);
    return new Checked<>(run, step, output);
  }

  /**
   * The first step of a chain that runs fused: {@code reader} turns each element of {@code input}
   * (a file, a byte range of one) into records and dead letters, counted as step {@code step}.
   */
  public static <E, T> Checked<T> fusedSource(
      NightshiftRun run, String step, PCollection<E> input, Stage<E, T> reader, Coder<T> coder) {
    run.audit().step(step);
    Source source = new Source(input, null, null, step, null);
    return new Checked<>(run, step, coder,
        List.of(new Branch(source, List.of(reader), List.of(step))));
  }

  /**
   * The records of several chains as one (a flatten that is not applied either): the steps that
   * follow, and {@link #combine}'s pre-aggregation, run fused at the end of every part's branches.
   * {@code label} names the union; it is no step of its own (the caller audits the parts).
   */
  @SafeVarargs
  public static <T> Checked<T> union(NightshiftRun run, String label, Coder<T> coder, Checked<T>... parts) {
    List<Branch> all = new ArrayList<>();
    for (Checked<T> part : parts) {
      if (part != null) {
        all.addAll(part.pendingBranches());
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("a union of no chains: " + label);
    }
    return new Checked<>(run, label, coder, all);
  }

  /** Continues a chain from a step that was applied and audited by other means. */
  public static <T> Checked<T> after(NightshiftRun run, String step, PCollection<T> output) {
    return new Checked<>(run, step, output);
  }

  /** The records, applying the chain if it is pending. */
  public PCollection<T> output() {
    if (output == null) {
      claim();
      output = materialize(branches, coder, step);
      branches = null;
    }
    return output;
  }

  public String step() {
    return step;
  }

  public NightshiftRun run() {
    return run;
  }

  public Coder<T> coder() {
    return coder;
  }

  /** Applies a failsafe step; its output coder is inferred from the step's type. */
  public <O> Checked<O> then(
      String next, FailsafeFn<? super T, O> fn, PCollectionView<?>... sideInputs) {
    return then(next, fn, null, sideInputs);
  }

  /** Applies a failsafe step with an explicit output coder. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <O> Checked<O> then(
      String next, FailsafeFn<? super T, O> fn, Coder<O> coder, PCollectionView<?>... sideInputs) {
    ((FailsafeFn) fn).bind(run.name(), next, run.deadTag());
    Coder<O> out = coder != null ? coder : inferCoder(fn);
    Checked<O> result = through(next, ((FailsafeFn<T, O>) fn).asStage(List.of(sideInputs)), out);
    run.audit().link(step, next).step(next);
    return result;
  }

  /**
   * Continues the chain with a stage of its own (one that puts out several records per input, or
   * counts in its own way): fused like every step, registered with the audit by the caller.
   */
  public <O> Checked<O> through(String next, Stage<? super T, O> stage, Coder<O> outCoder) {
    List<Branch> pending = pendingBranches();
    List<Branch> extended = new ArrayList<>();
    for (Branch b : pending) {
      extended.add(b.with(stage, next));
    }
    return new Checked<>(run, next, outCoder, extended);
  }

  /**
   * Combines the records (key-value pairs) per key with {@code combine}: its pre-aggregation runs
   * fused at the end of the chain, so only partial sums leave it.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <K, V, A, O> PCollection<KV<K, O>> combine(String name, KeyedCombine<K, V, A, O> combine) {
    KvCoder<K, V> kv = (KvCoder<K, V>) (Coder) coder;
    if (output != null) {
      return ((PCollection<KV<K, V>>) (PCollection) output).apply(name, combine);
    }
    Checked<KV<Integer, KV<K, A>>> partials =
        through(name, (Stage) combine.preAggregate(kv.getKeyCoder()),
            combine.partialCoder(run.pipeline().getCoderRegistry(), kv));
    return combine.merge(name, partials.output(), kv);
  }

  /**
   * The records as a side input by {@code key} (reference data: securities, plans, a fee
   * schedule), through the counted step {@code name} ({@link #toView}). Keys must be unique:
   * de-duplicate first.
   */
  public PCollectionView<Map<String, T>> asMap(String name, SerializableFunction<T, String> key) {
    PCollection<T> records = toView(name);
    return records
        .apply(name + "/key", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), records.getCoder().getEncodedTypeDescriptor()))
            .via((T t) -> KV.of(key.apply(t), t)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), records.getCoder()))
        .apply(name + "/view", View.asMap());
  }

  /**
   * The records on their way into a side input, through a step of their own, {@code step}, that
   * counts them (in = out) and is linked to this chain's last step in the audit.
   *
   * <p>Why: a chain that ends in a side input has no count after it. On Spark, a lost executor
   * makes the runner run again the tasks whose stored output it held, and their attempted counters
   * count a second time; when the re-run is for another consumer (the dead letters, written last)
   * the whole fused chain counts twice and stays balanced within itself. The side input is built
   * once, so this step counts once: the audit sees the difference and fails the run, which the
   * rerun settles (ExecutorKillTest).
   */
  public PCollection<T> toView(String step) {
    PCollection<T> records = output();
    PCollection<T> counted =
        records.apply(step, ParDo.of(new CountFn<T>(step))).setCoder(records.getCoder());
    run.audit().link(this.step, step).step(step);
    return counted;
  }

  /**
   * Keeps the first record of each key (first in file and line order, so the choice is the same
   * on every runner) and dead-letters the others with {@code reason}.
   */
  public Checked<T> dedupe(String next, SerializableFunction<T, String> key, String reason) {
    return dedupe(next, key, reason, null);
  }

  /**
   * As {@link #dedupe(String, SerializableFunction, String)}, for a key that is the text of CSV
   * column {@code keyColumn} ({@code row.text(keyColumn)}, as the parser reads it): when the chain
   * before the de-duplication is only its CSV reader, the key pass reads that column and parses
   * nothing else. {@code key} must give exactly that text for every record, or repeated keys
   * could be missed; {@code FusedChainTest} and each pipeline's reference model check it.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Checked<T> dedupe(String next, SerializableFunction<T, String> key, String reason, String keyColumn) {
    if (output != null) {
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
    List<Branch> pending = pendingBranches();
    int buckets = run.options().getAggregationBuckets();

    // 1. the silent pass: the chain again from each root source, key hashes out
    List<PCollection<KV<Integer, long[]>>> packs = new ArrayList<>();
    int i = 0;
    for (Branch b : pending) {
      if (b.source().root() == null) {
        continue; // a tap's records went through a root branch's stages too (silently, all of them)
      }
      List<Stage<?, ?>> stages = new ArrayList<>(b.stages());
      Stage<?, String> keysOnly = keyColumn != null && stages.size() == 1 ? stages.get(0).keyPass(keyColumn) : null;
      if (keysOnly != null) {
        stages = new ArrayList<>(List.of(keysOnly, new HashDedupe.KeyHashes<String>(s -> s, buckets)));
      } else {
        stages.add(new HashDedupe.KeyHashes<>(key, buckets));
      }
      PCollection<KV<Integer, long[]>> hashes = (PCollection<KV<Integer, long[]>>)
          ((PCollection) b.source().root()).apply(next + "/hash-keys" + (i++ == 0 ? "" : "-" + i),
              ParDo.of(new FusedFn<>(stages, new TupleTag<KV<Integer, long[]>>(), null, false))
                  .withSideInputs(FusedFn.sideInputs(stages)));
      packs.add(hashes.setCoder(HashDedupe.packCoder()));
    }
    PCollection<KV<Integer, long[]>> allPacks = packs.size() == 1
        ? packs.get(0)
        : PCollectionList.of(packs).apply(next + "/flatten-hashes", Flatten.pCollections());
    PCollectionView<long[]> candidates = HashDedupe.candidates(next, allPacks);

    // 2. every branch splits off the records of candidate keys; they meet in a new branch
    TupleTag<KV<Integer, KV<String, T>>> tap = new TupleTag<>();
    Coder<KV<Integer, KV<String, T>>> tapCoder =
        KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), coder));
    List<Branch> split = new ArrayList<>();
    for (Branch b : pending) {
      split.add(b.with(new HashDedupe.Split<>(next, key, candidates, tap, buckets), next));
    }
    String pipeline = run.name();
    TupleTag<DeadLetter> deadTag = run.deadTag();
    Coder<T> recordCoder = coder;
    Function<PCollection<?>, PCollection<?>> keepFirst = in -> {
      TupleTag<T> kept = new TupleTag<>();
      PCollectionTuple result = HashDedupe.keepFirst(next, (PCollection) in, pipeline, next,
          (SerializableFunction<T, Sourced>) t -> (Sourced) t, reason, kept, deadTag);
      run.addDeadLetters(result.get(deadTag).setCoder(DeadLetter.CODER));
      return result.get(kept).setCoder(recordCoder);
    };
    split.add(new Branch(new Source(null, tap, tapCoder, next, keepFirst), List.of(), List.of()));
    run.audit().link(step, next).step(next);
    return new Checked<>(run, next, coder, split);
  }

  // -----------------------------------------------------------------------------------------------

  /** The pending branches, claimed for a continuation; an applied chain starts a new one. */
  private List<Branch> pendingBranches() {
    if (output != null) {
      Source source = new Source(output, null, null, step, null);
      return List.of(new Branch(source, List.of(), List.of()));
    }
    claim();
    return branches;
  }

  private void claim() {
    if (continued) {
      throw new IllegalStateException(
          "the chain ending at step '" + step + "' is not applied yet and was continued already:"
              + " call output() once and continue from its records, or its steps would run twice");
    }
    continued = true;
  }

  /** Applies each branch as one fused ParDo, in order (a tap's producers come first), and flattens. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private PCollection<T> materialize(List<Branch> all, Coder<T> outCoder, String name) {
    Map<TupleTag<?>, List<PCollection<?>>> tapped = new HashMap<>();
    Map<TupleTag<?>, Coder<?>> tapCoders = new HashMap<>();
    for (Branch b : all) {
      if (b.source().tap() != null) {
        tapCoders.put(b.source().tap(), b.source().tapCoder());
      }
    }
    List<PCollection<T>> mains = new ArrayList<>();
    for (Branch b : all) {
      PCollection<?> in;
      Source src = b.source();
      if (src.root() != null) {
        in = src.root();
      } else {
        List<PCollection<?>> producers = tapped.getOrDefault(src.tap(), List.of());
        PCollection<?> joined = producers.size() == 1
            ? producers.get(0)
            : ((PCollection) PCollectionList.of((List) producers)
                .apply(src.name() + "/flatten-candidates", Flatten.pCollections()))
                .setCoder((Coder) src.tapCoder());
        in = src.prepare().apply(joined);
      }
      if (b.stages().isEmpty()) {
        mains.add((PCollection<T>) in);
        continue;
      }
      TupleTag<T> main = new TupleTag<>();
      List<TupleTag<?>> extra = FusedFn.extraOutputs(b.stages());
      List<TupleTag<?>> others = new ArrayList<>();
      others.add(run.deadTag());
      others.addAll(extra);
      String label = (src.root() != null ? "" : "(" + src.name() + " candidates) ")
          + String.join("+", b.steps());
      PCollectionTuple result = (PCollectionTuple) ((PCollection) in).apply(label,
          ParDo.of(new FusedFn<>(b.stages(), main, run.deadTag(), true))
              .withOutputTags(main, TupleTagList.of(others))
              .withSideInputs(FusedFn.sideInputs(b.stages())));
      run.addDeadLetters(result.get(run.deadTag()).setCoder(DeadLetter.CODER));
      for (TupleTag<?> tag : extra) {
        tapped.computeIfAbsent(tag, t -> new ArrayList<>())
            .add(result.get(tag).setCoder((Coder) tapCoders.get(tag)));
      }
      PCollection<T> good = result.get(main);
      if (outCoder != null) {
        good.setCoder(outCoder);
      }
      mains.add(good);
    }
    if (mains.size() == 1) {
      return mains.get(0);
    }
    PCollection<T> flat = PCollectionList.of(mains).apply(name + "/flatten-branches", Flatten.pCollections());
    if (outCoder != null) {
      flat.setCoder(outCoder);
    }
    return flat;
  }

  @SuppressWarnings("unchecked")
  private <O> Coder<O> inferCoder(FailsafeFn<?, O> fn) {
    try {
      return run.pipeline().getCoderRegistry().getCoder(fn.getOutputTypeDescriptor());
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(
          "no coder for the output of step " + fn.getClass().getSimpleName() + ": give one to then()", e);
    }
  }
}
