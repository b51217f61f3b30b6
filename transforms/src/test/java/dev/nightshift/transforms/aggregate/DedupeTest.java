package dev.nightshift.transforms.aggregate;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DedupeTest {

  @RegisterExtension final TestPipelineExtension extension = TestPipelineExtension.create();

  private static Dedupe<Item> dedupe(int buckets) {
    return Dedupe.firstOf(
        "dedupe-test",
        "dedupe",
        (SerializableFunction<Item, Sourced>) i -> i,
        Item::id,
        Reasons.DUPLICATE_KEY,
        new TupleTag<DeadLetter>() {},
        buckets);
  }

  private static final String A = "/data/a.csv";
  private static final String B = "/data/b.csv";

  /** k1 in both files (a wins), k2 three times in one file (line 9 before line 10), k3 once. */
  private static List<Item> input() {
    return List.of(
        Item.of("k1", 5, B, 2),
        Item.of("k2", 6, B, 10),
        Item.of("k1", 1, A, 7),
        Item.of("k2", 2, B, 9),
        Item.of("k3", 3, A, 3),
        Item.of("k2", 4, B, 11),
        Item.of("k1", 9, B, 1));
  }

  private static List<Item> expectedKept() {
    return List.of(Item.of("k1", 1, A, 7), Item.of("k2", 2, B, 9), Item.of("k3", 3, A, 3));
  }

  private static List<DeadLetter> expectedDead() {
    return List.of(
        dead(Item.of("k1", 5, B, 2), "k1", A + ":7"),
        dead(Item.of("k1", 9, B, 1), "k1", A + ":7"),
        dead(Item.of("k2", 6, B, 10), "k2", B + ":9"),
        dead(Item.of("k2", 4, B, 11), "k2", B + ":9"));
  }

  private static DeadLetter dead(Item item, String key, String first) {
    return DeadLetter.of(
        "dedupe-test",
        "dedupe",
        item.source(),
        Reasons.DUPLICATE_KEY,
        "duplicate key '" + key + "': first seen at " + first);
  }

  @Test
  void keepsTheEarliestWhateverTheInputOrder(TestPipeline p) {
    List<Item> shuffled = new ArrayList<>(input());
    List<List<Item>> orders = new ArrayList<>();
    orders.add(input());
    for (long seed = 0; seed < 3; seed++) {
      Collections.shuffle(shuffled, new Random(seed));
      orders.add(List.copyOf(shuffled));
    }
    List<Item> reversed = new ArrayList<>(input());
    Collections.reverse(reversed);
    orders.add(reversed);
    for (int i = 0; i < orders.size(); i++) {
      // one bucket puts every key in one group; 7 buckets spreads them.
      Dedupe.Result<Item> r =
          p.apply("create" + i, Create.of(orders.get(i)).withCoder(Item.CODER))
              .apply("dedupe" + i, dedupe(i % 2 == 0 ? 1 : 7));
      PAssert.that("kept" + i, r.kept()).containsInAnyOrder(expectedKept());
      PAssert.that("dead" + i, r.deadLetters()).containsInAnyOrder(expectedDead());
    }
    p.run().waitUntilFinish();
  }

  @Test
  void manyDistinctKeysWithAFewDuplicates(TestPipeline p) {
    // N distinct keys, then three duplicates: one from another file, one earlier in the same
    // file (it wins over the original), one later.
    PCollection<Item> items =
        p.apply(GenerateSequence.from(0).to(N + 3))
            .apply(MapElements.into(TypeDescriptor.of(Item.class)).via(DedupeTest::generated))
            .setCoder(Item.CODER);
    Dedupe.Result<Item> r = items.apply(dedupe(256));
    PAssert.thatSingleton(r.kept().apply("count kept", Count.globally())).isEqualTo((long) N);
    PAssert.that(r.deadLetters())
        .containsInAnyOrder(
            dead(Item.of("key-17", -1, B, 2), "key-17", A + ":19"),
            dead(Item.of("key-" + (N - 1), N - 1, A, N + 1), "key-" + (N - 1), A + ":1"),
            dead(Item.of("key-0", -1, A, N + 3), "key-0", A + ":2"));
    p.run().waitUntilFinish();
  }

  /** Distinct keys. On the Direct runner this test takes ~8-10 s (20k keys is not much faster). */
  private static final int N = 50_000;

  private static Item generated(long i) {
    if (i == N) {
      return Item.of("key-17", -1, B, 2);
    } else if (i == N + 1) {
      return Item.of("key-" + (N - 1), -1, A, 1);
    } else if (i == N + 2) {
      return Item.of("key-0", -1, A, N + 3);
    }
    return Item.of("key-" + i, i, A, i + 2);
  }

  @Test
  void duplicatesAcrossFilesThroughCheckedAreDeadLettered(@TempDir Path dir) throws Exception {
    Path a = write(dir.resolve("in/a.csv"), "id,qty\nx,1\ny,2\nx,3\n");
    Path b = write(dir.resolve("in/b.csv"), "id,qty\ny,4\nz,5\nx,6\n");
    Path out = dir.resolve("out");
    NightshiftRun run = TestRuns.run("dedupe-run", out);
    var kept =
        ReadCsv.read(run, "read", dir.resolve("in/*.csv").toString(), new Item.Parser(), Item.CODER)
            .dedupe("unique", Item::id, Reasons.DUPLICATE_KEY);
    SortedSink.write(
        run,
        "write",
        "kept.csv",
        null,
        kept.output()
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via((Item i) -> i.id() + "," + i.qty())));
    run.execute();

    assertEquals(List.of("x,1", "y,2", "z,5"), Files.readAllLines(out.resolve("kept.csv")));
    List<DeadLetter> dead = deadLetters(out);
    assertEquals(3, dead.size(), dead.toString());
    assertTrue(dead.stream().allMatch(d -> d.step().equals("unique")));
    assertTrue(dead.stream().allMatch(d -> d.reasonCode().equals(Reasons.DUPLICATE_KEY)));
    assertTrue(
        dead.contains(
            new DeadLetter(
                "dedupe-run", "unique", a.toString(), 4, "x,3", Reasons.DUPLICATE_KEY,
                "duplicate key 'x': first seen at " + a + ":2")),
        dead.toString());
    assertTrue(
        dead.contains(
            new DeadLetter(
                "dedupe-run", "unique", b.toString(), 2, "y,4", Reasons.DUPLICATE_KEY,
                "duplicate key 'y': first seen at " + a + ":3")),
        dead.toString());
    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced(), m.audit().toString());
    RunManifest.StepCounts unique = m.steps().get("unique");
    assertEquals(6, unique.in());
    assertEquals(3, unique.out());
    assertEquals(3, unique.dead());
  }
}
