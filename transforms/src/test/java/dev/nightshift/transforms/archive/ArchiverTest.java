package dev.nightshift.transforms.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Storage;
import dev.nightshift.schemas.manifest.ArchiveManifest;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.audit.AuditException;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import dev.nightshift.transforms.testing.FakeGcs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive step with the real google-cloud-storage client and Beam's gs:// file system against
 * {@link FakeGcs}: a run reads CSV inputs (gs:// or local), writes its outputs, and archives its
 * inputs; faults injected into the copies, uploads and deletes must leave their sources in place,
 * and a second archive run must complete what the first could not.
 */
class ArchiverTest {
  private FakeGcs gcs;

  @BeforeEach
  void start() throws Exception {
    gcs = FakeGcs.start().createBucket("data").createBucket("archive");
  }

  @AfterEach
  void stop() {
    gcs.close();
  }

  private NightshiftOptions options(String output, String... extra) {
    List<String> args = new ArrayList<>(List.of("--output=" + output, "--runner=DirectRunner"));
    args.addAll(gcs.flags());
    args.addAll(Arrays.asList(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(NightshiftOptions.class);
  }

  /** Reads items from the pattern and writes their ids; with {@code lossy}, drops some (an audit failure). */
  private NightshiftRun.Summary run(String input, String output, boolean lossy, String... extra) {
    NightshiftRun run = NightshiftRun.create("archive-test", options(output, extra));
    Checked<Item> items = ReadCsv.read(run, "read-items", input, new Item.Parser(), Item.CODER);
    PCollection<Item> kept = lossy
        ? items.output().apply("lose", Filter.by((Item i) -> i.qty() != 2))
        : items.output();
    SortedSink.write(run, "write-items", "items.csv", "id", kept.apply("ids", MapElements.into(TypeDescriptors.strings()).via(Item::id)));
    if (lossy) {
      // the audit sees every read item reach the sink
      run.audit().expect("write-items", "every item is written",
          List.of(dev.nightshift.transforms.audit.RunAudit.term("read-items/out")),
          List.of(dev.nightshift.transforms.audit.RunAudit.term("write-items/in")));
    }
    return run.execute();
  }

  private static byte[] csv(String... ids) {
    StringBuilder b = new StringBuilder("id,qty\n");
    for (int i = 0; i < ids.length; i++) {
      b.append(ids[i]).append(',').append(i + 1).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Storage storage() {
    return GcsClient.storage(options("gs://data/unused"));
  }

  private ArchiveManifest archiveManifest(String bucket, String name) throws Exception {
    return ArchiveManifest.fromJson(new String(gcs.object(bucket, name).orElseThrow().data(), StandardCharsets.UTF_8));
  }

  @Test
  void aBalancedGcsRunMovesItsInputsToArchiveClassWithVerifiedChecksums() throws Exception {
    Map<String, byte[]> inputs = Map.of(
        "in/day1.csv", csv("a", "b", "c"),
        "in/more/day2.csv", csv("d", "e"));
    inputs.forEach((name, data) -> gcs.put("data", name, data));
    int rewrites = gcs.calls("rewrite:archive");

    NightshiftRun.Summary s = run("gs://data/in/**.csv", "gs://data/out", false, "--archiveTo=gs://archive/settle/2026-11-25/");

    assertEquals("id\na\nb\nc\nd\ne\n", new String(gcs.object("data", "out/items.csv").orElseThrow().data(), StandardCharsets.UTF_8));
    ArchiveManifest m = s.archive();
    assertTrue(m.complete(), m.toJson());
    assertEquals("gs://archive/settle/2026-11-25", m.archiveTo());
    assertEquals("gs://data/out/_manifest.json", m.runManifest());
    assertEquals(2, m.files().size());
    Map<String, String> shas = s.manifest().inputs().stream()
        .collect(Collectors.toMap(RunManifest.FileEntry::path, RunManifest.FileEntry::sha256));
    for (ArchiveManifest.FileEntry f : m.files()) {
      String name = f.source().substring("gs://data/".length());
      byte[] original = inputs.get(name);
      String archivedName = "settle/2026-11-25/" + name.substring("in/".length());
      assertEquals("gs://archive/" + archivedName, f.destination());
      FakeGcs.StoredObject archived = gcs.object("archive", archivedName).orElseThrow();
      assertArrayEquals(original, archived.data());
      assertEquals("ARCHIVE", archived.storageClass());
      assertEquals(FakeGcs.crc32c(original), archived.crc32c());
      assertEquals(FakeGcs.crc32c(original), f.crc32c());
      assertEquals(archived.generation(), f.generation());
      assertEquals("ARCHIVE", f.storageClass());
      assertEquals(original.length, f.bytes());
      assertEquals(shas.get(f.source()), f.sha256());
      assertEquals(f.sha256(), archived.metadata().get(Archiver.SHA256));
      assertEquals(archived.crc32c(), archived.metadata().get(Archiver.VERIFIED_CRC32C));
      assertEquals(ArchiveManifest.ARCHIVED, f.status());
      assertTrue(f.sourceGeneration() != null && f.sourceGeneration() > 0);
      assertTrue(gcs.object("data", name).isEmpty(), "source deleted: " + name);
    }
    assertEquals(2, gcs.calls("rewrite:archive") - rewrites, "gs:// sources are copied server-side");
    assertEquals(m, archiveManifest("archive", "settle/2026-11-25/_archive_manifest.json"));
    assertEquals(m, archiveManifest("data", "out/_archive_manifest.json"));

    // archiving again finds every copy verified and its source gone
    ArchiveManifest again = new Archiver(storage()).archive(s.manifest(), m.runManifest(), "gs://data/out", m.archiveTo());
    assertTrue(again.complete());
    assertTrue(again.files().stream().allMatch(f -> f.status().equals(ArchiveManifest.ALREADY_ARCHIVED)), again.toJson());
  }

  @Test
  void localInputsAreUploadedWithTheirCrc32cThenDeleted(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    byte[] day1 = csv("x", "y");
    Files.write(in.resolve("day1.csv"), day1);
    Files.write(in.resolve("day2.csv"), csv("z"));

    NightshiftRun.Summary s = run(in + "/*.csv", tmp.resolve("out").toString(), false, "--archiveTo=gs://archive/local");

    assertTrue(s.archive().complete(), s.archive().toJson());
    assertFalse(Files.exists(in.resolve("day1.csv")));
    assertFalse(Files.exists(in.resolve("day2.csv")));
    FakeGcs.StoredObject o = gcs.object("archive", "local/day1.csv").orElseThrow();
    assertArrayEquals(day1, o.data());
    assertEquals("ARCHIVE", o.storageClass());
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(day1);
    assertEquals(Archiver.crc32c(crc), o.crc32c());
    assertNull(s.archive().files().get(0).sourceGeneration());
    assertTrue(gcs.calls("upload:resumable") >= 2, "local sources are uploaded");
    assertEquals(s.archive(), ArchiveManifest.fromJson(Files.readString(tmp.resolve("out").resolve(ArchiveManifest.FILE_NAME))));
  }

  @Test
  void aCorruptedCopyNeverDeletesItsSourceAndARerunCompletesTheArchive() throws Exception {
    for (String n : List.of("a", "b", "c")) {
      gcs.put("data", "in/" + n + ".csv", csv(n));
    }
    NightshiftRun.Summary s = run("gs://data/in/*.csv", "gs://data/out", false);
    assertNull(s.archive(), "no --archiveTo, no archive");
    gcs.inject(FakeGcs.Op.REWRITE, "arch/b.csv", FakeGcs.Action.CORRUPT, 0, 1);

    ArchiveManifest first = new Archiver(storage()).archive(s.manifest(), "gs://data/out/_manifest.json", "gs://data/out", "gs://archive/arch");

    assertFalse(first.complete());
    assertEquals(ArchiveManifest.INCOMPLETE, first.status());
    ArchiveManifest.FileEntry b = first.failures().get(0);
    assertEquals(1, first.failures().size());
    assertEquals("gs://data/in/b.csv", b.source());
    assertTrue(b.message().contains("does not verify") && b.message().contains("crc32c"), b.message());
    assertTrue(gcs.object("data", "in/b.csv").isPresent(), "the source of the corrupted copy stays");
    assertTrue(gcs.object("archive", "arch/b.csv").isEmpty(), "the corrupted copy is removed");
    assertTrue(gcs.object("data", "in/a.csv").isEmpty() && gcs.object("data", "in/c.csv").isEmpty());
    assertEquals(first, archiveManifest("archive", "arch/_archive_manifest.json"));

    ArchiveManifest second = new Archiver(storage()).archive(s.manifest(), "gs://data/out/_manifest.json", "gs://data/out", "gs://archive/arch");
    assertTrue(second.complete(), second.toJson());
    assertEquals(List.of(ArchiveManifest.ALREADY_ARCHIVED, ArchiveManifest.ARCHIVED, ArchiveManifest.ALREADY_ARCHIVED),
        second.files().stream().map(ArchiveManifest.FileEntry::status).toList());
    assertArrayEquals(csv("b"), gcs.object("archive", "arch/b.csv").orElseThrow().data());
    assertTrue(gcs.object("data", "in/b.csv").isEmpty());
  }

  @Test
  void failedAndTruncatedUploadsLeaveTheirSources(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    for (String n : List.of("a", "b", "c", "d")) {
      Files.write(in.resolve(n + ".csv"), csv(n, n + n));
    }
    NightshiftRun.Summary s = run(in + "/*.csv", tmp.resolve("out").toString(), false);
    gcs.inject(FakeGcs.Op.UPLOAD, "up/b.csv", FakeGcs.Action.FAIL, 403, 1)
        .inject(FakeGcs.Op.UPLOAD, "up/c.csv", FakeGcs.Action.TRUNCATE, 0, 1);

    ArchiveManifest first = new Archiver(storage()).archive(s.manifest(), tmp.resolve("out/_manifest.json").toString(),
        tmp.resolve("out").toString(), "gs://archive/up");

    assertEquals(List.of(in + "/b.csv", in + "/c.csv"),
        first.failures().stream().map(ArchiveManifest.FileEntry::source).toList(), first.toJson());
    assertTrue(first.failures().get(0).message().contains("copy failed"), first.failures().get(0).message());
    assertTrue(first.failures().get(1).message().contains("size"), first.failures().get(1).message());
    assertTrue(Files.exists(in.resolve("b.csv")) && Files.exists(in.resolve("c.csv")));
    assertFalse(Files.exists(in.resolve("a.csv")) || Files.exists(in.resolve("d.csv")));
    ArchiveException e = new ArchiveException(first);
    assertTrue(e.getMessage().contains(in + "/b.csv") && e.getMessage().contains(in + "/c.csv"), e.getMessage());

    ArchiveManifest second = new Archiver(storage()).archive(s.manifest(), tmp.resolve("out/_manifest.json").toString(),
        tmp.resolve("out").toString(), "gs://archive/up");
    assertTrue(second.complete(), second.toJson());
    assertFalse(Files.exists(in.resolve("b.csv")) || Files.exists(in.resolve("c.csv")));
    assertArrayEquals(csv("c", "cc"), gcs.object("archive", "up/c.csv").orElseThrow().data());
  }

  @Test
  void aSourceThatCannotBeDeletedIsFinishedByTheNextRun() throws Exception {
    gcs.put("data", "in/a.csv", csv("a"));
    NightshiftRun.Summary s = run("gs://data/in/a.csv", "gs://data/out", false);
    gcs.inject(FakeGcs.Op.DELETE, "in/a.csv", FakeGcs.Action.FAIL, 403, 1);
    int rewrites = gcs.calls("rewrite:archive");

    ArchiveManifest first = new Archiver(storage()).archive(s.manifest(), "m", "gs://data/out", "gs://archive/x");
    assertTrue(first.failures().get(0).message().contains("could not be deleted"), first.toJson());
    assertTrue(gcs.object("data", "in/a.csv").isPresent());

    ArchiveManifest second = new Archiver(storage()).archive(s.manifest(), "m", "gs://data/out", "gs://archive/x");
    assertTrue(second.complete());
    assertEquals(1, gcs.calls("rewrite:archive") - rewrites, "the verified copy is not made twice");
    assertTrue(second.files().get(0).message().contains("already in the archive"));
    assertTrue(gcs.object("data", "in/a.csv").isEmpty());
  }

  @Test
  void aSourceChangedSinceTheRunIsNotArchived(@TempDir Path tmp) throws Exception {
    Path file = Files.write(Files.createDirectories(tmp.resolve("in")).resolve("a.csv"), csv("a"));
    NightshiftRun.Summary s = run(file.toString(), tmp.resolve("out").toString(), false);
    Files.write(file, csv("a", "late"));
    ArchiveManifest m = new Archiver(storage()).archive(s.manifest(), "m", tmp.resolve("out").toString(), "gs://archive/c");
    assertTrue(m.failures().get(0).message().contains("changed since the run"), m.toJson());
    assertTrue(Files.exists(file));
    assertTrue(gcs.object("archive", "c/a.csv").isEmpty());
  }

  @Test
  void aVerifiedArchivedFileIsNeverReplaced() throws Exception {
    gcs.put("data", "day1/in/a.csv", csv("a"));
    run("gs://data/day1/in/a.csv", "gs://data/day1/out", false, "--archiveTo=gs://archive/same");
    FakeGcs.StoredObject first = gcs.object("archive", "same/a.csv").orElseThrow();
    gcs.put("data", "day2/in/a.csv", csv("a", "other"));

    ArchiveException e = assertThrows(ArchiveException.class,
        () -> run("gs://data/day2/in/a.csv", "gs://data/day2/out", false, "--archiveTo=gs://archive/same"));

    assertTrue(e.getMessage().contains("gs://data/day2/in/a.csv")
        && e.getMessage().contains("already holds a different verified file"), e.getMessage());
    assertEquals(first, gcs.object("archive", "same/a.csv").orElseThrow(), "the first archive is untouched");
    assertTrue(gcs.object("data", "day2/in/a.csv").isPresent());
    assertEquals(ArchiveManifest.INCOMPLETE, e.manifest().status());
  }

  @Test
  void anAuditFailureNeverArchives() {
    gcs.put("data", "in/a.csv", csv("a", "b", "c"));
    assertThrows(AuditException.class,
        () -> run("gs://data/in/a.csv", "gs://data/out", true, "--archiveTo=gs://archive/never"));
    assertTrue(gcs.object("data", "in/a.csv").isPresent());
    assertTrue(gcs.names("archive").isEmpty(), "nothing archived: " + gcs.names("archive"));
  }

  @Test
  void anArchiveLocationMustBeGcs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NightshiftRun.create("x", options("gs://data/out", "--archiveTo=/tmp/archive")));
    assertTrue(e.getMessage().contains("gs://bucket"), e.getMessage());
  }

  @Test
  void archivedNamesAreRelativeToTheInputsCommonFolder() {
    assertEquals(Map.of("gs://b/in/x.csv", "x.csv", "gs://b/in/sub/y.csv", "sub/y.csv"),
        Archiver.relativeNames(List.of("gs://b/in/x.csv", "gs://b/in/sub/y.csv")));
    assertEquals(Map.of("/data/in/t.csv", "t.csv"), Archiver.relativeNames(List.of("/data/in/t.csv")));
    assertEquals(Map.of("/a/x.csv", "a/x.csv", "/b/y.csv", "b/y.csv"),
        Archiver.relativeNames(List.of("/a/x.csv", "/b/y.csv")));
    assertEquals(Map.of("gs://one/x", "gs/one/x", "gs://two/y", "gs/two/y"),
        Archiver.relativeNames(List.of("gs://one/x", "gs://two/y")));
    assertEquals(Map.of("gs://one/x", "gs/one/x", "/l/y", "local/l/y"),
        Archiver.relativeNames(List.of("gs://one/x", "/l/y")));
  }
}
