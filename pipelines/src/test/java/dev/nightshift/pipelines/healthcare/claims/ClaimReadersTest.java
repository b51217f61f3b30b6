package dev.nightshift.pipelines.healthcare.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.healthcare.billing.HealthcareSamples;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadLines;
import dev.nightshift.transforms.io.ReadWholeFiles;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three claim readers alone: what they read, and what they refuse (the whole file, or one claim). */
class ClaimReadersTest {

  // ------------------------------------------------------------------------------------------ X12

  /** Two claims with {@code ~} and no line breaks; the second's charge is not a number. */
  static final String X12 = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*NSHP1          *261125*0100*^*00501*000000007*0*P*:~"
      + "GS*HC*SUBMITTER*NSHP1*20261125*0100*7*X*005010X222A1~"
      + "ST*837*0001*005010X222A1~BHT*0019*00*B1*20261120*0100*CH~"
      + "HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~HL*2*1*22*1~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M0000042~"
      + "NM1*PR*2*NIGHTSHIFT HEALTH*****PI*NSHP1~HL*3*2*23*0~PAT*19~NM1*QC*1*DOE*JIM****MI*P0000007~"
      + "CLM*C-1*150***11:B:1*Y*A*Y*Y~HI*ABK:I10~DTP*472*D8*20261101~LX*1~SV1*HC:99213*100*UN*1***1~"
      + "LX*2~SV1*HC:36415*50*UN*2***1~DTP*472*RD8*20261102-20261103~"
      + "CLM*C-2*10***11:B:1*Y*A*Y*Y~LX*1~SV1*HC:99213*1O.00*UN*1***1~SE*23*0001~"
      + "GE*1*7~IEA*1*000000007~";

  @Test
  void x12ClaimsInheritFromTheirHierarchyAndABrokenClaimCostsOnlyItself() throws Exception {
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new X12Claims().parse("f.837", X12.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, parsed.records().size());
    SubmittedClaim c = parsed.records().get(0);
    assertEquals("C-1", c.claimId());
    assertEquals(14, c.source().line(), "the CLM's segment position");
    assertTrue(c.source().raw().startsWith("CLM*C-1*150***11:B:1*Y*A*Y*Y~HI*ABK:I10~"), c.source().raw());
    ClaimLine l1 = c.lines().get(0);
    assertEquals(List.of("M0000042", "P0000007", "1234567893", "NSHP1", "I10"),
        List.of(l1.memberId(), l1.patientId(), l1.providerId(), l1.payerId(), l1.diagnosisCode()));
    assertEquals(LocalDate.of(2026, 11, 20), l1.receivedDate());
    assertEquals(LocalDate.of(2026, 11, 1), l1.serviceDate(), "the claim's DTP*472 when the line has none");
    assertEquals(new BigDecimal("150.00"), l1.claimTotal());
    ClaimLine l2 = c.lines().get(1);
    assertEquals(List.of("HC", "36415", "2", "50.00", "2026-11-02"),
        List.of(l2.procedureSystem(), l2.procedureCode(), l2.units().toPlainString(), l2.charge().toPlainString(),
            l2.serviceDate().toString()));
    assertEquals(1, parsed.failures().size());
    ReadWholeFiles.Failure f = parsed.failures().get(0);
    assertEquals("INVALID_NUMBER", f.reason());
    assertTrue(f.source().raw().startsWith("CLM*C-2"), f.source().raw());
    assertTrue(f.message().contains("1O.00"), f.message());
  }

  @Test
  void x12EnvelopeErrors() throws Exception {
    // the interchange's control number does not match: the whole file
    RecordException e = assertThrows(RecordException.class, () -> new X12Claims().parse("f.837",
        X12.replace("IEA*1*000000007", "IEA*1*000000008").getBytes(StandardCharsets.UTF_8)));
    assertEquals("MALFORMED_X12", e.reasonCode());
    // a wrong segment count in SE: the transaction's claims
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new X12Claims().parse("f.837",
        X12.replace("SE*23*0001", "SE*22*0001").getBytes(StandardCharsets.UTF_8));
    assertEquals(0, parsed.records().size());
    assertEquals(List.of("MALFORMED_X12", "MALFORMED_X12"), parsed.failures().stream().map(ReadWholeFiles.Failure::reason).toList());
    // cut short, not X12 at all, an 835 instead of an 837
    for (byte[] bad : List.of(X12.substring(0, 400).getBytes(StandardCharsets.UTF_8), "hello\n".getBytes(StandardCharsets.UTF_8),
        Files.readAllBytes(HealthcareSamples.healthcare(HealthcareSamples.X12_835)))) {
      assertEquals("MALFORMED_X12", assertThrows(RecordException.class, () -> new X12Claims().parse("f.837", bad)).reasonCode());
    }
  }

