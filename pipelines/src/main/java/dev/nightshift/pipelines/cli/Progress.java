package dev.nightshift.pipelines.cli;

import dev.nightshift.transforms.core.Counters;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RunListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;

/**
 * Progress of the running pipeline on stderr, every few seconds: records read so far (the
 * {@code read-*}{@code /in} counters), records processed by all steps and their rate, dead letters,
 * records written and the elapsed time, read from the live metrics of {@link PipelineResult#metrics()}; a last line when the
 * pipeline has ended. On the Direct Runner the launcher runs with {@code --blockOnRun=false} so the
 * result exists while it runs; the Spark runner runs the job on its own thread anyway, and its
 * metrics (accumulators) grow as tasks finish.
 */
final class Progress implements RunListener, AutoCloseable {
  private final PrintStream err;
  private final Duration every;
  private ScheduledExecutorService timer;
  private PipelineResult result;
  private long startNanos;

  private Progress(PrintStream err, Duration every) {
    this.err = err;
    this.every = every;
  }

  /** Starts reporting on every run of this JVM until closed. */
  static Progress install(PrintStream err, Duration every) {
    Progress p = new Progress(err, every);
    RunListener.ALL.add(p);
    return p;
  }

  @Override
  public synchronized void started(NightshiftRun run, PipelineResult result) {
    this.result = result;
    this.startNanos = System.nanoTime();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nightshift-progress");
      t.setDaemon(true);
      return t;
    });
    long millis = Math.max(1, every.toMillis());
    timer.scheduleAtFixedRate(() -> print(run, false), millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void finished(NightshiftRun run) {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
      timer = null;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      print(run, true);
    }
  }

  private synchronized void print(NightshiftRun run, boolean last) {
    Map<String, Long> counters;
    try {
      counters = Counters.read(result);
    } catch (RuntimeException e) {
      return; // the runner is not ready to report yet
    }
    err.println(line(run.name(), run.runId(), counters, System.nanoTime() - startNanos, last));
    err.flush();
  }

  /**
   * One progress line, e.g. {@code [trade-settlement 2026...] 200,000 records read, 1,210,000
   * processed by all steps (24,200/s), 2,027 dead letters, 0 written, 00:00:50 elapsed}. Runners
   * publish counters when a bundle (Direct) or task (Spark) completes, so the figures move in steps:
   * a file is read as one bundle, and then every step's records count as they are processed.
   */
  static String line(String pipeline, String runId, Map<String, Long> counters, long elapsedNanos, boolean last) {
    long read = 0;
    long processed = 0;
    long dead = 0;
    long written = 0;
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      String[] parts = e.getKey().split("/");
      if (parts.length != 2) {
        continue;
      }
      if (parts[1].equals("in")) {
        processed += e.getValue();
        read += parts[0].startsWith("read-") ? e.getValue() : 0;
      } else if (parts[1].equals("dead")) {
        dead += e.getValue();
      } else if (parts[0].startsWith("write-") && parts[1].equals("out")) {
        written += e.getValue();
      }
    }
    double seconds = elapsedNanos / 1e9;
    long rate = seconds > 0 ? Math.round(processed / seconds) : 0;
    long s = Math.round(Math.floor(seconds));
    return String.format(Locale.ROOT,
        "[%s %s] %s%,d records read, %,d processed by all steps (%,d/s), %,d dead letters, %,d written,"
            + " %02d:%02d:%02d elapsed",
        pipeline, runId, last ? "done: " : "", read, processed, rate, dead, written, s / 3600, s / 60 % 60, s % 60);
  }

  @Override
  public void close() {
    RunListener.ALL.remove(this);
  }
}
