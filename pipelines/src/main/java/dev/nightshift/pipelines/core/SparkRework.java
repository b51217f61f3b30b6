package dev.nightshift.pipelines.core;

import dev.nightshift.transforms.core.RunnerRework;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The Spark Runner's {@link RunnerRework}: before a Spark pipeline runs it adds {@link Listener} to
 * {@code spark.extraListeners} (the runner's SparkConf reads {@code spark.*} system properties), and
 * the listener, in the driver, notes every task that did not succeed, every stage attempt after the
 * first and every executor lost while a job ran: after each of them Spark runs work again (the lost
 * tasks, the stages whose shuffle or stored outputs died with an executor), and Beam's attempted
 * counters count it again.
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
    private final AtomicInteger activeJobs = new AtomicInteger();

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
    public void onJobStart(SparkListenerJobStart jobStart) {
      activeJobs.incrementAndGet();
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd jobEnd) {
      activeJobs.decrementAndGet();
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
      if (activeJobs.get() > 0) {
        note("executor " + removed.executorId() + " lost: " + removed.reason());
      }
    }
  }
}
