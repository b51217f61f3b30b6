package dev.nightshift.pipelines.healthcare.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.BillingTransaction;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Billing on a small hand-made input whose every output value is worked out by hand: aging bucket
 * boundaries (30/31, 60/61, 90/91 days), payments applied oldest first, credits, a line
 * adjudicated after the run date, identical and conflicting copies of a claim line, and the 835
 * of the day's lines (paid, partly denied and wholly denied claims, a denied line without a
 * procedure code adjusted at claim level).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingHandMadeTest {

  static final LocalDate DAY = LocalDate.of(2026, 11, 25);
  static final String NPI_A = "1234567893"; // CMS's example NPI
  static final String NPI_B = Npi.withCheckDigit("123456780");
  static final String NPI_C = Npi.withCheckDigit("123456781");

  Path in;
  Path out;
  NightshiftRun.Summary summary;

  @BeforeAll
  void run(@TempDir Path tmp) throws IOException {
    in = tmp.resolve("in");
    out = tmp.resolve("out");
    Files.createDirectories(in);
    List<String> first = new ArrayList<>();
    // M0000001: six paid lines, 10.00 each to pay, served 30, 31, 60, 61, 90 and 91 days ago.
    int[] ages = {30, 31, 60, 61, 90, 91};
    for (int i = 0; i < ages.length; i++) {
      LocalDate adjudicated = i < 2 ? DAY : DAY.minusDays(20);
      first.add(paid("C-A" + i, 1, "M0000001", NPI_A, DAY.minusDays(ages[i]), adjudicated,
          "99213", "150.00", "92.00", "0.00", "0.00", "10.00"));
    }
    // M0000002: one line, 20.00 to pay (deductible 8.00, coinsurance 2.00, copay 10.00), paid 30.00.
    first.add(paid("C-B1", 1, "M0000002", NPI_B, DAY.minusDays(5), DAY,
        "99214", "200.00", "131.00", "8.00", "2.00", "10.00"));
    // Same claim: a line denied as non-covered, and a denied line without a procedure code.
    first.add(denied("C-B1", 2, "M0000002", NPI_B, DAY.minusDays(5), DAY, "97110", "45.00", "96"));
    first.add(denied("C-B1", 3, "M0000002", NPI_B, DAY.minusDays(5), DAY, "", "12.50", "16"));
    // A claim denied whole: member unknown.
    first.add(denied("C-B2", 1, "M9000001", NPI_B, DAY.minusDays(3), DAY, "80053", "30.00", "31"));
    // A provider whose only claim today is denied: a notification, no payment.
    first.add(denied("C-C1", 1, "M0000002", NPI_C, DAY.minusDays(2), DAY, "93000", "60.00", "29"));
    // M0000004: adjudicated tomorrow (a later run's line): neither remitted nor billed.
    first.add(paid("C-D1", 1, "M0000004", NPI_A, DAY.minusDays(1), DAY.plusDays(1),
        "99213", "100.00", "92.00", "0.00", "0.00", "25.00"));
    // Copied below: identical, and with another charge.
    String same = paid("C-E1", 1, "M0000005", NPI_A, DAY.minusDays(10), DAY.minusDays(2),
        "85025", "30.00", "10.50", "0.00", "0.00", "10.50");
    String conflict = paid("C-E2", 1, "M0000005", NPI_A, DAY.minusDays(10), DAY,
        "85025", "30.00", "10.50", "0.00", "0.00", "10.50");
    first.add(same);
    first.add(conflict);
    write(in.resolve("adjudicated_lines.csv"), first);
    write(in.resolve("adjudicated_lines_rerun.csv"), List.of(same, conflict.replace(",30.00,10.50,", ",31.00,10.50,")));
    Files.writeString(in.resolve("payments.csv"), String.join("\n",
        "payment_id,patient_id,payment_date,amount",
        "P1,M0000001,2026-11-01,15.00",
        "P2,M0000002,2026-11-20,30.00",
        "P3,M0000003,2026-11-24,12.34",
        "P4,M0000001,2026-11-26,99.00",
        "P2,M0000001,2026-11-20,1.00") + "\n");
    summary = Billing.run("--inputDir=" + in, "--output=" + out, "--businessDate=" + DAY);
  }

  @Test
  void statementsAgeByBucketAndApplyPaymentsOldestFirst() throws IOException {
    // M0000001: 15.00 closes the 91-day item and takes 5.00 off the 90-day one.
    // M0000002: pays 30.00 on 20.00: 10.00 credit. M0000003: nothing open, 12.34 credit.
    // M0000005: the identical copy counts once; the conflicting line is refused.
    assertEquals(List.of(
            "2026-11-25,M0000001,45.00,10.00,20.00,15.00,0.00,5,15.00,0.00",
            "2026-11-25,M0000002,0.00,0.00,0.00,0.00,0.00,0,20.00,10.00",
            "2026-11-25,M0000003,0.00,0.00,0.00,0.00,0.00,0,0.00,12.34",
            "2026-11-25,M0000005,10.50,10.50,0.00,0.00,0.00,1,0.00,0.00"),
        data(Statements.STATEMENTS_FILE));
    assertEquals(List.of(
            "M0000001,C-A0,1,2026-10-26,30,0-30,10.00",
            "M0000001,C-A1,1,2026-10-25,31,31-60,10.00",
            "M0000001,C-A2,1,2026-09-26,60,31-60,10.00",
            "M0000001,C-A3,1,2026-09-25,61,61-90,10.00",
            "M0000001,C-A4,1,2026-08-27,90,61-90,5.00",
            "M0000005,C-E1,1,2026-11-15,10,0-30,10.50"),
        data(Statements.LINES_FILE));
  }

  @Test
  void bucketBoundaries() {
    assertEquals(0, Statements.bucket(0));
    assertEquals(0, Statements.bucket(30));
    assertEquals(1, Statements.bucket(31));
    assertEquals(1, Statements.bucket(60));
    assertEquals(2, Statements.bucket(61));
    assertEquals(2, Statements.bucket(90));
    assertEquals(3, Statements.bucket(91));
  }

  @Test
  void remittanceOfTheDayBalancesClaimByClaim() throws Exception {
    X835.Result r = X835.read(out.resolve(Remittance835.FILE_NAME));
    assertEquals(List.of(), r.errors());
    assertEquals(List.of(), r.problems());
    assertEquals(3, r.transactions().size());
    X835.Transaction b = r.transactions().get(0);
    X835.Transaction c = r.transactions().get(1);
    X835.Transaction a = r.transactions().get(2);
    assertEquals(List.of("1234567802", NPI_C, "1234567893"),
        List.of(b.payeeId(), c.payeeId(), a.payeeId())); // by NPI
    assertEquals(List.of("0001", "0002", "0003"), List.of(b.control(), c.control(), a.control()));
    assertEquals("4", c.claims().get(0).status());
    assertEquals(0, BigDecimal.ZERO.compareTo(c.payment()));
    assertEquals("XX", a.payeeQualifier());
    // A: C-A0 and C-A1 (adjudicated today), 82.00 paid each.
    assertEquals(List.of("C-A0", "C-A1"), a.claims().stream().map(X835.Claim::claimId).toList());
    assertEquals(0, new BigDecimal("164.00").compareTo(a.payment()));
    X835.Claim a0 = a.claims().get(0);
    assertEquals("1", a0.status());
    assertEquals(List.of(new X835.Cas("CO", "45", new BigDecimal("58")),
        new X835.Cas("PR", "3", new BigDecimal("10"))), a0.services().get(0).cas());
    // B: C-B1 paid in part, C-B2 denied.
    X835.Claim b1 = b.claims().get(0);
    assertEquals("C-B1", b1.claimId());
    assertEquals("1", b1.status());
    assertEquals(0, new BigDecimal("257.50").compareTo(b1.charge()));
    assertEquals(0, new BigDecimal("111.00").compareTo(b1.paid()));
    assertEquals(0, new BigDecimal("20.00").compareTo(b1.patient()));
    assertEquals(List.of(new X835.Cas("CO", "16", new BigDecimal("12.5"))), b1.cas()); // no procedure code
    assertEquals(List.of("1", "2"), b1.services().stream().map(X835.Service::lineNo).toList());
    assertEquals(List.of(new X835.Cas("CO", "96", new BigDecimal("45"))), b1.services().get(1).cas());
    X835.Claim b2 = b.claims().get(1);
    assertEquals("4", b2.status());
    assertEquals(0, BigDecimal.ZERO.compareTo(b2.paid()));
    assertEquals(0, new BigDecimal("111.00").compareTo(b.payment()));
    String text = Files.readString(out.resolve(Remittance835.FILE_NAME));
    assertTrue(text.startsWith("ISA*00*          *00*          *ZZ*NSHP1          *ZZ*NSCLEARINGHOUSE*261125*0000*^*00501*261125001*0*P*:~\n"), text);
    assertTrue(text.contains("\nGS*HP*NSHP1*NSCLEARINGHOUSE*20261125*0000*261125001*X*005010X221A1~\n"), text);
    assertTrue(text.contains("\nBPR*I*164*C*CHK************20261125~\n"), text);
    assertTrue(text.contains("\nBPR*H*0*C*NON************20261125~\n"), text);
    assertTrue(text.contains("\nTRN*1*NS20261125" + NPI_C + "*1990000001~\n"), text);
    assertTrue(text.contains("\nGE*3*261125001~\n"), text);
    assertTrue(text.contains("\nNM1*QC*1******MI*M9000001~\n"), text);
    assertTrue(text.endsWith("\nIEA*1*261125001~\n"), text);
  }

  @Test
  void copiesAndLaterLinesAreAccountedFor() throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    for (String json : Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      if (d.reasonCode().equals("CONFLICTING_CLAIM_LINE")) {
        assertTrue(d.message().contains("[charge]"), d.message());
      }
    }
    // both copies of the conflicting line; the payment after the business date; the reused id
    assertEquals(Map.of("CONFLICTING_CLAIM_LINE", 2L, "PAYMENT_AFTER_BUSINESS_DATE", 1L,
        "DUPLICATE_PAYMENT_ID", 1L), byReason);
    RunManifest m = RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced());
    assertEquals(Map.of("earlier", 5L, "later", 1L, "open", 8L), withoutZero(m.steps().get("route-lines").other()));
    assertEquals(1L, m.steps().get("dedupe-lines").other().get("identical"));
    assertEquals(7, m.steps().get("route-lines").out()); // remitted today
  }

  @Test
  void aRunWithNothingToRemitWritesAnEmptyInterchange(@TempDir Path tmp) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertEquals(2, Remittance835.write(bytes, DAY, List.of()));
    Path file = tmp.resolve("empty.edi");
    Files.write(file, bytes.toByteArray());
    X835.Result r = X835.read(file);
    assertEquals(List.of(), r.errors());
    assertEquals(List.of(), r.problems());
    assertEquals(2, r.segments());
  }

  @Test
  void theWriterRefusesToWriteAnInvalid835() {
    String bpr = String.join("\u001F", "BPR", "I", "1X0", "C", "CHK", "", "", "", "", "", "", "", "", "", "", "", "20261125");
    BillingTransaction bad = new BillingTransaction(NPI_A, bpr + "\n", 0, 0, 1, BigDecimal.TEN);
    Exception e = assertThrows(Exception.class,
        () -> Remittance835.write(new ByteArrayOutputStream(), DAY, List.of(bad)));
    assertTrue(String.valueOf(e.getMessage()).contains("BPR"), e.toString());
  }

  @Test
  void npiCheckDigits() {
    assertTrue(Npi.isValid("1234567893"));
    assertFalse(Npi.isValid("1234567894"));
    assertFalse(Npi.isValid("123456789"));
    assertFalse(Npi.isValid("12345678A3"));
    assertTrue(Npi.isValid(NPI_B));
  }

  private static Map<String, Long> withoutZero(Map<String, Long> counters) {
    Map<String, Long> out = new TreeMap<>(counters);
    out.values().removeIf(v -> v == 0);
    return out;
  }

  private List<String> data(String file) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }

  private static void write(Path file, List<String> rows) throws IOException {
    Files.writeString(file, String.join(",", AdjudicatedLine.COLUMNS) + "\n" + String.join("\n", rows) + "\n");
  }

  static String paid(String claim, int line, String patient, String npi, LocalDate service,
      LocalDate adjudicated, String procedure, String charge, String allowed, String deductible,
      String coinsurance, String copay) {
    BigDecimal pr = new BigDecimal(deductible).add(new BigDecimal(coinsurance)).add(new BigDecimal(copay));
    BigDecimal planPaid = new BigDecimal(allowed).subtract(pr);
    return String.join(",", claim, Integer.toString(line), patient, patient, npi, "NIGHTSHIFT-HEALTH",
        "PLAN-SILVER", service.toString(), service.toString(), adjudicated.toString(), procedure, "1",
        charge, allowed, deductible, coinsurance, copay, planPaid.toPlainString(), pr.toPlainString(),
        "PAID", "", "");
  }

  static String denied(String claim, int line, String patient, String npi, LocalDate service,
      LocalDate adjudicated, String procedure, String charge, String carc) {
    return String.join(",", claim, Integer.toString(line), patient, patient, npi, "NIGHTSHIFT-HEALTH",
        carc.equals("31") ? "" : "PLAN-SILVER", service.toString(), service.toString(),
        adjudicated.toString(), procedure, "1", charge, "0.00", "0.00", "0.00", "0.00", "0.00",
        "0.00", "DENIED", carc, "denied " + carc);
  }
}
