package dev.nightshift.pipelines.healthcare.patients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.pipelines.testing.LogScan;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * patient-records on two generated days (day 2 reads day 1's master) on the Direct Runner, checked
 * line by line against {@link PatientRecordsModel}, case by case against what the generator
 * planted, and for HIPAA Safe Harbor: the key is nowhere, the extract holds nothing of the input
 * that identifies a patient.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientRecordsTest {

  static final String KEY = "test-deid-key-5f1c9a7e2b";

  Path tmp;
  Path keyFile;
  Path input;
  Path day1;
  Path day2;
  GenerationReport generated;
  LocalDate businessDate;
  LogScan logs;

  @BeforeAll
  void runTwoDays(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    input = tmp.resolve("in");
    day1 = tmp.resolve("day1");
    day2 = tmp.resolve("day2");
    generated = new PatientUpdateGenerator().generate(new GenerationRequest(input, 2_000, 5, 0.1, null));
    businessDate = generated.businessDate();
    keyFile = Files.createDirectories(tmp.resolve("secret")).resolve("deid.key");
    Files.writeString(keyFile, KEY + "\n");
    logs = LogScan.scan(KEY, () -> {
      runDay(1, day1, null);
      runDay(2, day2, day1.resolve(PatientRecords.MASTER_FILE));
    });
  }

  NightshiftRun.Summary runDay(int day, Path out, Path master, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--updates=" + input.resolve(day == 1 ? PatientUpdateGenerator.DAY1_FILE : PatientUpdateGenerator.DAY2_FILE),
        "--output=" + out,
        "--businessDate=" + (day == 1 ? businessDate.minusDays(1) : businessDate),
        "--deidKey=file:" + keyFile));
    if (master != null) {
      args.add("--master=" + master);
    }
    args.addAll(List.of(extra));
    return PatientRecords.run(args.toArray(String[]::new));
  }

  @Test
  void bothDaysEqualTheReferenceModel() throws IOException {
    PatientRecordsModel.Result one = PatientRecordsModel.run(
        input.resolve(PatientUpdateGenerator.DAY1_FILE), null, businessDate.minusDays(1), KEY);
    PatientRecordsModel.Result two = PatientRecordsModel.run(
        input.resolve(PatientUpdateGenerator.DAY2_FILE), day1.resolve(PatientRecords.MASTER_FILE),
        businessDate, KEY);
    for (Object[] day : new Object[][] {{day1, one}, {day2, two}}) {
      Path out = (Path) day[0];
      PatientRecordsModel.Result model = (PatientRecordsModel.Result) day[1];
      assertFalse(model.master().isEmpty());
      assertEquals(model.master(), dataLines(out, PatientRecords.MASTER_FILE), out + " master");
      assertEquals(model.deidentified(), dataLines(out, PatientRecords.DEIDENTIFIED_FILE), out + " extract");
      assertEquals(model.deadLetters(), deadLetters(out), out + " dead letters");
    }
    // Day 2 carries day 1 forward: every version of day 1 is in day 2, closed or not.
    assertTrue(dataLines(day2, PatientRecords.MASTER_FILE).size() > dataLines(day1, PatientRecords.MASTER_FILE).size());
    Map<String, Long> outcomes = two.outcomes();
    assertEquals(manifest(day2).steps().get("match-identifiers").other().get("matched-identifier"),
        outcomes.get("matched-identifier"));
  }

  @Test
  void everyPlantedCaseIsFoundOnItsDay() throws IOException {
    for (int day = 1; day <= 2; day++) {
      Path out = day == 1 ? day1 : day2;
      String prefix = "day" + day + "/";
      Map<String, Long> plantedDead = new TreeMap<>();
      generated.planted().forEach((k, v) -> {
        if (k.startsWith(prefix) && k.substring(prefix.length()).matches("[A-Z_]+")) {
          plantedDead.put(k.substring(prefix.length()), v);
        }
      });
      Map<String, Long> found = new TreeMap<>();
      List<String> lines = Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE));
      for (String json : lines) {
        found.merge(DeadLetter.fromJson(json).reasonCode(), 1L, Long::sum);
      }
      assertEquals(plantedDead, found, "dead letters of day " + day);
      RunManifest m = manifest(out);
      Map<String, Long> applied = m.steps().get("apply-updates").other();
      for (String outcome : List.of("new-patient", "new-version", "duplicate")) {
        assertEquals(generated.planted().getOrDefault(prefix + outcome, 0L), applied.getOrDefault(outcome, 0L),
            outcome + " on day " + day);
      }
      assertEquals(generated.planted().getOrDefault(prefix + PatientUpdateGenerator.MATCHED_DEMOGRAPHICS, 0L),
          m.steps().get("match-demographics").other().getOrDefault("matched-demographics", 0L));
      List<List<String>> extract = CsvFiles.rows(out.resolve(PatientRecords.DEIDENTIFIED_FILE));
      assertEquals(generated.planted().get(prefix + PatientUpdateGenerator.OVER_89),
          extract.stream().filter(r -> r.get(2).startsWith("<=")).count(), "over 89 on day " + day);
      assertEquals(generated.planted().get(prefix + PatientUpdateGenerator.RESTRICTED_ZIP),
          extract.stream().filter(r -> r.get(3).equals("000")).count(), "restricted ZIPs on day " + day);
    }
    assertTrue(generated.planted().get("day2/AMBIGUOUS_MATCH") > 0);
    assertTrue(generated.planted().get("day2/STALE_UPDATE") > 0);
    assertTrue(generated.planted().get("day1/CONFLICTING_UPDATE") > 0);
    assertTrue(generated.planted().get("day2/" + PatientUpdateGenerator.MATCHED_DEMOGRAPHICS) > 0);
    assertTrue(generated.planted().get("day2/" + PatientUpdateGenerator.OVER_89) > 0);
    // A member who arrived with only a new licence number is one patient with both identifiers.
    long withLicence = CsvFiles.rows(day2.resolve(PatientRecords.MASTER_FILE)).stream()
        .filter(r -> r.get(3).isEmpty() && r.get(4).contains(PatientUpdateGenerator.DL_SYSTEM + "|")
            && r.get(4).contains(PatientUpdateGenerator.MR_SYSTEM + "|"))
        .count();
    assertEquals(generated.planted().get("day1/" + PatientUpdateGenerator.LINKED_NEW_IDENTIFIER)
        + generated.planted().get("day2/" + PatientUpdateGenerator.MATCHED_DEMOGRAPHICS), withLicence);
  }

  @Test
  void everyUpdateIsANewPatientANewVersionADuplicateOrADeadLetter() throws IOException {
    long total = 0;
    for (Path out : List.of(day1, day2)) {
      RunManifest m = manifest(out);
      assertEquals("SUCCEEDED", m.status());
      assertTrue(m.audit().balanced(), m.audit().failures().toString());
      assertTrue(m.audit().checks().stream().anyMatch(c -> c.startsWith("read-updates:")), m.audit().checks().toString());
      Map<String, Long> applied = m.steps().get("apply-updates").other();
      long dead = m.steps().values().stream().mapToLong(RunManifest.StepCounts::dead).sum();
      long read = m.steps().get("read-updates").in();
      assertEquals(read, applied.get("new-patient") + applied.get("new-version")
          + applied.getOrDefault("duplicate", 0L) + dead);
      total += read;
      for (RunManifest.FileEntry f : m.outputs()) {
        assertEquals(Files.readAllLines(out.resolve(f.path())).size() - (f.path().endsWith(".csv") ? 1 : 0),
            f.records(), f.path());
      }
    }
    assertEquals(generated.size(), total);
  }

  @Test
  void aRerunWritesTheSameBytes() throws IOException {
    Path again = tmp.resolve("day2-again");
    runDay(2, again, day1.resolve(PatientRecords.MASTER_FILE), "--aggregationBuckets=3");
    for (String f : List.of(PatientRecords.MASTER_FILE, PatientRecords.DEIDENTIFIED_FILE, NightshiftRun.DEAD_LETTERS_FILE)) {
      assertArrayEquals(Files.readAllBytes(day2.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void theKeyIsInNoOutputManifestDeadLetterOrLog() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(tmp)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(input) && !p.startsWith(keyFile.getParent())).toList();
    }
    assertTrue(files.stream().anyMatch(p -> p.endsWith(RunManifest.FILE_NAME)));
    assertTrue(files.stream().anyMatch(p -> p.endsWith(NightshiftRun.DEAD_LETTERS_FILE)));
    assertTrue(files.size() >= 8, files.toString());
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      assertFalse(text.contains(KEY), "the key is in " + f);
    }
    assertTrue(logs.events() > 1000, "the log scan saw " + logs.events() + " events: it would prove nothing");
    assertEquals(List.of(), logs.hits(), "the key is in the log");
    assertFalse(manifest(day1).parameters().toString().contains(KEY));
  }

  @Test
  void theExtractHoldsNothingOfTheInputThatIdentifiesAPatient() throws IOException {
    Set<String> identifying = new TreeSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String file : List.of(PatientUpdateGenerator.DAY1_FILE, PatientUpdateGenerator.DAY2_FILE)) {
      for (String line : Files.readAllLines(input.resolve(file))) {
        JsonNode r;
        try {
          r = json.readTree(line);
        } catch (IOException e) {
          continue; // a truncated copy of a line read whole elsewhere
        }
        r.path("identifier").forEach(id -> identifying.add(id.path("value").asText()));
        r.path("name").forEach(n -> {
          identifying.add(n.path("family").asText());
          n.path("given").forEach(g -> identifying.add(g.asText()));
        });
        r.path("telecom").forEach(t -> identifying.add(t.path("value").asText()));
        r.path("address").forEach(a -> {
          a.path("line").forEach(l -> identifying.add(l.asText()));
          identifying.add(a.path("city").asText());
          identifying.add(a.path("postalCode").asText());
        });
        identifying.add(r.path("birthDate").asText());
        identifying.add(r.path("id").asText());
      }
    }
    for (List<String> row : CsvFiles.rows(day2.resolve(PatientRecords.MASTER_FILE))) {
      identifying.add(row.get(0)); // the master's own patient id is an identifier too
    }
    identifying.removeIf(String::isEmpty);
    assertTrue(identifying.size() > 500, "the scan has something to look for: " + identifying.size());
    for (Path out : List.of(day1, day2)) {
      Path file = out.resolve(PatientRecords.DEIDENTIFIED_FILE);
      List<String> lines = Files.readAllLines(file);
      assertEquals(String.join(",", PatientRecords.DEIDENTIFIED_COLUMNS), lines.get(0));
      for (List<String> row : CsvFiles.rows(file)) {
        assertEquals(6, row.size(), row.toString());
        assertTrue(row.get(0).matches("[0-9a-f]{64}"), row.toString());
        assertTrue(row.get(1).matches("male|female|other|unknown|"), row.toString());
        assertTrue(row.get(2).matches("(<=)?[0-9]{4}|"), row.toString());
        assertTrue(row.get(3).matches("[0-9]{3}|"), row.toString());
        assertTrue(row.get(4).matches("[A-Z]{2}|"), row.toString());
        assertTrue(row.get(5).matches("[1-9][0-9]*"), row.toString());
        // A keyed hash is 64 hex digits: a ZIP's 5 digits may turn up in it by chance, never
        // anything with a letter in upper case, a dash or a space.
        String open = String.join(",", row.subList(1, row.size()));
        for (String s : identifying) {
          assertFalse(open.contains(s), "'" + s + "' in " + row);
          if (!s.matches("[0-9a-f]+")) {
            assertFalse(row.get(0).contains(s), "'" + s + "' in " + row);
          }
        }
      }
    }
  }

  @Test
  void safeHarborGeneralisesAgesOver89AndSmallZipAreas() {
    LocalDate asOf = LocalDate.of(2026, 11, 25);
    assertEquals("<=1936", Deidentify.birthYear(LocalDate.of(1936, 12, 31), asOf)); // 89 today, 90 this year
    assertEquals("<=1936", Deidentify.birthYear(LocalDate.of(1901, 1, 1), asOf));
    assertEquals("1937", Deidentify.birthYear(LocalDate.of(1937, 1, 1), asOf)); // 89
    assertEquals("", Deidentify.birthYear(null, asOf));
    assertEquals("000", Deidentify.zip3("03601"));
    assertEquals("000", Deidentify.zip3("89301-1234"));
    assertEquals("018", Deidentify.zip3("01801"));
    assertEquals("", Deidentify.zip3("K1A 0B1"));
    assertEquals(17, Deidentify.RESTRICTED_ZIP3.size());
    assertEquals("MA", Deidentify.state("Massachusetts"));
    assertEquals("", Deidentify.state("247 Cronin Station"));
  }

  @Test
  void aKeyThatIsMissingShortOrAnArgumentIsRefusedWithoutRepeatingIt() throws IOException {
    String updates = "--updates=" + input.resolve(PatientUpdateGenerator.DAY1_FILE);
    String output = "--output=" + tmp.resolve("refused");
    Path shortFile = Files.writeString(keyFile.resolveSibling("short.key"), "tooShort99");
    for (String[] args : List.of(
        new String[] {updates, output},
        new String[] {updates, output, "--deidKey=file:" + shortFile},
        new String[] {updates, output, "--deidKey=" + KEY},
        new String[] {updates, output, "--deidKey=env:NIGHTSHIFT_NO_SUCH_VARIABLE_42"},
        new String[] {updates, output, "--deidKey=file:" + tmp.resolve("nope.key")})) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PatientRecords.run(args), List.of(args).toString());
      assertTrue(e.getMessage().contains("--deidKey"), e.getMessage());
      assertFalse(e.getMessage().contains("tooShort99") || e.getMessage().contains(KEY), e.getMessage());
    }
    assertFalse(Files.exists(tmp.resolve("refused")), "refused before anything ran");
  }

  // ---------------------------------------------------------------------------------------------

  private static List<String> dataLines(Path dir, String file) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }

  private static SortedSet<String> deadLetters(Path dir) throws IOException {
    SortedSet<String> out = new TreeSet<>();
    for (String json : Files.readAllLines(dir.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      out.add(d.sourceFile() + ":" + d.lineNumber() + ":" + d.reasonCode());
    }
    return out;
  }

  private static RunManifest manifest(Path dir) throws IOException {
    return RunManifest.fromJson(Files.readString(dir.resolve(RunManifest.FILE_NAME)));
  }
}
