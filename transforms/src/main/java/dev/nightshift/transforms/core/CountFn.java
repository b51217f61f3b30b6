package dev.nightshift.transforms.core;

import org.apache.beam.sdk.transforms.DoFn;

/**
 * Passes records on, counting them in and out as step {@code step}: where records of several
 * sources meet (a flatten), or enter a side input ({@link Checked#toView}), so that the audit can
 * link the step to what feeds it.
 */
public final class CountFn<T> extends DoFn<T, T> {
  private final StepCounters counters;

  public CountFn(String step) {
    this.counters = new StepCounters(step);
  }

  @ProcessElement
  public void process(@Element T t, OutputReceiver<T> out) {
    counters.in();
    counters.out();
    out.output(t);
  }
}
