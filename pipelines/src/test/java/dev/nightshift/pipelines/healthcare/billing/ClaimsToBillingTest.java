package dev.nightshift.pipelines.healthcare.billing;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.transforms.core.NightshiftRun;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The healthcare chain: generated claims adjudicated by claims-adjudication, its
 * adjudicated_lines.csv paid by billing. Billing refuses none of the lines, and its 835 reads back
 * through StAEDI (control schema and the 835 schema) without an error, balances, and remits every
 * claim adjudicated on the day with the plan's payment.
 */
class ClaimsToBillingTest {

  @Test
  void adjudicatedClaimsAreRemittedByBilling(@TempDir Path tmp) throws Exception {
    Path claims = tmp.resolve("claims");
    GenerationReport g = new ClaimsGenerator().generate(new GenerationRequest(claims, 2_500, 21, 0.06, null));
    Path adjudicated = tmp.resolve("adjudicated");
    ClaimsAdjudication.run("--inputDir=" + claims, "--output=" + adjudicated, "--businessDate=" + g.businessDate());
    Path billed = tmp.resolve("billed");
    NightshiftRun.Summary billing = Billing.run("--adjudicated=" + adjudicated.resolve(ClaimsAdjudication.LINES_FILE),
        "--output=" + billed, "--businessDate=" + g.businessDate());

    assertEquals(List.of(), Files.readAllLines(billed.resolve(NightshiftRun.DEAD_LETTERS_FILE)),
        "billing accepts every adjudicated line");
    assertTrue(billing.manifest().audit().balanced());
    X835.Result remittance = X835.read(billed.resolve(Remittance835.FILE_NAME));
    assertEquals(List.of(), remittance.errors());
    assertEquals(List.of(), remittance.problems());

    List<List<String>> lines = rows(adjudicated.resolve(ClaimsAdjudication.LINES_FILE));
    Set<String> claimIds = new HashSet<>();
    BigDecimal planPaid = BigDecimal.ZERO;
    for (List<String> l : lines) {
      claimIds.add(l.get(0));
      planPaid = planPaid.add(new BigDecimal(l.get(17)));
    }
    Set<String> remitted = new HashSet<>();
    remittance.claims().forEach(c -> remitted.add(c.claimId()));
    assertEquals(claimIds, remitted, "every claim adjudicated today is remitted");
    assertEquals(0, planPaid.compareTo(remittance.transactions().stream().map(X835.Transaction::payment)
        .reduce(BigDecimal.ZERO, BigDecimal::add)), "the checks pay what the plan pays");
    assertTrue(Files.size(billed.resolve(Statements.STATEMENTS_FILE)) > 100);
  }
}
