package dev.nightshift.pipelines.batch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one pipeline attempt in its own JVM: {@code java <this JVM's options> -cp <this JVM's
 * classpath> BatchAttempt run <pipeline> <flags>}. Spark allows one SparkContext per JVM, a crash
 * or an out-of-memory stays in its process, and a retry starts clean. Standard output and error go
 * to a log file; the attempt's outcome is its exit code (and the manifest it wrote).
 */
final class ChildJvm {
  /** Set by the batch so that a child knows which attempt it is (fault injection reads it). */
  static final String ATTEMPT_ENV = "NIGHTSHIFT_BATCH_ATTEMPT";

  /** Exit code given to an attempt that timed out and was killed. */
  static final int TIMED_OUT = -1;

  private final List<String> prefix;
  /** Running children, killed if the batch itself is stopped. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildJvm::kill), "nightshift-batch-children"));
  }

  /** @param prefix the command up to and including the main class */
  ChildJvm(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /**
   * This JVM's java binary, its memory, GC and {@code --add-opens} options and system properties
   * (not debug agents), then {@code extraOptions} (later ones win: {@code -Xmx1g} overrides an
   * inherited {@code -Xmx6g}), its classpath (the launcher jar, or the test classpath) and main.
   */
  static ChildJvm likeThisJvm(List<String> extraOptions, Class<?> main) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      boolean keep = a.startsWith("-X") || a.startsWith("--add-opens") || a.startsWith("--add-exports")
          || a.startsWith("--add-modules") || (a.startsWith("-D") && !a.startsWith("-Djava.class.path"));
      if (keep && !a.startsWith("-Xdebug") && !a.startsWith("-Xrunjdwp")) {
        cmd.add(a);
      }
    }
    cmd.addAll(extraOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    return new ChildJvm(cmd);
  }

  List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(args);
    return cmd;
  }

  /** The end of a child: its exit code ({@link #TIMED_OUT} when killed) and its last error line. */
  record Exit(int code, String error) {
    boolean timedOut() {
      return code == TIMED_OUT;
    }
  }

  /** Runs the child to its end or until {@code timeout} (then kills it and its descendants). */
  Exit run(List<String> args, Map<String, String> env, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    RUNNING.add(p);
    try {
      boolean done = timeout.isZero() ? waitFor(p) : p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        kill(p);
        return new Exit(TIMED_OUT, "timed out after " + Durations.format(timeout) + ", killed");
      }
      return new Exit(p.exitValue(), lastError(log));
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    } finally {
      RUNNING.remove(p);
    }
  }

  private static boolean waitFor(Process p) throws InterruptedException {
    p.waitFor();
    return true;
  }

  /** Ends a child and whatever it started: politely, then by force after ten seconds. */
  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The launcher's last error message in the log ({@code nightshift: ...} and its
   * {@code caused by} lines), else the last line that names an exception, else empty.
   */
  static String lastError(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("nightshift: ")) {
        StringBuilder msg = new StringBuilder(lines.get(i).substring("nightshift: ".length()));
        for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("  caused by: "); j++) {
          msg.append(" (").append(lines.get(j).trim()).append(')');
        }
        return msg.toString();
      }
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i);
      if (l.contains("Exception") || l.contains("Error:")) {
        return l.trim();
      }
    }
    return "";
  }
}
