package dev.nightshift.pipelines.healthcare.claims;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * claims-adjudication on generated data on the Direct Runner (immutability and encodability checks
 * on): every adjudicated line equal to the plain-Java reference model's, the accumulators too, the
 * dead letters and the denials per CARC equal to what the generator planted, every EOB valid and
 * equal to its lines, the audit balanced, and a rerun with other buckets giving the same bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimsAdjudicationTest {

  static final int SIZE = 4_000;
  static final double BAD_RATE = 0.08;

  Path tmp;
  Path input;
  Path output;
  GenerationReport generated;
  ClaimsAdjudicationModel.Result model;
  Map<String, List<String>> lines = new LinkedHashMap<>();

  @BeforeAll
  void adjudicateGeneratedClaims(@TempDir Path tmp) throws Exception {
    this.tmp = tmp;
    input = tmp.resolve("in");
    output = tmp.resolve("out");
    generated = new ClaimsGenerator().generate(new GenerationRequest(input, SIZE, 11, BAD_RATE, null));
    ClaimsAdjudication.run("--inputDir=" + input, "--output=" + output, "--businessDate=" + generated.businessDate());
    model = ClaimsAdjudicationModel.run(input, generated.businessDate());
    for (List<String> r : rows(output.resolve(ClaimsAdjudication.LINES_FILE))) {
      lines.put(r.get(0) + "/" + r.get(1), r);
    }
  }

  @Test
  void everyLineEqualsTheReferenceModel() throws IOException {
    List<String> actual = new ArrayList<>();
    for (String line : dataLines(ClaimsAdjudication.LINES_FILE)) {
      actual.add(line.substring(0, line.lastIndexOf(',')).replace("\"", "")); // without denial_reason
    }
    assertEquals(generated.expectedValidRecords(), actual.size());
    assertEquals(model.lines().size(), actual.size());
    for (int i = 0; i < actual.size(); i++) {
      assertEquals(model.lines().get(i), actual.get(i), "line " + (i + 2));
    }
    for (Map.Entry<String, String> e : model.missingFields().entrySet()) {
      assertEquals(e.getValue(), lines.get(e.getKey()).get(21), e.getKey());
    }
  }

  @Test
  void accumulatorsEqualTheReferenceModel() throws IOException {
    assertEquals(model.accumulators(), dataLines(ClaimsAdjudication.ACCUMULATORS_FILE));
  }

  @Test
  void deniedLinesAreWhatTheGeneratorPlanted() {
    Map<String, Long> denied = new TreeMap<>();
    for (List<String> l : lines.values()) {
      if (l.get(19).equals("DENIED")) {
        denied.merge("CARC-" + l.get(20), 1L, Long::sum);
      }
    }
    Map<String, Long> planted = new TreeMap<>(generated.planted());
    planted.keySet().removeIf(k -> !k.startsWith("CARC-"));
    assertEquals(planted, denied);
    assertEquals(Set.of("CARC-16", "CARC-18", "CARC-27", "CARC-29", "CARC-31", "CARC-96"), denied.keySet());
    Map<String, Long> modelDenied = new TreeMap<>();
    model.deniedByCarc().forEach((carc, n) -> modelDenied.put("CARC-" + carc, n));
    assertEquals(modelDenied, denied);
  }

  @Test
  void deadLettersAreWhatTheGeneratorPlantedWithTheirPositionAndText() throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, List<String>> files = new HashMap<>();
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      assertEquals(ClaimsAdjudication.NAME, d.pipeline());
      assertFalse(d.message().isBlank());
      if (!d.sourceFile().endsWith(".json") && !d.sourceFile().endsWith(".ndjson")) {
        assertTrue(d.rawPayload().startsWith("CLM"), json); // an X12 claim from its CLM
        continue;
      }
      List<String> text = files.computeIfAbsent(d.sourceFile(), f -> {
        try {
          return Files.readAllLines(Path.of(f), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      String line = text.get((int) d.lineNumber() - 1);
      // a bundle entry's text is its line without the comma that separates it from the next
      assertEquals(line.endsWith(",") && d.sourceFile().endsWith(".json") ? line.substring(0, line.length() - 1) : line,
          d.rawPayload(), json);
    }
    Map<String, Long> planted = new TreeMap<>(generated.planted());
    planted.keySet().removeIf(k -> k.startsWith("CARC-"));
    assertEquals(planted, byReason);
    assertEquals(model.deadByReason(), byReason);
    assertEquals(Set.of("DUPLICATE_CLAIM_ID", "MALFORMED_CLAIM", "MALFORMED_JSON", "NOT_A_CLAIM"), byReason.keySet());
  }

  @Test
  void theDataExercisesEveryFormatAndEveryShare() {
    Set<String> formats = new HashSet<>();
    int oopCut = 0;
    int partialDeductible = 0;
    int copayOnLaterLine = 0;
    int overFee = 0;
    for (List<String> l : lines.values()) {
      formats.add(l.get(5)); // payer as submitted: NIGHTSHIFT-HEALTH in FHIR, NSHP1 in X12
      if (!l.get(19).equals("PAID")) {
        continue;
      }
      BigDecimal allowed = new BigDecimal(l.get(13));
      BigDecimal deductible = new BigDecimal(l.get(14));
      BigDecimal coinsurance = new BigDecimal(l.get(15));
      BigDecimal copay = new BigDecimal(l.get(16));
      if (new BigDecimal(l.get(18)).signum() == 0 && allowed.signum() > 0) {
        oopCut++; // nothing left for the member to pay: the out-of-pocket cap is reached
      }
      if (deductible.signum() > 0 && deductible.add(copay).compareTo(allowed) < 0 && coinsurance.signum() > 0) {
        partialDeductible++;
      }
      if (copay.signum() > 0 && !l.get(1).equals("1")) {
        copayOnLaterLine++;
      }
      if (allowed.compareTo(new BigDecimal(l.get(12))) < 0) {
        overFee++;
      }
    }
    assertEquals(Set.of("NIGHTSHIFT-HEALTH", "NSHP1"), formats);
    assertTrue(oopCut > 0 && partialDeductible > 10 && copayOnLaterLine > 0 && overFee > 100,
        oopCut + " " + partialDeductible + " " + copayOnLaterLine + " " + overFee);
    Set<String> years = new HashSet<>();
    model.accumulators().forEach(a -> years.add(a.split(",")[1]));
    assertEquals(2, years.size(), "the claims cross a plan year: " + years);
  }

  @Test
  void everyEobIsValidAndCarriesItsLinesAmounts() throws IOException {
    List<String> ids = EobChecks.check(output.resolve(ClaimsAdjudication.EOB_FILE), lines);
    assertTrue(ids.size() > 1000, "claims: " + ids.size());
  }

  @Test
  void theManifestAccountsForEveryClaimAndLine() throws IOException {
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    RunManifest.StepCounts adjudicate = m.steps().get(ClaimsAdjudication.ADJUDICATE);
    assertEquals(lines.size(), adjudicate.other().get(ClaimsAdjudication.AdjudicateFn.LINES));
    long claimsRead = m.steps().get(ReadClaims.NDJSON).out() + m.steps().get(ReadClaims.BUNDLE_CLAIMS).out()
        + m.steps().get(ReadClaims.X12_CLAIMS).out();
    assertEquals(claimsRead, adjudicate.in() + m.steps().get(ClaimsAdjudication.DEDUPE).dead());
    assertEquals(generated.rowsPerFile().get("claims/*.ndjson"), m.steps().get(ReadClaims.NDJSON).in());
    for (RunManifest.FileEntry f : m.outputs()) {
      assertEquals(Files.readAllLines(output.resolve(f.path())).size() - (f.path().endsWith(".csv") ? 1 : 0),
          f.records(), f.path());
    }
  }

  @Test
  void aSecondRunWithOtherBucketsWritesTheSameBytes() throws IOException {
    Path again = tmp.resolve("again");
    ClaimsAdjudication.run("--inputDir=" + input, "--output=" + again, "--businessDate=" + generated.businessDate(),
        "--aggregationBuckets=3");
    for (String f : List.of(ClaimsAdjudication.LINES_FILE, ClaimsAdjudication.EOB_FILE,
        ClaimsAdjudication.ACCUMULATORS_FILE, ClaimsAdjudication.SUMMARY_FILE, NightshiftRun.DEAD_LETTERS_FILE)) {
      assertArrayEquals(Files.readAllBytes(output.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void theGeneratorIsDeterministic() throws IOException {
    Path other = tmp.resolve("regenerated");
    new ClaimsGenerator().generate(new GenerationRequest(other, SIZE, 11, BAD_RATE, null));
    try (Stream<Path> files = Files.walk(input)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other.resolve(input.relativize(f))), f.toString());
      }
    }
  }

  @Test
  void aMissingInputIsRefusedBeforeAnythingRuns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClaimsAdjudication.run("--inputDir=" + input, "--claims=" + tmp.resolve("nope/*.ndjson"),
            "--output=" + tmp.resolve("x")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ClaimsAdjudication.run("--output=" + tmp.resolve("y")));
  }

  private List<String> dataLines(String file) throws IOException {
    List<String> all = Files.readAllLines(output.resolve(file), StandardCharsets.UTF_8);
    return all.subList(1, all.size());
  }
}
