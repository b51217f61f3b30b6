package dev.nightshift.benchmarks;

import dev.nightshift.pipelines.cli.LocalCluster;
import dev.nightshift.pipelines.cli.Nightshift;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * The benchmark: {@code benchmarks/run.sh [--workloads W1,W2,W3] [--sizes 5000000,20000000]
 * [--engines direct,spark,cluster,sparksql,duckdb] [--heap 4g] [--repeat 1] [--work DIR]
 * [--results benchmarks/RESULTS.md]}. Generates each workload's input once per size (cached in the
 * work folder), runs every engine on it in its own JVM, measures seconds and peak memory, checks
 * that all engines' checksums agree (exit 1 when they do not, or when an engine fails), prints the
 * table and writes RESULTS.md with the command that reproduces it.
 */
public final class Bench {
  private Bench() {}

  record Config(List<Workload> workloads, List<Long> sizes, List<Engine> engines, Path work, String heap,
      int repeat, Path results, int clusterPort, long seed, double badRate, long directMaxRows, String command) {}

  record Result(Workload workload, long size, long rows, Engine engine, double seconds, long peakMiB,
      String heap, Canonical canonical, String error) {
    boolean ok() {
      return error == null;
    }

    boolean skipped() {
      return error != null && error.startsWith(SKIPPED);
    }
  }

  static final String SKIPPED = "not run: ";

  public static void main(String[] args) throws Exception {
    Config config = parse(args);
    Files.createDirectories(config.results().toAbsolutePath().getParent());
    // RESULTS.md is rewritten after every engine run, so that a long run stopped early keeps its figures.
    List<Result> results = run(config, System.out, sofar -> {
      try {
        new Report(config, sofar, false).write(config.results());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Report report = new Report(config, results, true);
    System.out.println();
    System.out.println(report.table());
    report.write(config.results());
    System.out.println("Wrote " + config.results());
    if (!report.allOk()) {
      System.err.println("bench: FAILED: " + String.join("; ", report.problems()));
      System.exit(1);
    }
  }

  static Config parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>(Nightshift.flags(args));
    List<Workload> workloads = Arrays.stream(flags.getOrDefault("workloads", "W1,W2,W3").split(","))
        .map(String::trim).map(Workload::of).toList();
    List<Long> sizes = flags.containsKey("sizes")
        ? Arrays.stream(flags.get("sizes").split(",")).map(s -> Long.parseLong(s.trim().replace("_", ""))).toList()
        : List.of();
    List<Engine> engines = Arrays.stream(flags.getOrDefault("engines", "duckdb,sparksql,spark,direct,cluster")
        .split(",")).map(String::trim).map(Engine::of).toList();
    String command = "benchmarks/run.sh " + String.join(" ", args);
    Config c = new Config(workloads, sizes, engines,
        Path.of(flags.getOrDefault("work", "benchmarks/target/bench")).toAbsolutePath(),
        flags.getOrDefault("heap", "4g"), Integer.parseInt(flags.getOrDefault("repeat", "1")),
        Path.of(flags.getOrDefault("results", "benchmarks/RESULTS.md")),
        Integer.parseInt(flags.getOrDefault("cluster-port", "7177")),
        Long.parseLong(flags.getOrDefault("seed", "7")),
        Double.parseDouble(flags.getOrDefault("bad-rate", "0.01")),
        Long.parseLong(flags.getOrDefault("direct-max-rows", "20000000").replace("_", "")), command.trim());
    for (String known : List.of("workloads", "sizes", "engines", "work", "heap", "repeat", "results",
        "cluster-port", "seed", "bad-rate", "direct-max-rows")) {
      flags.remove(known);
    }
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet());
    }
    return c;
  }

  static List<Long> sizesOf(Config config, Workload w) {
    return config.sizes().isEmpty() ? List.of(w.defaultSize()) : config.sizes();
  }

