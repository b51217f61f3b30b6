package dev.nightshift.pipelines.healthcare.claims;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.healthcare.billing.HealthcareSamples;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real samples as they are (copied byte for byte next to each other, with the 835 sample too,
 * whose .txt extension is no claims format): the Synthea bundle (32 claims, 78 items, sum of
 * Claim.total 10597.04) and the X12 837P claim 945405 (5332.54, one SV1 line J2941 x 84 units),
 * adjudicated against small hand-written reference files (test resources). The expected figures
 * were checked against the plain-Java reference model and by hand from the README's rules: the
 * Synthea encounter items carry no net and are charged what Claim.total leaves over the claim's
 * other items (129.16 each), the claims of 2000-2004 fall in the member's coverage gap (27),
 * varicella is not covered and two vaccines and one odd encounter code are not in the fee schedule
 * (96), every other line is paid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimsSamplesTest {

  static final String BUSINESS_DATE = "2020-01-31";
  static final String SYNTHEA_MEMBER = "3f6fd0bb-6cd3-eb3f-4401-cd38ace25f2b";

  Path output;
  NightshiftRun.Summary summary;
  Map<String, List<String>> lines = new TreeMap<>();

  @BeforeAll
  void adjudicateTheSamples(@TempDir Path tmp) throws Exception {
    Path claims = Files.createDirectories(tmp.resolve("claims"));
    for (String sample : List.of(HealthcareSamples.SYNTHEA_BUNDLE, HealthcareSamples.X12_837P, HealthcareSamples.X12_835)) {
      Files.copy(HealthcareSamples.healthcare(sample), claims.resolve(sample));
    }
    output = tmp.resolve("out");
    summary = ClaimsAdjudication.run("--claims=" + claims + "/*", "--members=" + resource("members.csv"),
        "--plans=" + resource("plans.csv"), "--feeSchedule=" + resource("fee_schedule.csv"),
        "--businessDate=" + BUSINESS_DATE, "--output=" + output);
    for (List<String> r : rows(output.resolve(ClaimsAdjudication.LINES_FILE))) {
      lines.put(r.get(0) + "/" + r.get(1), r);
    }
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(ClaimsSamplesTest.class.getResource("samples/" + name).toURI());
  }

  @Test
  void theSyntheaBundleIsReadWhole() {
    List<List<String>> synthea = lines.values().stream().filter(r -> r.get(2).equals(SYNTHEA_MEMBER)).toList();
    assertEquals(78, synthea.size());
    assertEquals(32, synthea.stream().map(r -> r.get(0)).distinct().count());
    assertEquals(new BigDecimal("10597.04"), sum(synthea, 12), "the items' charges add up to the sum of Claim.total");
    // provider: the value of the conditional reference Organization?identifier=...|<id>
    assertTrue(synthea.stream().allMatch(r -> r.get(4).equals("753f3c32-49b3-34ed-a40d-420ac433ec96")
        || r.get(4).length() == 36), synthea.get(0).toString());
    assertEquals(Set.of("Aetna", "Anthem", "Blue Cross Blue Shield", "Cigna Health", "Humana", "UnitedHealthcare"),
        synthea.stream().map(r -> r.get(5)).collect(Collectors.toSet()), "payer: the focal coverage's display");
  }

  @Test
  void syntheaFiguresAreExact() throws Exception {
    List<List<String>> synthea = lines.values().stream().filter(r -> r.get(2).equals(SYNTHEA_MEMBER)).toList();
    Map<String, Long> byCarc = new TreeMap<>();
    for (List<String> r : synthea) {
      byCarc.merge(r.get(19) + " " + r.get(20), 1L, Long::sum);
    }
    assertEquals(Map.of("PAID ", 63L, "DENIED 27", 10L, "DENIED 96", 5L), byCarc);
    assertEquals(32, synthea.stream().filter(r -> r.get(1).equals("1") && r.get(12).equals("129.16")).count(),
        "every encounter item charged the rest of its claim's total");
    List<List<String>> paid = synthea.stream().filter(r -> r.get(19).equals("PAID")).toList();
    assertEquals(new BigDecimal("8557.40"), sum(paid, 12), "charge");
    assertEquals(new BigDecimal("6714.72"), sum(paid, 13), "allowed");
    assertEquals(new BigDecimal("4226.28"), sum(paid, 14), "deductible");
    assertEquals(new BigDecimal("200.87"), sum(paid, 15), "coinsurance");
    assertEquals(new BigDecimal("480.00"), sum(paid, 16), "copay");
    assertEquals(new BigDecimal("1807.57"), sum(paid, 17), "plan paid");
    assertEquals(new BigDecimal("4907.15"), sum(paid, 18), "patient responsibility");
    // the accumulators: the deductible met every year, the plan changing from GOLD to SILVER in 2005
    Map<String, String> acc = new TreeMap<>();
    for (List<String> r : rowsOf(ClaimsAdjudication.ACCUMULATORS_FILE)) {
      acc.put(r.get(0) + " " + r.get(1), r.get(2) + " " + r.get(3));
    }
    assertEquals("250.00 391.67", acc.get(SYNTHEA_MEMBER + " 1991"));
    // GOLD: a well-child visit (129.16, copay 15, deductible 114.16) and a flu shot (60, deductible)
    assertEquals("174.16 189.16", acc.get(SYNTHEA_MEMBER + " 1998"));
    assertEquals("444.68 469.68", acc.get(SYNTHEA_MEMBER + " 2005"));
    assertEquals("394.16 419.16", acc.get(SYNTHEA_MEMBER + " 2013"));
    assertEquals("164.16 189.16", acc.get(SYNTHEA_MEMBER + " 2019"));
    assertEquals(19, acc.size(), "18 Synthea plan years with a paid line, and 2011 of the X12 member");
  }

  @Test
  void everySampleLineEqualsTheReferenceModel(@TempDir Path tmp) throws Exception {
    Path claims = Files.createDirectories(tmp.resolve("claims"));
    for (String sample : List.of(HealthcareSamples.SYNTHEA_BUNDLE, HealthcareSamples.X12_837P)) {
      Files.copy(HealthcareSamples.healthcare(sample), claims.resolve(sample));
    }
    for (String f : List.of("members.csv", "plans.csv", "fee_schedule.csv")) {
      Files.copy(resource(f), tmp.resolve(f));
    }
    ClaimsAdjudicationModel.Result model = ClaimsAdjudicationModel.run(tmp, LocalDate.parse(BUSINESS_DATE));
    List<String> actual = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(output.resolve(ClaimsAdjudication.LINES_FILE)).subList(1, lines.size() + 1)) {
      actual.add(line.substring(0, line.lastIndexOf(',')).replace("\"", "")); // without denial_reason
    }
    assertEquals(model.lines(), actual);
    List<String> accumulators = Files.readAllLines(output.resolve(ClaimsAdjudication.ACCUMULATORS_FILE));
    assertEquals(model.accumulators(), accumulators.subList(1, accumulators.size()));
  }

  @Test
  void theX12ClaimIsExact() {
    List<String> l = lines.get("945405/1");
    assertEquals(List.of("945405", "1", "YYX123456789", "YYX123456789", "123456789", "54771", "PLAN-SILVER",
        "2011-05-11", "2011-05-23", BUSINESS_DATE, "J2941", "84", "5332.54", "5040.00", "750.00", "853.00",
        "25.00", "3412.00", "1628.00", "PAID", "", ""), l);
    assertEquals(79, lines.size());
  }

  @Test
  void everyClaimGetsOneValidExplanationOfBenefitWithTheLinesAmounts() throws Exception {
    List<String> ids = EobChecks.check(output.resolve(ClaimsAdjudication.EOB_FILE), lines);
    assertEquals(33, ids.size());
    assertEquals(lines.values().stream().map(r -> r.get(0)).collect(Collectors.toSet()), Set.copyOf(ids));
  }

  @Test
  void theBundlesOwnEobsPointAtTheClaimsRead() throws Exception {
    JsonNode bundle = new ObjectMapper().readTree(HealthcareSamples.healthcare(HealthcareSamples.SYNTHEA_BUNDLE).toFile());
    Set<String> read = lines.keySet().stream().map(k -> k.split("/")[0]).collect(Collectors.toSet());
    int eobs = 0;
    for (JsonNode entry : bundle.path("entry")) {
      if (entry.path("resource").path("resourceType").asText().equals("ExplanationOfBenefit")) {
        eobs++;
        String ref = entry.path("resource").path("claim").path("reference").asText();
        assertTrue(ref.startsWith("urn:uuid:") && read.contains(ref.substring(9)), ref);
      }
    }
    assertEquals(32, eobs);
  }

  @Test
  void theManifestBalancesAndTheTxtFileIsRefused() throws Exception {
    RunManifest m = summary.manifest();
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced());
    assertEquals(3, m.steps().get(ReadClaims.MATCH).in());
    List<DeadLetter> dead = new java.util.ArrayList<>();
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      dead.add(DeadLetter.fromJson(json));
    }
    assertEquals(1, dead.size());
    assertEquals("UNSUPPORTED_FORMAT", dead.get(0).reasonCode());
    assertTrue(dead.get(0).sourceFile().endsWith(HealthcareSamples.X12_835));
    List<List<String>> summaryRows = rowsOf(ClaimsAdjudication.SUMMARY_FILE);
    assertEquals(List.of("ALL", "", "33", "79", "15929.58", "11754.72", "4976.28", "1053.87", "505.00", "5219.57",
        "6535.15"), summaryRows.get(0));
  }

  private List<List<String>> rowsOf(String file) throws Exception {
    return rows(output.resolve(file));
  }

  private static BigDecimal sum(List<List<String>> rows, int column) {
    return rows.stream().map(r -> new BigDecimal(r.get(column))).reduce(new BigDecimal("0.00"), BigDecimal::add);
  }
}
