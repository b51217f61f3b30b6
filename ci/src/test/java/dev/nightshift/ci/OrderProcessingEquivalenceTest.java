package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** order-processing writes the same bytes on the Direct Runner and on Spark (local[2]). */
class OrderProcessingEquivalenceTest {

  @Test
  void orderProcessing(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    new RetailOrderGenerator().generate(new GenerationRequest(input, 1_500, 3, 0.03, null));
    NightshiftRun.Summary direct =
        RunnerEquivalenceTest.assertSameOnBothRunners(OrderProcessing::run, tmp, "--inputDir=" + input);
    assertEquals(6, direct.manifest().outputs().stream().filter(f -> f.records() > 0).count(),
        "five CSV outputs and the planted dead letters");
    assertTrue(direct.counter("match-cancellations/matched") > 0);
  }
}
