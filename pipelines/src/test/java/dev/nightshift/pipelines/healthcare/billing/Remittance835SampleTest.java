package dev.nightshift.pipelines.healthcare.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 835 checker the billing tests rely on, proven on the real pyx12 sample 835 (a denied claim
 * 2005555A: status 4, 915.39 billed, 0 paid, three service lines): it reads it without an error
 * and sees its claim, and it does report errors in a copy broken on purpose.
 */
class Remittance835SampleTest {

  @Test
  void theRealSampleReadsCleanAndBalances() throws Exception {
    X835.Result r = X835.read(HealthcareSamples.healthcare(HealthcareSamples.X12_835));
    assertEquals(List.of(), r.errors());
    assertEquals(List.of(), r.problems());
    assertEquals(1, r.transactions().size());
    X835.Claim claim = r.claims().get(0);
    assertEquals("2005555A", claim.claimId());
    assertEquals("4", claim.status());
    assertEquals(0, new BigDecimal("915.39").compareTo(claim.charge()));
    assertEquals(0, BigDecimal.ZERO.compareTo(claim.paid()));
    assertEquals(3, claim.services().size());
    assertEquals(0, new BigDecimal("915.39").compareTo(claim.adjustments()));
    assertEquals(31, r.transactions().get(0).segments());
  }

  @Test
  void theCheckerReportsWhatIsWrong(@TempDir Path tmp) throws Exception {
    String sample = Files.readString(HealthcareSamples.healthcare(HealthcareSamples.X12_835), StandardCharsets.ISO_8859_1);
    Path broken = tmp.resolve("broken.edi");
    Files.writeString(broken, sample
        .replace("CLP*2005555A*4*915.39*0", "CLP*2005555A*4*9X5.39*0") // not a number
        .replace("LX*1~", "LX*1~\nFOO*1~") // a segment the 835 does not have
        .replace("CAS*OA*A7*127.8~", "CAS*OA*A7*127.7~"), StandardCharsets.ISO_8859_1);
    X835.Result r = X835.read(broken);
    assertTrue(r.errors().stream().anyMatch(e -> e.startsWith("ELEMENT_DATA_ERROR") && e.contains("CLP")), r.errors().toString());
    assertTrue(r.errors().stream().anyMatch(e -> e.startsWith("SEGMENT_ERROR") && e.contains("FOO")), r.errors().toString());
    // SE01 still says 31: the reader and the checker's own count both see 32 segments
    assertTrue(r.errors().stream().anyMatch(e -> e.contains("CONTROL_COUNT")), r.errors().toString());
    assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("SE01")), r.problems().toString());
    assertTrue(r.problems().stream().anyMatch(p -> p.contains("SVC02 - SVC03")), r.problems().toString());
  }
}
