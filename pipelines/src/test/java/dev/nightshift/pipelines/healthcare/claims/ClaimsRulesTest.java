package dev.nightshift.pipelines.healthcare.claims;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made claims, one run: each CARC where it applies and where it just does not (boundaries),
 * and the money of one member's claims worked out by hand across a plan year: a claim served
 * earlier but received later is accumulated first, the copay is taken once per claim, the
 * deductible is met in the middle of a line, the out-of-pocket cap cuts coinsurance, then copay,
 * then (for a member whose cap is below the deductible) the deductible, and January starts over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimsRulesTest {

  static final String NPI = "1234567893"; // CMS's example NPI
  static final String OTHER_NPI = "1245319599";

  Path output;
  Map<String, List<String>> lines = new TreeMap<>();
  List<DeadLetter> dead = new ArrayList<>();

  /** A line of a claim: code ("" none), charge (null none), service date (null none). */
  record Item(String code, String charge, String service) {}

  static Item item(String code, String charge, String service) {
    return new Item(code, charge, service);
  }

  /** A Bulk FHIR Claim on one line; member or received null = left out. */
  static String claim(String id, String member, String received, String provider, Item... items) {
    StringBuilder b = new StringBuilder("{\"resourceType\":\"Claim\",\"id\":\"" + id + "\",\"status\":\"active\","
        + "\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/claim-type\",\"code\":\"professional\"}]},"
        + "\"use\":\"claim\"");
    if (member != null) {
      b.append(",\"patient\":{\"reference\":\"Patient/").append(member).append("\"}");
    }
    if (received != null) {
      b.append(",\"created\":\"").append(received).append("\"");
    }
    b.append(",\"provider\":{\"identifier\":{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":\"").append(provider)
        .append("\"}},\"insurance\":[{\"sequence\":1,\"focal\":true,\"coverage\":{\"display\":\"NIGHTSHIFT-HEALTH\"}}],\"item\":[");
    for (int i = 0; i < items.length; i++) {
      Item it = items[i];
      b.append(i == 0 ? "" : ",").append("{\"sequence\":").append(i + 1).append(",\"productOrService\":")
          .append(it.code().isEmpty() ? "{\"text\":\"a visit\"}" : "{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"" + it.code() + "\"}]}");
      if (it.service() != null) {
        b.append(",\"servicedDate\":\"").append(it.service()).append("\"");
      }
      if (it.charge() != null) {
        b.append(",\"net\":{\"value\":").append(it.charge()).append(",\"currency\":\"USD\"}");
      }
      b.append("}");
    }
    return b.append("]}").toString();
  }

  @BeforeAll
  void adjudicate(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("claims"));
    Files.writeString(in.resolve("plans.csv"), """
        plan_id,deductible,coinsurance_rate,copay,oop_max,timely_filing_days
        PLAN-T,500.00,0.20,20.00,1000.00,90
        PLAN-LOWCAP,500.00,0.20,20.00,300.00,90
        """);
    Files.writeString(in.resolve("fee_schedule.csv"), """
        procedure_code,description,allowed_amount,covered
        99213,"Office visit, 20-29 minutes",150.00,Y
        27447,Total knee arthroplasty,1800.00,Y
        80053,Comprehensive metabolic panel,14.00,Y
        70551,MRI brain,420.00,Y
        29881,Knee arthroscopy,950.00,Y
        85025,Complete blood count,10.50,Y
        15780,"Dermabrasion, total face",600.00,N
        """);
    Files.writeString(in.resolve("members.csv"), """
        member_id,plan_id,coverage_start,coverage_end,birth_date,gender
        A,PLAN-T,2025-01-01,,1970-01-01,female
        B,PLAN-LOWCAP,2025-01-01,,1971-02-02,male
        E,PLAN-T,2025-01-01,2025-06-30,1972-03-03,female
        F,PLAN-T,2025-01-01,,1973-04-04,male
        G,PLAN-T,2025-01-01,,1974-05-05,female
        H,PLAN-NOPE,2025-01-01,,1975-06-06,male
        """);
    List<String> claims = List.of(
        // member A: the money, by hand (README rules), across the plan year
        claim("A0", "A", "2026-01-10", NPI, item("85025", "40.00", "2025-11-01")),
        claim("A1", "A", "2025-11-12", NPI, item("99213", "200.00", "2025-11-10")),
        claim("A2", "A", "2025-12-03", NPI, item("27447", "2000.00", "2025-12-01"), item("80053", "30.00", "2025-12-01")),
        claim("A3", "A", "2025-12-21", NPI, item("70551", "900.00", "2025-12-20")),
        claim("A4", "A", "2025-12-29", NPI, item("29881", "1200.00", "2025-12-28")),
        claim("A5", "A", "2025-12-31", NPI, item("99213", "150.00", "2025-12-30")),
        claim("A6", "A", "2026-01-06", NPI, item("99213", "200.00", "2026-01-05")),
        // member B: a cap below the deductible, cut down to the deductible
        claim("B1", "B", "2025-03-02", NPI, item("99213", "150.00", "2025-03-01")),
        claim("B2", "B", "2025-03-11", NPI, item("27447", "1800.00", "2025-03-10")),
        // 16: each missing field named; claim-level fields deny every line
        claim("M16-MEMBER", null, "2025-05-02", NPI, item("99213", "100.00", "2025-05-01"), item("80053", "20.00", "2025-05-01")),
        claim("M16-RECEIVED", "G", null, NPI, item("99213", "100.00", "2025-05-01")),
        claim("M16-LINES", "G", "2025-05-10", NPI, item("99213", null, "2025-05-09"), item("", "50.00", "2025-05-09"),
            item("", null, "2025-05-09"), item("80053", "30.00", "2025-05-09")),
        claim("M16-DATE", "G", "2025-05-10", NPI, item("99213", "100.00", null)),
        // 31, and 16 before 31
        claim("M31", "ZZZ", "2025-05-02", NPI, item("99213", "100.00", "2025-05-01"), item("80053", null, "2025-05-01")),
        // 27: coverage ends 2025-06-30, inclusive
        claim("M27-IN", "E", "2025-07-01", NPI, item("99213", "100.00", "2025-06-30")),
        claim("M27-OUT", "E", "2025-07-16", NPI, item("99213", "100.00", "2025-07-15")),
        // 18: earlier is the received date, then the claim id
        claim("DUP-1", "F", "2025-03-05", NPI, item("99213", "120.00", "2025-03-01")),
        claim("DUP-2", "F", "2025-03-04", NPI, item("99213", "120.00", "2025-03-01")),
        claim("DUP-3", "F", "2025-03-05", NPI, item("99213", "120.00", "2025-03-01")),
        claim("DUP-4", "F", "2025-03-05", NPI, item("99213", "121.00", "2025-03-01")),
        claim("DUP-5", "F", "2025-03-05", OTHER_NPI, item("99213", "120.00", "2025-03-01")),
        claim("TWICE", "F", "2025-03-06", NPI, item("80053", "20.00", "2025-03-02")),
        // 29: 90 days allowed
        claim("M29-LATE", "G", "2025-04-15", NPI, item("99213", "100.00", "2025-01-01")),
        claim("M29-ONTIME", "G", "2025-04-02", NPI, item("99213", "101.00", "2025-01-02")),
        // 96: not covered, not in the fee schedule
        claim("M96", "G", "2025-06-02", NPI, item("15780", "700.00", "2025-06-01"), item("99499", "80.00", "2025-06-01")),
        // a member whose only coverage names an unknown plan
        claim("UNPLANNED", "H", "2025-06-02", NPI, item("99213", "100.00", "2025-06-01")));
    List<String> file = new ArrayList<>(claims);
    file.add(claims.get(claims.size() - 5)); // TWICE, again, identical
    Files.write(in.resolve("claims/claims.ndjson"), file);
    output = tmp.resolve("out");
    ClaimsAdjudication.run("--inputDir=" + in, "--output=" + output, "--businessDate=2026-01-31");
    for (List<String> r : rows(output.resolve(ClaimsAdjudication.LINES_FILE))) {
      lines.put(r.get(0) + "/" + r.get(1), r);
    }
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      dead.add(DeadLetter.fromJson(json));
    }
  }

  /** plan, allowed, deductible, coinsurance, copay, plan paid, patient responsibility, status, carc. */
  private String money(String key) {
    List<String> l = lines.get(key);
    return String.join(" ", l.get(6), l.get(13), l.get(14), l.get(15), l.get(16), l.get(17), l.get(18), l.get(19), l.get(20));
  }

  private String decision(String key) {
    List<String> l = lines.get(key);
    return l.get(19) + " " + l.get(20) + " " + l.get(21);
  }

  @Test
  void oneMembersSharesAcrossAPlanYear() {
    //                                  plan   allowed ded    coins  copay  plan paid patient
    assertEquals("PLAN-T 10.50 0.00 0.00 10.50 0.00 10.50 PAID ", money("A0/1"), "served first: copay = all of it");
    assertEquals("PLAN-T 150.00 130.00 0.00 20.00 0.00 150.00 PAID ", money("A1/1"));
    assertEquals("PLAN-T 1800.00 370.00 282.00 20.00 1128.00 672.00 PAID ", money("A2/1"), "deductible met mid-line");
    assertEquals("PLAN-T 14.00 0.00 2.80 0.00 11.20 2.80 PAID ", money("A2/2"), "one copay per claim");
    assertEquals("PLAN-T 420.00 0.00 80.00 20.00 320.00 100.00 PAID ", money("A3/1"));
    assertEquals("PLAN-T 950.00 0.00 44.70 20.00 885.30 64.70 PAID ", money("A4/1"), "the cap cuts coinsurance");
    assertEquals("PLAN-T 150.00 0.00 0.00 0.00 150.00 0.00 PAID ", money("A5/1"), "cap reached: then copay too");
    assertEquals("PLAN-T 150.00 130.00 0.00 20.00 0.00 150.00 PAID ", money("A6/1"), "a new plan year");
  }

  @Test
  void aCapBelowTheDeductibleCutsTheDeductible() {
    assertEquals("PLAN-LOWCAP 150.00 130.00 0.00 20.00 0.00 150.00 PAID ", money("B1/1"));
    assertEquals("PLAN-LOWCAP 1800.00 150.00 0.00 0.00 1650.00 150.00 PAID ", money("B2/1"));
  }

  @Test
  void accumulatorsPerMemberAndPlanYear() throws Exception {
    Map<String, String> acc = new TreeMap<>();
    for (List<String> r : rows(output.resolve(ClaimsAdjudication.ACCUMULATORS_FILE))) {
      acc.put(r.get(0) + " " + r.get(1), r.get(2) + " " + r.get(3));
    }
    assertEquals("500.00 1000.00", acc.get("A 2025"));
    assertEquals("130.00 150.00", acc.get("A 2026"));
    assertEquals("280.00 300.00", acc.get("B 2025"));
  }

  @Test
  void missingInformationNamesTheField() {
    assertEquals("DENIED 16 missing member id", decision("M16-MEMBER/1"));
    assertEquals("DENIED 16 missing member id", decision("M16-MEMBER/2"));
    assertEquals("", lines.get("M16-MEMBER/1").get(6), "no member, no plan");
    assertEquals("DENIED 16 missing received date", decision("M16-RECEIVED/1"));
    assertEquals("DENIED 16 missing charge", decision("M16-LINES/1"));
    assertEquals("DENIED 16 missing procedure code", decision("M16-LINES/2"));
    assertEquals("DENIED 16 missing procedure code, charge", decision("M16-LINES/3"));
    assertEquals("PAID  ", decision("M16-LINES/4"));
    assertEquals("14.00", lines.get("M16-LINES/4").get(16), "the claim's copay on its first paid line: min(copay, allowed)");
    assertEquals("DENIED 16 missing service date", decision("M16-DATE/1"));
  }

  @Test
  void unknownMembersAndCoverageDates() {
    assertEquals("DENIED 31 member ZZZ is not our insured", decision("M31/1"));
    assertEquals("DENIED 16 missing charge", decision("M31/2"));
    assertEquals("PAID  ", decision("M27-IN/1"));
    assertEquals("DENIED 27 member E has no coverage on 2025-07-15", decision("M27-OUT/1"));
    assertEquals("DENIED 31 member H is not our insured", decision("UNPLANNED/1"));
  }

  @Test
  void duplicatesAreLaterByReceivedDateThenClaimId() {
    assertEquals("PAID  ", decision("DUP-2/1"));
    assertEquals("DENIED 18 duplicate of claim DUP-2 line 1", decision("DUP-1/1"));
    assertEquals("DENIED 18 duplicate of claim DUP-2 line 1", decision("DUP-3/1"));
    assertEquals("PAID  ", decision("DUP-4/1"), "another charge");
    assertEquals("PAID  ", decision("DUP-5/1"), "another provider");
    DeadLetter twice = dead.stream().filter(d -> d.reasonCode().equals("DUPLICATE_CLAIM_ID")).findFirst().orElseThrow();
    assertEquals(27, twice.lineNumber(), "the later copy of claim TWICE");
    assertEquals("PAID  ", decision("TWICE/1"));
  }

  @Test
  void timelyFilingAndNonCovered() {
    assertEquals("DENIED 29 received 104 days after the service; PLAN-T allows 90", decision("M29-LATE/1"));
    assertEquals("PAID  ", decision("M29-ONTIME/1"));
    assertEquals("DENIED 96 procedure 15780 is not covered", decision("M96/1"));
    assertEquals("DENIED 96 procedure 99499 is not in the fee schedule", decision("M96/2"));
  }

  @Test
  void deadLettersEobsAndTheAudit() throws Exception {
    assertEquals(List.of("DUPLICATE_CLAIM_ID", "UNKNOWN_PLAN"), dead.stream().map(DeadLetter::reasonCode).sorted().toList());
    assertEquals(33, lines.size());
    EobChecks.check(output.resolve(ClaimsAdjudication.EOB_FILE), lines);
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    assertEquals(Map.of("UNKNOWN_PLAN", 1L), m.steps().get("check-members").deadByReason());
  }
}
