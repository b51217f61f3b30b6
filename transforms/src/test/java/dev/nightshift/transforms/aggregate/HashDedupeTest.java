package dev.nightshift.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.core.FusedFn;
import dev.nightshift.transforms.core.Stage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HashDedupeTest {

  @RegisterExtension final TestPipelineExtension extension = TestPipelineExtension.create();

  @Test
  void repeatedFindsEachRepeatedHashOnce() {
    assertArrayEquals(new long[] {-5, 3}, HashDedupe.repeated(new long[] {3, 9, -5, 3, 3, -5, 1}));
    assertArrayEquals(new long[0], HashDedupe.repeated(new long[] {1, 2, 3}));
    assertArrayEquals(new long[0], HashDedupe.repeated(new long[0]));
  }

  @Test
  void hashesAreStableAndSpread() {
    // the value is part of the contract: every JVM of a run must agree
    assertEquals(HashDedupe.hash("T0000001"), HashDedupe.hash(new String("T0000001")));
    assertNotEquals(HashDedupe.hash("T0000001"), HashDedupe.hash("T0000002"));
    Set<Long> seen = new HashSet<>();
    int[] perBucket = new int[16];
    for (int i = 0; i < 100_000; i++) {
      long h = HashDedupe.hash("T" + i);
      seen.add(h);
      perBucket[HashDedupe.bucket(h, 16)]++;
    }
    assertEquals(100_000, seen.size());
    for (int n : perBucket) {
      assertEquals(100_000 / 16.0, n, 100_000 / 16.0 * 0.1, Arrays.toString(perBucket));
    }
  }

  @Test
  void longArraysRoundTrip() throws Exception {
    long[] values = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    HashDedupe.LongArrayCoder.INSTANCE.encode(values, bytes);
    HashDedupe.LongArrayCoder.INSTANCE.encode(new long[0], bytes);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
    assertArrayEquals(values, HashDedupe.LongArrayCoder.INSTANCE.decode(in));
    assertArrayEquals(new long[0], HashDedupe.LongArrayCoder.INSTANCE.decode(in));
  }

  /**
   * A candidate is only a hash: a unique key whose hash is a candidate (a collision, forced here)
   * takes the slow path and is kept; a repeated key keeps its first record in source order.
   */
  @Test
  void candidatesThatAreNotDuplicatesAreKept(TestPipeline p) {
    PCollection<Item> items = p.apply(Create.of(
            Item.of("plain", 1, "/a.csv", 2),
            Item.of("unique-but-candidate", 2, "/a.csv", 3),
            Item.of("twice", 3, "/b.csv", 2),
            Item.of("twice", 4, "/a.csv", 9))
        .withCoder(Item.CODER));
    long[] candidates = {HashDedupe.hash("unique-but-candidate"), HashDedupe.hash("twice")};
    Arrays.sort(candidates);
    PCollectionView<long[]> view = p.apply("candidates", Create.of(List.of(candidates))
            .withCoder(HashDedupe.LongArrayCoder.INSTANCE))
        .apply(View.asSingleton());
    TupleTag<Item> main = new TupleTag<>();
    TupleTag<DeadLetter> dead = new TupleTag<>();
    TupleTag<KV<Integer, KV<String, Item>>> tap = new TupleTag<>();
    List<Stage<?, ?>> stages = List.of(new HashDedupe.Split<Item>("dedupe", Item::id, view, tap, 4));
    PCollectionTuple split = items.apply(ParDo.of(new FusedFn<Item, Item>(stages, main, dead, true))
        .withOutputTags(main, TupleTagList.of(List.of(dead, tap)))
        .withSideInputs(view));
    split.get(dead).setCoder(DeadLetter.CODER);
    PCollection<KV<Integer, KV<String, Item>>> slow = split.get(tap)
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), Item.CODER)));
    TupleTag<Item> kept = new TupleTag<>();
    PCollectionTuple deduped = HashDedupe.keepFirst("keep", slow, "test", "dedupe",
        (SerializableFunction<Item, Sourced>) i -> i, Reasons.DUPLICATE_KEY, kept, dead);

    PAssert.that(ids(split.get(main).setCoder(Item.CODER), "fast")).containsInAnyOrder("plain,1");
    PAssert.that(ids(deduped.get(kept).setCoder(Item.CODER), "slow"))
        .containsInAnyOrder("unique-but-candidate,2", "twice,4");
    PAssert.that(deduped.get(dead).setCoder(DeadLetter.CODER)).containsInAnyOrder(new DeadLetter(
        "test", "dedupe", "/b.csv", 2, "twice,3", Reasons.DUPLICATE_KEY,
        "duplicate key 'twice': first seen at /a.csv:9"));
    p.run().waitUntilFinish();
  }

  private static PCollection<String> ids(PCollection<Item> items, String name) {
    return items.apply(name, MapElements.into(TypeDescriptors.strings()).via((Item i) -> i.id() + "," + i.qty()));
  }
}
