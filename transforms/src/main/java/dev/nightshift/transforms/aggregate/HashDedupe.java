package dev.nightshift.transforms.aggregate;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.transforms.core.Stage;
import dev.nightshift.transforms.core.StepCounters;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * De-duplication that shuffles key hashes, not records: {@link Dedupe}'s result (the first record
 * of each key in source order kept, the others dead letters naming the record they repeat), for a
 * chain of fused stages ({@code Checked.dedupe} on a chain that is not yet applied).
 *
 * <ol>
 *   <li>A silent pass runs the chain up to the de-duplication a second time and puts out only a
 *       64-bit hash of each record's key ({@link KeyHashes}, packed per bucket in {@code long[]}).
 *   <li>The hashes seen more than once are the candidates ({@link #candidates}), a side input: a
 *       few percent of the keys at most (the generators plant 1% duplicates), a superset of the
 *       duplicated keys (two keys may share a hash).
 *   <li>In the chain, {@link Split} passes every record whose key is not a candidate straight on;
 *       the candidates' records go to an extra output, are grouped by key bucket and de-duplicated
 *       as {@link Dedupe} does, and the kept ones continue through the rest of the chain.
 * </ol>
 *
 * Why: {@link Dedupe} groups every record (a 5M-trade day shuffled 5M whole trades with their raw
 * text, and the Direct Runner held them all in memory at once); here the shuffle carries 8 bytes
 * per record and the records themselves never leave the fused chain.
 */
public final class HashDedupe {
  private HashDedupe() {}

  /** At most this many hashes are held per bucket before they are put out. */
  static final int MAX_PACK = 1 << 16;

  /** A 64-bit hash of a key (FNV-1a over its chars, then MurmurHash3's fmix64): equal on every JVM. */
  public static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93fe53a87cdL;
    h ^= h >>> 33;
    return h;
  }

  static int bucket(long hash, int buckets) {
    return (int) Long.remainderUnsigned(hash, buckets);
  }

  /** The last stage of the silent pass: each record's key hash, packed per bucket. */
  public static final class KeyHashes<T> extends Stage<T, KV<Integer, long[]>> {
    private final SerializableFunction<T, String> key;
    private final int buckets;
    private transient long[][] packs;
    private transient int[] sizes;

    public KeyHashes(SerializableFunction<T, String> key, int buckets) {
      this.key = key;
      this.buckets = buckets;
    }

    @Override
    public void startBundle() {
      packs = new long[buckets][];
      sizes = new int[buckets];
    }

    @Override
    public void process(T record, Emit<KV<Integer, long[]>> out) {
      long h = hash(key.apply(record));
      int b = bucket(h, buckets);
      long[] pack = packs[b];
      if (pack == null) {
        pack = packs[b] = new long[256];
      } else if (sizes[b] == pack.length) {
        pack = packs[b] = Arrays.copyOf(pack, pack.length * 2);
      }
      pack[sizes[b]++] = h;
      if (sizes[b] >= MAX_PACK) {
        out.output(KV.of(b, Arrays.copyOf(pack, sizes[b])));
        packs[b] = null;
        sizes[b] = 0;
      }
    }

    @Override
    public void finishBundle(Emit<KV<Integer, long[]>> out) {
      for (int b = 0; b < buckets; b++) {
        if (sizes[b] > 0) {
          out.output(KV.of(b, Arrays.copyOf(packs[b], sizes[b])));
        }
      }
      packs = null;
      sizes = null;
    }
  }

  /** The coder of the hash packs. */
  public static KvCoder<Integer, long[]> packCoder() {
    return KvCoder.of(VarIntCoder.of(), LongArrayCoder.INSTANCE);
  }

  /**
   * The hashes that occur more than once in {@code packs}, sorted, as a side input ({@code name/...}
   * steps: grouped by bucket, counted, gathered).
   */
  public static PCollectionView<long[]> candidates(String name, PCollection<KV<Integer, long[]>> packs) {
    return packs
        .setCoder(packCoder())
        .apply(name + "/group-hashes", GroupByKey.create())
        .apply(name + "/repeated-hashes", ParDo.of(new RepeatedFn()))
        .setCoder(LongArrayCoder.INSTANCE)
        .apply(name + "/candidates", Combine.globally(new ConcatFn()).asSingletonView());
  }

  /** The hashes of one bucket that occur more than once. */
  static final class RepeatedFn extends DoFn<KV<Integer, Iterable<long[]>>, long[]> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<long[]>> bucket, OutputReceiver<long[]> out) {
      int n = 0;
      for (long[] pack : bucket.getValue()) {
        n += pack.length;
      }
      long[] all = new long[n];
      int at = 0;
      for (long[] pack : bucket.getValue()) {
        System.arraycopy(pack, 0, all, at, pack.length);
        at += pack.length;
      }
      out.output(repeated(all));
    }
  }

  /** The values of {@code hashes} (sorted in place) that occur more than once, each once. */
  static long[] repeated(long[] hashes) {
    Arrays.sort(hashes);
    long[] repeated = new long[16];
    int n = 0;
    for (int i = 1; i < hashes.length; i++) {
      if (hashes[i] == hashes[i - 1] && (n == 0 || repeated[n - 1] != hashes[i])) {
        if (n == repeated.length) {
          repeated = Arrays.copyOf(repeated, n * 2);
        }
        repeated[n++] = hashes[i];
      }
    }
    return Arrays.copyOf(repeated, n);
  }

  /** Gathers the buckets' candidates into one sorted array. */
  static final class ConcatFn extends Combine.CombineFn<long[], long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[0];
    }

    @Override
    public long[] addInput(long[] acc, long[] input) {
      long[] joined = Arrays.copyOf(acc, acc.length + input.length);
      System.arraycopy(input, 0, joined, acc.length, input.length);
      return joined;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] merged = new long[0];
      for (long[] a : accs) {
        merged = addInput(merged, a);
      }
      return merged;
    }

    @Override
    public long[] extractOutput(long[] acc) {
      long[] sorted = acc.clone();
      Arrays.sort(sorted);
      return sorted;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<long[]> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<long[]> input) {
      return LongArrayCoder.INSTANCE;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<long[]> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<long[]> input) {
      return LongArrayCoder.INSTANCE;
    }
  }

  /**
   * In the chain: counts every record in; one whose key is not a candidate is counted out and
   * passes on, a candidate's record goes to {@code candidatesTag} keyed by bucket and key. In a
   * silent pass every record passes on (the pass wants a superset of the records that follow).
   */
  public static final class Split<T> extends Stage<T, T> {
    private final SerializableFunction<T, String> key;
    private final PCollectionView<long[]> candidates;
    private final TupleTag<KV<Integer, KV<String, T>>> candidatesTag;
    private final int buckets;
    private final StepCounters counters;
    private transient long[] hashes;

    public Split(
        String step,
        SerializableFunction<T, String> key,
        PCollectionView<long[]> candidates,
        TupleTag<KV<Integer, KV<String, T>>> candidatesTag,
        int buckets) {
      this.key = key;
      this.candidates = candidates;
      this.candidatesTag = candidatesTag;
      this.buckets = buckets;
      this.counters = new StepCounters(step);
    }

    @Override
    public void startBundle() {
      hashes = null;
    }

    @Override
    public void process(T record, Emit<T> out) {
      if (!out.counting()) {
        out.output(record);
        return;
      }
      counters.in();
      if (hashes == null) {
        hashes = out.context().sideInput(candidates);
      }
      String k = key.apply(record);
      long h = hash(k);
      if (Arrays.binarySearch(hashes, h) < 0) {
        counters.out();
        out.output(record);
      } else {
        out.side(candidatesTag, KV.of(bucket(h, buckets), KV.of(k, record)));
      }
    }

    @Override
    public List<PCollectionView<?>> sideInputs() {
      return List.of(candidates);
    }

    @Override
    public List<TupleTag<?>> extraOutputs() {
      return List.of(candidatesTag);
    }
  }

  /**
   * The candidates' records grouped by bucket and de-duplicated ({@code name/...} steps): the kept
   * records (counted out), and the dead letters of the others (counted dead).
   */
  public static <T> PCollectionTuple keepFirst(
      String name,
      PCollection<KV<Integer, KV<String, T>>> candidates,
      String pipeline,
      String step,
      SerializableFunction<T, Sourced> sourced,
      String reason,
      TupleTag<T> kept,
      TupleTag<DeadLetter> deadTag) {
    return candidates
        .apply(name + "/group-candidates", BatchedGroupByKey.create())
        .apply(name + "/keep-first",
            ParDo.of(new Dedupe.KeepFirstFn<>(pipeline, step, sourced, reason, deadTag, kept))
                .withOutputTags(kept, TupleTagList.of(deadTag)));
  }

  /** {@code long[]}: its length, then each value in 8 bytes. Deterministic. */
  public static final class LongArrayCoder extends CustomCoder<long[]> {
    static final LongArrayCoder INSTANCE = new LongArrayCoder();

    @Override
    public void encode(long[] values, OutputStream out) throws IOException {
      VarInt.encode(values.length, out);
      DataOutputStream data = new DataOutputStream(out);
      for (long v : values) {
        data.writeLong(v);
      }
      data.flush();
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      int n = VarInt.decodeInt(in);
      DataInputStream data = new DataInputStream(in);
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        values[i] = data.readLong();
      }
      return values;
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return false;
    }
  }
}
