package dev.nightshift.pipelines.healthcare.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipelines.testing.CsvFiles;
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
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matching rules one case at a time, on a hand-made master and a hand-made day of updates
 * that ends with the real Synthea patient (Bob965 Keeling57, from the public sample bundle), as it
 * is and stamped with meta.lastUpdated: every line's fate is asserted, and the outputs equal the
 * reference model's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientRecordsCasesTest {

  static final String KEY = "cases-test-key-0123456789";
  static final LocalDate BUSINESS_DATE = LocalDate.of(2026, 11, 25);
  static final String MR = "urn:test:mr";
  static final String X = "urn:test:other";
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  Path updates;
  Path master;
  Path out;
  String syntheaLine;
  Map<Long, String> fate = new TreeMap<>(); // line -> reason or "applied"

  @BeforeAll
  void run(@TempDir Path dir) throws IOException {
    this.dir = dir;
    master = dir.resolve("patient_master.csv");
    List<String> rows = new ArrayList<>();
    rows.add(String.join(",", dev.nightshift.schemas.healthcare.PatientVersion.COLUMNS));
    rows.add(row("MPI-A", 1, "2026-11-20T10:00:00Z", "", MR + "|A1", "Smith", "John", "1970-01-01", "male", "02118"));
    rows.add(row("MPI-B", 1, "2026-11-20T10:00:00Z", "", MR + "|B1", "Smith", "John", "1970-01-01", "male", ""));
    rows.add(row("MPI-C", 1, "2026-11-20T10:00:00Z", "2026-11-21T10:00:00Z", MR + "|C1", "Jones", "Mary", "1980-05-05", "female", "10001"));
    rows.add(row("MPI-C", 2, "2026-11-21T10:00:00Z", "", MR + "|C1", "Jones", "Mary", "1980-05-05", "female", "10001"));
    rows.add(row("MPI-D", 1, "2026-11-22T00:00:00Z", "", MR + "|D1", "Brown", "Alice", "1990-03-03", "female", "60601"));
    rows.add(row("MPI-E", 1, "2026-11-22T00:00:00Z", "", MR + "|E1", "White", "Eve", "1990-03-03", "female", "60601"));
    Files.write(master, rows, StandardCharsets.UTF_8);

    List<String> lines = new ArrayList<>();
    // 1. No identifier; the demographics fit A (same ZIP) and B (no ZIP): which one?
    add(lines, "AMBIGUOUS_MATCH", patient("2026-11-25T08:00:00Z", List.of(), "Smith", "John", "1970-01-01", "male", "02118"));
    // 2, 3. A new patient whose two updates disagree on the birth date: two blocks, one identifier.
    add(lines, "AMBIGUOUS_MATCH", patient("2026-11-25T08:01:00Z", List.of(MR + "|N1"), "Green", "Paul", "1985-02-02", "male", "30303"));
    add(lines, "AMBIGUOUS_MATCH", patient("2026-11-25T08:02:00Z", List.of(MR + "|N1"), "Green", "Paul", "1985-02-20", "male", "30303"));
    // 4. C gains an identifier; 5. an update with only that identifier and a new ZIP (so no
    //    demographic match on the master) joins C through 4, in the batch.
    add(lines, "applied", patient("2026-11-25T08:03:00Z", List.of(MR + "|C1", X + "|NEW"), "Jones", "Mary", "1980-05-05", "female", "10001"));
    add(lines, "applied", patient("2026-11-25T08:04:00Z", List.of(X + "|NEW"), "Jones", "Mary", "1980-05-05", "female", "10002"));
    // 6. D at the very instant of its current version, with other content.
    add(lines, "CONFLICTING_UPDATE", patient("2026-11-22T00:00:00Z", List.of(MR + "|D1"), "Brown", "Alice", "1990-03-03", "female", "60699"));
    // 7, 8. D and E each gain an identifier; 9. an update carrying both is linked to two patients.
    add(lines, "applied", patient("2026-11-25T08:05:00Z", List.of(MR + "|D1", X + "|BR1"), "Brown", "Alice", "1990-03-03", "female", "60601"));
    add(lines, "applied", patient("2026-11-25T08:06:00Z", List.of(MR + "|E1", X + "|BR2"), "White", "Eve", "1990-03-03", "female", "60601"));
    add(lines, "AMBIGUOUS_MATCH", patient("2026-11-25T08:07:00Z", List.of(X + "|BR1", X + "|BR2"), "Black", "Ann", "1990-03-03", "female", "60601"));
    // 10, 11. A patient known by demographics only, and the same line again.
    String zoe = patient("2026-11-25T08:08:00-05:00", List.of(), "Zéd", "Zoe", "2000-01-01", "female", "94105");
    add(lines, "applied", zoe);
    add(lines, "applied", zoe);
    // 12. Identifiers of two master patients.
    add(lines, "AMBIGUOUS_MATCH", patient("2026-11-25T08:09:00Z", List.of(MR + "|A1", MR + "|B1"), "Smith", "John", "1970-01-01", "male", "02118"));
    // 13. Older than A's current version.
    add(lines, "STALE_UPDATE", patient("2026-11-19T08:00:00Z", List.of(MR + "|A1"), "Smith", "John", "1970-01-01", "male", "02119"));
    // 14, 15. Not JSON; not a Patient.
    add(lines, "MALFORMED_JSON", "{\"resourceType\":\"Patient\",");
    add(lines, "NOT_A_PATIENT", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}");
    // 16. A partial birth date; 17. an identifier with the master's separator in it.
    add(lines, "INVALID_DATE", patient("2026-11-25T08:10:00Z", List.of(MR + "|P1"), "Gray", "Tom", "1960", "male", ""));
    add(lines, "INVALID_VALUE", patient("2026-11-25T08:11:00Z", List.of(MR + "|P2;P3"), "Gray", "Tom", "1960-01-01", "male", ""));
    // 18. The real Synthea patient as exported, without meta.lastUpdated; 19. stamped.
    syntheaLine = syntheaPatient();
    add(lines, "MISSING_LAST_UPDATED", syntheaLine);
    ObjectNode stamped = (ObjectNode) JSON.readTree(syntheaLine);
    ((ObjectNode) stamped.path("meta")).put("lastUpdated", "2026-11-25T09:00:00Z");
    add(lines, "applied", stamped.toString());
    updates = dir.resolve("updates.ndjson");
    Files.write(updates, lines, StandardCharsets.UTF_8);

    Path keyFile = dir.resolve("deid.key");
    Files.writeString(keyFile, KEY);
    out = dir.resolve("out");
    PatientRecords.run("--updates=" + updates, "--master=" + master, "--output=" + out,
        "--businessDate=" + BUSINESS_DATE, "--deidKey=file:" + keyFile);
  }

  @Test
  void everyLineMeetsItsFate() throws IOException {
    Map<Long, String> found = new TreeMap<>();
    for (String json : Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      assertEquals(updates.toString(), d.sourceFile());
      found.put(d.lineNumber(), d.reasonCode());
    }
    Map<Long, String> expectedDead = new TreeMap<>(fate);
    expectedDead.values().removeIf("applied"::equals);
    assertEquals(expectedDead, found);
    RunManifest m = RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME)));
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    Map<String, Long> applied = m.steps().get("apply-updates").other();
    assertEquals(2, applied.get("new-patient")); // Zoe, Bob
    assertEquals(4, applied.get("new-version")); // C twice, D, E
    assertEquals(1, applied.get("duplicate")); // Zoe again
    assertEquals(1, m.steps().get("link-batch").other().get("matched-batch"));
    assertEquals(1, m.steps().get("check-identifiers").other().get("contested-identifiers"));
  }

  @Test
  void theOutputsEqualTheReferenceModel() throws IOException {
    PatientRecordsModel.Result model = PatientRecordsModel.run(updates, master, BUSINESS_DATE, KEY);
    assertEquals(model.master(), data(PatientRecords.MASTER_FILE));
    assertEquals(model.deidentified(), data(PatientRecords.DEIDENTIFIED_FILE));
  }

  @Test
  void historiesAreType2() throws IOException {
    Map<String, List<List<String>>> byPatient = CsvFiles.rows(out.resolve(PatientRecords.MASTER_FILE)).stream()
        .collect(Collectors.groupingBy(r -> r.get(0), TreeMap::new, Collectors.toList()));
    List<List<String>> c = byPatient.get("MPI-C");
    c.sort((a, b) -> Integer.compare(Integer.parseInt(a.get(1)), Integer.parseInt(b.get(1))));
    assertEquals(4, c.size());
    assertEquals("2026-11-25T08:03:00Z", c.get(1).get(3)); // version 2 closed by version 3
    assertEquals("2026-11-25T08:03:00Z", c.get(2).get(2));
    assertEquals("2026-11-25T08:04:00Z", c.get(2).get(3));
    assertEquals("", c.get(3).get(3));
    assertEquals(MR + "|C1;" + X + "|NEW", c.get(3).get(4)); // identifiers accumulate
    assertEquals("10002", c.get(3).get(13));
    assertEquals(1, byPatient.get("MPI-A").size()); // the stale and ambiguous updates changed nothing
    assertEquals(1, byPatient.get("MPI-B").size());
    assertFalse(byPatient.keySet().stream().anyMatch(id -> byPatient.get(id).stream()
        .anyMatch(r -> r.get(4).contains("|N1"))), "the new patient in dispute was not created");
  }

  @Test
  void theSyntheaPatientGoesThroughAndLeavesNothingIdentifyingInTheExtract() throws IOException {
    List<List<String>> bob = CsvFiles.rows(out.resolve(PatientRecords.MASTER_FILE)).stream()
        .filter(r -> r.get(5).equals("Keeling57")).toList();
    assertEquals(1, bob.size());
    List<String> r = bob.get(0);
    assertEquals(List.of("1", "2026-11-25T09:00:00Z", "",
        "http://hl7.org/fhir/sid/us-ssn|999-12-9623;http://hospital.smarthealthit.org|3f6fd0bb-6cd3-eb3f-4401-cd38ace25f2b;"
            + "http://standardhealthrecord.org/fhir/StructureDefinition/passportNumber|X45295340X;"
            + "https://github.com/synthetichealth/synthea|3f6fd0bb-6cd3-eb3f-4401-cd38ace25f2b;"
            + "urn:oid:2.16.840.1.113883.4.3.25|S99986740",
        "Keeling57", "Bob965", "1991-07-08", "male", "555-814-8772", "247 Cronin Station Suite 76",
        "Woburn", "MA", "01801"), r.subList(1, 14));
    String key = Deidentify.patientKey(KEY.getBytes(StandardCharsets.UTF_8), r.get(0));
    List<String> extract = data(PatientRecords.DEIDENTIFIED_FILE);
    assertTrue(extract.contains(key + ",male,1991,018,MA,1"), extract.toString());
    String text = Files.readString(out.resolve(PatientRecords.DEIDENTIFIED_FILE));
    for (String s : List.of("Keeling57", "Bob965", "999-12-9623", "3f6fd0bb", "S99986740", "X45295340X",
        "555-814-8772", "Cronin", "Woburn", "01801", "1991-07-08", r.get(0), "Zéd", "94105")) {
      assertFalse(text.contains(s), s);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void add(List<String> lines, String expected, String line) {
    lines.add(line);
    fate.put((long) lines.size(), expected);
  }

  private List<String> data(String file) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve(file), StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }

  private static String row(String mpi, int version, String from, String to, String ids, String family,
      String given, String birth, String gender, String zip) {
    return String.join(",", mpi, String.valueOf(version), from, to, ids, family, given, birth, gender,
        "555-000-0000", "1 Test Street", "Testville", "MA", zip, "earlier.ndjson", String.valueOf(version));
  }

  private static String patient(String at, List<String> ids, String family, String given, String birth,
      String gender, String zip) {
    ObjectNode r = JSON.createObjectNode();
    r.put("resourceType", "Patient");
    r.putObject("meta").put("lastUpdated", at);
    ArrayNode identifiers = r.putArray("identifier");
    for (String id : ids) {
      String[] parts = id.split("\\|", 2);
      identifiers.addObject().put("system", parts[0]).put("value", parts[1]);
    }
    ObjectNode name = r.putArray("name").addObject();
    name.put("family", family).putArray("given").add(given);
    r.putArray("telecom").addObject().put("system", "phone").put("value", "555-000-0000");
    r.put("gender", gender).put("birthDate", birth);
    ObjectNode address = r.putArray("address").addObject();
    address.putArray("line").add("1 Test Street");
    address.put("city", "Testville").put("state", "MA");
    if (!zip.isEmpty()) {
      address.put("postalCode", zip);
    }
    return r.toString();
  }

  /** The one Patient of the Synthea sample bundle, on one line, as it is. */
  static String syntheaPatient() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve(SYNTHEA))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("sample not found: " + SYNTHEA);
    }
    for (var entry : JSON.readTree(dir.resolve(SYNTHEA).toFile()).path("entry")) {
      if (entry.path("resource").path("resourceType").asText().equals("Patient")) {
        return entry.path("resource").toString();
      }
    }
    throw new IllegalStateException("no Patient in " + SYNTHEA);
  }

  static final String SYNTHEA = "shared/samples/healthcare/synthea_r4_bundle_Bob965_Keeling57.json";
}
