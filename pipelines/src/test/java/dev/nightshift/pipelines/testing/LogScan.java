package dev.nightshift.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * What a log scan saw: how many events and printed characters, and those holding the needle (a
 * secret that must never be logged).
 */
public record LogScan(long events, long printed, List<String> hits) {

  public interface Body {
    void run() throws IOException;
  }

  /**
   * Runs {@code body} with every log event of every log4j logger at DEBUG and up, every
   * java.util.logging record at every level (the PostgreSQL driver logs there), and everything
   * printed to stdout and stderr, searched for {@code needle}. Events are looked at and dropped
   * (DEBUG is hundreds of megabytes), and the console appenders are off meanwhile.
   */
  public static LogScan scan(String needle, Body body) throws IOException {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    long[] events = {0};
    List<String> hits = new ArrayList<>();
    AbstractAppender watch = new AbstractAppender("key-watch", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        events[0]++;
        String text = event.getMessage().getFormattedMessage()
            + (event.getThrown() == null ? "" : " " + event.getThrown());
        if (text.contains(needle)) {
          synchronized (hits) {
            hits.add(event.getLoggerName() + ": " + text);
          }
        }
      }
    };
    watch.start();
    Handler julWatch = new Handler() {
      @Override
      public void publish(LogRecord record) {
        events[0]++;
        String text = String.valueOf(record.getMessage()) + " "
            + (record.getParameters() == null ? "" : java.util.Arrays.toString(record.getParameters()))
            + (record.getThrown() == null ? "" : " " + record.getThrown());
        if (text.contains(needle)) {
          synchronized (hits) {
            hits.add("jul " + record.getLoggerName() + ": " + text);
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
    Handler[] julHandlers = julRoot.getHandlers();
    for (Handler h : julHandlers) {
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
        logger.removeAppender("key-watch");
        consoles.get(name).values().forEach(a -> logger.addAppender(a, null, null));
        logger.setLevel(levels.get(name));
      });
      context.updateLoggers();
      watch.stop();
      julRoot.removeHandler(julWatch);
      for (Handler h : julHandlers) {
        julRoot.addHandler(h);
      }
      julRoot.setLevel(julLevel);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    if (text.contains(needle)) {
      hits.add("stdout/stderr: " + text.substring(Math.max(0, text.indexOf(needle) - 500), text.indexOf(needle)));
    }
    return new LogScan(events[0], text.length(), hits);
  }
}
