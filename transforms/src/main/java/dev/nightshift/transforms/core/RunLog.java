package dev.nightshift.transforms.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schemas.manifest.RunManifest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The structured events of one run, one log line each: run start, input registered, step
 * finished (with its counts), audit verdict, output written, run end (or failed). Every event
 * carries the MDC keys {@value #PIPELINE}, {@value #RUN_ID}, {@value #STEP} and {@value #EVENT},
 * and its numbers as a JSON object in {@value #DATA}; the log4j2 layout of the launcher
 * ({@code log4j2.properties}) renders each event as one JSON object per line. No event carries
 * record data: only names, counts, file paths and reason codes.
 */
public final class RunLog {
  public static final String PIPELINE = "pipeline";
  public static final String RUN_ID = "run_id";
  public static final String STEP = "step";
  public static final String EVENT = "event";
  public static final String DATA = "data";

  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String pipeline;
  private final String runId;

  public RunLog(String pipeline, String runId) {
    this.pipeline = pipeline;
    this.runId = runId;
  }

  /** A new run id: the UTC start time and 6 random hex digits, e.g. {@code 20261125T221503Z-3f9a1c}. */
  public static String newRunId(Instant now) {
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return ID_TIME.format(now) + "-" + HexFormat.of().formatHex(random);
  }

  public String runId() {
    return runId;
  }

  public void runStarted(String runner) {
    event("run", "run-start", "run started on " + runner, data("runner", runner));
  }

  public void inputRegistered(String step, String path) {
    event(step, "input-registered", "input " + path, data("path", path));
  }

  /** The per-step, audit and output events of a finished run, from its manifest. */
  public void finished(RunManifest m, String outputDir) {
    for (String step : m.run().flow().isEmpty() ? m.steps().keySet() : flowThenRest(m)) {
      RunManifest.StepCounts c = m.steps().get(step);
      Map<String, Object> d = data("in", c.in(), "out", c.out(), "dead", c.dead());
      if (!c.deadByReason().isEmpty()) {
        d.put("dead_by_reason", c.deadByReason());
      }
      event(step, "step-finished",
          "step finished: in " + c.in() + ", out " + c.out() + ", dead " + c.dead(), d);
    }
    event("audit", "audit-verdict",
        "audit " + (m.audit().balanced() ? "balanced" : "FAILED") + ": " + m.audit().checks().size()
            + " balances checked" + (m.audit().failures().isEmpty() ? "" : ", failed: " + m.audit().failures()),
        data("balanced", m.audit().balanced(), "checks", m.audit().checks().size(),
            "failures", m.audit().failures().size()));
    for (RunManifest.FileEntry f : m.outputs()) {
      event("write", "output-written", "output " + outputDir + f.path(),
          data("path", f.path(), "records", f.records(), "bytes", f.bytes(), "sha256", f.sha256()));
    }
  }

  public void outputWritten(String step, String path, long bytes) {
    event(step, "output-written", "output " + path, data("path", path, "records", -1, "bytes", bytes));
  }

  public void runEnded(String status, long elapsedMillis) {
    event("run", "run-end", "run ended " + status + " in " + elapsedMillis + " ms",
        data("status", status, "elapsed_millis", elapsedMillis));
  }

  public void runFailed(Throwable t) {
    Map<String, String> saved = put("run", "run-end", json(data("status", "FAILED",
        "error", t.getClass().getName())));
    try {
      LOG.error("run failed: {}", t.toString());
    } finally {
      restore(saved);
    }
  }

  private Iterable<String> flowThenRest(RunManifest m) {
    java.util.LinkedHashSet<String> steps = new java.util.LinkedHashSet<>();
    for (String s : m.run().flow()) {
      if (m.steps().containsKey(s)) {
        steps.add(s);
      }
    }
    steps.addAll(m.steps().keySet());
    return steps;
  }

  private void event(String step, String event, String message, Map<String, Object> data) {
    Map<String, String> saved = put(step, event, json(data));
    try {
      LOG.info(message);
    } finally {
      restore(saved);
    }
  }

  private Map<String, String> put(String step, String event, String data) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(PIPELINE, pipeline);
    values.put(RUN_ID, runId);
    values.put(STEP, step);
    values.put(EVENT, event);
    values.put(DATA, data);
    Map<String, String> saved = new HashMap<>();
    values.forEach((k, v) -> {
      saved.put(k, MDC.get(k));
      MDC.put(k, v);
    });
    return saved;
  }

  private static void restore(Map<String, String> saved) {
    saved.forEach((k, v) -> {
      if (v == null) {
        MDC.remove(k);
      } else {
        MDC.put(k, v);
      }
    });
  }

  private static Map<String, Object> data(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String json(Map<String, Object> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
