package dev.nightshift.pipelines.healthcare.patients;

import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A keyed join: every value of a key together, for keys of which there are very many (an
 * identifier, a demographic key, a birth date, a patient). Values are keyed by a bounded number
 * of buckets of their key and grouped by bucket ({@link BatchedGroupByKey}), then split by key in
 * memory, as {@code Dedupe} does: a runner groups a few hundred buckets, not millions of keys
 * (plain GroupByKey is unusably slow on the Direct Runner with many keys). The values of a key
 * come in no particular order; consumers sort them.
 */
final class KeyGroups {
  private KeyGroups() {}

  static <V> PCollection<KV<String, List<V>>> of(
      String name, PCollection<KV<String, V>> input, Coder<V> coder, int buckets) {
    return input
        .apply(name + "/bucket", ParDo.of(new BucketFn<V>(buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), coder)))
        .apply(name + "/group", BatchedGroupByKey.create())
        .apply(name + "/split", ParDo.of(new SplitFn<V>()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(coder)));
  }

  static final class BucketFn<V> extends DoFn<KV<String, V>, KV<Integer, KV<String, V>>> {
    private final int buckets;

    BucketFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element KV<String, V> kv, OutputReceiver<KV<Integer, KV<String, V>>> out) {
      byte[] key = Buckets.encode(StringUtf8Coder.of(), kv.getKey());
      out.output(KV.of(Buckets.of(key, buckets), kv));
    }
  }

  static final class SplitFn<V> extends DoFn<KV<Integer, Iterable<KV<String, V>>>, KV<String, List<V>>> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, V>>> bucket, OutputReceiver<KV<String, List<V>>> out) {
      Map<String, List<V>> byKey = new HashMap<>();
      for (KV<String, V> kv : bucket.getValue()) {
        byKey.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
      }
      for (Map.Entry<String, List<V>> e : byKey.entrySet()) {
        out.output(KV.of(e.getKey(), e.getValue()));
      }
    }
  }
}
