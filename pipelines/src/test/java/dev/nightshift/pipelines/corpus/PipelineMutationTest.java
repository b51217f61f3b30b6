package dev.nightshift.pipelines.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.testing.Mutations;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property at the scale of a run: every pipeline's valid companion files with a third of their
 * lines randomly mutated, run once on the Direct Runner. The run must finish and balance, no dead
 * letter may be an {@code INTERNAL_ERROR} (an exception nobody foresaw), and for the line formats
 * every non-blank line must be counted in once ({@code lineSteps}: step to folder, or to
 * {@code folder/glob}). Seeded ({@link Mutations}).
 */
class PipelineMutationTest {

  /** {@code companions}: folders under {@code _companions}, each as {@code name} or {@code name>subfolder}. */
  record Setup(String pipeline, List<String> companions, List<String> args, List<String> keep, Map<String, String> lineSteps) {
    @Override
    public String toString() {
      return pipeline;
    }
  }

  static Stream<Setup> setups() {
    String day = "--businessDate=2026-11-25";
    return Stream.of(
        new Setup("trade-settlement", List.of("trade-settlement", "fix-logs>fix"),
            List.of("--inputDir=${in}", "--trades=${in}/trades.csv", "--fixLogs=${in}/fix/*.log", day, "--output=${out}"),
            List.of(), Map.of("read-fix-trades", "fix")),
        new Setup("account-reconciliation", List.of("account-reconciliation"), List.of("--inputDir=${in}", "--output=${out}"),
            List.of(), Map.of()),
        new Setup("financial-reports", List.of("financial-reports"), List.of("--inputDir=${in}", day, "--output=${out}"),
            List.of(), Map.of()),
        new Setup("order-processing", List.of("order-processing"), List.of("--inputDir=${in}", "--output=${out}"),
            List.of(), Map.of()),
        // the snapshot's dates decide whether the run may start at all (exit 2 by design): kept valid
        new Setup("inventory-update", List.of("inventory-update"), List.of("--inputDir=${in}", day, "--output=${out}"),
            List.of("snapshot.csv"), Map.of()),
        new Setup("billing", List.of("billing"), List.of("--inputDir=${in}", day, "--output=${out}"), List.of(), Map.of()),
        new Setup("patient-records", List.of("patient-records"),
            List.of("--updates=${in}/updates/*.ndjson", "--deidKey=file:${in}/deid.key", day, "--output=${out}"),
            List.of("deid.key"), Map.of("read-updates", "updates")),
        // every claims format in one folder (NDJSON lines, a FHIR Bundle, an X12 837P interchange)
        new Setup("claims-adjudication", List.of("claims-adjudication"), List.of("--inputDir=${in}", day, "--output=${out}"),
            List.of(), Map.of("read-ndjson", "claims/*.ndjson")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void mutatedCompanionsRunAndBalance(Setup setup, @TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("out");
    Random random = new Random(Mutations.seed() ^ setup.pipeline().hashCode());
    StringBuilder mutated = new StringBuilder();
    for (String spec : setup.companions()) {
      String[] parts = spec.split(">", 2);
      Path companions = Corpus.root().resolve("_companions").resolve(parts[0]);
      Path into = parts.length > 1 ? in.resolve(parts[1]) : in;
      copyMutated(setup, companions, into, random, mutated);
    }
    runAndCheck(setup, in, out, mutated);
  }

  static void copyMutated(Setup setup, Path companions, Path into, Random random, StringBuilder mutated) throws Exception {
    try (Stream<Path> files = Files.walk(companions)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = companions.relativize(f).toString();
        Path target = into.resolve(rel);
        Files.createDirectories(target.getParent());
        byte[] bytes = Files.readAllBytes(f);
        if (!setup.keep().contains(rel)) {
          bytes = mutateLines(bytes, random);
          mutated.append(rel).append(": ").append(Mutations.show(bytes).length()).append(" chars; ");
        }
        Files.write(target, bytes);
      }
    }
  }

  static void runAndCheck(Setup setup, Path in, Path out, StringBuilder mutated) throws Exception {
    String[] args = setup.args().stream()
        .map(a -> a.replace("${in}", in.toString()).replace("${out}", out.toString())).toArray(String[]::new);
    String[] withRunner = Stream.concat(Stream.of(args), Stream.of("--runner=DirectRunner")).toArray(String[]::new);
    NightshiftRun.Summary summary = assertTimeoutPreemptively(Duration.ofSeconds(300),
        () -> Corpus.PIPELINES.get(setup.pipeline()).apply(withRunner),
        setup.pipeline() + " (seed " + Mutations.seed() + ") did not finish");
    RunManifest manifest = summary.manifest();
    String where = setup.pipeline() + " with seed " + Mutations.seed() + " (" + mutated + ")";
    assertEquals("SUCCEEDED", manifest.status(), where);
    assertTrue(manifest.audit().balanced(), where);
    List<DeadLetter> dead = Corpus.deadLetters(out);
    assertTrue(dead.size() > 0, where + ": mutations were made, some must be refused");
    for (DeadLetter d : dead) {
      assertTrue(!d.reasonCode().equals(Reasons.INTERNAL_ERROR), where + ": an exception nobody foresaw: " + d);
      assertTrue(d.message() != null && !d.message().isBlank(), where + ": " + d);
    }
    for (Map.Entry<String, String> step : setup.lineSteps().entrySet()) {
      long lines = 0;
      String[] folderAndGlob = (step.getValue() + (step.getValue().contains("*") ? "" : "/*")).split("/(?=[^/]*$)");
      try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(in.resolve(folderAndGlob[0]), folderAndGlob[1])) {
        for (Path f : files) {
          lines += nonBlankLines(Files.readAllBytes(f));
        }
      }
      assertEquals(lines, summary.counter(step.getKey() + "/in"), where + ": every non-blank line counted once");
    }
  }

  /** A third of the lines get one to three mutations. */
  static byte[] mutateLines(byte[] bytes, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        int end = Math.min(i + 1, bytes.length);
        byte[] line = java.util.Arrays.copyOfRange(bytes, start, end);
        if (start > 0 && random.nextInt(3) == 0) { // the first line (a header) is kept
          for (int m = 1 + random.nextInt(3); m > 0; m--) {
            line = Mutations.mutate(line, random);
          }
        }
        out.writeBytes(line);
        start = end;
      }
    }
    return out.toByteArray();
  }

  /** Non-blank lines as ReadLines counts them (UTF-8 with replacement, BOM of line 1 dropped). */
  static long nonBlankLines(byte[] bytes) throws Exception {
    String text = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    long n = 0;
    boolean any = false;
    try (BufferedReader r = new BufferedReader(new StringReader(text))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        any = true;
        if (!line.isBlank()) {
          n++;
        }
      }
    }
    return any ? n : 1; // an empty file is one dead letter, counted in
  }
}
