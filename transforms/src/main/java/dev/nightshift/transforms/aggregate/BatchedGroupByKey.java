package dev.nightshift.transforms.aggregate;

import dev.nightshift.transforms.core.Runners;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code GroupByKey} for a few keys with very many values each (key buckets, a single output
 * file): values are batched per key inside each bundle, and the batches are grouped.
 *
 * <p>Why: the Direct Runner keeps a group's values in a state bag that it copies, element by
 * element, each time a new value is added, so a key with n values costs O(n^2) clones (measured:
 * 72% of a 200k-trade run went to {@code InMemoryStateInternals.uncheckedClone}). With batches, a
 * key receives one value per bundle (or per {@code maxBatch} values) and the cost is linear. On
 * Spark it also means fewer, larger shuffle records. Global window only.
 *
 * <p>On the Direct Runner a batch is its values encoded into one {@code byte[]} (decoded again as
 * the group is iterated): the runner holds every group in memory until the input is done, and
 * copies a group's state through its coder each time a bundle adds to it. As bytes, a 5M-trade
 * day's partial sums take a fifth of the heap they took as objects, and each copy is an array copy
 * instead of an encode and a decode of every value. A batch is also closed at
 * {@link #MAX_BATCH_BYTES}: the G1 collector puts an array of half a region or more (1 MiB at a
 * 4 GiB heap) in whole regions of its own, and batches of 20,000 long lines (a sorted sink of
 * FHIR JSON, W2) were 30 MB arrays, copied at each bundle, that ran a 4 GiB heap out of memory.
 */
public final class BatchedGroupByKey<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {

  private final int maxBatch;

  /** Largest batch on runners that shuffle (everything but the Direct Runner, in one JVM). */
  static final int SHUFFLE_BATCH = 1_000;

  /** Largest encoded batch on the Direct Runner, in bytes (one value more may pass it). */
  static final int MAX_BATCH_BYTES = 256 << 10;