  static List<Result> run(Config config, PrintStream log, java.util.function.Consumer<List<Result>> progress)
      throws Exception {
    List<Result> results = new ArrayList<>();
    LocalCluster cluster = null;
    try {
      // Smaller sizes first, every workload at a size before the next size: a run stopped early
      // has compared the engines on every workload.
      List<Map.Entry<Workload, Long>> plan = new ArrayList<>();
      for (Workload w : config.workloads()) {
        for (long size : sizesOf(config, w)) {
          plan.add(Map.entry(w, size));
        }
      }
      plan.sort(java.util.Comparator.comparing((Map.Entry<Workload, Long> e) -> e.getValue()));
      for (Map.Entry<Workload, Long> step : plan) {
        Workload w = step.getKey();
        long size = step.getValue();
        {
          Path data = config.work().resolve("data").resolve(w.id() + "-" + size + "-seed" + config.seed()
              + "-bad" + config.badRate());
          long rows = generate(w, data, size, config, log);
          for (Engine e : config.engines()) {
            if (e == Engine.DIRECT && rows > config.directMaxRows()) {
              log.printf(Locale.ROOT, "bench: %s %,d %s on %s: not run (--direct-max-rows %,d)%n", w.id(), size,
                  w.rowName(), e.description, config.directMaxRows());
              results.add(new Result(w, size, rows, e, Double.NaN, 0, config.heap(), null, SKIPPED
                  + "above --direct-max-rows "
                  + config.directMaxRows()));
              progress.accept(List.copyOf(results));
              continue;
            }
            if (e == Engine.CLUSTER && cluster == null) {
              cluster = startCluster(config, log);
            }
            Result best = null;
            for (int i = 0; i < config.repeat(); i++) {
              Result r = runOne(config, w, size, rows, e, data, cluster, log);
              if (best == null || !r.ok() || (best.ok() && r.seconds() < best.seconds())) {
                best = r;
              }
              if (!r.ok()) {
                break;
              }
            }
            results.add(best);
            progress.accept(List.copyOf(results));
          }
        }
      }
    } finally {
      if (cluster != null) {
        cluster.close();
        log.println("bench: stopped the standalone cluster");
      }
    }
    return results;
  }

