package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * patient-records gives the same bytes on the Direct Runner and on the Spark Runner (local[2]):
 * day 2 of the generated updates, on day 1's master, so that every matching rule is exercised.
 */
class PatientRecordsEquivalenceTest {

  @Test
  void patientRecords(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new PatientUpdateGenerator().generate(new GenerationRequest(input, 800, 21, 0.15, null));
    Path key = Files.writeString(tmp.resolve("deid.key"), "equivalence-test-key-0001");
    PatientRecords.run("--updates=" + input.resolve(PatientUpdateGenerator.DAY1_FILE),
        "--output=" + tmp.resolve("day1"), "--businessDate=" + g.businessDate().minusDays(1),
        "--deidKey=file:" + key);
    NightshiftRun.Summary direct = RunnerEquivalenceTest.assertSameOnBothRunners(PatientRecords::run, tmp,
        "--updates=" + input.resolve(PatientUpdateGenerator.DAY2_FILE),
        "--master=" + tmp.resolve("day1").resolve(PatientRecords.MASTER_FILE),
        "--businessDate=" + g.businessDate(), "--deidKey=file:" + key);
    assertTrue(direct.manifest().outputs().stream().allMatch(f -> f.records() > 0),
        "every output has records: " + direct.manifest().outputs());
  }
}
