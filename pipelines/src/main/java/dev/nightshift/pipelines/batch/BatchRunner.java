package dev.nightshift.pipelines.batch;

import dev.nightshift.pipelines.Pipelines;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link BatchPlan} for one business date: ready pipelines (every dependency in the batch
 * succeeded) start in plan order, at most {@code parallelism} at a time, each attempt in its own
 * JVM ({@link ChildJvm}) writing to a staging folder that is published only when the run
 * succeeded and balanced ({@link Partitions}). A failed attempt is retried up to {@code retries}
 * times after a backoff that doubles each time, except when the input is invalid (exit code 2, or
 * an input the batch could not find): the same input would be refused again. When a pipeline
 * fails for good, every pipeline depending on it is skipped with that reason; the others finish.
 *
 * <p>One thread (the caller's) decides everything; the pool's threads only run attempts and report
 * back through a queue.
 */
public final class BatchRunner {

  /** How the batch runs: flags given to every child or to one, retries, limits, fault injection. */
  public record Settings(
      int parallelism,
      int retries,
      Duration backoff,
      Duration timeout,
      List<String> childFlags,
      Map<String, List<String>> pipelineFlags,
      Map<String, Integer> failAttempts,
      Path logDir) {
    public Settings {
      if (parallelism < 1) {
        throw new IllegalArgumentException("--parallelism must be at least 1, not " + parallelism);
      }
      if (retries < 0) {
        throw new IllegalArgumentException("--retries must be 0 or more, not " + retries);
      }
    }
  }

  /** How an attempt ended; {@code FAILED} attempts are retried while retries are left. */
  private enum Outcome { SUCCEEDED, FAILED, FAILED_NOT_RETRYABLE }

  /** The state of one pipeline while the batch runs. */
  private static final class Track {
    final BatchPlan.Step step;
    String status; // PENDING, RUNNING or a BatchReport status
    String reason;
    final List<BatchReport.AttemptReport> attempts = new ArrayList<>();
    Instant retryAt;
    BatchReport.Counts counts = BatchReport.Counts.UNKNOWN;
    Instant started;
    Instant ended;

    Track(BatchPlan.Step step) {
      this.step = step;
      this.status = PENDING;
    }

    boolean done() {
      return !status.equals(PENDING) && !status.equals(RUNNING);
    }
  }

  private record Done(Track track, BatchReport.AttemptReport attempt, Outcome outcome, BatchReport.Counts counts) {}

  private static final String PENDING = "PENDING";
  private static final String RUNNING = "RUNNING";
  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneId.of("UTC"));
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  private final BatchPlan plan;
  private final BatchPlan.Context context;
  private final Settings settings;
  private final ChildJvm jvm;
  private final PrintStream progress;
  private final String batchId;
  private final Instant started;

  public BatchRunner(BatchPlan plan, BatchPlan.Context context, Settings settings, ChildJvm jvm, PrintStream progress) {
    this.plan = plan;
    this.context = context;
    this.settings = settings;
    this.jvm = jvm;
    this.progress = progress;
    this.started = now();
    this.batchId = ID.format(started) + "-" + Long.toHexString(ProcessHandle.current().pid());
  }

  public String batchId() {
    return batchId;
  }

  public BatchReport run(Map<String, String> settingsForReport) throws InterruptedException {
    Map<String, Track> tracks = new LinkedHashMap<>();
    for (BatchPlan.Step s : plan.steps()) {
      tracks.put(s.pipeline(), new Track(s));
    }
    BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
      Thread t = new Thread(r, "nightshift-batch-attempt");
      t.setDaemon(true);
      return t;
    });
    int running = 0;
    try {
      while (true) {
        settle(tracks);
        Instant now = now();
        for (Track t : tracks.values()) {
          if (running < settings.parallelism() && t.status.equals(PENDING) && ready(t, tracks)
              && (t.retryAt == null || !t.retryAt.isAfter(now))) {
            int attempt = t.attempts.size() + 1;
            t.status = RUNNING;
            t.started = t.started == null ? now : t.started;
            running++;
            say("%s: attempt %d started", t.step.pipeline(), attempt);
            pool.execute(() -> done.add(attempt(t, attempt)));
          }
        }
        if (tracks.values().stream().allMatch(Track::done)) {
          break;
        }
        Done d;
        Instant nextRetry = tracks.values().stream()
            .filter(t -> t.status.equals(PENDING) && t.retryAt != null && ready(t, tracks))
            .map(t -> t.retryAt).min(Instant::compareTo).orElse(null);
        if (nextRetry != null && running < settings.parallelism()) {
          d = done.poll(Math.max(1, Duration.between(now(), nextRetry).toMillis()), TimeUnit.MILLISECONDS);
        } else {
          d = done.take();
        }
        if (d != null) {
          running--;
          record(d);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<BatchReport.PipelineReport> reports = new ArrayList<>();
    for (Track t : tracks.values()) {
      reports.add(new BatchReport.PipelineReport(t.step.pipeline(), t.step.domain(), t.step.dependsOn(),
          t.status, t.reason, List.copyOf(t.attempts), t.started, t.ended, t.counts,
          t.status.equals(BatchReport.SUCCEEDED) ? context.warehouse().partition(t.step.pipeline(), context.date()) : null));
    }
    return new BatchReport(batchId, context.date(), started, now(), settingsForReport, reports);
  }

  /** Fails what is not available, skips what depends on a failure; repeats until nothing changes. */
  private void settle(Map<String, Track> tracks) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Track t : tracks.values()) {
        if (!t.status.equals(PENDING)) {
          continue;
        }
        if (t.attempts.isEmpty() && Pipelines.pipeline(t.step.pipeline()).isEmpty()) {
          finish(t, BatchReport.FAILED, "pipeline not available: '" + t.step.pipeline()
              + "' is not registered in this build (nightshift list)");
          changed = true;
          continue;
        }
        for (String parent : plan.parentsInBatch(t.step)) {
          Track p = tracks.get(parent);
          if (p.status.equals(BatchReport.FAILED) || p.status.equals(BatchReport.SKIPPED)) {
            finish(t, BatchReport.SKIPPED, "depends on " + parent + ", which "
                + (p.status.equals(BatchReport.FAILED) ? "FAILED" : "was SKIPPED"));
            changed = true;
            break;
          }
        }
      }
    }
  }

  private boolean ready(Track t, Map<String, Track> tracks) {
    return plan.parentsInBatch(t.step).stream().allMatch(p -> tracks.get(p).status.equals(BatchReport.SUCCEEDED));
  }

  private void finish(Track t, String status, String reason) {
    Instant now = now();
    t.status = status;
    t.reason = reason;
    t.ended = now;
    say("%s: %s%s", t.step.pipeline(), status, reason == null ? "" : " (" + reason + ")");
  }

  private void record(Done d) {
    Track t = d.track();
    t.attempts.add(d.attempt());
    t.counts = d.counts();
    t.ended = d.attempt().ended();
    String took = Durations.format(Duration.between(d.attempt().started(), d.attempt().ended()));
    switch (d.outcome()) {
      case SUCCEEDED -> {
        t.status = BatchReport.SUCCEEDED;
        t.reason = null;
        say("%s: SUCCEEDED in %s (attempt %d)", t.step.pipeline(), took, d.attempt().attempt());
      }
      case FAILED -> {
        if (t.attempts.size() <= settings.retries()) {
          Duration wait = settings.backoff().multipliedBy(1L << Math.min(20, t.attempts.size() - 1));
          t.status = PENDING;
          t.retryAt = now().plus(wait);
          say("%s: attempt %d failed after %s: %s; retrying in %s", t.step.pipeline(), d.attempt().attempt(),
              took, d.attempt().reason(), Durations.format(wait));
        } else {
          finish(t, BatchReport.FAILED, failedReason(t, d));
        }
      }
      case FAILED_NOT_RETRYABLE -> finish(t, BatchReport.FAILED, failedReason(t, d));
    }
  }

  private static String failedReason(Track t, Done d) {
    String reason = d.attempt().reason();
    if (t.attempts.size() > 1) {
      return reason + " (after " + t.attempts.size() + " attempts)";
    }
    return d.outcome() == Outcome.FAILED_NOT_RETRYABLE && d.attempt().exitCode() != null ? reason + " (not retried)" : reason;
  }

  /** One attempt, on a pool thread: staging, child JVM, manifest, publish or discard. */
  private Done attempt(Track t, int attempt) {
    String pipeline = t.step.pipeline();
    String attemptId = batchId + "-a" + attempt;
    Instant begun = now();
    Path logs = settings.logDir().resolve(batchId);
    Path log = logs.resolve(pipeline + ".attempt-" + attempt + ".log");
    Partitions warehouse = context.warehouse();
    try {
      if (attempt == 1) {
        warehouse.recover(pipeline, context.date());
      }
      List<String> flags;
      try {
        flags = t.step.flags().apply(context);
      } catch (BatchInputException e) {
        return done(t, attempt, begun, null, Outcome.FAILED_NOT_RETRYABLE, "missing input: " + e.getMessage(), null,
            BatchReport.Counts.UNKNOWN);
      }
      String staging = warehouse.staging(pipeline, context.date(), attemptId);
      List<String> args = new ArrayList<>(List.of("run", pipeline));
      args.addAll(flags);
      args.add("--output=" + staging);
      args.addAll(settings.childFlags());
      args.addAll(settings.pipelineFlags().getOrDefault(pipeline, List.of()));
      Map<String, String> env = new LinkedHashMap<>();
      env.put(ChildJvm.ATTEMPT_ENV, Integer.toString(attempt));
      Integer failFirst = settings.failAttempts().get(pipeline);
      if (failFirst != null) {
        env.put(BatchAttempt.FAIL_ATTEMPTS_ENV, failFirst.toString());
      }
      ChildJvm.Exit exit = jvm.run(args, env, log, settings.timeout());
      RunManifest manifest = readManifest(Storage.join(staging, RunManifest.FILE_NAME));
      BatchReport.Counts counts = manifest == null ? BatchReport.Counts.UNKNOWN : BatchReport.Counts.of(manifest);
      boolean balanced = manifest != null && manifest.status().equals("SUCCEEDED") && manifest.audit().balanced();
      if (exit.code() == 0 && balanced) {
        warehouse.publish(pipeline, context.date(), attemptId);
        return done(t, attempt, begun, 0, Outcome.SUCCEEDED, null, log, counts);
      }
      if (manifest != null) { // kept next to the log: the counts and audit failures of the attempt
        Files.writeString(logs.resolve(pipeline + ".attempt-" + attempt + RunManifest.FILE_NAME),
            manifest.toJson(), StandardCharsets.UTF_8);
      }
      warehouse.discard(pipeline, context.date(), attemptId);
      String error = exit.error().isEmpty() ? "" : ": " + exit.error();
      return switch (exit.code()) {
        case 0 -> done(t, attempt, begun, 0, Outcome.FAILED,
            "exit 0 without a balanced manifest in " + staging, log, counts);
        case 2 -> done(t, attempt, begun, 2, Outcome.FAILED_NOT_RETRYABLE, "invalid input (exit 2)" + error, log, counts);
        case 3 -> done(t, attempt, begun, 3, Outcome.FAILED, "audit failed (exit 3)" + error, log, counts);
        case 4 -> done(t, attempt, begun, 4, Outcome.FAILED, "pipeline failed (exit 4)" + error, log, counts);
        case ChildJvm.TIMED_OUT -> done(t, attempt, begun, exit.code(), Outcome.FAILED, exit.error(), log, counts);
        default -> done(t, attempt, begun, exit.code(), Outcome.FAILED,
            "crashed (exit " + exit.code() + (exit.code() > 128 ? ", signal " + (exit.code() - 128) : "") + ")"
                + error, log, counts);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return done(t, attempt, begun, null, Outcome.FAILED_NOT_RETRYABLE, "the batch was interrupted", log, BatchReport.Counts.UNKNOWN);
    } catch (IOException | RuntimeException e) {
      return done(t, attempt, begun, null, Outcome.FAILED, "batch error: " + e, log, BatchReport.Counts.UNKNOWN);
    }
  }

  private Done done(Track t, int attempt, Instant begun, Integer exitCode, Outcome outcome, String reason, Path log,
      BatchReport.Counts counts) {
    String logPath = log != null && Files.exists(log) ? log.toString() : null;
    return new Done(t, new BatchReport.AttemptReport(attempt, begun, now(), exitCode, outcome.name(), reason, logPath),
        outcome, counts);
  }

  private static RunManifest readManifest(String file) {
    if (!Storage.exists(file)) {
      return null;
    }
    try {
      return RunManifest.fromJson(Storage.readString(file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void say(String format, Object... args) {
    progress.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(CLOCK.format(now()), args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
