package dev.nightshift.pipelines.healthcare.billing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Billing on generated data on the Direct Runner (its immutability and encodability checks on):
 * the 835 read back with StAEDI and checked (no reader error, control counts, balancing), its
 * claims and the statement files compared line by line with the plain-Java reference model, dead
 * letters compared reason by reason with what the generator planted, the audit balanced, and a
 * rerun giving the same bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingTest {

  static final int SIZE = 3_000;

  Path tmp;
  Path input;
  Path output;
  GenerationReport generated;
  BillingModel.Result model;
  X835.Result remittance;

  @BeforeAll
  void billGeneratedLines(@TempDir Path tmp) throws Exception {
    this.tmp = tmp;
    input = tmp.resolve("in");
    output = tmp.resolve("out");
    generated = new BillingGenerator().generate(new GenerationRequest(input, SIZE, 5, 0.05, null));
    Billing.run("--inputDir=" + input, "--output=" + output, "--businessDate=" + generated.businessDate());
    model = BillingModel.run(
        List.of(input.resolve(BillingGenerator.ADJUDICATED_FILE), input.resolve(BillingGenerator.RERUN_FILE)),
        input.resolve(BillingGenerator.PAYMENTS_FILE), generated.businessDate());
    remittance = X835.read(output.resolve(Remittance835.FILE_NAME));
  }

  @Test
  void statementsEqualTheReferenceModel() throws IOException {
    assertTrue(model.statements().size() > 100, "patients: " + model.statements().size());
    assertEquals(model.statements(), dataLines(Statements.STATEMENTS_FILE));
    assertEquals(model.statementLines(), dataLines(Statements.LINES_FILE));
  }

  @Test
  void theDataExercisesEveryCase() throws IOException {
    Set<String> buckets = new HashSet<>();
    for (String line : dataLines(Statements.LINES_FILE)) {
      buckets.add(line.split(",")[5]);
    }
    assertEquals(Set.of("0-30", "31-60", "61-90", "90+"), buckets);
    int credits = 0;
    int partly = 0;
    int settled = 0;
    for (String line : dataLines(Statements.STATEMENTS_FILE)) {
      String[] f = line.split(",");
      boolean due = new BigDecimal(f[2]).signum() > 0;
      boolean applied = new BigDecimal(f[8]).signum() > 0;
      credits += new BigDecimal(f[9]).signum() > 0 ? 1 : 0;
      partly += due && applied ? 1 : 0;
      settled += !due && applied && new BigDecimal(f[9]).signum() == 0 ? 1 : 0;
    }
    assertTrue(credits > 5 && partly > 5 && settled > 5, credits + " " + partly + " " + settled);
    Set<String> statuses = new HashSet<>();
    Set<String> reasons = new HashSet<>();
    for (X835.Claim c : remittance.claims()) {
      statuses.add(c.status());
      c.cas().forEach(a -> reasons.add(a.group() + "-" + a.reason()));
      c.services().forEach(s -> s.cas().forEach(a -> reasons.add(a.group() + "-" + a.reason())));
    }
    assertEquals(Set.of("1", "4"), statuses);
    assertTrue(reasons.containsAll(
        List.of("CO-45", "PR-1", "PR-2", "PR-3", "CO-16", "CO-31", "CO-27", "CO-18", "CO-29", "CO-96")),
        reasons.toString());
  }

  @Test
  void remittanceIsAValid835ThatBalances() {
    assertEquals(List.of(), remittance.errors());
    assertEquals(List.of(), remittance.problems());
    assertTrue(remittance.transactions().size() >= 5, "one transaction per provider");
    List<String> payees = remittance.transactions().stream().map(X835.Transaction::payeeId).toList();
    assertEquals(payees.stream().sorted().distinct().toList(), payees);
    for (X835.Transaction t : remittance.transactions()) {
      assertEquals("XX", t.payeeQualifier());
      assertTrue(Npi.isValid(t.payeeId()), t.payeeId());
      List<String> ids = t.claims().stream().map(X835.Claim::claimId).toList();
      assertEquals(ids.stream().sorted().toList(), ids, "claims sorted by id");
    }
    List<List<String>> all = remittance.all();
    assertEquals("ISA", all.get(0).get(0));
    assertEquals("IEA", all.get(all.size() - 1).get(0));
  }

  @Test
  void remittanceClaimsEqualTheReferenceModel() {
    Map<BillingModel.ClaimKey, BillingModel.Clp> actual = new TreeMap<>();
    for (X835.Transaction t : remittance.transactions()) {
      for (X835.Claim c : t.claims()) {
        actual.put(new BillingModel.ClaimKey(t.payeeId(), c.claimId()),
            new BillingModel.Clp(c.status(), cents(c.charge()), cents(c.paid()), cents(c.patient())));
      }
    }
    assertFalse(model.claims().isEmpty());
    assertEquals(model.claims(), actual);
    long charged = model.claims().values().stream().mapToLong(BillingModel.Clp::charge).sum();
    long paid = remittance.transactions().stream().mapToLong(t -> cents(t.payment())).sum();
    assertEquals(charged, remittance.claims().stream().mapToLong(c -> cents(c.charge())).sum());
    assertEquals(model.claims().values().stream().mapToLong(BillingModel.Clp::paid).sum(), paid);
  }

  @Test
  void everyPlantedErrorIsDeadLetteredWithItsReasonAndPosition() throws IOException {
    Map<String, List<String>> files = new HashMap<>();
    Map<String, Long> byReason = new TreeMap<>();
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      assertEquals(Billing.NAME, d.pipeline());
      List<String> lines = files.computeIfAbsent(d.sourceFile(), f -> {
        try {
          return Files.readAllLines(Path.of(f), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(lines.get((int) d.lineNumber() - 1), d.rawPayload(), json);
      assertFalse(d.message().isBlank());
    }
    assertEquals(generated.planted(), byReason);
    assertEquals(model.deadByReason(), byReason);
    assertTrue(byReason.keySet().containsAll(BillingGenerator.LINE_DEFECTS), byReason.toString());
    assertTrue(byReason.keySet().containsAll(BillingGenerator.PAYMENT_DEFECTS), byReason.toString());
  }

  @Test
  void manifestAccountsForEveryLineAndPayment() throws IOException {
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced());
    assertTrue(m.audit().failures().isEmpty());
    long rows = generated.rowsPerFile().get(BillingGenerator.ADJUDICATED_FILE)
        + generated.rowsPerFile().get(BillingGenerator.RERUN_FILE);
    assertEquals(rows, m.steps().get("read-adjudicated").in());
    RunManifest.StepCounts route = m.steps().get("route-lines");
    assertEquals(generated.expectedValidRecords(), route.in());
    assertEquals(model.acceptedLines(), route.in());
    assertEquals(route.in(), route.out() + route.other().get("earlier") + route.other().getOrDefault("later", 0L));
    long remitted = remittance.claims().stream()
        .mapToLong(c -> c.services().size()).sum();
    assertTrue(remitted <= route.out() && remitted > 0);
    assertEquals(route.out(), m.steps().get("build-remittance").other().get("lines"));
    assertEquals(remittance.segments(), m.steps().get("write-remittance").out());
    long payments = generated.rowsPerFile().get(BillingGenerator.PAYMENTS_FILE);
    assertEquals(payments, m.steps().get("read-payments").in());
    long paymentsDead = m.steps().get("read-payments").dead() + m.steps().get("dedupe-payments").dead()
        + m.steps().get("check-payments").dead();
    assertEquals(payments, paymentsDead + m.steps().get("build-statements").other().get("payments"));
    for (RunManifest.FileEntry f : m.outputs()) {
      assertEquals(64, f.sha256().length(), f.path());
      assertEquals(Files.readAllLines(output.resolve(f.path())).size() - (f.path().endsWith(".csv") ? 1 : 0),
          f.records(), f.path());
    }
  }

  @Test
  void aSecondRunWritesTheSameBytes() throws IOException {
    Path again = tmp.resolve("again");
    Billing.run("--inputDir=" + input, "--output=" + again, "--businessDate=" + generated.businessDate(),
        "--aggregationBuckets=3");
    for (String f : List.of(Remittance835.FILE_NAME, Statements.STATEMENTS_FILE, Statements.LINES_FILE,
        NightshiftRun.DEAD_LETTERS_FILE)) {
      assertArrayEquals(Files.readAllBytes(output.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void theGeneratorIsDeterministic() throws IOException {
    Path other = tmp.resolve("regenerated");
    new BillingGenerator().generate(new GenerationRequest(other, SIZE, 5, 0.05, null));
    for (String f : List.of(BillingGenerator.ADJUDICATED_FILE, BillingGenerator.RERUN_FILE,
        BillingGenerator.PAYMENTS_FILE, BillingGenerator.REPORT_FILE)) {
      assertArrayEquals(Files.readAllBytes(input.resolve(f)), Files.readAllBytes(other.resolve(f)), f);
    }
  }

  @Test
  void aMissingInputIsRefusedBeforeAnythingRuns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Billing.run("--adjudicated=" + tmp.resolve("nope/*.csv"), "--output=" + tmp.resolve("x")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Billing.run("--output=" + tmp.resolve("y")));
  }

  private static long cents(BigDecimal amount) {
    return amount.movePointRight(2).longValueExact();
  }

  private List<String> dataLines(String file) throws IOException {
    List<String> lines = Files.readAllLines(output.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }
}
