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
    write(out, lines, header, SortedSink.DIRECT_SHARDS);
  }

  private static void write(Path out, List<String> lines, String header, int shards) {
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
                    : Create.of(lines).withCoder(StringUtf8Coder.of())),
        shards);
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

  @Test
  void anyShardCountGivesTheBytesOfOneSort(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    Random random = new Random(11);
    for (int i = 0; i < 3000; i++) {
      // shared prefixes, a lone CR inside a line, non-ASCII and surrogate pairs, duplicates
      lines.add("k" + random.nextInt(400) + (i % 5 == 0 ? "\r" : "") + (i % 7 == 0 ? "é😀" : "") + "," + random.nextInt(3));
    }
    write(dir.resolve("one"), lines, "h", 1);
    write(dir.resolve("seven"), lines, "h", 7);
    write(dir.resolve("many"), lines, "h", 64);
    byte[] one = Files.readAllBytes(dir.resolve("one/lines.csv"));
    assertArrayEquals(one, Files.readAllBytes(dir.resolve("seven/lines.csv")));
    assertArrayEquals(one, Files.readAllBytes(dir.resolve("many/lines.csv")));
    List<String> sorted = new ArrayList<>(lines);
    Collections.sort(sorted);
    StringBuilder expected = new StringBuilder("h\n");
    sorted.forEach(l -> expected.append(l).append('\n'));
    assertEquals(expected.toString(), Files.readString(dir.resolve("seven/lines.csv")));
    assertEquals(List.of(), leftovers(dir.resolve("seven")));
    assertEquals(List.of(), leftovers(dir.resolve("many")));
    assertEquals(3000, manifest(dir.resolve("many")).steps().get("write-lines").out());
  }

  @Test
  void partsAKilledRunLeftAreDeletedByTheNextRun(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir);
    Path stale = dir.resolve(SortedSink.partName("lines.csv", 3, 32));
    Files.writeString(stale, "zzz-from-a-killed-run\n");
    Path other = dir.resolve(".other.csv.part-00001-of-00002.inprogress");
    Files.writeString(other, "not ours\n");
    write(dir, List.of("b", "a"), "h", 4);
    assertEquals(List.of("h", "a", "b"), Files.readAllLines(dir.resolve("lines.csv")));
    assertTrue(Files.notExists(stale));
    assertTrue(Files.exists(other), "only this run's outputs' parts are deleted");
  }
}