  /** {@link #X12} with {@code segment} replaced by {@code bytes}. */
  static byte[] x12With(String segment, byte[] bytes) {
    int at = X12.indexOf(segment);
    byte[] head = X12.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] tail = X12.substring(at + segment.length()).getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + bytes.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bytes, 0, all, head.length, bytes.length);
    System.arraycopy(tail, 0, all, head.length + bytes.length, tail.length);
    return all;
  }

  static List<String> reasons(ReadWholeFiles.Parsed<SubmittedClaim> parsed) {
    return parsed.failures().stream().map(ReadWholeFiles.Failure::reason).toList();
  }

  @Test
  void x12BytesABomALongSegmentAndBytesThatAreNotUtf8() throws Exception {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new X12Claims().parse("f.837", x12With("ISA", concat(bom, "ISA")));
    assertEquals(1, parsed.records().size(), "a byte-order mark is dropped");
    assertEquals(14, parsed.records().get(0).source().line());
    // in a claim: that claim alone
    parsed = new X12Claims().parse("f.837",
        x12With("HI*ABK:I10", concat("HI*ABK:I1".getBytes(StandardCharsets.UTF_8), "\u00ff")));
    assertEquals(List.of("INVALID_ENCODING", "INVALID_NUMBER"), reasons(parsed));
    assertEquals(14, parsed.failures().get(0).source().line());
    parsed = new X12Claims().parse("f.837",
        x12With("HI*ABK:I10", ("HI*ABK:" + "x".repeat(X12Prescan.MAX_SEGMENT_BYTES)).getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("RECORD_TOO_LONG", "INVALID_NUMBER"), reasons(parsed));
    assertTrue(parsed.failures().get(0).message().contains("(HI)"), parsed.failures().get(0).message());
    assertTrue(parsed.failures().get(0).source().raw().startsWith("CLM*C-1*150***11:B:1*Y*A*Y*Y~HI~DTP"), "cut to its tag");
    // in the transaction, outside its claims: the transaction's claims
    parsed = new X12Claims().parse("f.837",
        x12With("NM1*QC*1*DOE*", concat("NM1*QC*1*DO".getBytes(StandardCharsets.UTF_8), "\u00c9*")));
    assertEquals(List.of("INVALID_ENCODING", "INVALID_ENCODING"), reasons(parsed));
    // a second interchange with its own separators: its segments are split by them
    byte[] second = x12With("HI*ABK:I10", concat("HI*ABK:I1".getBytes(StandardCharsets.UTF_8), "\u00ff"));
    String secondText = new String(second, StandardCharsets.ISO_8859_1).replace('*', '|').replace('~', '!');
    parsed = new X12Claims().parse("f.837", concat(X12.getBytes(StandardCharsets.UTF_8), secondText));
    assertEquals(List.of("INVALID_NUMBER", "INVALID_ENCODING", "INVALID_NUMBER"), reasons(parsed));
    assertEquals(14 + 27, parsed.failures().get(1).source().line(), "positions count on through the file");
    // an envelope segment: the file
    RecordException e = assertThrows(RecordException.class, () -> new X12Claims().parse("f.837",
        x12With("GS*HC*SUBMITTER", ("GS*HC*" + "S".repeat(X12Prescan.MAX_SEGMENT_BYTES)).getBytes(StandardCharsets.UTF_8))));
    assertEquals("RECORD_TOO_LONG", e.reasonCode());
  }

  /** {@code head} then {@code tail} as ISO-8859-1 bytes (one byte a character, not UTF-8 above 7F). */
  static byte[] concat(byte[] head, String tail) {
    byte[] t = tail.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head, head.length + t.length);
    System.arraycopy(t, 0, all, head.length, t.length);
    return all;
  }

  @Test
  void x12AmountsAndDatesAreBounded() throws Exception {
    for (String[] bad : new String[][] {
        {"CLM*C-1*150*", "CLM*C-1*1E+99999999*", "INVALID_NUMBER", "CLM02"},
        {"CLM*C-1*150*", "CLM*C-1*1234567890123456789*", "INVALID_NUMBER", "more than 18 digits"},
        {"CLM*C-1*150*", "CLM*C-1*-150*", "NEGATIVE_AMOUNT", "CLM02"},
        {"SV1*HC:99213*100*UN*1*", "SV1*HC:99213*1e400*UN*1*", "INVALID_NUMBER", "SV102"},
        {"SV1*HC:99213*100*UN*1*", "SV1*HC:99213*100*UN*1E+99999999*", "INVALID_NUMBER", "SV104"},
        {"DTP*472*D8*20261101", "DTP*472*D8*00001101", "INVALID_DATE", "year 0000"},
        {"DTP*472*D8*20261101", "DTP*472*D8*20261121", "INVALID_DATE", "after"}}) {
      ReadWholeFiles.Parsed<SubmittedClaim> parsed = new X12Claims().parse("f.837",
          X12.replace(bad[0], bad[1]).getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of(bad[2], "INVALID_NUMBER"), reasons(parsed), bad[1]);
      assertTrue(parsed.failures().get(0).message().contains(bad[3]), parsed.failures().get(0).message());
    }
  }

  @Test
  void theReal837SampleWithNewlinesForSegmentTerminators() throws Exception {
    Path sample = HealthcareSamples.healthcare(HealthcareSamples.X12_837P);
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new X12Claims().parse(sample.toString(), Files.readAllBytes(sample));
    assertEquals(List.of(), parsed.failures());
    SubmittedClaim c = parsed.records().get(0);
    assertEquals("945405", c.claimId());
    assertEquals(29, c.source().line());
    assertEquals("CLM*945405*5332.54***12>B>1*Y*A*Y*Y*P\nHI*BK>2533\nLX*1\nSV1*HC>J2941*5332.54*UN*84***1",
        c.source().raw().substring(0, c.source().raw().indexOf("\nDTP")));
    ClaimLine l = c.lines().get(0);
    assertEquals(List.of("YYX123456789", "YYX123456789", "123456789", "54771", "J2941", "84", "5332.54", "2533"),
        List.of(l.memberId(), l.patientId(), l.providerId(), l.payerId(), l.procedureCode(), l.units().toPlainString(),
            l.charge().toPlainString(), l.diagnosisCode()));
  }

  // ------------------------------------------------------------------------------------------ bundles

  static final String BUNDLE = """
      {"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"M0000042"}},
      {"fullUrl":"urn:uuid:d1","resource":{"resourceType":"Practitioner","id":"doc","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567893"}]}},
      {"fullUrl":"urn:uuid:c1","resource":{"resourceType":"Coverage","status":"active","payor":[{"display":"NIGHTSHIFT-HEALTH"}]}},
      {"fullUrl":"urn:uuid:k1","resource":{"resourceType":"Condition","code":{"coding":[{"code":"E11.9"}]}}},
      {"fullUrl":"urn:uuid:x1","resource":{"resourceType":"Claim","status":"active","patient":{"reference":"urn:uuid:p1"},
        "created":"2026-11-20T23:30:00-05:00","provider":{"reference":"urn:uuid:d1"},
        "insurance":[{"sequence":1,"focal":true,"coverage":{"reference":"urn:uuid:c1"}}],
        "diagnosis":[{"sequence":1,"diagnosisReference":{"reference":"urn:uuid:k1"}}],
        "item":[{"sequence":2,"productOrService":{"coding":[{"system":"http://snomed.info/sct","code":"185349003"}]},
          "servicedPeriod":{"start":"2026-11-19T09:00:00-05:00"},"quantity":{"value":2},"unitPrice":{"value":60.125}},
        {"sequence":1,"productOrService":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"servicedDate":"2026-11-18"}],
        "total":{"value":120.25000000000001}}},
      {"fullUrl":"urn:uuid:x2","resource":{"resourceType":"Claim","id":"BAD","created":"2026-11-20","item":[{"sequence":1,"quantity":{"value":0}}]}}
      ]}
      """;

  @Test
  void bundleClaimsResolveTheirReferencesThroughFullUrl() throws Exception {
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new BundleClaims().parse("b.json", BUNDLE.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, parsed.records().size());
    SubmittedClaim c = parsed.records().get(0);
    assertEquals("x1", c.claimId(), "no Claim.id: the entry's urn:uuid");
    assertEquals(6, c.source().line(), "the entry's first line");
    assertTrue(c.source().raw().startsWith("{\"fullUrl\":\"urn:uuid:x1\""), c.source().raw());
    ClaimLine first = c.lines().get(0);
    assertEquals(1, first.lineNo(), "lines in sequence order");
    assertEquals(List.of("M0000042", "1234567893", "NIGHTSHIFT-HEALTH", "E11.9", "CVX", "140", "2026-11-20", "2026-11-18"),
        List.of(first.memberId(), first.providerId(), first.payerId(), first.diagnosisCode(), first.procedureSystem(),
            first.procedureCode(), first.receivedDate().toString(), first.serviceDate().toString()));
    assertNull(first.charge(), "no net and no unit price: no charge (CARC 16 later)");
    ClaimLine second = c.lines().get(1);
    assertEquals(new BigDecimal("120.25"), second.charge(), "unit price x quantity, to cents");
    assertEquals(LocalDate.of(2026, 11, 19), second.serviceDate(), "the day as written, not in UTC");
    assertEquals(new BigDecimal("120.25"), second.claimTotal(), "float noise rounded to cents");
    assertEquals(1, parsed.failures().size());
    assertEquals("INVALID_VALUE", parsed.failures().get(0).reason());
    assertEquals(14, parsed.failures().get(0).source().line());
  }

  @Test
  void aFileThatIsNoBundleIsRefusedWhole() {
    for (String[] bad : new String[][] {
        {"{\"resourceType\":\"Patient\",\"id\":\"x\"}", "NOT_A_BUNDLE"},
        {"{\"resourceType\":\"Bundle\",\"entry\":[{}", "MALFORMED_JSON"},
        {"[1,2]", "NOT_A_BUNDLE"}}) {
      RecordException e = assertThrows(RecordException.class,
          () -> new BundleClaims().parse("b.json", bad[0].getBytes(StandardCharsets.UTF_8)));
      assertEquals(bad[1], e.reasonCode(), bad[0]);
    }
    RecordException latin1 = assertThrows(RecordException.class,
        () -> new BundleClaims().parse("b.json", new byte[] {'{', (byte) 0xE9, '}'}));
    assertEquals("INVALID_ENCODING", latin1.reasonCode());
  }

  @Test
  void bundleEntriesAreCheckedBeforeHapiReadsThem() throws Exception {
    for (String empty : new String[] {"", "\uFEFF", " \n\t\n"}) {
      RecordException e = assertThrows(RecordException.class,
          () -> new BundleClaims().parse("b.json", empty.getBytes(StandardCharsets.UTF_8)));
      assertEquals("EMPTY_FILE", e.reasonCode(), "'" + empty + "'");
    }
    String claim = "{\"resourceType\":\"Claim\",\"id\":\"%s\",\"patient\":{\"reference\":\"%s\"},\"created\":\"2026-11-20\","
        + "\"item\":[{\"sequence\":1,\"net\":{\"value\":10}}]%s}";
    String big = "x".repeat(BundleClaims.MAX_ENTRY_CHARS);
    String bundle = "{\"resourceType\":\"Bundle\",\"entry\":[\n"
        + "{\"fullUrl\":\"urn:uuid:p1\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"M1\",\"text\":{\"div\":\"" + big + "\"}}},\n"
        + "{\"fullUrl\":\"urn:uuid:c1\",\"resource\":" + claim.formatted("C-1", "urn:uuid:p1", "") + "},\n"
        + "{\"fullUrl\":\"urn:uuid:c2\",\"resource\":" + claim.formatted("C-2", "urn:uuid:p1", ",\"text\":{\"div\":\"" + big + "\"}") + "},\n"
        + "{\"fullUrl\":\"urn:uuid:c3\",\"resource\":" + claim.formatted("C-3", "urn:uuid:nobody", "") + "},\n"
        + "{\"fullUrl\":\"urn:uuid:c4\",\"resource\":" + claim.formatted("C-4", "urn:uuid:p1", ",\"total\":{\"value\":1E+99999999}") + "}\n"
        + "]}";
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new BundleClaims().parse("b.json", bundle.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, parsed.records().size());
    assertEquals("M1", parsed.records().get(0).first().memberId(), "a Patient entry too long to read still names its id");
    List<String> failures = parsed.failures().stream().map(f -> f.source().line() + " " + f.reason()).toList();
    assertEquals(List.of("4 RECORD_TOO_LONG", "5 MALFORMED_CLAIM", "6 INVALID_NUMBER"), failures);
    assertTrue(parsed.failures().get(0).source().raw().length() <= FhirClaims.MAX_RAW + 3, "the dead letter's text is cut");
    assertTrue(parsed.failures().get(1).message().contains("Claim.patient refers to urn:uuid:nobody"), parsed.failures().get(1).message());
    assertTrue(parsed.failures().get(2).message().contains("Claim.total.value '1E+99999999'"), parsed.failures().get(2).message());
  }

  @Test
  void theSyntheaBundle() throws Exception {
    Path sample = HealthcareSamples.healthcare(HealthcareSamples.SYNTHEA_BUNDLE);
    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new BundleClaims().parse(sample.toString(), Files.readAllBytes(sample));
    assertEquals(List.of(), parsed.failures());
    assertEquals(32, parsed.records().size());
    assertEquals(78, parsed.records().stream().mapToInt(c -> c.lines().size()).sum());
    assertEquals(new BigDecimal("10597.04"),
        parsed.records().stream().map(c -> c.first().claimTotal()).reduce(BigDecimal.ZERO, BigDecimal::add));
    List<String> text = Files.readAllLines(sample, StandardCharsets.UTF_8);
    for (SubmittedClaim c : parsed.records()) {
      assertTrue(text.get((int) c.source().line() - 1).trim().endsWith("{"), "the entry starts on its line");
      assertTrue(text.get((int) c.source().line()).contains("urn:uuid:" + c.claimId()), c.claimId());
      assertEquals("3f6fd0bb-6cd3-eb3f-4401-cd38ace25f2b", c.first().memberId());
      assertEquals("institutional", c.type());
    }
  }

  // ------------------------------------------------------------------------------------------ NDJSON

  private static List<SubmittedClaim> ndjson(String line) throws RecordException {
    List<SubmittedClaim> out = new ArrayList<>();
    new NdjsonClaims().handle(line, SourceRef.of("c.ndjson", 7, line), new ReadLines.Output<>() {
      @Override
      public void emit(SubmittedClaim record) {
        out.add(record);
      }

      @Override
      public void skip(String what) {}

      @Override
      public void count(String what, long n) {}
    });
    return out;
  }

  @Test
  void ndjsonLinesAndWhatTheyAreRefusedFor() throws Exception {
    SubmittedClaim c = ndjson("{\"resourceType\":\"Claim\",\"id\":\"N-1\",\"patient\":{\"reference\":\"Patient/M1\"},"
        + "\"item\":[{\"sequence\":1,\"net\":{\"value\":10}}]}").get(0);
    assertEquals(List.of("N-1", "M1", "7"), List.of(c.claimId(), c.first().memberId(), Long.toString(c.source().line())));
    assertEquals(BigDecimal.ONE, c.first().units());
    assertNull(c.first().receivedDate());
    String[][] refused = {
      {"{\"resourceType\":\"Claim\",", "MALFORMED_JSON"},
      {"{\"resourceType\":\"Patient\",\"id\":\"p\"}", "NOT_A_CLAIM"},
      {"{\"id\":\"p\"}", "NOT_A_CLAIM"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"created\":\"2026-13-01\",\"item\":[{\"sequence\":1}]}", "MALFORMED_CLAIM"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"created\":\"2026\",\"item\":[{\"sequence\":1}]}", "INVALID_DATE"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[]}", "MALFORMED_CLAIM"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1},{\"sequence\":1}]}", "MALFORMED_CLAIM"},
      {"{\"resourceType\":\"Claim\",\"item\":[{\"sequence\":1}]}", "MISSING_FIELD"},
      {"{\"resourceType\":\"Claim\",\"id\":\"" + "X".repeat(39) + "\",\"item\":[{\"sequence\":1}]}", "INVALID_VALUE"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"net\":{\"value\":5,\"currency\":\"EUR\"}}]}", "INVALID_VALUE"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"net\":{\"value\":-5}}]}", "NEGATIVE_AMOUNT"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"net\":{\"value\":5}}],\"total\":{\"value\":-1}}", "NEGATIVE_AMOUNT"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"quantity\":{\"value\":1E+99999999}}]}", "INVALID_NUMBER"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"unitPrice\":{\"value\":1e400}}]}", "INVALID_NUMBER"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"unitPrice\":{\"value\":1E+10},"
          + "\"quantity\":{\"value\":1E+10}}]}", "INVALID_NUMBER"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":\"one\"}", "MALFORMED_CLAIM"},
      {"{\"resourceType\":\"Claim\",\"id\":\"N\",\"created\":\"2026-11-20\",\"item\":[{\"sequence\":1,\"servicedDate\":\"2026-11-21\"}]}",
          "INVALID_DATE"},
    };
    for (String[] r : refused) {
      RecordException e = assertThrows(RecordException.class, () -> ndjson(r[0]), r[0]);
      assertEquals(r[1], e.reasonCode(), r[0] + ": " + e.getMessage());
    }
    RecordException path = assertThrows(RecordException.class, () -> ndjson(refused[12][0]));
    assertTrue(path.getMessage().startsWith("Claim.item[0].quantity.value '1E+99999999'"), path.getMessage());
    SubmittedClaim quoted = ndjson("{\"resourceType\":\"Claim\",\"id\":\"N\",\"item\":[{\"sequence\":1,\"net\":{\"value\":\"10.5\"}}]}").get(0);
    assertEquals(new BigDecimal("10.50"), quoted.first().charge(), "a number written as a string is still read");
  }
}
