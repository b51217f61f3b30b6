package dev.nightshift.transforms.core;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain run fused (one DoFn per branch, key hashes shuffled for de-duplication, the combine's
 * pre-aggregation at its end) gives exactly what the same steps applied one by one give: the same
 * records, the same dead letters (step, file, line, payload, reason, message) and the same counts
 * per step, on generated files with duplicates within and across files, refused rows at every
 * step, a side input, two de-duplications (the first with its key pass reading only the key
 * column, the second over the first one's kept candidates too), and a combine.
 */
class FusedChainTest {

  /** Refuses a quantity above the side input's limit. */
  static final class AtMost extends FailsafeFn<Item, Item> {
    private final PCollectionView<Long> limit;
    private transient Long read;

    AtMost(PCollectionView<Long> limit) {
      this.limit = limit;
    }

    @Override
    protected void bundleStarted() {
      read = null;
    }

    @Override
    protected Item apply(Item item, ProcessContext c) throws RecordException {
      if (read == null) {
        read = c.sideInput(limit);
      }
      if (item.qty() > read) {
        throw new RecordException(Reasons.INVALID_VALUE, "qty " + item.qty() + " over " + read);
      }
      return item;
    }
  }

  /** Refuses ids ending in 7, and doubles the quantity of the others. */
  static final class NoSevens extends FailsafeFn<Item, Item> {
    @Override
    protected Item apply(Item item, ProcessContext c) throws RecordException {
      if (item.id().endsWith("7")) {
        throw new RecordException(Reasons.INVALID_VALUE, "a seven");
      }
      return new Item(item.id(), item.qty() * 2, item.source());
    }
  }

  private static void generate(Path in, long seed) {
    Random random = new Random(seed);
    for (int f = 0; f < 3; f++) {
      StringBuilder csv = new StringBuilder("id,qty\n");
      for (int i = 0; i < 400; i++) {
        int r = random.nextInt(100);
        if (r < 3) {
          csv.append("bad,").append("x").append('\n'); // refused by the reader
        } else {
          // few ids, so that many repeat within and across files; qty repeats too (second dedupe)
          // padded ids too: the key is the trimmed text, in the key pass as in the parser
          String pad = random.nextInt(10) == 0 ? " " : "";
          csv.append(pad).append("id").append(random.nextInt(300)).append(pad).append(',')
              .append(random.nextInt(150)).append('\n');
        }
      }
      write(in.resolve("part-" + f + ".csv"), csv.toString());
    }
  }

  private record Result(List<String> items, List<String> sums, List<String> dead, java.util.SortedMap<String, RunManifest.StepCounts> steps) {}

  private static Result run(Path dir, String name, boolean fused) throws Exception {
    Path out = dir.resolve(name);
    NightshiftRun run = TestRuns.run("fused-chain", out);
    PCollectionView<Long> limit =
        run.pipeline().apply("limit", Create.of(120L)).apply("limit-view", View.asSingleton());
    Checked<Item> chain = ReadCsv.read(run, "read", dir.resolve("in/*.csv").toString(), new Item.Parser(), Item.CODER);
    // right after the reader: the key pass reads only the id column (the stepwise run cannot)
    chain = step(run, chain, fused).dedupe("unique-id", Item::id, Reasons.DUPLICATE_KEY, "id");
    chain = step(run, chain, fused).then("at-most", new AtMost(limit), Item.CODER, limit);
    chain = step(run, chain, fused).then("no-sevens", new NoSevens(), Item.CODER);
    chain = step(run, chain, fused).dedupe("unique-qty", i -> Long.toString(i.qty()), Reasons.DUPLICATE_KEY);
    PCollection<Item> items = chain.output();
    SortedSink.write(run, "write-items", "items.csv", null,
        items.apply("format", MapElements.into(TypeDescriptors.strings())
            .via((Item i) -> i.id() + "," + i.qty() + "," + i.source().file().replaceAll(".*/", "") + ":" + i.source().line())));
    Checked<KV<String, Long>> keyed = Checked.after(run, "unique-qty", items)
        .through("key", new Stage<Item, KV<String, Long>>() {
          @Override
          public void process(Item i, Emit<KV<String, Long>> out) {
            out.output(KV.of(i.id().substring(0, Math.min(3, i.id().length())), i.qty()));
          }
        }, KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PCollection<KV<String, Long>> sums = keyed.combine("sum",
        KeyedCombine.<String, Long, Long, Long>perKey(SumFn.of(0L, Long::sum, VarLongCoder.of())).withPreAggregationLimit(7));
    SortedSink.write(run, "write-sums", "sums.csv", null,
        sums.apply("format-sums", MapElements.into(TypeDescriptors.strings()).via((KV<String, Long> kv) -> kv.getKey() + "," + kv.getValue())));
    run.execute();
    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced(), m.audit().toString());
    List<String> dead = deadLetters(out).stream()
        .map((DeadLetter d) -> String.join("|", d.step(), d.sourceFile().replaceAll(".*/", ""),
            String.valueOf(d.lineNumber()), d.rawPayload(), d.reasonCode(), d.message().replace(dir.toString(), "")))
        .sorted().toList();
    java.util.SortedMap<String, RunManifest.StepCounts> steps = new java.util.TreeMap<>(m.steps());
    steps.remove("write-dead-letters"); // the same, checked through dead
    return new Result(Files.readAllLines(out.resolve("items.csv")), Files.readAllLines(out.resolve("sums.csv")), dead, steps);
  }

  /** Unfused, every step's records are applied before the next step: the steps one by one. */
  private static Checked<Item> step(NightshiftRun run, Checked<Item> chain, boolean fused) {
    return fused ? chain : Checked.after(run, chain.step(), chain.output());
  }

  @Test
  void fusedChainsGiveWhatTheStepsOneByOneGive(@TempDir Path dir) throws Exception {
    generate(dir.resolve("in"), 11);
    Result fused = run(dir, "fused", true);
    Result stepwise = run(dir, "stepwise", false);

    assertTrue(fused.items().size() > 50, fused.items().toString());
    for (String step : List.of("read", "unique-id", "at-most", "no-sevens", "unique-qty")) {
      assertTrue(fused.steps().get(step).dead() > 0, step + " refused nothing: " + fused.steps().get(step));
    }
    assertEquals(stepwise.items(), fused.items());
    assertEquals(stepwise.sums(), fused.sums());
    assertEquals(stepwise.dead(), fused.dead());
    assertEquals(stepwise.steps(), fused.steps());
  }

  @Test
  void aPendingChainIsContinuedOnce(@TempDir Path dir) {
    write(dir.resolve("in/a.csv"), "id,qty\na,1\n");
    NightshiftRun run = TestRuns.run("fused-chain", dir.resolve("out"));
    Checked<Item> read = ReadCsv.read(run, "read", dir.resolve("in/*.csv").toString(), new Item.Parser(), Item.CODER);
    read.dedupe("unique", Item::id, Reasons.DUPLICATE_KEY);
    IllegalStateException e = assertThrows(IllegalStateException.class, read::output);
    assertTrue(e.getMessage().contains("'read'"), e.getMessage());

    Checked<Item> applied = ReadCsv.read(run, "read-2", dir.resolve("in/*.csv").toString(), new Item.Parser(), Item.CODER);
    PCollection<Item> once = applied.output();
    assertEquals(once, applied.output(), "an applied chain gives the same records every time");
  }
}
