package dev.nightshift.transforms.core;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Tells whether a runner ran some of a run's work a second time: a lost executor whose stored
 * outputs were computed again, a failed task retried, a stage resubmitted. Found with {@link
 * ServiceLoader} ({@code META-INF/services}); the Spark Runner's is in the pipelines module.
 *
 * <p>Why: Beam's counters on Spark are attempted values, and work that runs again counts again. The
 * audit proves a balance from counts; when a whole chain ran twice (fused steps, or a chain feeding
 * a side input, which no later count checks), its counts are doubled and still balance. So a run
 * in which the runner ran work again fails its audit (exit 3) whatever the counts say, and is
 * rerun (nightshift batch retries exit 3); its outputs are right either way (ExecutorKillTest).
 */
public interface RunnerRework {

  /** Called before the pipeline of {@code options} runs; what it returns is given to {@link #since}. */
  Object before(PipelineOptions options);

  /** What the runner ran again since {@link #before}, one line each; empty when nothing. */
  List<String> since(Object token);

  /** The implementations on the class path. */
  static List<RunnerRework> all() {
    List<RunnerRework> all = new ArrayList<>();
    ServiceLoader.load(RunnerRework.class, RunnerRework.class.getClassLoader()).forEach(all::add);
    return all;
  }
}
