package dev.nightshift.pipelines.core;

import dev.nightshift.transforms.core.RunnerRework;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The Spark Runner's {@link RunnerRework}: before a Spark pipeline runs it adds {@link Listener} to
 * {@code spark.extraListeners} (the runner's SparkConf reads {@code spark.*} system properties), and
 * the listener, in the driver, notes every task that did not succeed, every stage attempt after the
 * first and every executor lost before the application ends (between two jobs too: its stored
 * outputs are gone, and a later job computes them again): after each of them Spark runs work again,
 * and Beam's attempted counters count it again. Executors removed when the context stops, after
 * the application's end, are not losses.
 */
public final class SparkRework implements RunnerRework {
  static final String EXTRA_LISTENERS = "spark.extraListeners";

  @Override
  public Object before(PipelineOptions options) {
    if (!options.getRunner().getSimpleName().equals("SparkRunner")) {
      return -1;
    }
    synchronized (SparkRework.class) {
      String name = Listener.class.getName();
      String current = System.getProperty(EXTRA_LISTENERS, "");
      if (!List.of(current.split(",")).contains(name)) {
        System.setProperty(EXTRA_LISTENERS, current.isBlank() ? name : current + "," + name);
      }
    }
    return Listener.eventCount();
  }

  @Override
  public List<String> since(Object token) {
    int from = (Integer) token;
    return from < 0 ? List.of() : Listener.eventsSince(from);
  }

  /** Registered by Spark in the driver; what it sees is kept for the JVM's runs. */
  public static final class Listener extends SparkListener {
    private static final List<String> EVENTS = new ArrayList<>();
    private volatile boolean ended;

    static synchronized int eventCount() {
      return EVENTS.size();
    }

    static synchronized List<String> eventsSince(int from) {
      return new ArrayList<>(EVENTS.subList(Math.min(from, EVENTS.size()), EVENTS.size()));
    }

    static synchronized void note(String event) {
      EVENTS.add(event);
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
      ended = true;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
      if (!(taskEnd.reason() instanceof Success$)) {
        note("task " + taskEnd.taskInfo().index() + " of stage " + taskEnd.stageId() + " ended: "
            + taskEnd.reason().getClass().getSimpleName().replace("$", ""));
      }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stageSubmitted) {
      int attempt = stageSubmitted.stageInfo().attemptNumber();
      if (attempt > 0) {
        note("stage " + stageSubmitted.stageInfo().stageId() + " submitted again (attempt " + attempt + ")");
      }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
      if (!ended) {
        note("executor " + removed.executorId() + " lost: " + removed.reason());
      }
    }
  }
}
