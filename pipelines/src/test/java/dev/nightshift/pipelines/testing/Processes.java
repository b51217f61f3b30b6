package dev.nightshift.pipelines.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Real processes for the fault tests: starting a JVM like this one, finding one by its command line. */
public final class Processes {
  private Processes() {}

  /**
   * {@code java <this JVM's --add-opens/--add-exports> <options> -cp <the test classpath> <main>},
   * as the batch starts its children.
   */
  public static List<String> javaCommand(List<String> options, Class<?> main) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) {
        cmd.add(a);
      }
    }
    cmd.addAll(options);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    return cmd;
  }

  /**
   * A process's whole command line, arguments joined by spaces. On Linux it is read from
   * {@code /proc/<pid>/cmdline}: {@code ProcessHandle.Info.commandLine()} stops at a page, and a
   * JVM's main class comes after a classpath longer than that.
   */
  public static String commandLine(ProcessHandle p) {
    Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ').trim();
      }
    } catch (IOException e) {
      // the process ended: no command line
      return "";
    }
    return p.info().commandLine().orElse("");
  }

  /** The live processes (of this user, or every one) whose command line contains {@code part}. */
  public static List<ProcessHandle> withCommandLine(Stream<ProcessHandle> among, String part) {
    return among.filter(ProcessHandle::isAlive).filter(p -> commandLine(p).contains(part)).toList();
  }

  /** Polls (every {@code everyMillis}) until a process of {@code among} has {@code part} in its command line. */
  public static Optional<ProcessHandle> await(java.util.function.Supplier<Stream<ProcessHandle>> among, String part,
      long timeoutMillis, long everyMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < end) {
      List<ProcessHandle> found = withCommandLine(among.get(), part);
      if (!found.isEmpty()) {
        return Optional.of(found.get(0));
      }
      Thread.sleep(everyMillis);
    }
    return Optional.empty();
  }
}