  private BatchedGroupByKey(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  public static <K, V> BatchedGroupByKey<K, V> create() {
    return new BatchedGroupByKey<>(20_000);
  }

  public static <K, V> BatchedGroupByKey<K, V> withMaxBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be positive");
    }
    return new BatchedGroupByKey<>(maxBatch);
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("BatchedGroupByKey supports the global window only");
    }
    @SuppressWarnings("unchecked")
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    Buckets.requireDeterministic(coder.getKeyCoder(), "BatchedGroupByKey");
    Coder<V> valueCoder = coder.getValueCoder();
    if (Runners.isDirect(input.getPipeline().getOptions())) {
      return input
          .apply("Batch", ParDo.of(new EncodedBatchFn<K, V>(maxBatch, valueCoder)))
          .setCoder(KvCoder.of(coder.getKeyCoder(), ByteArrayCoder.of()))
          .apply("GroupBatches", GroupByKey.create())
          .apply("Unbatch", ParDo.of(new DecodeFn<K, V>(valueCoder)))
          .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(valueCoder)));
    }
    // Batches are capped where a runner shuffles them: smaller ones keep a shuffle's in-memory sort
    // able to spill (20,000 whole trades in one record ran a 4 GiB Spark heap out of memory at 5M).
    return input
        .apply("Batch", ParDo.of(new BatchFn<K, V>(Math.min(maxBatch, SHUFFLE_BATCH))))
        .setCoder(KvCoder.of(coder.getKeyCoder(), ListCoder.of(valueCoder)))
        .apply("GroupBatches", GroupByKey.create())
        .apply("Unbatch", ParDo.of(new ConcatFn<K, V>()))
        .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(valueCoder)));
  }

  static final class BatchFn<K, V> extends DoFn<KV<K, V>, KV<K, List<V>>> {
    private final int maxBatch;
    private transient Map<K, List<V>> batches;

    BatchFn(int maxBatch) {
      this.maxBatch = maxBatch;
    }

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<K, List<V>>> out) {
      List<V> batch = batches.computeIfAbsent(element.getKey(), k -> new ArrayList<>());
      batch.add(element.getValue());
      if (batch.size() >= maxBatch) {
        out.output(KV.of(element.getKey(), batch));
        batches.remove(element.getKey());
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<K, List<V>> e : batches.entrySet()) {
        context.output(
            KV.of(e.getKey(), e.getValue()), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
      batches = null;
    }
  }

  /** Batches as bytes: each value in its coder's nested encoding, one after the other. */
  static final class EncodedBatchFn<K, V> extends DoFn<KV<K, V>, KV<K, byte[]>> {
    private final int maxBatch;
    private final Coder<V> valueCoder;
    private transient Map<K, Batch> batches;

    EncodedBatchFn(int maxBatch, Coder<V> valueCoder) {
      this.maxBatch = maxBatch;
      this.valueCoder = valueCoder;
    }

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<K, byte[]>> out) throws IOException {
      byte[] full = add(element.getKey(), element.getValue());
      if (full != null) {
        out.output(KV.of(element.getKey(), full));
      }
    }

    /** Adds a value to its key's batch; the batch, sealed, when that made it full, else null. */
    byte[] add(K key, V value) throws IOException {
      Batch batch = batches.computeIfAbsent(key, k -> new Batch());
      valueCoder.encode(value, batch);
      batch.values++;
      if (batch.values < maxBatch && batch.size() < MAX_BATCH_BYTES) {
        return null;
      }
      batches.remove(key);
      return batch.sealed();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<K, Batch> e : batches.entrySet()) {
        context.output(
            KV.of(e.getKey(), e.getValue().sealed()), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
      batches = null;
    }
  }

  /** An open batch: the encoded values, and how many they are. */
  static final class Batch extends ByteArrayOutputStream {
    int values;

    Batch() {
      super(1 << 12);
    }

    /** The batch: how many values (a varint), then the values. */
    byte[] sealed() {
      try {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream(size() + 5);
        VarInt.encode(values, sealed);
        writeTo(sealed);
        return sealed.toByteArray();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** The values of a key's encoded batches, decoded as they are iterated. */
  static final class DecodeFn<K, V> extends DoFn<KV<K, Iterable<byte[]>>, KV<K, Iterable<V>>> {
    private final Coder<V> valueCoder;

    DecodeFn(Coder<V> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<byte[]>> group, OutputReceiver<KV<K, Iterable<V>>> out) {
      Iterable<byte[]> batches = group.getValue();
      Coder<V> coder = valueCoder;
      out.output(KV.of(group.getKey(), () -> new Decoded<>(batches.iterator(), coder)));
    }
  }

  /** Iterates the values encoded in a sequence of batches, in order. */
  static final class Decoded<V> implements Iterator<V> {
    private final Iterator<byte[]> batches;
    private final Coder<V> coder;
    private ByteArrayInputStream current;
    private int left; // values left in the current batch

    Decoded(Iterator<byte[]> batches, Coder<V> coder) {
      this.batches = batches;
      this.coder = coder;
    }

    @Override
    public boolean hasNext() {
      while (left == 0 && batches.hasNext()) {
        current = new ByteArrayInputStream(batches.next());
        try {
          left = VarInt.decodeInt(current);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot read a batch", e);
        }
      }
      return left > 0;
    }

    @Override
    public V next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      try {
        left--;
        return coder.decode(current);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot decode a batched value", e);
      }
    }
  }

  static final class ConcatFn<K, V> extends DoFn<KV<K, Iterable<List<V>>>, KV<K, Iterable<V>>> {
    @ProcessElement
    public void process(@Element KV<K, Iterable<List<V>>> group, OutputReceiver<KV<K, Iterable<V>>> out) {
      Iterable<List<V>> batches = group.getValue();
      out.output(KV.of(group.getKey(), () -> new Concat<>(batches.iterator())));
    }
  }

  /** Iterates the values of a sequence of batches, in order. */
  static final class Concat<V> implements Iterator<V> {
    private final Iterator<List<V>> batches;
    private Iterator<V> current = java.util.Collections.emptyIterator();

    Concat(Iterator<List<V>> batches) {
      this.batches = batches;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && batches.hasNext()) {
        current = batches.next().iterator();
      }
      return current.hasNext();
    }

    @Override
    public V next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return current.next();
    }
  }
}
