package dev.nightshift.pipelines.finance.fix;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code nightshift generate finance-fix-logs}: the settlement reference data (as
 * {@code finance-trades} writes it, with an empty trades.csv) and, in {@code fix/}, a FIX 4.4 and a
 * FIX 4.2 session log of {@code size} orders. Settle it with
 * {@code nightshift run trade-settlement --inputDir=DIR --fixLogs=DIR/fix/*.log}. The defects (junk
 * lines, non-ISIN fills, wrong checksums and body lengths) come at a fixed cadence: the bad rate
 * is not used.
 */
public final class FixLogDataset implements DatasetGenerator {
  public static final String NAME = "finance-fix-logs";
  public static final String FIX_DIR = "fix";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "FIX 4.2/4.4 session logs (fills, partial fills, session and order traffic, junk) with"
        + " the settlement reference data";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(TradeGenerator.DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    GenerationReport reference =
        new TradeGenerator().generate(new GenerationRequest(out, 0, request.seed(), 0.0, businessDate));
    FixLogGenerator.Expected fix =
        FixLogGenerator.generate(out, out.resolve(FIX_DIR), request.seed(), (int) request.size(), businessDate);
    SortedMap<String, Long> rows = new TreeMap<>(reference.rowsPerFile());
    rows.remove(TradeGenerator.TRADES_FILE);
    for (String log : new String[] {FixLogGenerator.FIX44_LOG, FixLogGenerator.FIX42_LOG}) {
      rows.put(FIX_DIR + "/" + log, (long) Files.readAllLines(out.resolve(FIX_DIR).resolve(log)).size());
    }
    GenerationReport report =
        new GenerationReport(NAME, businessDate, request.size(), request.seed(), request.badRate(), rows,
            fix.deadByReason(), fix.trades().size());
    Files.writeString(out.resolve(TradeGenerator.REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }
}
