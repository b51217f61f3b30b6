package dev.nightshift.transforms.core;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.only;
import static dev.nightshift.transforms.TestRuns.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailsafeFnTest {

  /** Doubles the quantity; refuses negatives; has a bug on id "boom". */
  static final class DoubleQty extends FailsafeFn<Item, String> {
    @Override
    protected String apply(Item input, ProcessContext context) throws RecordException {
      if (input.qty() < 0) {
        throw new RecordException(Reasons.INVALID_VALUE, "negative quantity " + input.qty());
      }
      if (input.id().equals("boom")) {
        throw new IllegalStateException("kaboom");
      }
      return input.id() + "," + input.qty() * 2;
    }
  }

  @Test
  void refusalsAndRuntimeErrorsBecomeDeadLettersAndTheRunSucceeds(@TempDir Path dir) throws Exception {
    Path data = write(dir.resolve("in/items.csv"), "id,qty\na,1\nneg,-2\nboom,3\nb,4\nneg2,-1\n");
    Path out = dir.resolve("out");
    NightshiftRun run = TestRuns.run("failsafe", out);
    Checked<String> doubled =
        ReadCsv.read(run, "read", data.toString(), new Item.Parser(), Item.CODER)
            .then("double", new DoubleQty());
    SortedSink.write(run, "write", "doubled.csv", "id,qty", doubled.output());
    NightshiftRun.Summary summary = run.execute();

    assertEquals(List.of("id,qty", "a,2", "b,8"), Files.readAllLines(out.resolve("doubled.csv")));
    List<DeadLetter> dead = deadLetters(out);
    assertEquals(3, dead.size(), dead.toString());
    assertTrue(dead.stream().allMatch(d -> d.step().equals("double") && d.pipeline().equals("failsafe")));
    assertTrue(dead.stream().allMatch(d -> d.sourceFile().equals(data.toString())));
    DeadLetter internal = only(dead, Reasons.INTERNAL_ERROR);
    assertEquals(4, internal.lineNumber());
    assertEquals("boom,3", internal.rawPayload());
    assertTrue(internal.message().contains("IllegalStateException"), internal.message());
    assertTrue(internal.message().contains("kaboom"), internal.message());
    List<DeadLetter> refused =
        dead.stream().filter(d -> d.reasonCode().equals(Reasons.INVALID_VALUE)).toList();
    assertEquals(List.of(3L, 6L), refused.stream().map(DeadLetter::lineNumber).sorted().toList());
    assertTrue(refused.stream().anyMatch(d -> d.rawPayload().equals("neg,-2") && d.message().equals("negative quantity -2")));

    RunManifest m = manifest(out);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().toString());
    RunManifest.StepCounts step = m.steps().get("double");
    assertEquals(5, step.in());
    assertEquals(2, step.out());
    assertEquals(3, step.dead());
    assertEquals(Map.of(Reasons.INTERNAL_ERROR, 1L, Reasons.INVALID_VALUE, 2L), step.deadByReason());
    assertEquals(5, summary.counter("read/out"));
    assertTrue(m.audit().checks().stream().anyMatch(c -> c.startsWith("double: read/out = double/in")), m.audit().checks().toString());
  }
}
