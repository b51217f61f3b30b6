package dev.nightshift.transforms.sink;

import static dev.nightshift.transforms.TestRuns.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortedSinkTest {

  private static void write(Path out, List<String> lines, String header) {
    NightshiftRun run = TestRuns.run("sink-test", out);
    SortedSink.write(
        run,
        "write-lines",
        "lines.csv",
        header,
        run.pipeline()
            .apply(
                "lines",
                lines.isEmpty()
                    ? Create.empty(StringUtf8Coder.of())
                    : Create.of(lines).withCoder(StringUtf8Coder.of())));
    run.execute();
  }

  private static List<String> leftovers(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.contains("inprogress")).toList();
    }
  }

  @Test
  void sameLinesInAnyOrderGiveTheSameBytes(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add("row-" + (i * 7919 % 500) + ",é," + i % 3);
    }
    lines.add("row-1,é,1"); // a duplicate line is kept twice
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(7));
    write(dir.resolve("a"), lines, "id,x,y");
    write(dir.resolve("b"), shuffled, "id,x,y");

    byte[] a = Files.readAllBytes(dir.resolve("a/lines.csv"));
    byte[] b = Files.readAllBytes(dir.resolve("b/lines.csv"));
    assertArrayEquals(a, b);
    List<String> sorted = new ArrayList<>(lines);
    Collections.sort(sorted);
    List<String> expected = new ArrayList<>();
    expected.add("id,x,y");
    expected.addAll(sorted);
    assertEquals(expected, Files.readAllLines(dir.resolve("a/lines.csv")));
    assertEquals(leftovers(dir.resolve("a")), List.of());

    RunManifest m = manifest(dir.resolve("a"));
    RunManifest.FileEntry entry =
        m.outputs().stream().filter(f -> f.path().equals("lines.csv")).findFirst().orElseThrow();
    assertEquals(501, entry.records());
    assertEquals(a.length, entry.bytes());
    assertEquals(
        entry.sha256(),
        manifest(dir.resolve("b")).outputs().stream()
            .filter(f -> f.path().equals("lines.csv"))
            .findFirst()
            .orElseThrow()
            .sha256());
    assertEquals(501, m.steps().get("write-lines").in());
    assertEquals(501, m.steps().get("write-lines").out());
    assertTrue(m.audit().balanced());
  }

  @Test
  void emptyInputStillWritesTheHeader(@TempDir Path dir) throws IOException {
    write(dir, List.of(), "id,qty");
    assertEquals("id,qty\n", Files.readString(dir.resolve("lines.csv")));
    assertEquals(List.of(), leftovers(dir));
    RunManifest m = manifest(dir);
    assertEquals("SUCCEEDED", m.status());
    // no dead letters at all: the dead-letter file is written, empty
    assertEquals("", Files.readString(dir.resolve(NightshiftRun.DEAD_LETTERS_FILE)));
  }

  @Test
  void emptyInputWithoutHeaderIsAnEmptyFile(@TempDir Path dir) throws IOException {
    write(dir, List.of(), null);
    assertEquals(0, Files.size(dir.resolve("lines.csv")));
  }

  @Test
  void rerunningIntoTheSameDirectoryReplacesTheFile(@TempDir Path dir) throws IOException {
    write(dir, List.of("b", "a", "c", "d", "e"), "h");
    write(dir, List.of("z", "y"), "h");
    assertEquals(List.of("h", "y", "z"), Files.readAllLines(dir.resolve("lines.csv")));
    assertEquals(List.of(), leftovers(dir));
    assertEquals(2, manifest(dir).steps().get("write-lines").out());
  }
}
