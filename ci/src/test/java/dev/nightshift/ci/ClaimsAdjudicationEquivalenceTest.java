package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * claims-adjudication gives the same bytes (adjudicated lines, EOBs, accumulators, summary, dead
 * letters) on the Direct and Spark runners, from claims in all three formats.
 */
class ClaimsAdjudicationEquivalenceTest {

  @Test
  void claimsAdjudication(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new ClaimsGenerator().generate(new GenerationRequest(input, 2_000, 19, 0.06, null));
    NightshiftRun.Summary direct = RunnerEquivalenceTest.assertSameOnBothRunners(
        ClaimsAdjudication::run, tmp, "--inputDir=" + input, "--businessDate=" + g.businessDate());
    assertTrue(direct.manifest().outputs().stream().allMatch(f -> f.records() > 0),
        "every output has records: " + direct.manifest().outputs());
  }
}
