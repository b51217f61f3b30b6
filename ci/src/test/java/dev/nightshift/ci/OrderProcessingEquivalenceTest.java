package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** order-processing writes the same bytes on the Direct Runner and on Spark (local[2]). */
class OrderProcessingEquivalenceTest {

  @Test
  void orderProcessing(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    new RetailOrderGenerator().generate(new GenerationRequest(input, 1_500, 3, 0.03, null));
    String[] common = {"--inputDir=" + input};
    NightshiftRun.Summary direct = OrderProcessing.run(
        concat(common, "--output=" + tmp.resolve("direct"), "--runner=DirectRunner"));
    NightshiftRun.Summary spark = OrderProcessing.run(
        concat(common, "--output=" + tmp.resolve("spark"), "--runner=SparkRunner", "--sparkMaster=local[2]"));

    assertEquals("DirectRunner", direct.manifest().runner());
    assertEquals("SparkRunner", spark.manifest().runner());
    assertEquals(direct.manifest().outputs(), spark.manifest().outputs(), "paths, sizes, records, sha256");
    for (RunManifest.FileEntry f : direct.manifest().outputs()) {
      byte[] d = Files.readAllBytes(tmp.resolve("direct").resolve(f.path()));
      byte[] s = Files.readAllBytes(tmp.resolve("spark").resolve(f.path()));
      assertArrayEquals(d, s, f.path());
    }
    assertEquals(6, direct.manifest().outputs().stream().filter(f -> f.records() > 0).count(),
        "five CSV outputs and the planted dead letters");
    // the Spark counters (attempted metrics) balance exactly like the Direct ones
    assertEquals(direct.manifest().steps(), spark.manifest().steps());
    assertTrue(spark.manifest().audit().balanced());
    assertTrue(direct.counter("match-cancellations/matched") > 0);
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
