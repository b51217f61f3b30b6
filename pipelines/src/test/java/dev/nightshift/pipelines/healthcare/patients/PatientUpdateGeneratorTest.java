package dev.nightshift.pipelines.healthcare.patients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatientUpdateGeneratorTest {

  static final List<String> FILES = List.of(
      PatientUpdateGenerator.DAY1_FILE, PatientUpdateGenerator.DAY2_FILE, PatientUpdateGenerator.REPORT_FILE);

  @Test
  void theSameRequestWritesTheSameBytesAndAnotherSeedOthers(@TempDir Path tmp) throws IOException {
    PatientUpdateGenerator g = new PatientUpdateGenerator();
    g.generate(new GenerationRequest(tmp.resolve("a"), 500, 9, 0.2, null));
    g.generate(new GenerationRequest(tmp.resolve("b"), 500, 9, 0.2, null));
    g.generate(new GenerationRequest(tmp.resolve("c"), 500, 10, 0.2, null));
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
      assertFalse(Arrays.equals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("c").resolve(f))), f);
    }
  }

  @Test
  void linesPerDayAndMembersFollowTheContract(@TempDir Path tmp) throws IOException {
    for (long size : new long[] {0, 7, 301}) {
      Path out = tmp.resolve("n" + size);
      GenerationReport r = new PatientUpdateGenerator().generate(new GenerationRequest(out, size, 1, 0.3, null));
      assertEquals(size / 2, Files.readAllLines(out.resolve(PatientUpdateGenerator.DAY1_FILE)).size());
      assertEquals(size - size / 2, Files.readAllLines(out.resolve(PatientUpdateGenerator.DAY2_FILE)).size());
      assertEquals(size / 2, r.rowsPerFile().get(PatientUpdateGenerator.DAY1_FILE));
      String all = Files.readString(out.resolve(PatientUpdateGenerator.DAY1_FILE))
          + Files.readString(out.resolve(PatientUpdateGenerator.DAY2_FILE));
      if (size > 100) {
        assertTrue(all.contains("\"value\":\"M0000001\""), "member ids per the README");
        assertTrue(all.matches("(?s).*\"value\":\"999-\\d{2}-\\d{4}\".*"), "SSNs in the never-issued 999 area");
        assertFalse(all.contains("M0000031\""), "m = max(20, N / 10) = 30 members");
      }
    }
  }
}
