package dev.nightshift.pipelines.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.Pipelines;
import dev.nightshift.pipelines.cli.Nightshift;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the bad-input corpus on the Direct Runner: the run finishes within the case's
 * timeout, every bad record is a dead letter with its exact reason (and line), the good records
 * flow, the audit balances; cases marked {@code launcher} run again through the command line,
 * which must print no stack trace.
 *
 * <p>{@code -Dnightshift.corpus=<prefixes>} runs only the cases whose id starts with one of the
 * comma-separated prefixes (e.g. {@code x12/,fhir-claims/bundle-}): for working on a reader.
 */
class CorpusTest {

  /** The system property naming the id prefixes of the cases to run (all when unset or blank). */
  static final String FILTER = "nightshift.corpus";

  @TestFactory
  Stream<DynamicTest> everyCaseOnTheDirectRunner() throws IOException {
    List<String> prefixes = Stream.of(System.getProperty(FILTER, "").split(","))
        .map(String::trim).filter(p -> !p.isEmpty()).toList();
    List<Corpus.Case> cases = Corpus.cases().stream()
        .filter(c -> prefixes.isEmpty() || prefixes.stream().anyMatch(p -> c.id().startsWith(p)))
        .toList();
    assertFalse(cases.isEmpty(), "no corpus case starts with " + prefixes);
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.id() + ": " + c.expect().description(), () -> runCase(c)));
  }

  static void runCase(Corpus.Case c) throws Exception {
    Path tmp = Files.createTempDirectory("corpus-");
    try {
      Path in = tmp.resolve("in");
      Path out = tmp.resolve("out");
      Corpus.layOut(c, in);
      NightshiftRun.Summary summary = assertTimeoutPreemptively(Duration.ofSeconds(c.expect().timeout()),
          () -> Corpus.run(c, in, out, "--runner=DirectRunner"),
          c.id() + " did not finish within " + c.expect().timeout() + " s");
      Corpus.check(c, out, summary);
      if (c.expect().launcher()) {
        checkLauncher(c, in, tmp.resolve("out-launcher"));
      }
    } finally {
      delete(tmp); // generated cases are large: never left behind
    }
  }

  /** Through the command line as a user runs it: exit 0, the summary, no stack trace anywhere. */
  static void checkLauncher(Corpus.Case c, Path in, Path out) throws Exception {
    assertTrue(Pipelines.pipeline(c.expect().pipeline()).isPresent(), c.id() + ": a launcher pipeline");
    List<String> args = new ArrayList<>(List.of("run", c.expect().pipeline()));
    args.addAll(Corpus.args(c, in, out));
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      code = assertTimeoutPreemptively(Duration.ofSeconds(c.expect().timeout()),
          () -> Nightshift.run(args.toArray(new String[0]), o, e));
    }
    String stdout = outBytes.toString(StandardCharsets.UTF_8);
    String stderr = errBytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, c.id() + ": exit code; err: " + stderr);
    assertEquals("", stderr, c.id() + ": nothing on stderr");
    for (String trace : List.of("\tat ", "Exception in thread", "Caused by:", "OutOfMemoryError")) {
      assertFalse(stdout.contains(trace), c.id() + ": no stack trace on stdout: " + stdout);
    }
    assertTrue(stdout.contains("Dead letters by reason: ") && stdout.contains("Audit: balanced"), c.id() + ": the summary: " + stdout);
    Corpus.checkDeadLetters(c, Corpus.deadLetters(out));
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
