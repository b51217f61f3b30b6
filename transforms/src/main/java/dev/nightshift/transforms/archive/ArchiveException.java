package dev.nightshift.transforms.archive;

import dev.nightshift.schemas.manifest.ArchiveManifest;

/** Some inputs of a run were not archived; their sources are left where they were. */
public class ArchiveException extends RuntimeException {
  private final transient ArchiveManifest manifest;

  public ArchiveException(ArchiveManifest manifest) {
    super(message(manifest));
    this.manifest = manifest;
  }

  public ArchiveManifest manifest() {
    return manifest;
  }

  private static String message(ArchiveManifest m) {
    StringBuilder b = new StringBuilder();
    b.append("archive of '").append(m.pipeline()).append("' to ").append(m.archiveTo()).append(" is incomplete: ")
        .append(m.failures().size()).append(" of ").append(m.files().size())
        .append(" inputs were not archived and are left in place (run the archive again to complete it):");
    for (ArchiveManifest.FileEntry f : m.failures()) {
      b.append("\n  ").append(f.source()).append(": ").append(f.message());
    }
    return b.toString();
  }
}