  /** Generates a workload's input once; a finished folder holds {@code .rows}. */
  static long generate(Workload w, Path data, long size, Config config, PrintStream log) throws IOException {
    Path marker = data.resolve(".rows");
    if (Files.exists(marker)) {
      return Long.parseLong(Files.readString(marker).trim());
    }
    log.printf(Locale.ROOT, "bench: generating %s at %,d %s into %s%n", w.id(), size, w.rowName(), data);
    long t0 = System.nanoTime();
    long rows = w.generate(data, size, config.seed(), config.badRate());
    Files.writeString(marker, rows + "\n");
    log.printf(Locale.ROOT, "bench: generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return rows;
  }

  static LocalCluster startCluster(Config config, PrintStream log) throws Exception {
    Path home = config.work().resolve("spark-cluster");
    LocalCluster.stop(home); // left over from a run that was killed
    log.println("bench: starting a standalone cluster on port " + config.clusterPort() + " (home " + home + ")");
    LocalCluster c = LocalCluster.start(LocalCluster.Config.of(home, LocalCluster.currentClasspath())
        .withPort(config.clusterPort()).withCores(2).withWorkerMemory(workerMemory(config.heap())));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        c.close();
      } catch (IOException ignored) {
        // best effort at exit
      }
    }));
    return c;
  }

  /** The worker offers the executor's heap plus room for its overhead. */
  static String workerMemory(String heap) {
    return (heapMiB(heap) + 1024) + "m";
  }

  static long heapMiB(String heap) {
    String h = heap.toLowerCase(Locale.ROOT);
    long n = Long.parseLong(h.replaceAll("[^0-9]", ""));
    return h.endsWith("g") ? n * 1024 : h.endsWith("m") ? n : n / (1024 * 1024);
  }

  static Result runOne(Config config, Workload w, long size, long rows, Engine e, Path data,
      LocalCluster cluster, PrintStream log) throws Exception {
    Path runDir = config.work().resolve("runs").resolve(w.id() + "-" + size).resolve(e.id);
    deleteTree(runDir);
    Files.createDirectories(runDir);
    Path out = runDir.resolve("out");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + config.heap());
    cmd.addAll(LocalCluster.ADD_OPENS);
    cmd.add("-Dbench.duckdbMemory=" + heapMiB(config.heap()) + "MB");
    String heapLabel = config.heap();
    if (e == Engine.CLUSTER) {
      cmd.add("-Dspark.executor.memory=" + config.heap());
      cmd.add("-Dspark.driver.host=" + LocalCluster.HOST);
      cmd.add("-Dspark.driver.bindAddress=" + LocalCluster.HOST);
      heapLabel = config.heap() + " driver + " + config.heap() + " executor";
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(EngineMain.class.getName());
    cmd.addAll(List.of(e.id, w.id(), data.toString(), out.toString()));
    if (e == Engine.CLUSTER) {
      cmd.add(cluster.masterUrl());
      cmd.add(stageJar(config).toString());
    }
    Path engineLog = runDir.resolve("engine.log");
    log.printf(Locale.ROOT, "bench: %s %,d %s on %s ... ", w.id(), size, w.rowName(), e.description);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(engineLog.toFile()).start();
    Thread reaper = new Thread(p::destroyForcibly); // the engine does not outlive a stopped benchmark
    Runtime.getRuntime().addShutdownHook(reaper);
    double seconds;
    long peak;
    try (MemoryProbe probe = new MemoryProbe(p.pid(), () -> cluster == null ? List.of() : executors(cluster))) {
      if (!p.waitFor(3, TimeUnit.HOURS)) {
        p.destroyForcibly();
      }
      peak = 0;
      probe.close();
      peak = probe.peakMiB();
    }
    Runtime.getRuntime().removeShutdownHook(reaper);
    String output = Files.readString(engineLog, StandardCharsets.UTF_8);
    Optional<String> secondsLine = output.lines().filter(l -> l.startsWith("BENCH-SECONDS ")).findFirst();
    if (p.exitValue() != 0 || secondsLine.isEmpty()) {
      log.println("FAILED (exit " + p.exitValue() + ", see " + engineLog + ")");
      return new Result(w, size, rows, e, Double.NaN, peak, heapLabel, null,
          "exit " + p.exitValue() + (output.contains("java.lang.OutOfMemoryError") ? " (out of heap: OutOfMemoryError in its log)"
              : p.exitValue() == 137 ? " (SIGKILL: by hand, or the kernel's OOM killer when the machine runs out of memory)" : "")
              + ", log " + engineLog);
    }
    seconds = Double.parseDouble(secondsLine.get().substring("BENCH-SECONDS ".length()).trim());
    Canonical canonical = Canonical.of(out, w.parts(), e.beam());
    log.printf(Locale.ROOT, "%.1f s, peak %,d MiB, %,d result lines, checksum %s%n", seconds, peak,
        canonical.lines(), canonical.shortChecksum());
    return new Result(w, size, rows, e, seconds, peak, heapLabel, canonical, null);
  }

  static List<Long> executors(LocalCluster cluster) {
    return cluster.executors().stream().map(ProcessHandle::pid).collect(Collectors.toList());
  }

  /**
   * The cluster's jars/ already hold the whole classpath (LocalCluster links it), so the Spark
   * Runner is given one empty jar to stage instead of zipping and shipping the classpath per run.
   */
  static Path stageJar(Config config) throws IOException {
    Path jar = config.work().resolve("stage-nothing.jar");
    if (!Files.exists(jar)) {
      Files.createDirectories(jar.getParent());
      Manifest m = new Manifest();
      m.getMainAttributes().putValue("Manifest-Version", "1.0");
      try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), m)) {
        j.flush();
      }
    }
    return jar;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String now() {
    return ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
