package dev.nightshift.pipelines.gen;

import java.io.IOException;

/**
 * Writes a seeded, reproducible input data set for one pipeline, with a known share of planted
 * defects, and reports what it wrote so that a run can be checked against it.
 *
 * <p>Implementations must be deterministic: the same {@link GenerationRequest} yields
 * byte-identical files.
 */
public interface DatasetGenerator {

  /** A short, stable identifier such as {@code finance-trades}. */
  String name();

  /** One line for command-line help. */
  String description();

  /** Writes the data set into {@code request.outDir()} (created if missing) and reports on it. */
  GenerationReport generate(GenerationRequest request) throws IOException;
}
