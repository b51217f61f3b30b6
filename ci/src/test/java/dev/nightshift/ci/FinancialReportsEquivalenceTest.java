package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.transforms.core.NightshiftRun;
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

    NightshiftRun.Summary direct =
        RunnerEquivalenceTest.assertSameOnBothRunners(FinancialReports::run, tmp, common);
    assertEquals(5, direct.manifest().outputs().size(), "four reports and the dead letters");
    assertTrue(direct.manifest().outputs().stream().allMatch(f -> f.records() > 0));
  }
}
