package dev.nightshift.transforms.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.PipelineResult;

/**
 * Told when a run's pipeline has been handed to the runner and when it has ended, so the launcher
 * can show progress from the live metrics of {@link PipelineResult#metrics()} while it runs. On the
 * Direct Runner this needs {@code --blockOnRun=false} (else {@code run()} returns only at the end).
 */
public interface RunListener {
  void started(NightshiftRun run, PipelineResult result);

  void finished(NightshiftRun run);

  /** The listeners of every run in this JVM. */
  List<RunListener> ALL = new CopyOnWriteArrayList<>();

  static void startedAll(NightshiftRun run, PipelineResult result) {
    for (RunListener l : ALL) {
      l.started(run, result);
    }
  }

  static void finishedAll(NightshiftRun run) {
    for (RunListener l : ALL) {
      l.finished(run);
    }
  }
}
