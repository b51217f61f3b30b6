package dev.nightshift.transforms.core;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads a finished run's Nightshift counters, summed over every transform that reported them. */
public final class Counters {
  private Counters() {}

  /**
   * Attempted values are used because the Spark runner does not report committed metrics; on a
   * successful batch run both agree.
   */
  public static Map<String, Long> read(PipelineResult result) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(StepCounters.NAMESPACE))
                    .build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter : metrics.getCounters()) {
      Long value = counter.getAttempted();
      counters.merge(counter.getName().getName(), value == null ? 0L : value, Long::sum);
    }
    return counters;
  }
}
