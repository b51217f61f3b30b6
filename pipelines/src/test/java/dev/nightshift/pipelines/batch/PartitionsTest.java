package dev.nightshift.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing partitions: a staging folder replaces the date's partition whole (files of the old
 * run that the new one does not write are gone), with folder renames locally and with the
 * {@code _SUCCESS} protocol that object stores use (run here through Beam's file system API on a
 * local folder); an interrupted publish is repaired; multi-day readers see only published days
 * up to the date.
 */
class PartitionsTest {
  static final LocalDate D = LocalDate.of(2026, 11, 25);

  @TempDir Path tmp;

  @BeforeAll
  static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Every file under a folder, relative name to content. */
  static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), Files.readString(f));
      }
    }
    return out;
  }

  /** Names beside the partitions of one pipeline. */
  static List<String> siblings(Path warehouse, String pipeline) throws IOException {
    try (Stream<Path> s = Files.list(warehouse.resolve(pipeline))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Names beside the partitions of one pipeline that still hold a file. */
  static List<String> nonEmptySiblings(Path warehouse, String pipeline) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (String name : siblings(warehouse, pipeline)) {
      if (!files(warehouse.resolve(pipeline).resolve(name)).isEmpty()) {
        out.add(name);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local folders, atomic renames", "object store protocol, through Beam's file system API"})
  void aRerunReplacesThePartitionWhole(String mode) throws IOException {
    boolean atomic = mode.startsWith("local");
    Storage.objectStoreForTests = !atomic;
    try {
      Partitions w = new Partitions(tmp.toString(), atomic);
      Path staging1 = Path.of(w.staging("p", D, "run1-a1"));
      write(staging1.resolve("a.csv"), "first a\n");
      write(staging1.resolve("only_in_first.csv"), "x\n");
      w.publish("p", D, "run1-a1");
      Path partition = tmp.resolve("p/business_date=2026-11-25");
      assertEquals(Map.of("_SUCCESS", "", "a.csv", "first a\n", "only_in_first.csv", "x\n"), files(partition));
      assertTrue(w.isPublished("p", D));
      assertEquals(List.of(D), w.publishedDates("p"));

      Path staging2 = Path.of(w.staging("p", D, "run2-a1"));
      write(staging2.resolve("a.csv"), "second a\n");
      write(staging2.resolve("b.csv"), "second b\n");
      w.publish("p", D, "run2-a1");
      assertEquals(Map.of("_SUCCESS", "", "a.csv", "second a\n", "b.csv", "second b\n"), files(partition));
      // Object stores have no folders: there an emptied prefix is gone, here an empty folder stays.
      assertEquals(List.of("business_date=2026-11-25"), atomic ? siblings(tmp, "p") : nonEmptySiblings(tmp, "p"),
          "no staging or old folder left");

      // A leftover staging folder of a dead attempt is cleaned up, the partition kept.
      write(Path.of(w.staging("p", D, "run3-a1")).resolve("a.csv"), "half");
      w.recover("p", D);
      assertEquals(List.of("business_date=2026-11-25"), atomic ? siblings(tmp, "p") : nonEmptySiblings(tmp, "p"));
      assertEquals(Map.of("_SUCCESS", "", "a.csv", "second a\n", "b.csv", "second b\n"), files(partition));
    } finally {
      Storage.objectStoreForTests = false;
    }
  }

  @Test
  void multiDayViewsOnAnObjectStoreAreCopies() throws IOException {
    Storage.objectStoreForTests = true;
    try {
      Partitions w = new Partitions(tmp.toString(), false);
      for (LocalDate d : List.of(D.minusDays(1), D, D.plusDays(1))) {
        write(Path.of(w.staging("op", d, "x")).resolve("order_lines.csv"), "lines of " + d + "\n");
        write(Path.of(w.staging("op", d, "x")).resolve("other.csv"), "not gathered\n");
        w.publish("op", d, "x");
      }
      String glob = w.upTo("op", D, "order_lines.csv", tmp.resolve("view").toString());
      assertEquals(List.of("2026-11-24", "2026-11-25"), contents(glob));
      assertEquals(Map.of("business_date=2026-11-24/order_lines.csv", "lines of 2026-11-24\n",
          "business_date=2026-11-25/order_lines.csv", "lines of 2026-11-25\n"), files(tmp.resolve("view")));
    } finally {
      Storage.objectStoreForTests = false;
    }
  }

  @Test
  void aFailedAttemptLeavesThePreviousPartition() throws IOException {
    Partitions w = Partitions.of(tmp.toString());
    write(Path.of(w.staging("p", D, "run1-a1")).resolve("a.csv"), "good\n");
    w.publish("p", D, "run1-a1");
    write(Path.of(w.staging("p", D, "run2-a1")).resolve("a.csv"), "half writ");
    w.discard("p", D, "run2-a1");
    assertEquals(Map.of("_SUCCESS", "", "a.csv", "good\n"), files(tmp.resolve("p/business_date=2026-11-25")));
    assertEquals(List.of("business_date=2026-11-25"), siblings(tmp, "p"));
  }

  @Test
  void recoverRenamesBackAPartitionLeftAsideByACrash() throws IOException {
    Partitions w = Partitions.of(tmp.toString());
    // A batch died between "partition -> old" and "staging -> partition", and another attempt's
    // staging folder was left behind.
    write(tmp.resolve("p/business_date=2026-11-25.old-run2-a1/a.csv"), "good\n");
    write(tmp.resolve("p/business_date=2026-11-25.old-run2-a1/_SUCCESS"), "");
    write(tmp.resolve("p/business_date=2026-11-25.staging-run2-a1/a.csv"), "new, complete but unpublished\n");
    write(tmp.resolve("p/business_date=2026-11-25.staging-run1-a2/a.csv"), "half");
    write(tmp.resolve("p/business_date=2026-11-24/a.csv"), "yesterday\n");
    assertFalse(w.isPublished("p", D));
    w.recover("p", D);
    assertTrue(w.isPublished("p", D));
    assertEquals(Map.of("_SUCCESS", "", "a.csv", "good\n"), files(tmp.resolve("p/business_date=2026-11-25")));
    assertEquals(List.of("business_date=2026-11-24", "business_date=2026-11-25"), siblings(tmp, "p"));
    // With the partition in place, leftovers are just deleted.
    write(tmp.resolve("p/business_date=2026-11-25.old-run3-a1/a.csv"), "older\n");
    w.recover("p", D);
    assertEquals(Map.of("_SUCCESS", "", "a.csv", "good\n"), files(tmp.resolve("p/business_date=2026-11-25")));
    assertEquals(List.of("business_date=2026-11-24", "business_date=2026-11-25"), siblings(tmp, "p"));
  }

  @Test
  void multiDayReadersSeeOnlyPublishedDaysUpToTheDate() throws IOException {
    Partitions w = Partitions.of(tmp.toString());
    for (LocalDate d : List.of(D.minusDays(2), D.minusDays(1), D)) {
      write(Path.of(w.staging("op", d, "x")).resolve("order_lines.csv"), "lines of " + d + "\n");
      w.publish("op", d, "x");
    }
    // An attempt of tomorrow still staging: never matched.
    write(Path.of(w.staging("op", D.plusDays(1), "y")).resolve("order_lines.csv"), "staging\n");
    String glob = w.upTo("op", D, "order_lines.csv", tmp.resolve("view").toString());
    assertEquals(tmp.resolve("op") + "/business_date=????-??-??/order_lines.csv", glob);
    assertEquals(List.of("2026-11-23", "2026-11-24", "2026-11-25"), contents(glob));

    // Rerunning an older date while later days exist: the later day is left out, through a view.
    String older = w.upTo("op", D.minusDays(1), "order_lines.csv", tmp.resolve("view").toString());
    assertTrue(older.startsWith(tmp.resolve("view").toString()), older);
    assertEquals(List.of("2026-11-23", "2026-11-24"), contents(older));

    // A partition folder without _SUCCESS (an object store mid-publish) is left out too.
    Files.delete(tmp.resolve("op/business_date=2026-11-24/_SUCCESS"));
    assertEquals(List.of("2026-11-23", "2026-11-25"),
        contents(w.upTo("op", D, "order_lines.csv", tmp.resolve("view").toString())));

    BatchInputException none = assertThrows(BatchInputException.class,
        () -> w.upTo("op", D.minusDays(5), "order_lines.csv", tmp.resolve("view").toString()));
    assertTrue(none.getMessage().contains("no published partition of op up to 2026-11-20"), none.getMessage());
  }

  /** The dates in the files a glob matches, read through Beam as the pipelines read them. */
  static List<String> contents(String glob) {
    return Storage.match(glob).stream().map(f -> Storage.readString(f).trim().replace("lines of ", "")).sorted().toList();
  }
}
