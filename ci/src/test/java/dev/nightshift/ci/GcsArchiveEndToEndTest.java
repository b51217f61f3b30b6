package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.cli.Nightshift;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.manifest.ArchiveManifest;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.testing.FakeGcs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trade settlement as a user runs it with {@code ./nightshift}: inputs landed in a gs:// bucket,
 * outputs to another, {@code --archiveTo} a third; Beam's GCS file system and the
 * google-cloud-storage client both talk to {@link FakeGcs} on 127.0.0.1. The run's outputs equal a
 * local run's, and every input ends in ARCHIVE class with the CRC32C of the file that landed,
 * its source deleted. With a corrupted copy and a copy failing midway, those sources stay where
 * they were, the command exits 4 naming them, and {@code nightshift archive} completes the job.
 */
class GcsArchiveEndToEndTest {
  private static final String DAY = "2026-11-25";
  private FakeGcs gcs;

  @BeforeEach
  void start() throws Exception {
    gcs = FakeGcs.start().createBucket("results").createBucket("archive");
  }

  @AfterEach
  void stop() {
    gcs.close();
  }

  record Result(int code, String out, String err) {}

  private Result nightshift(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(gcs.flags());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Nightshift.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Generates a day of trades, lands it in gs://landing/trade-settlement/DAY/, returns the files' bytes. */
  private Map<String, byte[]> land(Path in) throws Exception {
    GenerationReport g = new TradeGenerator().generate(new GenerationRequest(in, 2_000, 11, 0.03, null));
    assertEquals(DAY, g.businessDate().toString());
    Map<String, byte[]> files = new TreeMap<>();
    try (var list = Files.list(in)) {
      for (Path p : list.filter(p -> p.toString().endsWith(".csv")).toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
        gcs.createBucket("landing").put("landing", "trade-settlement/" + DAY + "/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    assertEquals(List.of("holidays.csv", "participants.csv", "securities.csv", "trades.csv"), List.copyOf(files.keySet()));
    return files;
  }

  private Result runFromGcs(String archiveTo) {
    return nightshift("run", TradeSettlement.NAME, "--inputDir=gs://landing/trade-settlement/" + DAY,
        "--output=gs://results/trade-settlement/" + DAY, "--businessDate=" + DAY, "--archiveTo=" + archiveTo);
  }

  private ArchiveManifest archiveManifest(String bucket, String name) throws Exception {
    return ArchiveManifest.fromJson(new String(gcs.object(bucket, name).orElseThrow(() -> new AssertionError(name)).data(),
        StandardCharsets.UTF_8));
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void fromGcsToGcsThenEveryInputArchivedWithVerifiedChecksums(@TempDir Path tmp) throws Exception {
    Map<String, byte[]> landed = land(tmp.resolve("in"));
    TradeSettlement.run("--inputDir=" + tmp.resolve("in"), "--output=" + tmp.resolve("local"), "--businessDate=" + DAY);

    Result r = runFromGcs("gs://archive/trade-settlement/" + DAY);
    assertEquals(0, r.code(), r.err() + r.out());

    for (String f : List.of("instructions.csv", "cash_positions.csv", "settlement_report.csv")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("local").resolve(f)),
          gcs.object("results", "trade-settlement/" + DAY + "/" + f).orElseThrow().data(), f);
    }
    RunManifest run = RunManifest.fromJson(new String(
        gcs.object("results", "trade-settlement/" + DAY + "/_manifest.json").orElseThrow().data(), StandardCharsets.UTF_8));
    assertEquals("SUCCEEDED", run.status());

    ArchiveManifest m = archiveManifest("archive", "trade-settlement/" + DAY + "/_archive_manifest.json");
    assertEquals(m, archiveManifest("results", "trade-settlement/" + DAY + "/_archive_manifest.json"));
    assertEquals(ArchiveManifest.COMPLETE, m.status());
    assertEquals("gs://results/trade-settlement/" + DAY + "/_manifest.json", m.runManifest());
    assertEquals(4, m.files().size());
    for (ArchiveManifest.FileEntry f : m.files()) {
      String name = f.source().substring(f.source().lastIndexOf('/') + 1);
      byte[] original = landed.get(name);
      assertEquals("gs://landing/trade-settlement/" + DAY + "/" + name, f.source());
      assertEquals("gs://archive/trade-settlement/" + DAY + "/" + name, f.destination());
      assertEquals(ArchiveManifest.ARCHIVED, f.status());
      assertEquals(crc32c(original), f.crc32c(), name);
      assertEquals(sha256(original), f.sha256(), name);
      assertEquals(original.length, f.bytes());
      FakeGcs.StoredObject archived = gcs.object("archive", "trade-settlement/" + DAY + "/" + name).orElseThrow();
      assertEquals("ARCHIVE", archived.storageClass());
      assertEquals(crc32c(original), archived.crc32c());
      assertEquals(archived.generation(), f.generation());
      assertArrayEquals(original, archived.data());
    }
    assertEquals(List.of(), gcs.names("landing"), "every source deleted");

    // once more: nothing left to move, everything verified in place
    Result again = nightshift("archive", "--manifest", m.runManifest(), "--to", m.archiveTo());
    assertEquals(0, again.code(), again.err());
    assertEquals(4, again.out().split("ALREADY_ARCHIVED", -1).length - 1, again.out());

    // a run whose audit failed is never archived
    Path failed = tmp.resolve("failed/_manifest.json");
    Files.createDirectories(failed.getParent());
    Files.writeString(failed, run.toJson().replace("\"SUCCEEDED\"", "\"AUDIT_FAILED\""));
    Result refused = nightshift("archive", "--manifest", failed.toString(), "--to", "gs://archive/never");
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("did not succeed"), refused.err());
  }

  @Test
  void aCorruptedCopyAndAFailureMidwayLeaveTheirSourcesThenTheArchiveCommandCompletes(@TempDir Path tmp)
      throws Exception {
    Map<String, byte[]> landed = land(tmp.resolve("in"));
    String archiveTo = "gs://archive/trade-settlement/" + DAY;
    // in path order: holidays, participants (fails), securities (corrupted in the copy), trades
    gcs.inject(FakeGcs.Op.REWRITE, "/participants.csv", FakeGcs.Action.FAIL, 403, 1)
        .inject(FakeGcs.Op.REWRITE, "/securities.csv", FakeGcs.Action.CORRUPT, 0, 1);
    Map<String, Long> generations = new TreeMap<>();
    for (String n : landed.keySet()) {
      generations.put(n, gcs.object("landing", "trade-settlement/" + DAY + "/" + n).orElseThrow().generation());
    }

    Result r = runFromGcs(archiveTo);

    assertEquals(4, r.code(), r.out());
    assertTrue(r.err().contains("gs://landing/trade-settlement/" + DAY + "/participants.csv"), r.err());
    assertTrue(r.err().contains("gs://landing/trade-settlement/" + DAY + "/securities.csv"), r.err());
    assertTrue(r.err().contains("left in place"), r.err());
    for (String n : List.of("participants.csv", "securities.csv")) {
      FakeGcs.StoredObject source = gcs.object("landing", "trade-settlement/" + DAY + "/" + n)
          .orElseThrow(() -> new AssertionError(n + " was deleted"));
      assertArrayEquals(landed.get(n), source.data(), n);
      assertEquals(generations.get(n), source.generation(), n + " untouched");
      assertTrue(gcs.object("archive", "trade-settlement/" + DAY + "/" + n).isEmpty(), n + ": no bad copy left");
    }
    assertFalse(gcs.object("landing", "trade-settlement/" + DAY + "/holidays.csv").isPresent());
    assertFalse(gcs.object("landing", "trade-settlement/" + DAY + "/trades.csv").isPresent());
    RunManifest run = RunManifest.fromJson(new String(
        gcs.object("results", "trade-settlement/" + DAY + "/_manifest.json").orElseThrow().data(), StandardCharsets.UTF_8));
    assertEquals("SUCCEEDED", run.status(), "the run itself succeeded");
    ArchiveManifest partial = archiveManifest("results", "trade-settlement/" + DAY + "/_archive_manifest.json");
    assertEquals(ArchiveManifest.INCOMPLETE, partial.status());
    assertEquals(List.of("ARCHIVED", "FAILED", "FAILED", "ARCHIVED"),
        partial.files().stream().map(ArchiveManifest.FileEntry::status).toList());
    assertTrue(partial.files().get(1).message().contains("copy failed"), partial.files().get(1).message());
    assertTrue(partial.files().get(2).message().contains("crc32c"), partial.files().get(2).message());

    Result done = nightshift("archive", "--manifest", "gs://results/trade-settlement/" + DAY + "/_manifest.json",
        "--to", archiveTo);
    assertEquals(0, done.code(), done.err() + done.out());
    ArchiveManifest complete = archiveManifest("archive", "trade-settlement/" + DAY + "/_archive_manifest.json");
    assertEquals(List.of("ALREADY_ARCHIVED", "ARCHIVED", "ARCHIVED", "ALREADY_ARCHIVED"),
        complete.files().stream().map(ArchiveManifest.FileEntry::status).toList());
    for (String n : landed.keySet()) {
      FakeGcs.StoredObject archived = gcs.object("archive", "trade-settlement/" + DAY + "/" + n).orElseThrow();
      assertArrayEquals(landed.get(n), archived.data(), n);
      assertEquals("ARCHIVE", archived.storageClass());
      assertEquals(crc32c(landed.get(n)), archived.crc32c());
    }
    assertEquals(List.of(), gcs.names("landing"));
  }
}
