package dev.nightshift.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeyedCombineTest {

  @RegisterExtension final TestPipelineExtension extension = TestPipelineExtension.create();

  /** A mutable accumulator: sum and count. */
  static final class Acc {
    long sum;
    long count;
  }

  static final class AccCoder extends CustomCoder<Acc> {
    @Override
    public void encode(Acc value, OutputStream out) throws IOException {
      VarInt.encode(value.sum, out);
      VarInt.encode(value.count, out);
    }

    @Override
    public Acc decode(InputStream in) throws IOException {
      Acc a = new Acc();
      a.sum = VarInt.decodeLong(in);
      a.count = VarInt.decodeLong(in);
      return a;
    }

    @Override
    public void verifyDeterministic() {}
  }

  /**
   * "sum/count" of the values of a key. It mutates its accumulators in place, as CombineFns may:
   * addInput adds to its argument, mergeAccumulators merges into the first one.
   */
  static final class SumCountFn extends Combine.CombineFn<Long, Acc, String> {
    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc acc, Long input) {
      acc.sum += input;
      acc.count++;
      return acc;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accumulators) {
      Iterator<Acc> it = accumulators.iterator();
      Acc first = it.next();
      while (it.hasNext()) {
        Acc other = it.next();
        first.sum += other.sum;
        first.count += other.count;
      }
      return first;
    }

    @Override
    public String extractOutput(Acc acc) {
      return acc.sum + "/" + acc.count;
    }

    @Override
    public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return new AccCoder();
    }

    @Override
    public Coder<String> getDefaultOutputCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return StringUtf8Coder.of();
    }
  }

  private static List<KV<String, Long>> randomData(long seed, int n, int keys) {
    Random random = new Random(seed);
    List<KV<String, Long>> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data.add(KV.of("k" + random.nextInt(keys), (long) random.nextInt(2001) - 1000));
    }
    return data;
  }

  @Test
  void equalsCombinePerKeyOnRandomDataWithFlushes(TestPipeline p) {
    List<KV<String, Long>> data = randomData(42, 3000, 400);
    Map<String, long[]> expected = new TreeMap<>();
    for (KV<String, Long> kv : data) {
      long[] sc = expected.computeIfAbsent(kv.getKey(), k -> new long[2]);
      sc[0] += kv.getValue();
      sc[1]++;
    }
    List<KV<String, Long>> sums = new ArrayList<>();
    List<KV<String, String>> sumCounts = new ArrayList<>();
    expected.forEach(
        (k, sc) -> {
          sums.add(KV.of(k, sc[0]));
          sumCounts.add(KV.of(k, sc[0] + "/" + sc[1]));
        });

    PCollection<KV<String, Long>> input =
        p.apply(Create.of(data).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    // Tiny limits: every bundle flushes many times and every bucket merges many partials.
    PCollection<KV<String, Long>> keyedSum =
        input.apply(
            "keyed sum",
            KeyedCombine.<String, Long, long[], Long>perKey(Sum.ofLongs())
                .withBuckets(3)
                .withPreAggregationLimit(2));
    PCollection<KV<String, Long>> beamSum = input.apply("beam sum", Sum.longsPerKey());
    PCollection<KV<String, String>> keyedSumCount =
        input.apply(
            "keyed sum/count",
            KeyedCombine.<String, Long, Acc, String>perKey(new SumCountFn())
                .withBuckets(5)
                .withPreAggregationLimit(3));
    PCollection<KV<String, String>> beamSumCount =
        input.apply("beam sum/count", Combine.perKey(new SumCountFn()));
    PCollection<KV<String, Long>> keyedSumOneBucket =
        input.apply(
            "keyed sum, one bucket, one flush per element",
            KeyedCombine.<String, Long, long[], Long>perKey(Sum.ofLongs())
                .withBuckets(1)
                .withPreAggregationLimit(1));

    PAssert.that("keyed sum", keyedSum).containsInAnyOrder(sums);
    PAssert.that("beam sum", beamSum).containsInAnyOrder(sums);
    PAssert.that("keyed sum/count", keyedSumCount).containsInAnyOrder(sumCounts);
    PAssert.that("beam sum/count", beamSumCount).containsInAnyOrder(sumCounts);
    PAssert.that("keyed sum one bucket", keyedSumOneBucket).containsInAnyOrder(sums);
    p.run().waitUntilFinish();
  }

  @Test
  void emptyInputGivesEmptyOutput(TestPipeline p) {
    PCollection<KV<String, String>> out =
        p.apply(Create.empty(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(KeyedCombine.<String, Long, Acc, String>perKey(new SumCountFn()).withBuckets(4));
    PAssert.that(out).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void nonDeterministicKeyCodersAreRefused(TestPipeline p) {
    p.enableAbandonedNodeEnforcement(false);
    PCollection<KV<Double, Long>> doubles =
        p.apply(
            "doubles",
            Create.of(KV.of(1.5, 1L)).withCoder(KvCoder.of(DoubleCoder.of(), VarLongCoder.of())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> doubles.apply("sum doubles", KeyedCombine.perKey(Sum.ofLongs())));
    assertTrue(e.getMessage().contains("KeyedCombine"), e.getMessage());
    assertTrue(e.getMessage().contains("deterministic"), e.getMessage());

    PCollection<KV<ArrayList<String>, Long>> serializable =
        p.apply(
            "serializable",
            Create.of(KV.of(new ArrayList<>(List.of("a")), 1L))
                .withCoder(
                    KvCoder.of(
                        SerializableCoder.of(
                            (Class<ArrayList<String>>) (Class<?>) ArrayList.class),
                        VarLongCoder.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> serializable.apply("sum serializable", KeyedCombine.perKey(Sum.ofLongs())));
  }

  @Test
  void nonGlobalWindowsAreRefused(TestPipeline p) {
    p.enableAbandonedNodeEnforcement(false);
    PCollection<KV<String, Long>> windowed =
        p.apply(Create.of(KV.of("a", 1L)).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> windowed.apply(KeyedCombine.perKey(Sum.ofLongs())));
    assertTrue(e.getMessage().contains("global window"), e.getMessage());
  }

  @Test
  void bucketsAndLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> KeyedCombine.perKey(Sum.ofLongs()).withBuckets(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyedCombine.perKey(Sum.ofLongs()).withPreAggregationLimit(0));
  }
}
