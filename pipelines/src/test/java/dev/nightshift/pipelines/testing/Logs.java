package dev.nightshift.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.filter.Filterable;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Log capture for tests, through the real log4j2 configuration of the launcher
 * ({@code log4j2.properties}): {@link #lines} collects what its {@code STDERR} appender prints, in
 * its layout; {@link #scan} looks at every event of every logger at DEBUG and up, and at everything
 * printed to stdout and stderr, for strings that must not be there (a key, an identifier).
 */
public final class Logs {
  private Logs() {}

  public interface Body {
    void run() throws IOException;
  }

  /** Hits kept by a scan (each with some text around it); one is enough to fail. */
  static final int MAX_HITS = 20;

  /** What a scan saw: how many events and printed characters, and the hits (where, and the text). */
  public record Scan(long events, long printed, List<String> hits) {}

  /** The filter of the launcher's STDERR appender (log4j2.properties), or null. */
  static Filter stderrFilter(Configuration config) {
    Appender stderr = config.getAppender("STDERR");
    return stderr instanceof Filterable f ? f.getFilter() : null;
  }

  /** The lines the launcher's stderr appender writes while {@code body} runs (levels as configured). */
  public static List<String> lines(Body body) throws IOException {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Layout<?> layout = config.getAppender("STDERR").getLayout();
    List<String> lines = new ArrayList<>();
    AbstractAppender capture = new AbstractAppender("test-capture", stderrFilter(config), layout, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        String text = new String(layout.toByteArray(event), StandardCharsets.UTF_8);
        synchronized (lines) {
          lines.add(text);
        }
      }
    };
    capture.start();
    LoggerConfig root = config.getRootLogger();
    root.addAppender(capture, null, null);
    context.updateLoggers();
    try {
      body.run();
    } finally {
      root.removeAppender("test-capture");
      context.updateLoggers();
      capture.stop();
    }
    List<String> split = new ArrayList<>();
    for (String text : lines) {
      // one event is one line: a layout that broke an event over lines would show here
      split.add(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }
    return split;
  }

  /**
   * Runs {@code body} with every log event of every logger at DEBUG and up (rendered with the
   * launcher's layout, so the MDC fields count too), and everything printed to stdout and stderr,
   * searched for each needle. Events are looked at and dropped (DEBUG is hundreds of megabytes), and
   * the console appenders are off meanwhile.
   */
  public static Scan scan(Collection<String> needles, Body body) throws IOException {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Layout<?> layout = config.getAppender("STDERR").getLayout();
    Needles matcher = new Needles(needles);
    long[] events = {0};
    List<String> hits = new ArrayList<>();
    // The STDERR appender's filter (no printed elements) applies: the scan sees what would be written.
    AbstractAppender watch = new AbstractAppender("needle-watch", stderrFilter(config), null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        events[0]++;
        String text = event.getMessage().getFormattedMessage()
            + (event.getThrown() == null ? "" : " " + event.getThrown()) + " "
            + new String(layout.toByteArray(event), StandardCharsets.UTF_8);
        for (String needle : matcher.in(text)) {
          synchronized (hits) {
            if (hits.size() < MAX_HITS) {
              int at = text.indexOf(needle);
              hits.add(needle + " in " + event.getLoggerName() + " (" + event.getLevel() + "): ..."
                  + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + needle.length() + 100)));
            }
          }
        }
      }
    };
    watch.start();
    // java.util.logging too: the JDBC driver and Spark's driver log there, not through log4j.
    java.util.logging.Handler julWatch = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        events[0]++;
        String text = record.getMessage() + " "
            + (record.getParameters() == null ? "" : java.util.Arrays.toString(record.getParameters()))
            + (record.getThrown() == null ? "" : " " + record.getThrown());
        for (String needle : matcher.in(text)) {
          synchronized (hits) {
            if (hits.size() < MAX_HITS) {
              hits.add(needle + " in jul " + record.getLoggerName() + ": " + text);
            }
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    julWatch.setLevel(java.util.logging.Level.ALL);
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    java.util.logging.Level julLevel = julRoot.getLevel();
    java.util.logging.Handler[] julHandlers = julRoot.getHandlers();
    for (java.util.logging.Handler h : julHandlers) {
      julRoot.removeHandler(h);
    }
    julRoot.addHandler(julWatch);
    julRoot.setLevel(java.util.logging.Level.ALL);
    Map<String, Level> levels = new TreeMap<>();
    Map<String, Map<String, Appender>> consoles = new TreeMap<>();
    config.getLoggers().forEach((name, logger) -> {
      levels.put(name, logger.getLevel());
      consoles.put(name, new TreeMap<>(logger.getAppenders()));
      logger.getAppenders().keySet().forEach(logger::removeAppender);
      logger.addAppender(watch, Level.DEBUG, null);
      logger.setLevel(Level.DEBUG);
    });
    context.updateLoggers();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(capture);
      body.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
      config.getLoggers().forEach((name, logger) -> {
        logger.removeAppender("needle-watch");
        consoles.get(name).values().forEach(a -> logger.addAppender(a, null, null));
        logger.setLevel(levels.get(name));
      });
      context.updateLoggers();
      watch.stop();
      julRoot.removeHandler(julWatch);
      for (java.util.logging.Handler h : julHandlers) {
        julRoot.addHandler(h);
      }
      julRoot.setLevel(julLevel);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    for (String needle : matcher.in(text)) {
      hits.add(needle + " in stdout/stderr: "
          + text.substring(Math.max(0, text.indexOf(needle) - 500), text.indexOf(needle) + needle.length()));
    }
    return new Scan(events[0], text.length(), hits);
  }
}
