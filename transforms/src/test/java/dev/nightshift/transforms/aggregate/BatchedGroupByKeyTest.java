package dev.nightshift.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchedGroupByKeyTest {

  @RegisterExtension final TestPipelineExtension extension = TestPipelineExtension.create();

  @Test
  void groupsEveryValueOfEveryKeyAcrossBatches(TestPipeline p) {
    List<KV<Integer, String>> input = new ArrayList<>();
    Map<Integer, Integer> expectedCounts = new TreeMap<>();
    for (int i = 0; i < 5_000; i++) {
      input.add(KV.of(i % 3, "v" + i));
      expectedCounts.merge(i % 3, 1, Integer::sum);
    }
    PCollection<KV<Integer, Integer>> counts =
        p.apply(Create.of(input).withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
            .apply(BatchedGroupByKey.withMaxBatch(7)) // forces many batches per key
            .apply(
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.integers()))
                    .via(kv -> {
                      int n = 0;
                      for (String ignored : kv.getValue()) {
                        n++;
                      }
                      return KV.of(kv.getKey(), n);
                    }));
    List<KV<Integer, Integer>> expected = new ArrayList<>();
    expectedCounts.forEach((k, n) -> expected.add(KV.of(k, n)));
    PAssert.that(counts).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void directBatchesCloseAtTheirByteLimit() throws Exception {
    BatchedGroupByKey.EncodedBatchFn<Integer, String> fn =
        new BatchedGroupByKey.EncodedBatchFn<>(20_000, StringUtf8Coder.of());
    fn.startBundle();
    List<byte[]> sealed = new ArrayList<>();
    String value = "x".repeat(10_000);
    for (int i = 0; i < 100; i++) { // about 1 MB for one key, far below 20,000 values
      byte[] full = fn.add(1, value + i);
      if (full != null) {
        sealed.add(full);
      }
    }
    assertTrue(sealed.size() >= 3, "batches closed by size: " + sealed.size());
    int values = 0;
    for (byte[] batch : sealed) {
      assertTrue(batch.length <= BatchedGroupByKey.MAX_BATCH_BYTES + 10_010, "batch of " + batch.length);
      BatchedGroupByKey.Decoded<String> decoded =
          new BatchedGroupByKey.Decoded<>(List.of(batch).iterator(), StringUtf8Coder.of());
      while (decoded.hasNext()) {
        assertEquals(value + values, decoded.next());
        values++;
      }
    }
    assertTrue(values > 50 && values < 100, "values in closed batches: " + values);
  }

  @Test
  void sumFnAddsWithoutMutating(TestPipeline p) {
    PCollection<KV<String, BigDecimal>> sums =
        p.apply(Create.of(
                    KV.of("a", new BigDecimal("1.10")), KV.of("a", new BigDecimal("2.25")),
                    KV.of("b", new BigDecimal("-3.00")))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of())))
            .apply(KeyedCombine.<String, BigDecimal, BigDecimal, BigDecimal>perKey(
                    SumFn.of(BigDecimal.ZERO, BigDecimal::add, BigDecimalCoder.of()))
                .withBuckets(2).withPreAggregationLimit(1));
    PAssert.that(sums).containsInAnyOrder(
        KV.of("a", new BigDecimal("3.35")), KV.of("b", new BigDecimal("-3.00")));
    p.run().waitUntilFinish();
  }

  @Test
  void refusesKeysWithoutADeterministicCoder(TestPipeline p) {
    PCollection<KV<Double, String>> input =
        p.apply(Create.of(KV.of(1.0, "x")).withCoder(KvCoder.of(DoubleCoder.of(), StringUtf8Coder.of())));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> input.apply(BatchedGroupByKey.create()));
    assertEquals(true, e.getMessage().contains("deterministic"), e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }
}
