package dev.nightshift.transforms.core;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters of one step, named so that the run audit and the manifest can find them:
 * {@code <step>/in}, {@code <step>/out}, {@code <step>/dead} and {@code <step>/dead/<REASON>}, all
 * in the {@value #NAMESPACE} namespace. Create one per DoFn instance (counters are looked up
 * lazily, so the object stays serializable).
 */
public final class StepCounters implements Serializable {
  public static final String NAMESPACE = "nightshift";

  private final String step;
  private transient Counter in;
  private transient Counter out;
  private transient Counter dead;
  private transient Map<String, Counter> byReason;

  public StepCounters(String step) {
    if (step.isEmpty() || step.contains("/")) {
      throw new IllegalArgumentException("a step name is not empty and has no '/': '" + step + "'");
    }
    this.step = step;
  }

  public String step() {
    return step;
  }

  public static String inName(String step) {
    return step + "/in";
  }

  public static String outName(String step) {
    return step + "/out";
  }

  public static String deadName(String step) {
    return step + "/dead";
  }

  public static String deadReasonName(String step, String reason) {
    return step + "/dead/" + reason;
  }

  /** A free-form counter of a step, for quantities other than records in/out (legs, keys). */
  public static String named(String step, String what) {
    return step + "/" + what;
  }

  public void in() {
    if (in == null) {
      in = Metrics.counter(NAMESPACE, inName(step));
    }
    in.inc();
  }

  public void out() {
    out(1);
  }

  public void out(long n) {
    if (out == null) {
      out = Metrics.counter(NAMESPACE, outName(step));
    }
    out.inc(n);
  }

  public void dead(String reason) {
    if (dead == null) {
      dead = Metrics.counter(NAMESPACE, deadName(step));
      byReason = new HashMap<>();
    }
    dead.inc();
    byReason.computeIfAbsent(reason, r -> Metrics.counter(NAMESPACE, deadReasonName(step, r))).inc();
  }

  /** Increments {@code <step>/<what>}. */
  public void count(String what, long n) {
    Metrics.counter(NAMESPACE, named(step, what)).inc(n);
  }
}
