package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same journals (and the same settlement output) give the same report bytes on the Direct
 * Runner and on the Spark Runner.
 */
class FinancialReportsEquivalenceTest {

  @Test
  void directAndSparkWriteIdenticalReports(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g =
        new JournalGenerator().generate(new GenerationRequest(input, 1_500, 5, 0.04, null));
    // a small settlement run feeds the end-of-day positions
    Path trades = tmp.resolve("trades");
    new TradeGenerator().generate(new GenerationRequest(trades, 1_000, 5, 0.0, g.businessDate()));
    Path settlement = tmp.resolve("settlement");
    TradeSettlement.run("--inputDir=" + trades, "--output=" + settlement,
        "--businessDate=" + g.businessDate());
    String[] common = {
      "--inputDir=" + input, "--businessDate=" + g.businessDate(), "--settlementDir=" + settlement
    };

    NightshiftRun.Summary direct = FinancialReports.run(
        RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("direct"), "--runner=DirectRunner"));
    NightshiftRun.Summary spark = FinancialReports.run(
        RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("spark"), "--runner=SparkRunner",
            "--sparkMaster=local[2]"));

    assertEquals("DirectRunner", direct.manifest().runner());
    assertEquals("SparkRunner", spark.manifest().runner());
    assertEquals(5, direct.manifest().outputs().size(), "four reports and the dead letters");
    assertEquals(direct.manifest().outputs(), spark.manifest().outputs(), "paths, sizes, records, sha256");
    for (RunManifest.FileEntry f : direct.manifest().outputs()) {
      byte[] d = Files.readAllBytes(tmp.resolve("direct").resolve(f.path()));
      byte[] s = Files.readAllBytes(tmp.resolve("spark").resolve(f.path()));
      assertTrue(d.length > 0 && f.records() > 0, f.path());
      assertArrayEquals(d, s, f.path());
    }
    assertEquals(direct.manifest().steps(), spark.manifest().steps());
    assertTrue(spark.manifest().audit().balanced());
  }
}
