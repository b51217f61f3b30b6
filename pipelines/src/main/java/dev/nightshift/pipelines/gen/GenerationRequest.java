package dev.nightshift.pipelines.gen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * What to generate: where, how many main records, from which seed, with which share of defective
 * records, and for which business date ({@code null} lets the generator pick its default).
 * {@code params} holds a generator's own knobs ({@code nightshift generate ... --participants 25}),
 * each optional: without them a generator writes exactly what it always wrote.
 */
public record GenerationRequest(
    Path outDir, long size, long seed, double badRate, LocalDate businessDate, Map<String, String> params) {

  public GenerationRequest {
    Objects.requireNonNull(outDir, "outDir");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
    if (!(badRate >= 0.0 && badRate <= 1.0)) {
      throw new IllegalArgumentException("badRate must be in [0, 1], was " + badRate);
    }
    params = Map.copyOf(params == null ? Map.of() : params);
  }

  public GenerationRequest(Path outDir, long size, long seed, double badRate, LocalDate businessDate) {
    this(outDir, size, seed, badRate, businessDate, Map.of());
  }

  /** This request's business date, or {@code fallback} when none was given. */
  public LocalDate businessDateOr(LocalDate fallback) {
    return businessDate != null ? businessDate : fallback;
  }

  /** A positive whole-number knob, or {@code fallback} when it was not given. */
  public long longParam(String name, long fallback) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n < 1) {
        throw new NumberFormatException("not positive");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a positive whole number, was '" + v + "'");
    }
  }
}
