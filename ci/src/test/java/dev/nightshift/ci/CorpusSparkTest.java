package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.corpus.Corpus;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A representative part of the bad-input corpus (at least one case per format) on the Spark Runner
 * ({@code local[2]}): the case's expectations hold there too, and the dead letters are the same
 * bytes as the Direct Runner's.
 */
class CorpusSparkTest {

  static Stream<String> cases() {
    return Stream.of(
        "csv/trades-stray-quote", "csv/trades-corrupt-gzip", "csv/orders-bad", "jsonl/wrong-types",
        "fix/garbage-lines", "camt053/bad-statement", "mt940/truncated", "fhir-patient/malformed",
        "x12/se-count-wrong", "fhir-claims/ndjson-bad-lines", "fhir-claims/bundle-bad-claims");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameDeadLettersOnSpark(String id, @TempDir Path tmp) throws Exception {
    Corpus.Case c = Corpus.byId(id);
    Path in = tmp.resolve("in");
    Corpus.layOut(c, in);
    Duration limit = Duration.ofSeconds(c.expect().timeout());
    NightshiftRun.Summary direct = assertTimeoutPreemptively(limit,
        () -> Corpus.run(c, in, tmp.resolve("direct"), "--runner=DirectRunner"));
    NightshiftRun.Summary spark = assertTimeoutPreemptively(limit,
        () -> Corpus.run(c, in, tmp.resolve("spark"), "--runner=SparkRunner", "--sparkMaster=local[2]"));
    assertEquals("SparkRunner", spark.manifest().runner());
    Corpus.check(c, tmp.resolve("spark"), spark);
    byte[] d = Files.readAllBytes(tmp.resolve("direct").resolve(NightshiftRun.DEAD_LETTERS_FILE));
    byte[] s = Files.readAllBytes(tmp.resolve("spark").resolve(NightshiftRun.DEAD_LETTERS_FILE));
    assertTrue(d.length > 0, "the case has dead letters");
    assertArrayEquals(d, s, "dead letters byte for byte");
    assertEquals(direct.manifest().outputs(), spark.manifest().outputs(), "outputs: sizes, records, sha256");
    assertEquals(direct.manifest().steps(), spark.manifest().steps(), "the same counters");
  }
}
