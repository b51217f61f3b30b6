package dev.nightshift.transforms.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake server speaks the JSON API as the real clients expect it: each case goes through the
 * google-cloud-storage client or Beam's gs:// file system, and checks what the server stored.
 */
class FakeGcsTest {
  private static FakeGcs gcs;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    gcs = FakeGcs.start();
    storage = StorageOptions.http().setHost(gcs.host()).setProjectId("nightshift-test")
        .setCredentials(NoCredentials.getInstance()).build().getService();
    storage.create(BucketInfo.of("data"));
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs(gcs.flags().toArray(new String[0])).create());
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    gcs.close();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void checksumsAreGcsOwnEncoding() {
    // CRC32C("hello world") = 0xc99465aa; GCS writes the four big-endian bytes in base64
    Blob b = storage.create(BlobInfo.newBuilder("data", "hello.txt").setContentType("text/plain").build(),
        "hello world".getBytes(StandardCharsets.UTF_8));
    assertEquals("yZRlqg==", b.getCrc32c());
    assertEquals("XrY7u+Ae7tCTyyK7j1rNww==", b.getMd5());
    assertEquals(11L, b.getSize());
    assertEquals(StorageClass.STANDARD, b.getStorageClass());
    assertEquals("text/plain", storage.get(BlobId.of("data", "hello.txt")).getContentType());
    assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), storage.readAllBytes(BlobId.of("data", "hello.txt")));
  }

  @Test
  void resumableUploadInChunksAndRangedReads(@TempDir Path tmp) throws Exception {
    byte[] data = random(700_000, 1);
    Path file = Files.write(tmp.resolve("big.bin"), data);
    Blob whole = storage.createFrom(BlobInfo.newBuilder("data", "dir/whole.bin").build(), file);
    assertEquals(FakeGcs.crc32c(data), whole.getCrc32c());
    // a writer with 256 KiB chunks: several requests in one session, the last one finalizing it
    int before = gcs.calls("upload:chunk");
    try (com.google.cloud.WriteChannel w = storage.writer(BlobInfo.newBuilder("data", "dir/big.bin").build())) {
      w.setChunkSize(256 * 1024);
      w.write(ByteBuffer.wrap(data));
    }
    assertTrue(gcs.calls("upload:chunk") - before >= 3, "chunks: " + (gcs.calls("upload:chunk") - before));
    Blob b = storage.get(BlobId.of("data", "dir/big.bin"));
    assertEquals(FakeGcs.crc32c(data), b.getCrc32c());
    assertEquals(FakeGcs.md5(data), b.getMd5());
    assertArrayEquals(data, gcs.object("data", "dir/big.bin").orElseThrow().data());

    try (ReadChannel r = storage.reader(BlobId.of("data", "dir/big.bin"))) {
      r.seek(600_000);
      ByteBuffer buf = ByteBuffer.allocate(200_000);
      int n = 0;
      for (int k = r.read(buf); k > 0; k = r.read(buf)) {
        n += k;
      }
      assertEquals(100_000, n);
      byte[] tail = new byte[n];
      buf.flip().get(tail);
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 600_000, 700_000), tail);
    }
  }

  @Test
  void aStatedCrc32cThatDoesNotMatchIsRefused() {
    BlobInfo wrong = BlobInfo.newBuilder("data", "refused.txt").setCrc32c("AAAAAA==").build();
    StorageException e = assertThrows(StorageException.class,
        () -> storage.createFrom(wrong, new java.io.ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)),
            Storage.BlobWriteOption.crc32cMatch()));
    assertEquals(400, e.getCode());
    assertTrue(gcs.object("data", "refused.txt").isEmpty());
  }

  @Test
  void listingWithPrefixDelimiterAndPages() {
    for (String n : List.of("l/a.csv", "l/b.csv", "l/sub/c.csv", "l/sub/d.csv", "l/z/e.csv", "m/x.csv")) {
      gcs.put("data", n, n.getBytes(StandardCharsets.UTF_8));
    }
    List<String> names = new ArrayList<>();
    storage.list("data", Storage.BlobListOption.prefix("l/"), Storage.BlobListOption.pageSize(2))
        .iterateAll().forEach(b -> names.add(b.getName()));
    assertEquals(List.of("l/a.csv", "l/b.csv", "l/sub/c.csv", "l/sub/d.csv", "l/z/e.csv"), names);

    List<String> level = new ArrayList<>();
    storage.list("data", Storage.BlobListOption.prefix("l/"), Storage.BlobListOption.currentDirectory(),
        Storage.BlobListOption.pageSize(1)).iterateAll()
        .forEach(b -> level.add(b.isDirectory() ? b.getName() + " (dir)" : b.getName()));
    assertEquals(List.of("l/a.csv", "l/b.csv", "l/sub/ (dir)", "l/z/ (dir)"), level);
  }

  @Test
  void rewriteInSeveralCallsToArchiveClass() {
    byte[] data = random(3 * 1024 * 1024 + 5, 2);
    gcs.put("data", "r/source.bin", data);
    Blob result = storage.copy(Storage.CopyRequest.newBuilder()
        .setSource(BlobId.of("data", "r/source.bin"))
        .setTarget(BlobInfo.newBuilder("data", "archive/source.bin").setStorageClass(StorageClass.ARCHIVE)
            .setMetadata(Map.of("k", "v")).build())
        .setMegabytesCopiedPerChunk(1L)
        .build()).getResult();
    assertEquals(StorageClass.ARCHIVE, result.getStorageClass());
    assertEquals(FakeGcs.crc32c(data), result.getCrc32c());
    assertEquals(Map.of("k", "v"), result.getMetadata());
    FakeGcs.StoredObject stored = gcs.object("data", "archive/source.bin").orElseThrow();
    assertEquals("ARCHIVE", stored.storageClass());
    assertArrayEquals(data, stored.data());
  }

  @Test
  void composeJoinsSourcesInOrder() {
    gcs.put("data", "c/1", "one,".getBytes(StandardCharsets.UTF_8));
    gcs.put("data", "c/2", "two".getBytes(StandardCharsets.UTF_8));
    Blob joined = storage.compose(Storage.ComposeRequest.newBuilder()
        .addSource("c/1", "c/2").setTarget(BlobInfo.newBuilder("data", "c/joined").build()).build());
    assertEquals(FakeGcs.crc32c("one,two".getBytes(StandardCharsets.UTF_8)), joined.getCrc32c());
    assertEquals("one,two", new String(storage.readAllBytes(joined.getBlobId()), StandardCharsets.UTF_8));
  }

  @Test
  void generationPreconditions() {
    FakeGcs.StoredObject o = gcs.put("data", "g/obj", "v1".getBytes(StandardCharsets.UTF_8));
    StorageException stale = assertThrows(StorageException.class,
        () -> storage.delete(BlobId.of("data", "g/obj"), Storage.BlobSourceOption.generationMatch(o.generation() - 1)));
    assertEquals(412, stale.getCode());
    assertTrue(storage.delete(BlobId.of("data", "g/obj"), Storage.BlobSourceOption.generationMatch(o.generation())));
    assertNull(storage.get(BlobId.of("data", "g/obj")));
    assertFalse(storage.delete(BlobId.of("data", "g/obj")));
  }

  @Test
  void injectedFaults() {
    gcs.put("data", "f/src", random(1000, 3));
    gcs.inject(FakeGcs.Op.REWRITE, "f/bad", FakeGcs.Action.CORRUPT, 0, 1);
    Blob corrupted = storage.copy(Storage.CopyRequest.of("data", "f/src", BlobId.of("data", "f/bad"))).getResult();
    assertTrue(!corrupted.getCrc32c().equals(gcs.object("data", "f/src").orElseThrow().crc32c()),
        "a corrupted copy reports the checksum of what it holds");
    gcs.inject(FakeGcs.Op.UPLOAD, "f/fail", FakeGcs.Action.FAIL, 403, 1);
    StorageException e = assertThrows(StorageException.class,
        () -> storage.create(BlobInfo.newBuilder("data", "f/fail").build(), new byte[10]));
    assertEquals(403, e.getCode());
    assertTrue(gcs.object("data", "f/fail").isEmpty());
    // the fault is used up
    storage.create(BlobInfo.newBuilder("data", "f/fail").build(), new byte[10]);
    assertEquals(10, gcs.object("data", "f/fail").orElseThrow().size());
  }

  @Test
  void beamFileSystemWritesMatchesRenamesAndDeletes() throws Exception {
    byte[] data = random(3_000_000, 4);
    ResourceId temp = FileSystems.matchNewResource("gs://data/beam/.out.inprogress", false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.BINARY))) {
      out.write(data);
    }
    ResourceId target = FileSystems.matchNewResource("gs://data/beam/out.bin", false);
    FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
    assertTrue(gcs.object("data", "beam/.out.inprogress").isEmpty());
    assertArrayEquals(data, gcs.object("data", "beam/out.bin").orElseThrow().data());
    assertTrue(gcs.calls("batch") > 0, "Beam renames through JSON batch requests");

    try (InputStream in = Channels.newInputStream(FileSystems.open(target))) {
      assertArrayEquals(data, in.readAllBytes());
    }
    gcs.put("data", "beam/a.csv", new byte[3]);
    gcs.put("data", "beam/b.csv", new byte[4]);
    gcs.put("data", "beam/sub/c.csv", new byte[5]);
    MatchResult glob = FileSystems.match("gs://data/beam/*.csv");
    assertEquals(List.of("gs://data/beam/a.csv", "gs://data/beam/b.csv"),
        glob.metadata().stream().map(m -> m.resourceId().toString()).sorted().toList());
    assertEquals(3, FileSystems.match("gs://data/beam/**.csv").metadata().size());
    // several plain paths: one batch of gets, the missing one NOT_FOUND
    List<MatchResult> each = FileSystems.match(List.of("gs://data/beam/a.csv", "gs://data/beam/nope.csv"));
    assertEquals(MatchResult.Status.OK, each.get(0).status());
    assertEquals(3, each.get(0).metadata().get(0).sizeBytes());
    assertEquals(MatchResult.Status.NOT_FOUND, each.get(1).status());

    FileSystems.delete(List.of(
        FileSystems.matchNewResource("gs://data/beam/a.csv", false),
        FileSystems.matchNewResource("gs://data/beam/b.csv", false)));
    assertEquals(List.of("beam/out.bin", "beam/sub/c.csv"),
        gcs.names("data").stream().filter(n -> n.startsWith("beam/")).toList());
  }
}
