package dev.nightshift.pipelines.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 (one master, one worker), started from the jars
 * Nightshift already has: no Spark download. A folder whose {@code jars/} holds the runtime
 * classpath serves as SPARK_HOME; the worker starts executors with {@code SPARK_HOME/jars/*}, so the
 * executors run the same Spark, Beam and Nightshift classes as the driver.
 *
 * <p>Layout of the home folder: {@code jars/} (links to the classpath), {@code logs/master.log},
 * {@code logs/worker.log}, {@code work/} (executor logs), {@code cluster.properties} (PIDs and
 * ports; what {@code status} and {@code stop} read). The processes outlive the JVM that started
 * them ({@code nightshift cluster start} returns); {@link #stop} ends them by PID, executors
 * included.
 */
public final class LocalCluster implements AutoCloseable {

  public static final String HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7077;

  /** Spark's --add-opens list for Java 17 (the same as in pom.xml, .mvn/jvm.config and the launcher). */
  public static final List<String> ADD_OPENS =
      List.of(
          "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
          "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
          "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")
          .stream()
          .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
          .toList();

  private final Path home;
  private final long masterPid;
  private final long workerPid;
  private final int port;
  private final int masterUiPort;
  private final int workerUiPort;

  private LocalCluster(Path home, long masterPid, long workerPid, int port, int masterUiPort, int workerUiPort) {
    this.home = home;
    this.masterPid = masterPid;
    this.workerPid = workerPid;
    this.port = port;
    this.masterUiPort = masterUiPort;
    this.workerUiPort = workerUiPort;
  }

  /** What to start. */
  public record Config(Path home, List<Path> classpath, int port, int cores, String workerMemory, Duration timeout) {
    public static Config of(Path home, List<Path> classpath) {
      return new Config(home, classpath, DEFAULT_PORT, 2, "6g", Duration.ofMinutes(2));
    }

    public Config withPort(int p) {
      return new Config(home, classpath, p, cores, workerMemory, timeout);
    }

    public Config withCores(int c) {
      return new Config(home, classpath, port, c, workerMemory, timeout);
    }

    public Config withWorkerMemory(String m) {
      return new Config(home, classpath, port, cores, m, timeout);
    }
  }

  public String masterUrl() {
    return "spark://" + HOST + ":" + port;
  }

  public Path home() {
    return home;
  }

  public long masterPid() {
    return masterPid;
  }

  public long workerPid() {
    return workerPid;
  }

  public int masterUiPort() {
    return masterUiPort;
  }

  /** The executor JVMs the worker runs now (children of the worker process). */
  public List<ProcessHandle> executors() {
    return ProcessHandle.of(workerPid).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  /** The classpath of this JVM, as files (the fat jar when run from {@code nightshift-all.jar}). */
  public static List<Path> currentClasspath() {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        out.add(Path.of(entry).toAbsolutePath());
      }
    }
    return out;
  }

  /**
   * Starts a master and a worker and waits until the worker has registered with the master. Fails
   * (and stops what it started) when the port is taken or registration does not happen in time.
   */
  public static LocalCluster start(Config config) throws IOException, InterruptedException {
    Path home = config.home().toAbsolutePath();
    if (status(home).isPresent()) {
      throw new IllegalStateException("a cluster is already running from " + home + " (nightshift cluster stop)");
    }
    if (!portFree(config.port())) {
      throw new IllegalStateException("port " + config.port() + " on " + HOST + " is in use");
    }
    Path jars = home.resolve("jars");
    Path logs = home.resolve("logs");
    Path work = home.resolve("work");
    deleteTree(jars);
    Files.createDirectories(jars);
    Files.createDirectories(logs);
    Files.createDirectories(work);
    int index = 0;
    for (Path entry : config.classpath()) {
      if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
        // Numbered links keep the classpath order and tolerate two jars with one file name.
        Files.createSymbolicLink(
            jars.resolve(String.format("%04d-%s", index++, entry.getFileName())), entry);
      } else if (Files.isDirectory(entry)) {
        // A classes folder (tests run from target/classes): packed into a jar, since jars/* only sees jars.
        Path jar = jars.resolve(String.format("%04d-classes.jar", index++));
        Jars.pack(entry, jar);
      }
    }
    // The daemons log at INFO (the jar's own log4j2.properties keeps pipelines quiet at WARN): the
    // registration lines waited for below are INFO lines.
    Path conf = home.resolve("conf");
    Files.createDirectories(conf);
    Files.writeString(
        conf.resolve("log4j2.properties"),
        String.join("\n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "appender.stdout.type = Console",
            "appender.stdout.name = STDOUT",
            "appender.stdout.layout.type = PatternLayout",
            "appender.stdout.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n",
            ""),
        StandardCharsets.UTF_8);
    int masterUi = DaemonState.freePort(HOST);
    int workerUi = DaemonState.freePort(HOST);
    Path masterLog = logs.resolve("master.log");
    Path workerLog = logs.resolve("worker.log");
    Files.deleteIfExists(masterLog);
    Files.deleteIfExists(workerLog);
    Process master =
        launch(home, masterLog, "1g", "org.apache.spark.deploy.master.Master",
            "--host", HOST, "--port", Integer.toString(config.port()), "--webui-port", Integer.toString(masterUi));
    Process worker = null;
    try {
      awaitLog(masterLog, "I have been elected leader", master, config.timeout());
      worker =
          launch(home, workerLog, "512m", "org.apache.spark.deploy.worker.Worker",
              "--host", HOST, "--cores", Integer.toString(config.cores()), "--memory", config.workerMemory(),
              "--work-dir", work.toString(), "--webui-port", Integer.toString(workerUi),
              "spark://" + HOST + ":" + config.port());
      awaitLog(workerLog, "Successfully registered with master", worker, config.timeout());
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (worker != null) {
        kill(worker.pid());
      }
      kill(master.pid());
      throw e;
    }
    LocalCluster cluster = new LocalCluster(home, master.pid(), worker.pid(), config.port(), masterUi, workerUi);
    Properties p = new Properties();
    p.setProperty("master.pid", Long.toString(master.pid()));
    p.setProperty("worker.pid", Long.toString(worker.pid()));
    p.setProperty("port", Integer.toString(config.port()));
    p.setProperty("master.webui.port", Integer.toString(masterUi));
    p.setProperty("worker.webui.port", Integer.toString(workerUi));
    DaemonState.save(home.resolve("cluster.properties"), p, "nightshift local Spark cluster");
    return cluster;
  }

  /** The cluster started from {@code home}, when its master and worker are both still alive. */
  public static Optional<LocalCluster> status(Path home) throws IOException {
    Optional<Properties> state = DaemonState.load(home.toAbsolutePath().resolve("cluster.properties"));
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Properties p = state.get();
    long masterPid = Long.parseLong(p.getProperty("master.pid"));
    long workerPid = Long.parseLong(p.getProperty("worker.pid"));
    if (!DaemonState.alive(masterPid) || !DaemonState.alive(workerPid)) {
      return Optional.empty();
    }
    return Optional.of(
        new LocalCluster(home.toAbsolutePath(), masterPid, workerPid, Integer.parseInt(p.getProperty("port")),
            Integer.parseInt(p.getProperty("master.webui.port")), Integer.parseInt(p.getProperty("worker.webui.port"))));
  }

  /** Stops whatever {@code home}'s cluster left running (executors, worker, master); true if anything was. */
  public static boolean stop(Path home) throws IOException {
    Path file = home.toAbsolutePath().resolve("cluster.properties");
    Optional<Properties> state = DaemonState.load(file);
    if (state.isEmpty()) {
      return false;
    }
    Properties p = state.get();
    boolean any = kill(Long.parseLong(p.getProperty("worker.pid")));
    any |= kill(Long.parseLong(p.getProperty("master.pid")));
    Files.deleteIfExists(file);
    return any;
  }

  @Override
  public void close() throws IOException {
    stop(home);
  }

  private static Process launch(Path home, Path log, String heap, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties").toUri());
    command.addAll(ADD_OPENS);
    command.add("-cp");
    command.add(home.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    // Without it the worker cannot build the executors' command line ("Unable to find scala version").
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", HOST);
    env.put("SPARK_LOG_DIR", home.resolve("logs").toString());
    return pb.start();
  }

  private static void awaitLog(Path log, String line, Process process, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Spark process ended before '" + line + "'; its log " + log + ":\n" + tail(log));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no '" + line + "' in " + log + " after " + timeout + ":\n" + tail(log));
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** Ends a process and its descendants (a worker's executors): TERM, then KILL after 10 s. */
  static boolean kill(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    List<ProcessHandle> all = new ArrayList<>(handle.get().descendants().toList());
    all.add(handle.get());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    return true;
  }

  static boolean portFree(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 300);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** Packs a classes folder into a jar. */
  static final class Jars {
    private Jars() {}

    static void pack(Path dir, Path jar) throws IOException {
      Map<String, Path> entries = new LinkedHashMap<>();
      try (var paths = Files.walk(dir)) {
        paths.filter(Files::isRegularFile).sorted().forEach(p -> entries.put(dir.relativize(p).toString().replace('\\', '/'), p));
      }
      try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
        for (Map.Entry<String, Path> e : entries.entrySet()) {
          out.putNextEntry(new java.util.jar.JarEntry(e.getKey()));
          Files.copy(e.getValue(), out);
          out.closeEntry();
        }
      }
    }
  }
}
