package dev.nightshift.transforms.aggregate;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.transforms.core.StepCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Keeps one record per key, the first in source order (file, then line), and dead-letters every
 * other with the given reason and the position of the record it duplicates. Records are grouped by
 * a bounded number of key buckets ({@link Buckets}), not by key, so it stays fast on the Direct
 * Runner with millions of distinct keys. The choice of the kept record does not depend on the
 * runner or on bundle order.
 */
public final class Dedupe<T> extends PTransform<PCollection<T>, Dedupe.Result<T>> {

  /** What is kept, and the dead letters of what was not. */
  public static final class Result<T> implements org.apache.beam.sdk.values.POutput {
    private final PCollectionTuple tuple;
    private final TupleTag<T> kept;
    private final TupleTag<DeadLetter> dead;

    Result(PCollectionTuple tuple, TupleTag<T> kept, TupleTag<DeadLetter> dead) {
      this.tuple = tuple;
      this.kept = kept;
      this.dead = dead;
    }

    public PCollection<T> kept() {
      return tuple.get(kept);
    }

    public PCollection<DeadLetter> deadLetters() {
      return tuple.get(dead);
    }

    @Override
    public org.apache.beam.sdk.Pipeline getPipeline() {
      return tuple.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, org.apache.beam.sdk.values.PValue> expand() {
      return tuple.expand();
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName,
        org.apache.beam.sdk.values.PInput input,
        PTransform<?, ?> transform) {}
  }

  private final String pipeline;
  private final String step;
  private final SerializableFunction<T, Sourced> sourced;
  private final SerializableFunction<T, String> key;
  private final String reason;
  private final TupleTag<DeadLetter> deadTag;
  private final int buckets;

  private Dedupe(
      String pipeline,
      String step,
      SerializableFunction<T, Sourced> sourced,
      SerializableFunction<T, String> key,
      String reason,
      TupleTag<DeadLetter> deadTag,
      int buckets) {
    this.pipeline = pipeline;
    this.step = step;
    this.sourced = sourced;
    this.key = key;
    this.reason = reason;
    this.deadTag = deadTag;
    this.buckets = buckets;
  }

  public static <T> Dedupe<T> firstOf(
      String pipeline,
      String step,
      SerializableFunction<T, Sourced> sourced,
      SerializableFunction<T, String> key,
      String reason,
      TupleTag<DeadLetter> deadTag,
      int buckets) {
    return new Dedupe<>(pipeline, step, sourced, key, reason, deadTag, buckets);
  }

  @Override
  public Result<T> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    TupleTag<T> kept = new TupleTag<>();
    PCollectionTuple result =
        input
            .apply("KeyByBucket", ParDo.of(new KeyByBucketFn<>(key, buckets, new StepCounters(step))))
            .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), coder)))
            .apply("GroupByBucket", BatchedGroupByKey.create())
            .apply(
                "KeepFirst",
                ParDo.of(new KeepFirstFn<>(pipeline, step, sourced, reason, deadTag, kept))
                    .withOutputTags(kept, TupleTagList.of(deadTag)));
    result.get(kept).setCoder(coder);
    result.get(deadTag).setCoder(DeadLetter.CODER);
    return new Result<>(result, kept, deadTag);
  }

  static final class KeyByBucketFn<T> extends DoFn<T, KV<Integer, KV<String, T>>> {
    private final SerializableFunction<T, String> key;
    private final int buckets;
    private final StepCounters counters;

    KeyByBucketFn(SerializableFunction<T, String> key, int buckets, StepCounters counters) {
      this.key = key;
      this.buckets = buckets;
      this.counters = counters;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, KV<String, T>>> out) {
      counters.in();
      String k = key.apply(element);
      // what StringUtf8Coder writes for a whole value: its UTF-8 bytes
      byte[] bytes = k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.output(KV.of(Buckets.of(bytes, buckets), KV.of(k, element)));
    }
  }

  static final class KeepFirstFn<T> extends DoFn<KV<Integer, Iterable<KV<String, T>>>, T> {
    private final String pipeline;
    private final SerializableFunction<T, Sourced> sourced;
    private final String reason;
    private final TupleTag<DeadLetter> deadTag;
    private final TupleTag<T> kept;
    private final StepCounters counters;

    KeepFirstFn(
        String pipeline,
        String step,
        SerializableFunction<T, Sourced> sourced,
        String reason,
        TupleTag<DeadLetter> deadTag,
        TupleTag<T> kept) {
      this.pipeline = pipeline;
      this.sourced = sourced;
      this.reason = reason;
      this.deadTag = deadTag;
      this.kept = kept;
      this.counters = new StepCounters(step);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, T>>> bucket, MultiOutputReceiver out) {
      Map<String, T> first = new HashMap<>();
      List<KV<String, T>> others = new ArrayList<>();
      for (KV<String, T> kv : bucket.getValue()) {
        T candidate = kv.getValue();
        T current = first.get(kv.getKey());
        if (current == null) {
          first.put(kv.getKey(), candidate);
        } else if (sourced.apply(candidate).source().compareTo(sourced.apply(current).source()) < 0) {
          others.add(KV.of(kv.getKey(), current));
          first.put(kv.getKey(), candidate);
        } else {
          others.add(kv);
        }
      }
      for (T t : first.values()) {
        counters.out();
        out.get(kept).output(t);
      }
      for (KV<String, T> other : others) {
        var original = sourced.apply(first.get(other.getKey())).source();
        counters.dead(reason);
        out.get(deadTag)
            .output(
                DeadLetter.of(
                    pipeline,
                    counters.step(),
                    sourced.apply(other.getValue()).source(),
                    reason,
                    "duplicate key '"
                        + other.getKey()
                        + "': first seen at "
                        + original.file()
                        + ":"
                        + original.line()));
      }
    }
  }
}
