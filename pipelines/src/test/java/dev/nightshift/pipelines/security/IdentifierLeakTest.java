package dev.nightshift.pipelines.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.billing.Remittance835;
import dev.nightshift.pipelines.healthcare.billing.Statements;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.pipelines.testing.Logs;
import dev.nightshift.pipelines.testing.Needles;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.report.Redact;
import dev.nightshift.transforms.report.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output contract for identifiers (README, Security): every account and patient identifier of
 * the inputs is collected, the pipelines that carry them run, and every file they write, the
 * manifest, the HTML run report, every log event at DEBUG and up and everything printed are
 * scanned for them. An identifier may appear only in the files whose contract needs it:
 *
 * <ul>
 *   <li>trade-settlement: securities and cash accounts only in dead_letters.jsonl (the raw record,
 *       for replay); instructions and cash positions name participants, not accounts;
 *   <li>account-reconciliation: IBANs in matched.csv, breaks.csv and balance_proof.csv (whoever
 *       resolves a break needs the account) and dead letters; reconciliation_report.csv shows them
 *       masked;
 *   <li>billing: patient and member ids in the patient statements, their lines and the 835 (sent
 *       to the patient and the payee, who need them) and dead letters;
 *   <li>patient-records: identifiers and phones in patient_master.csv (the identified master) and
 *       dead letters; never in the de-identified extract; the HMAC key nowhere at all.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentifierLeakTest {
  static final String KEY = "leak-test-key-7f3a9c2e51d84b06";

  /** What each pipeline's identifiers are, where they may be, and where its outputs went. */
  record Contract(Set<String> identifiers, Set<String> allowedFiles, Path output) {}

  final Map<String, Contract> contracts = new TreeMap<>();
  Logs.Scan logs;

  @BeforeAll
  void runAll(@TempDir Path tmp) throws IOException {
    Path trades = tmp.resolve("in/trades");
    new TradeGenerator().generate(new GenerationRequest(trades, 2_000, 21, 0.05, null));
    Set<String> accounts = new TreeSet<>(column(trades.resolve(TradeGenerator.PARTICIPANTS_FILE), 3));
    accounts.addAll(column(trades.resolve(TradeGenerator.PARTICIPANTS_FILE), 4));
    accounts.add(TradeGenerator.UNKNOWN_ACCOUNT_ID);
    contracts.put(TradeSettlement.NAME, new Contract(accounts, Set.of(NightshiftRun.DEAD_LETTERS_FILE),
        tmp.resolve("out/trades")));

    Path statements = tmp.resolve("in/statements");
    new StatementGenerator().generate(new GenerationRequest(statements, 1_200, 21, 0.05, null));
    contracts.put(AccountReconciliation.NAME, new Contract(
        new TreeSet<>(column(statements.resolve(StatementGenerator.LEDGER_FILE), 1)),
        Set.of(AccountReconciliation.MATCHED_FILE, AccountReconciliation.BREAKS_FILE, AccountReconciliation.PROOF_FILE,
            NightshiftRun.DEAD_LETTERS_FILE),
        tmp.resolve("out/recon")));

    Path billing = tmp.resolve("in/billing");
    GenerationReport b = new BillingGenerator().generate(new GenerationRequest(billing, 600, 21, 0.05, null));
    Set<String> patients = new TreeSet<>();
    List<String> header = List.of(Files.readAllLines(billing.resolve(BillingGenerator.ADJUDICATED_FILE)).get(0).split(","));
    for (String c : List.of("member_id", "patient_id")) {
      column(billing.resolve(BillingGenerator.ADJUDICATED_FILE), header.indexOf(c)).stream()
          .filter(v -> v.length() >= 6).forEach(patients::add);
    }
    contracts.put(Billing.NAME, new Contract(patients,
        Set.of(Statements.STATEMENTS_FILE, Statements.LINES_FILE, Remittance835.FILE_NAME, NightshiftRun.DEAD_LETTERS_FILE),
        tmp.resolve("out/billing")));

    Path updates = tmp.resolve("in/patients");
    GenerationReport p = new PatientUpdateGenerator().generate(new GenerationRequest(updates, 400, 21, 0.1, null));
    Set<String> identifying = new TreeSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(updates.resolve(PatientUpdateGenerator.DAY1_FILE))) {
      JsonNode r;
      try {
        r = json.readTree(line);
      } catch (IOException e) {
        continue; // a planted broken line
      }
      r.path("identifier").forEach(id -> identifying.add(id.path("value").asText().replaceAll("\\s", "")));
      r.path("telecom").forEach(t -> identifying.add(t.path("value").asText()));
    }
    identifying.removeIf(v -> v.length() < 6);
    contracts.put(PatientRecords.NAME, new Contract(identifying,
        Set.of(PatientRecords.MASTER_FILE, NightshiftRun.DEAD_LETTERS_FILE), tmp.resolve("out/patients")));
    Path key = Files.createDirectories(tmp.resolve("secret")).resolve("deid.key");
    Files.writeString(key, KEY + "\n");

    Set<String> all = new TreeSet<>();
    contracts.values().forEach(c -> all.addAll(c.identifiers()));
    all.add(KEY);
    logs = Logs.scan(all, () -> {
      TradeSettlement.run("--inputDir=" + trades, "--output=" + contracts.get(TradeSettlement.NAME).output(),
          "--businessDate=" + TradeGenerator.DEFAULT_BUSINESS_DATE);
      AccountReconciliation.run("--inputDir=" + statements,
          "--output=" + contracts.get(AccountReconciliation.NAME).output());
      Billing.run("--inputDir=" + billing, "--output=" + contracts.get(Billing.NAME).output(),
          "--businessDate=" + b.businessDate());
      PatientRecords.run("--updates=" + updates.resolve(PatientUpdateGenerator.DAY1_FILE),
          "--output=" + contracts.get(PatientRecords.NAME).output(),
          "--businessDate=" + p.businessDate().minusDays(1), "--deidKey=file:" + key);
    });
  }

  /** The non-empty values of one column of a CSV file. */
  static List<String> column(Path csv, int index) throws IOException {
    List<String> values = new ArrayList<>();
    for (List<String> row : CsvFiles.rows(csv)) {
      if (row.size() > index && !row.get(index).isEmpty()) {
        values.add(row.get(index));
      }
    }
    return values;
  }

  @Test
  void identifiersAppearOnlyInTheFilesWhoseContractNeedsThem() throws IOException {
    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, Contract> e : contracts.entrySet()) {
      Contract c = e.getValue();
      assertTrue(c.identifiers().size() >= 5, e.getKey() + " has too few identifiers to prove anything");
      Needles ids = new Needles(c.identifiers());
      Set<String> seenInAllowed = new TreeSet<>();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(c.output())) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      assertTrue(files.stream().anyMatch(f -> f.endsWith(RunManifest.FILE_NAME)));
      assertTrue(files.stream().anyMatch(f -> f.endsWith(RunReport.FILE_NAME)));
      for (Path f : files) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertFalse(text.contains(KEY), "the key is in " + f);
        Set<String> found = ids.in(text);
        if (c.allowedFiles().contains(f.getFileName().toString())) {
          seenInAllowed.addAll(found);
        } else if (!found.isEmpty()) {
          leaks.add(e.getKey() + ": " + f.getFileName() + " holds " + found);
        }
      }
      assertFalse(seenInAllowed.isEmpty(), e.getKey() + ": the identifiers reached no output at all: the scan proves nothing");
    }
    assertEquals(List.of(), leaks);
  }

  @Test
  void theReconciliationReportShowsEveryAccountMasked() throws IOException {
    Contract c = contracts.get(AccountReconciliation.NAME);
    Set<String> masked = new TreeSet<>();
    c.identifiers().forEach(iban -> masked.add(Redact.identifier(iban)));
    List<List<String>> rows = CsvFiles.rows(c.output().resolve(AccountReconciliation.REPORT_FILE));
    assertFalse(rows.isEmpty());
    for (List<String> row : rows) {
      assertTrue(masked.contains(row.get(0)), row.get(0) + " is not a masked account of the input");
      assertTrue(row.get(0).matches("NL\\*+[0-9A-Z]{4}"), row.get(0));
    }
  }

  @Test
  void noLogLineOrPrintedTextHoldsAnIdentifierOrTheKey() {
    assertTrue(logs.events() > 1000, "the log scan saw " + logs.events() + " events: it would prove nothing");
    assertEquals(List.of(), logs.hits());
  }
}
