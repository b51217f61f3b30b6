package dev.nightshift.transforms.core;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options every Nightshift pipeline has; each pipeline's options extend these. */
public interface NightshiftOptions extends PipelineOptions {

  @Description(
      "Directory the run writes its outputs, dead letters (dead_letters.jsonl) and manifest"
          + " (_manifest.json) to.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Key buckets used by keyed aggregation and de-duplication: keys are pre-aggregated inside"
          + " bundles and grouped by bucket, so a runner groups this many keys instead of every"
          + " distinct key.")
  @Default.Integer(256)
  int getAggregationBuckets();

  void setAggregationBuckets(int value);

  @Description(
      "Distinct keys a bundle pre-aggregates in memory before it flushes them downstream.")
  @Default.Integer(200000)
  int getPreAggregationLimit();

  void setPreAggregationLimit(int value);
}
