package dev.nightshift.pipelines.healthcare.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.corpus.Corpus;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadLines;
import dev.nightshift.transforms.io.ReadWholeFiles;
import dev.nightshift.transforms.testing.Mutations;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the three claim readers, called as functions on random mutations of the
 * corpus's valid companion claims (and ClaimReadersTest's two-claim X12 interchange): a reader
 * refuses the file or a claim with a reason, or reads claims whose values are in range. Nothing
 * else may come out: no other exception, no hang (the mutations plant BOMs, invalid UTF-8,
 * {@code 1E+99999999}, 19-digit numbers and far dates).
 */
class ClaimReaderPropertiesTest {

  static final List<byte[]> x12 = new ArrayList<>();
  static byte[] bundle;
  static final List<String> ndjson = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    Path claims = Corpus.root().resolve("_companions/claims-adjudication/claims");
    x12.add(Files.readAllBytes(claims.resolve("companion.edi")));
    x12.add(ClaimReadersTest.X12.getBytes(StandardCharsets.UTF_8));
    bundle = Files.readAllBytes(claims.resolve("companion.json"));
    ndjson.addAll(Files.readAllLines(claims.resolve("companion.ndjson"), StandardCharsets.UTF_8));
    assertFalse(ndjson.isEmpty());
  }

  @Test
  void x12FilesAreClaimsOrRefusalsWithAReason() {
    Mutations.forAll("X12Claims.parse: a RecordException or claims and refusals that hold", 2000, 6,
        r -> x12.get(r.nextInt(x12.size())), (input, r) -> checkFile(new X12Claims(), "f.837", input));
  }

  @Test
  void bundlesAreClaimsOrRefusalsWithAReason() {
    Mutations.forAll("BundleClaims.parse: a RecordException or claims and refusals that hold", 1500, 6,
        r -> bundle, (input, r) -> checkFile(new BundleClaims(), "b.json", input));
  }

  @Test
  void ndjsonLinesAreOneClaimOrARefusalWithAReason() {
    Mutations.forAll("NdjsonClaims.handle: one claim, or a RecordException with a reason", 3000, 6,
        r -> ndjson.get(r.nextInt(ndjson.size())).getBytes(StandardCharsets.UTF_8),
        (input, r) -> {
          String line = new String(input, StandardCharsets.UTF_8);
          List<SubmittedClaim> out = new ArrayList<>();
          try {
            new NdjsonClaims().handle(line, SourceRef.of("c.ndjson", 3, line), new ReadLines.Output<>() {
              @Override
              public void emit(SubmittedClaim record) {
                out.add(record);
              }

              @Override
              public void skip(String what) {
                assertFalse(what.isBlank());
              }

              @Override
              public void count(String what, long n) {}
            });
          } catch (RecordException e) {
            refusal(e.reasonCode(), e.getMessage());
            assertTrue(out.isEmpty(), "a refused line emits nothing");
            return;
          }
          assertTrue(out.size() <= 1, "a line is at most one claim: " + out);
          out.forEach(ClaimReaderPropertiesTest::inRange);
        });
  }

  private static void checkFile(ReadWholeFiles.Parser<SubmittedClaim> parser, String path, byte[] input) {
    ReadWholeFiles.Parsed<SubmittedClaim> parsed;
    try {
      parsed = parser.parse(path, input);
    } catch (RecordException e) {
      refusal(e.reasonCode(), e.getMessage());
      return;
    }
    parsed.records().forEach(ClaimReaderPropertiesTest::inRange);
    for (ReadWholeFiles.Failure f : parsed.failures()) {
      refusal(f.reason(), f.message());
      assertEquals(path, f.source().file());
      assertTrue(f.source().line() >= 1, "a refused claim says where it starts: " + f);
      assertTrue(f.source().raw().length() <= 20_003, "its raw text is capped: " + f.source().raw().length());
    }
  }

  private static void refusal(String reason, String message) {
    assertTrue(reason != null && reason.matches("[A-Z][A-Z0-9_]+"), "a reason code: " + reason);
    assertTrue(message != null && !message.isBlank(), "a refusal says why");
  }

  /** What a read claim guarantees the adjudicator. */
  private static void inRange(SubmittedClaim c) {
    assertTrue(c.claimId() != null && !c.claimId().isBlank(), "an id: " + c);
    assertFalse(c.lines().isEmpty(), "at least one line: " + c);
    assertNotNull(c.source());
    for (ClaimLine l : c.lines()) {
      assertEquals(c.claimId(), l.claimId());
      assertTrue(l.lineNo() >= 1, "line numbers from 1: " + l);
      assertEquals(c.lines().size(), l.lineCount());
      for (BigDecimal money : new BigDecimal[] {l.charge(), l.claimTotal()}) {
        if (money != null) {
          assertTrue(money.signum() >= 0 && money.scale() <= 2 && money.precision() <= 20, "money in range: " + money);
        }
      }
      if (l.units() != null) {
        assertTrue(l.units().signum() > 0 && l.units().precision() <= 30, "units in range: " + l.units());
      }
      for (java.time.LocalDate d : new java.time.LocalDate[] {l.serviceDate(), l.receivedDate()}) {
        if (d != null) {
          assertTrue(d.getYear() >= 1 && d.getYear() <= 9999, "a date in range: " + d);
        }
      }
    }
  }
}
