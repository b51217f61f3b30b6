package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.inventory.InventoryGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inventory-update gives the same bytes on the Direct Runner and on the Spark Runner (local[2]). */
class InventoryEquivalenceTest {

  @Test
  void inventoryUpdate(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    LocalDate day = LocalDate.of(2010, 12, 2);
    new InventoryGenerator().generate(new GenerationRequest(input, 2_000, 13, 0.04, day));
    NightshiftRun.Summary direct = RunnerEquivalenceTest.assertSameOnBothRunners(
        InventoryUpdate::run, tmp, "--inputDir=" + input, "--businessDate=" + day);
    assertTrue(direct.manifest().outputs().stream().allMatch(f -> f.records() > 0),
        "every inventory output has records: " + direct.manifest().outputs());
  }
}
