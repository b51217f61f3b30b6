package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.fix.FixLogGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trades from CSV and FIX session logs settle to the same bytes on Direct and Spark: QuickFIX/J
 * and its data dictionaries work on the Spark classpath, and the skipped/bad-framing counters
 * match.
 */
class FixRunnerEquivalenceTest {

  @Test
  void directAndSparkWriteIdenticalOutputsFromFixLogs(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new TradeGenerator().generate(new GenerationRequest(input, 500, 9, 0.03, null));
    FixLogGenerator.generate(input, tmp.resolve("fix"), 9, 80, g.businessDate());
    String[] common = {
      "--inputDir=" + input, "--trades=" + input.resolve("trades.csv"),
      "--fixLogs=" + tmp.resolve("fix").resolve("*.log"), "--businessDate=" + g.businessDate()
    };

    NightshiftRun.Summary direct = TradeSettlement.run(
        RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("direct"), "--runner=DirectRunner"));
    NightshiftRun.Summary spark = TradeSettlement.run(
        RunnerEquivalenceTest.concat(
            common, "--output=" + tmp.resolve("spark"), "--runner=SparkRunner", "--sparkMaster=local[2]"));

    assertEquals(direct.manifest().outputs(), spark.manifest().outputs(), "paths, sizes, records, sha256");
    for (RunManifest.FileEntry f : direct.manifest().outputs()) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("direct").resolve(f.path())),
          Files.readAllBytes(tmp.resolve("spark").resolve(f.path())),
          f.path());
    }
    assertEquals(direct.manifest().steps(), spark.manifest().steps());
    assertTrue(direct.manifest().steps().get("read-fix-trades").other().get("skipped") > 0);
    assertTrue(spark.manifest().audit().balanced());
  }
}
