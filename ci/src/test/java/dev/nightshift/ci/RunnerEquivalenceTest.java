package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same input gives the same bytes on the Direct Runner and on the Spark Runner. */
class RunnerEquivalenceTest {

  @Test
  void tradeSettlement(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new TradeGenerator().generate(new GenerationRequest(input, 8_000, 5, 0.03, null));
    assertSameOnBothRunners(TradeSettlement::run, tmp,
        "--inputDir=" + input, "--businessDate=" + g.businessDate());
  }

  @Test
  void accountReconciliation(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    new StatementGenerator().generate(new GenerationRequest(input, 1_500, 9, 0.05, null));
    assertSameOnBothRunners(AccountReconciliation::run, tmp, "--inputDir=" + input);
  }

  /** Runs on both runners; returns the Direct Runner's summary for further checks. */
  static NightshiftRun.Summary assertSameOnBothRunners(
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
    assertTrue(direct.manifest().outputs().stream().anyMatch(f -> f.records() > 0));
    // the Spark counters (attempted metrics) balance exactly like the Direct ones
    assertEquals(direct.manifest().steps(), spark.manifest().steps());
    assertTrue(spark.manifest().audit().balanced());
    return direct;
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
