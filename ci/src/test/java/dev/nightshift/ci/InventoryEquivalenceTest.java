package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.inventory.InventoryGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inventory-update gives the same bytes on the Direct Runner and on the Spark Runner (local[2]). */
class InventoryEquivalenceTest {

  @Test
  void inventoryUpdate(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    LocalDate day = LocalDate.of(2010, 12, 2);
    new InventoryGenerator().generate(new GenerationRequest(input, 2_000, 13, 0.04, day));
    assertSameOnBothRunners(InventoryUpdate::run, tmp, "--inputDir=" + input, "--businessDate=" + day);
  }

  /** As RunnerEquivalenceTest.assertSameOnBothRunners: outputs, bytes, counters and audit. */
  static void assertSameOnBothRunners(
      Function<String[], NightshiftRun.Summary> pipeline, Path tmp, String... common) throws Exception {
    NightshiftRun.Summary direct =
        pipeline.apply(concat(common, "--output=" + tmp.resolve("direct"), "--runner=DirectRunner"));
    NightshiftRun.Summary spark =
        pipeline.apply(concat(common, "--output=" + tmp.resolve("spark"), "--runner=SparkRunner",
            "--sparkMaster=local[2]"));

    assertEquals("DirectRunner", direct.manifest().runner());
    assertEquals("SparkRunner", spark.manifest().runner());
    assertEquals(direct.manifest().outputs(), spark.manifest().outputs(), "paths, sizes, records, sha256");
    for (RunManifest.FileEntry f : direct.manifest().outputs()) {
      byte[] d = Files.readAllBytes(tmp.resolve("direct").resolve(f.path()));
      byte[] s = Files.readAllBytes(tmp.resolve("spark").resolve(f.path()));
      assertArrayEquals(d, s, f.path());
    }
    assertTrue(direct.manifest().outputs().stream().allMatch(f -> f.records() > 0),
        "every inventory output has records: " + direct.manifest().outputs());
    assertEquals(direct.manifest().steps(), spark.manifest().steps());
    assertTrue(spark.manifest().audit().balanced());
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
