package dev.nightshift.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * The archive manifest, written as {@code _archive_manifest.json} next to the archived files and in
 * the run's output folder: for every input of the run, where it went, its size and checksums, the
 * generation and storage class of the archived object, and whether the source was deleted. It has
 * no timestamps: archiving the same run again writes the same manifest, statuses aside.
 */
@JsonPropertyOrder({"pipeline", "run_manifest", "archive_to", "status", "files"})
public record ArchiveManifest(
    @JsonProperty("pipeline") String pipeline,
    @JsonProperty("run_manifest") String runManifest,
    @JsonProperty("archive_to") String archiveTo,
    @JsonProperty("status") String status,
    @JsonProperty("files") List<FileEntry> files) {

  public static final String FILE_NAME = "_archive_manifest.json";
  public static final String COMPLETE = "COMPLETE";
  public static final String INCOMPLETE = "INCOMPLETE";

  /** Copied, verified and the source deleted in this run. */
  public static final String ARCHIVED = "ARCHIVED";
  /** Found in the archive, verified, with its source already gone (an earlier archive run). */
  public static final String ALREADY_ARCHIVED = "ALREADY_ARCHIVED";
  /** Not archived: the source is left where it was; {@code message} says why. */
  public static final String FAILED = "FAILED";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One input of the run. {@code crc32c} is base64 of the big-endian CRC32C (as GCS writes it),
   * {@code sha256} the run manifest's; {@code sourceGeneration} is null for a local source.
   */
  @JsonPropertyOrder({
    "source", "destination", "bytes", "crc32c", "sha256", "source_generation", "generation",
    "storage_class", "status", "message"
  })
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileEntry(
      @JsonProperty("source") String source,
      @JsonProperty("destination") String destination,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("crc32c") String crc32c,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("source_generation") Long sourceGeneration,
      @JsonProperty("generation") Long generation,
      @JsonProperty("storage_class") String storageClass,
      @JsonProperty("status") String status,
      @JsonProperty("message") String message) {

    @JsonIgnore
    public boolean failed() {
      return FAILED.equals(status);
    }
  }

  @JsonIgnore
  public boolean complete() {
    return COMPLETE.equals(status);
  }

  @JsonIgnore
  public List<FileEntry> failures() {
    return files.stream().filter(FileEntry::failed).toList();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the archive manifest", e);
    }
  }

  public static ArchiveManifest fromJson(String json) throws JsonProcessingException {
    return JSON.readValue(json, ArchiveManifest.class);
  }
}
