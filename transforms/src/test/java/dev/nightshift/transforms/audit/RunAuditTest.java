package dev.nightshift.transforms.audit;

import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunAuditTest {

  @Test
  void aConstantTermIsANumberKnownBeforeTheRun() {
    RunAudit audit = new RunAudit().expect("read", "receives every record replayed into it",
        List.of(RunAudit.term("read/in")), List.of(RunAudit.constant(4)));
    assertTrue(audit.check(Map.of("read/in", 4L)).balanced());
    assertEquals(List.of("read: read/in = 4 (4 = 4)"), audit.check(Map.of("read/in", 4L)).checks());
    RunAudit.Verdict short1 = audit.check(Map.of("read/in", 3L));
    assertFalse(short1.balanced());
    assertTrue(short1.failures().get(0).contains("read/in = 3 but 4 = 4"), short1.failures().toString());
  }

  @Test
  void balancedCountersPass() {
    RunAudit audit = new RunAudit().step("read").link("read", "parse").step("parse");
    RunAudit.Verdict v =
        audit.check(
            Map.of(
                "read/in", 10L, "read/out", 7L, "read/dead", 3L,
                "parse/in", 7L, "parse/out", 7L));
    assertTrue(v.balanced(), v.failures().toString());
    assertEquals(3, v.checks().size());
  }

  @Test
  void anUnbalancedStepNamesTheStepAndBothNumbers() {
    RunAudit audit = new RunAudit().step("read").link("read", "parse").step("parse");
    RunAudit.Verdict v =
        audit.check(
            Map.of(
                "read/in", 10L, "read/out", 7L, "read/dead", 2L,
                "parse/in", 6L, "parse/out", 6L));
    assertFalse(v.balanced());
    assertEquals(2, v.failures().size(), v.failures().toString());
    String step = v.failures().get(0);
    assertTrue(step.contains("'read'"), step);
    assertTrue(step.contains("= 10"), step);
    assertTrue(step.contains("= 9"), step);
    String link = v.failures().get(1);
    assertTrue(link.contains("'parse'"), link);
    assertTrue(link.contains("read/out = 7"), link);
    assertTrue(link.contains("parse/in = 6"), link);
  }

  @Test
  void missingCountersAreZeroAndWeightedTermsAndAllDeadWork() {
    RunAudit audit =
        new RunAudit()
            .expect(
                "legs",
                "every trade becomes two legs",
                List.of(RunAudit.term("trades/out", 2)),
                List.of(RunAudit.term("legs/in")))
            .expect(
                "dead",
                "every dead letter is written",
                List.of(RunAudit.term(RunAudit.ALL_DEAD)),
                List.of(RunAudit.term("write/in")));
    assertTrue(
        audit.check(
                Map.of(
                    "trades/out", 4L, "legs/in", 8L,
                    "a/dead", 2L, "a/dead/X", 2L, "b/dead", 1L, "write/in", 3L))
            .balanced());
    RunAudit.Verdict v = audit.check(Map.of("trades/out", 4L, "a/dead", 1L));
    assertEquals(2, v.failures().size(), v.failures().toString());
    assertTrue(v.failures().get(0).contains("= 8 but legs/in = 0"), v.failures().get(0));
  }

  static final class Identity extends FailsafeFn<Item, Item> {
    @Override
    protected Item apply(Item input, ProcessContext context) {
      return input;
    }
  }

  @Test
  void aLossyStepBetweenAuditedStepsFailsTheRun(@TempDir Path dir) throws Exception {
    write(dir.resolve("in/items.csv"), "id,qty\na,1\nb,-2\nc,3\nd,x\ne,-5\n");
    Path out = dir.resolve("out");
    NightshiftRun run = TestRuns.run("lossy", out);
    Checked<Item> read =
        ReadCsv.read(run, "read", dir.resolve("in/items.csv").toString(), new Item.Parser(), Item.CODER);
    // A bug: negative quantities silently vanish between 'read' and 'keep'.
    PCollection<Item> filtered = read.output().apply("drop negatives", Filter.by((Item i) -> i.qty() >= 0));
    Checked<Item> kept = Checked.after(run, "read", filtered).then("keep", new Identity(), Item.CODER);
    SortedSink.write(
        run,
        "write",
        "items.csv",
        null,
        kept.output().apply(MapElements.into(TypeDescriptors.strings()).via(Item::id)));

    AuditException e = assertThrows(AuditException.class, run::execute);
    assertEquals(1, e.failures().size(), e.getMessage());
    assertTrue(e.getMessage().contains("'keep'"), e.getMessage());
    assertTrue(e.getMessage().contains("read/out = 4"), e.getMessage());
    assertTrue(e.getMessage().contains("keep/in = 2"), e.getMessage());
    assertTrue(e.getMessage().contains("'lossy'"), e.getMessage());

    RunManifest m = manifest(out);
    assertEquals("AUDIT_FAILED", m.status());
    assertFalse(m.audit().balanced());
    assertEquals(e.failures(), m.audit().failures());
    assertEquals(Map.of(Reasons.INVALID_NUMBER, 1L), m.steps().get("read").deadByReason());
  }

  @Test
  void theSameChainWithoutTheLossBalances(@TempDir Path dir) throws Exception {
    write(dir.resolve("in/items.csv"), "id,qty\na,1\nb,-2\n");
    Path out = dir.resolve("out");
    NightshiftRun run = TestRuns.run("lossless", out);
    Checked<Item> kept =
        ReadCsv.read(run, "read", dir.resolve("in/items.csv").toString(), new Item.Parser(), Item.CODER)
            .then("keep", new Identity(), Item.CODER);
    SortedSink.write(
        run,
        "write",
        "items.csv",
        null,
        kept.output().apply(MapElements.into(TypeDescriptors.strings()).via(Item::id)));
    NightshiftRun.Summary summary = run.execute();
    assertEquals("SUCCEEDED", summary.manifest().status());
    assertEquals("SUCCEEDED", manifest(out).status());
  }
}
