package dev.nightshift.pipelines.gen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What to generate: where, how many main records, from which seed, with which share of defective
 * records, and for which business date ({@code null} lets the generator pick its default).
 */
public record GenerationRequest(
    Path outDir, long size, long seed, double badRate, LocalDate businessDate) {

  public GenerationRequest {
    Objects.requireNonNull(outDir, "outDir");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
    if (!(badRate >= 0.0 && badRate <= 1.0)) {
      throw new IllegalArgumentException("badRate must be in [0, 1], was " + badRate);
    }
  }

  /** This request's business date, or {@code fallback} when none was given. */
  public LocalDate businessDateOr(LocalDate fallback) {
    return businessDate != null ? businessDate : fallback;
  }
}
