package dev.nightshift.transforms.core;

import org.apache.beam.sdk.options.PipelineOptions;

/** What the shared transforms ask of the runner a pipeline will run on. */
public final class Runners {
  private Runners() {}

  /**
   * Whether the pipeline runs on the Direct Runner: one JVM, every group in memory, outputs passed on
   * as they come. Transforms tune buckets, shards and readers by it.
   */
  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }
}
