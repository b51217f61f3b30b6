package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** billing gives the same bytes (835, statements, dead letters) on the Direct and Spark runners. */
class BillingEquivalenceTest {

  @Test
  void billing(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    LocalDate day = LocalDate.of(2026, 11, 25);
    new BillingGenerator().generate(new GenerationRequest(input, 2_000, 17, 0.04, day));
    NightshiftRun.Summary direct = RunnerEquivalenceTest.assertSameOnBothRunners(
        Billing::run, tmp, "--inputDir=" + input, "--businessDate=" + day);
    assertTrue(direct.manifest().outputs().stream().allMatch(f -> f.records() > 0),
        "every billing output has records: " + direct.manifest().outputs());
  }
}
