package dev.nightshift.pipelines.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What the local daemons ({@link LocalCluster}, {@link LocalPostgres}) keep in their home folder
 * between commands: a properties file of PIDs and ports, written when they start and read by
 * {@code status} and {@code stop}.
 */
final class DaemonState {
  private DaemonState() {}

  static void save(Path file, Properties p, String comment) throws IOException {
    try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, comment);
    }
  }

  /** The properties, or empty when no daemon was started from that home (or it was stopped). */
  static Optional<Properties> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return Optional.of(p);
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** A free TCP port on {@code host}. */
  static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }
}
