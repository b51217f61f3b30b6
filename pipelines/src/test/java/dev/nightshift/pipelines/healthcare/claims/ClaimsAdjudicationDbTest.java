package dev.nightshift.pipelines.healthcare.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeSettlementDbTest;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.pipelines.testing.PostgresServer;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * claims-adjudication with its reference data (members, plans, fee schedule) in a real PostgreSQL
 * server, read through JdbcIO: the same bytes and step counts as from the generated CSV files, and
 * the manifest names the tables with their row counts instead of the files.
 */
@ExtendWith(PostgresServer.class)
class ClaimsAdjudicationDbTest {

  @Test
  void membersPlansAndFeeScheduleFromTablesGiveTheSameBytesAsTheFiles(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport generated =
        new ClaimsGenerator().generate(new GenerationRequest(input, 1_500, 23, 0.05, null));
    PostgresServer.Db db = PostgresServer.database("claims");
    for (String table : List.of("members", "plans", "fee_schedule")) {
      assertEquals(CsvFiles.rows(input.resolve(table + ".csv")).size(), db.load(table, input.resolve(table + ".csv")));
    }
    Path fromFiles = tmp.resolve("files");
    NightshiftRun.Summary files = ClaimsAdjudication.run("--inputDir=" + input, "--output=" + fromFiles,
        "--businessDate=" + generated.businessDate());

    Path fromTables = tmp.resolve("tables");
    List<String> args = new ArrayList<>(List.of("--inputDir=" + input, "--output=" + fromTables,
        "--businessDate=" + generated.businessDate(), "--members=jdbc:members", "--plans=jdbc:plans",
        "--feeSchedule=jdbc:fee_schedule"));
    args.addAll(db.flags());
    NightshiftRun.Summary tables = ClaimsAdjudication.run(args.toArray(new String[0]));

    TradeSettlementDbTest.assertSameOutputs(files, fromFiles, tables, fromTables);
    assertEquals(files.manifest().steps(), tables.manifest().steps());
    Map<String, RunManifest.FileEntry> inputs = new TreeMap<>();
    tables.manifest().inputs().forEach(e -> inputs.put(e.path(), e));
    assertFalse(inputs.keySet().stream().anyMatch(p -> p.endsWith("members.csv") || p.endsWith("fee_schedule.csv")),
        inputs.keySet().toString());
    for (String table : List.of("members", "plans", "fee_schedule")) {
      assertEquals(CsvFiles.rows(input.resolve(table + ".csv")).size(), inputs.get("jdbc:" + table).records(), table);
    }
    assertTrue(tables.counter("read-members/in") > 0);
    assertEquals(db.url(), tables.manifest().parameters().get("reference_db"));
  }
}
