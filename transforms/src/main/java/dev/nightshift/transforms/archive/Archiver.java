package dev.nightshift.transforms.archive;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import com.google.cloud.storage.StorageException;
import dev.nightshift.schemas.manifest.ArchiveManifest;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the inputs of a finished run into an archive bucket or prefix with storage class ARCHIVE,
 * with the google-cloud-storage client. For each input listed in the run manifest, in path order:
 *
 * <ol>
 *   <li>the source is read once: its size and SHA-256 must be those the run recorded (else the file
 *       changed since the run and is left alone), and its CRC32C is computed on the way
 *       ({@link CRC32C}); a {@code gs://} source is read at the generation its metadata names, and
 *       its stored crc32c must equal what was read;
 *   <li>it is copied to {@code <archiveTo>/<path relative to the inputs' common folder>} with
 *       storage class ARCHIVE: a server-side rewrite for a {@code gs://} source (pinned to that
 *       generation), a resumable upload stating the CRC32C for a local one;
 *   <li>the archived object's metadata is read back: its crc32c must equal the source's, its size
 *       too, its class must be ARCHIVE; only then is it marked verified (object metadata
 *       {@value #VERIFIED_CRC32C}) and the source deleted (a {@code gs://} source only at the
 *       generation that was verified).
 * </ol>
 *
 * <p>A copy that fails, fails part way, or does not verify never deletes its source: the entry is
 * FAILED with the reason, a copy that did not verify is removed, and the other inputs go on.
 * Running the archive again completes it: a verified copy is not copied again, and an input whose
 * source is gone but whose archived copy is marked verified with the run's size and SHA-256 is
 * ALREADY_ARCHIVED. A verified file already in the archive under the same name but with other
 * content is never replaced (that input is FAILED). The archive manifest is written next to the
 * archived files and in the run's output folder, also when something failed.
 */
public final class Archiver {
  private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

  /** Object metadata of an archived copy: the SHA-256 the run recorded for its source. */
  public static final String SHA256 = "nightshift-sha256";
  /** Object metadata of an archived copy: where it came from. */
  public static final String SOURCE = "nightshift-source";
  /** Object metadata of an archived copy: the pipeline whose input it was. */
  public static final String PIPELINE = "nightshift-pipeline";
  /** Object metadata set once the copy has been verified against its source (its crc32c). */
  public static final String VERIFIED_CRC32C = "nightshift-verified-crc32c";

  private final Storage storage;

  public Archiver(Storage storage) {
    this.storage = storage;
  }

  /** A {@code gs://bucket/prefix} location; the prefix has no leading or trailing slash. */
  public record Location(String bucket, String prefix) {
    public static Location parse(String uri) {
      if (uri == null || !uri.startsWith("gs://") || uri.length() <= 5) {
        throw new IllegalArgumentException("the archive must be a gs://bucket[/prefix] location, not " + uri);
      }
      String rest = uri.substring(5);
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
      if (bucket.isEmpty()) {
        throw new IllegalArgumentException("no bucket in the archive location " + uri);
      }
      return new Location(bucket, prefix);
    }

    String object(String relative) {
      return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    String uri(String object) {
      return "gs://" + bucket + "/" + object;
    }

    @Override
    public String toString() {
      return "gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
  }

  /** What reading a source found. */
  private record Read(long bytes, String crc32c, String sha256, Long generation, String storedCrc32c, String contentType) {}

  /** {@link #archive(RunManifest, String, String, String)} with a client made from the options ({@link GcsClient}). */
  public static ArchiveManifest archive(PipelineOptions options, RunManifest run, String runManifestPath,
      String runOutputDir, String archiveTo) {
    Location.parse(archiveTo);
    try (Storage storage = GcsClient.storage(options)) {
      return new Archiver(storage).archive(run, runManifestPath, runOutputDir, archiveTo);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the storage client", e);
    }
  }

  /**
   * Archives every file input of {@code run} (reference tables, {@code jdbc:...}, are left alone) under {@code archiveTo}, and writes the archive manifest
   * there and in {@code runOutputDir} (through Beam FileSystems, so local or {@code gs://}).
   */
  public ArchiveManifest archive(RunManifest run, String runManifestPath, String runOutputDir, String archiveTo) {
    Location target = Location.parse(archiveTo);
    TreeMap<String, RunManifest.FileEntry> inputs = new TreeMap<>();
    for (RunManifest.FileEntry e : run.inputs()) {
      if (e.path().startsWith("jdbc:")) {
        continue; // a reference table (ReadReference) is not a file: it stays where it is
      }
      inputs.putIfAbsent(e.path(), e);
    }
    Map<String, String> relative = relativeNames(List.copyOf(inputs.keySet()));
    List<ArchiveManifest.FileEntry> files = new ArrayList<>();
    for (RunManifest.FileEntry input : inputs.values()) {
      String object = target.object(relative.get(input.path()));
      ArchiveManifest.FileEntry entry = archiveOne(run.pipeline(), input, BlobId.of(target.bucket(), object),
          target.uri(object), target);
      if (entry.failed()) {
        LOG.warn("not archived, source left in place: {}: {}", input.path(), entry.message());
      } else {
        LOG.info("{}: {} -> {}", entry.status(), input.path(), entry.destination());
      }
      files.add(entry);
    }
    boolean complete = files.stream().noneMatch(ArchiveManifest.FileEntry::failed);
    ArchiveManifest manifest = new ArchiveManifest(run.pipeline(), runManifestPath, target.toString(),
        complete ? ArchiveManifest.COMPLETE : ArchiveManifest.INCOMPLETE, files);
    writeManifest(manifest, target, runOutputDir);
    return manifest;
  }

  private ArchiveManifest.FileEntry archiveOne(String pipeline, RunManifest.FileEntry input, BlobId dest,
      String destUri, Location target) {
    String source = input.path();
    Outcome o = new Outcome(source, destUri, input);
    if (source.startsWith("gs://") && blobId(source).getBucket().equals(target.bucket())
        && (target.prefix().isEmpty() || blobId(source).getName().startsWith(target.prefix() + "/"))) {
      return o.failed(null, "the source lies inside the archive location");
    }
    if (input.bytes() < 0 || input.sha256() == null || input.sha256().startsWith("unreadable")) {
      return o.failed(null, "the run could not read this input (" + input.sha256() + "): nothing to verify against");
    }
    Read read;
    try {
      read = readSource(source);
    } catch (IOException | RuntimeException e) {
      return o.failed(null, "cannot read the source: " + e.getMessage());
    }
    try {
      if (read == null) {
        Blob archived = storage.get(dest);
        if (archived != null && verifiedCopyOf(archived, input)) {
          return o.done(ArchiveManifest.ALREADY_ARCHIVED, archived, null,
              "the source was already deleted; the archived copy is verified");
        }
        return o.failed(null, "the source is missing and the archive holds no verified copy of it");
      }
      if (read.bytes() != input.bytes() || !read.sha256().equals(input.sha256())) {
        return o.failed(read, "the source changed since the run: it has " + read.bytes() + " bytes, sha256 "
            + read.sha256() + "; the run read " + input.bytes() + " bytes, sha256 " + input.sha256());
      }
      if (read.storedCrc32c() != null && !read.storedCrc32c().equals(read.crc32c())) {
        return o.failed(read, "the source object's crc32c " + read.storedCrc32c()
            + " does not match its bytes (" + read.crc32c() + ")");
      }
      Blob existing = storage.get(dest);
      boolean copied = existing == null || mismatch(existing, read, input) != null;
      if (copied && existing != null && verified(existing)) {
        // An archived file is never replaced: that is another run's input (or an earlier version).
        return o.failed(read, "the archive already holds a different verified file at " + destUri
            + " (sha256 " + existing.getMetadata().get(SHA256) + "); archive this run elsewhere");
      }
      if (copied) {
        try {
          copy(pipeline, source, read, dest);
        } catch (IOException | RuntimeException e) {
          return o.failed(read, "the copy failed: " + e.getMessage());
        }
      }
      Blob archived = storage.get(dest);
      if (archived == null) {
        return o.failed(read, "the copy reported success but " + destUri + " does not exist");
      }
      String problem = mismatch(archived, read, input);
      if (problem != null) {
        removeBadCopy(archived);
        return o.failed(read, "the archived copy does not verify (" + problem + "); it was removed");
      }
      Map<String, String> metadata = new TreeMap<>(archived.getMetadata() == null ? Map.of() : archived.getMetadata());
      metadata.put(VERIFIED_CRC32C, read.crc32c());
      archived = storage.update(archived.toBuilder().setMetadata(metadata).build(),
          Storage.BlobTargetOption.generationMatch(), Storage.BlobTargetOption.metagenerationMatch());
      try {
        deleteSource(source, read);
      } catch (IOException | RuntimeException e) {
        return o.failed(read, "archived and verified, but the source could not be deleted: " + e.getMessage());
      }
      return o.done(ArchiveManifest.ARCHIVED, archived, read,
          copied ? null : "a verified copy was already in the archive; the source was deleted");
    } catch (StorageException e) {
      return o.failed(read, "GCS error " + e.getCode() + ": " + e.getMessage());
    }
  }

  /** Builds the manifest entry of one input. */
  private static final class Outcome {
    final String source;
    final String destination;
    final RunManifest.FileEntry input;

    Outcome(String source, String destination, RunManifest.FileEntry input) {
      this.source = source;
      this.destination = destination;
      this.input = input;
    }

    ArchiveManifest.FileEntry failed(Read read, String message) {
      return new ArchiveManifest.FileEntry(source, destination, input.bytes(), read == null ? null : read.crc32c(),
          input.sha256(), read == null ? null : read.generation(), null, null, ArchiveManifest.FAILED, message);
    }

    ArchiveManifest.FileEntry done(String status, Blob archived, Read read, String message) {
      return new ArchiveManifest.FileEntry(source, destination, archived.getSize(), archived.getCrc32c(),
          input.sha256(), read == null ? null : read.generation(), archived.getGeneration(),
          archived.getStorageClass() == null ? null : archived.getStorageClass().name(), status, message);
    }
  }

  /** What is wrong with an archived copy of the source just read, or null when it verifies. */
  private static String mismatch(Blob archived, Read read, RunManifest.FileEntry input) {
    List<String> problems = new ArrayList<>();
    if (!read.crc32c().equals(archived.getCrc32c())) {
      problems.add("crc32c " + archived.getCrc32c() + ", the source's is " + read.crc32c());
    }
    if (archived.getSize() == null || archived.getSize() != read.bytes()) {
      problems.add("size " + archived.getSize() + ", the source's is " + read.bytes());
    }
    if (!StorageClass.ARCHIVE.equals(archived.getStorageClass())) {
      problems.add("storage class " + archived.getStorageClass() + ", not ARCHIVE");
    }
    Map<String, String> m = archived.getMetadata();
    if (m == null || !input.sha256().equals(m.get(SHA256))) {
      problems.add("recorded sha256 " + (m == null ? null : m.get(SHA256)) + ", the run's is " + input.sha256());
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** Whether an object is an archived copy that was verified against its source. */
  private static boolean verified(Blob archived) {
    Map<String, String> m = archived.getMetadata();
    return m != null && archived.getCrc32c() != null && archived.getCrc32c().equals(m.get(VERIFIED_CRC32C));
  }

  /** A copy whose source is gone counts only if it was verified, and is the run's file. */
  private static boolean verifiedCopyOf(Blob archived, RunManifest.FileEntry input) {
    return verified(archived)
        && input.sha256().equals(archived.getMetadata().get(SHA256))
        && archived.getSize() != null && archived.getSize() == input.bytes()
        && StorageClass.ARCHIVE.equals(archived.getStorageClass());
  }

  private void copy(String pipeline, String source, Read read, BlobId dest) throws IOException {
    Map<String, String> metadata = new TreeMap<>();
    metadata.put(SHA256, read.sha256());
    metadata.put(SOURCE, source);
    metadata.put(PIPELINE, pipeline);
    BlobInfo.Builder target = BlobInfo.newBuilder(dest)
        .setStorageClass(StorageClass.ARCHIVE)
        .setContentType(read.contentType())
        .setMetadata(metadata);
    if (source.startsWith("gs://")) {
      BlobId from = blobId(source);
      storage.copy(Storage.CopyRequest.newBuilder()
              .setSource(BlobId.of(from.getBucket(), from.getName(), read.generation()))
              .setSourceOptions(Storage.BlobSourceOption.generationMatch(read.generation()))
              .setTarget(target.build())
              .build())
          .getResult();
    } else {
      // The upload states the CRC32C: GCS refuses it if the bytes it received differ.
      storage.createFrom(target.setCrc32c(read.crc32c()).build(), Path.of(source),
          Storage.BlobWriteOption.crc32cMatch());
    }
  }

  private void removeBadCopy(Blob archived) {
    try {
      storage.delete(archived.getBlobId(), Storage.BlobSourceOption.generationMatch(archived.getGeneration()));
    } catch (StorageException e) {
      LOG.warn("cannot remove the copy that did not verify, {}: {}", archived.getBlobId(), e.getMessage());
    }
  }

  private void deleteSource(String source, Read read) throws IOException {
    if (source.startsWith("gs://")) {
      BlobId id = blobId(source);
      // Only the generation that was read and verified; a newer one stays.
      if (!storage.delete(BlobId.of(id.getBucket(), id.getName()),
          Storage.BlobSourceOption.generationMatch(read.generation()))) {
        throw new IOException("it no longer exists");
      }
    } else {
      Files.delete(Path.of(source));
    }
  }

  /** Reads a source whole: size, CRC32C, SHA-256; null if it does not exist. */
  private Read readSource(String source) throws IOException {
    if (source.startsWith("gs://")) {
      Blob blob = storage.get(blobId(source));
      if (blob == null) {
        return null;
      }
      try (ReadChannel channel = storage.reader(BlobId.of(blob.getBucket(), blob.getName(), blob.getGeneration()));
          InputStream in = Channels.newInputStream(channel)) {
        return digest(in, blob.getGeneration(), blob.getCrc32c(),
            blob.getContentType() == null ? "application/octet-stream" : blob.getContentType());
      }
    }
    if (source.contains("://")) {
      throw new IOException("only local files and gs:// objects can be archived, not " + source);
    }
    try (InputStream in = Files.newInputStream(Path.of(source))) {
      return digest(in, null, null, "application/octet-stream");
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Read digest(InputStream in, Long generation, String storedCrc32c, String contentType)
      throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    long bytes = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      sha.update(buffer, 0, n);
      crc.update(buffer, 0, n);
      bytes += n;
    }
    return new Read(bytes, crc32c(crc), HexFormat.of().formatHex(sha.digest()), generation, storedCrc32c, contentType);
  }

  /** GCS's crc32c form: base64 of the four big-endian bytes. */
  static String crc32c(CRC32C crc) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private void writeManifest(ArchiveManifest manifest, Location target, String runOutputDir) {
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    storage.create(BlobInfo.newBuilder(BlobId.of(target.bucket(), target.object(ArchiveManifest.FILE_NAME)))
        .setContentType("application/json").build(), json);
    ResourceId local = FileSystems.matchNewResource(runOutputDir, true)
        .resolve(ArchiveManifest.FILE_NAME, StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(local, MimeTypes.TEXT))) {
      out.write(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the archive manifest " + local, e);
    }
  }

  /**
   * Names under the archive: each path relative to the folder all inputs share, so a run's inputs
   * keep their layout ({@code trades.csv}, {@code statements/day1.xml}). Inputs with no common
   * bucket or folder keep their whole path under {@code gs/<bucket>/} or {@code local/}.
   */
  static Map<String, String> relativeNames(List<String> paths) {
    Map<String, String> out = new TreeMap<>();
    if (paths.isEmpty()) {
      return out;
    }
    String common = paths.get(0).substring(0, paths.get(0).lastIndexOf('/') + 1);
    for (String p : paths) {
      while (!common.isEmpty() && !p.startsWith(common)) {
        common = common.substring(0, common.lastIndexOf('/', common.length() - 2) + 1);
      }
    }
    boolean usable = common.startsWith("gs://") ? common.indexOf('/', 5) > 0 : common.startsWith("/");
    for (String p : paths) {
      String name;
      if (usable) {
        name = p.substring(common.length());
      } else if (p.startsWith("gs://")) {
        name = "gs/" + p.substring(5);
      } else {
        name = "local/" + p.replaceFirst("^/+", "");
      }
      out.put(p, name);
    }
    return out;
  }

  private static BlobId blobId(String gsUri) {
    String rest = gsUri.substring(5);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("not a gs://bucket/object path: " + gsUri);
    }
    return BlobId.of(rest.substring(0, slash), rest.substring(slash + 1));
  }
}
