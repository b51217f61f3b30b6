package dev.nightshift.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The figures of a benchmark run: the table, the growth, the targets, and RESULTS.md. */
final class Report {
  private final Bench.Config config;
  private final List<Bench.Result> results;
  private final String started = Bench.now();
  private final String load = load();

  private final boolean complete;

  Report(Bench.Config config, List<Bench.Result> results, boolean complete) {
    this.config = config;
    this.results = results;
    this.complete = complete;
  }

  Optional<Bench.Result> find(Bench.Result like, Engine engine) {
    return results.stream()
        .filter(r -> r.workload() == like.workload() && r.size() == like.size() && r.engine() == engine && r.ok())
        .findFirst();
  }

  static String ratio(Bench.Result r, Optional<Bench.Result> base) {
    return base.isEmpty() || !r.ok() ? "-" : String.format(Locale.ROOT, "%.2fx", r.seconds() / base.get().seconds());
  }

  /** Every problem of the run: failed engines and checksums that differ. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    for (Bench.Result r : results) {
      if (!r.ok() && !r.skipped()) {
        out.add(r.workload().id() + " " + r.size() + " " + r.engine().id + " failed: " + r.error());
      }
    }
    for (Bench.Result r : results) {
      if (!r.ok()) {
        continue;
      }
      Bench.Result first = results.stream()
          .filter(o -> o.workload() == r.workload() && o.size() == r.size() && o.ok()).findFirst().orElseThrow();
      if (!first.canonical().checksum().equals(r.canonical().checksum())) {
        out.add(r.workload().id() + " " + r.size() + ": checksum of " + r.engine().id + " "
            + r.canonical().shortChecksum() + " != " + first.engine().id + " " + first.canonical().shortChecksum()
            + " (parts " + r.canonical().parts() + " vs " + first.canonical().parts() + ")");
      }
    }
    return out;
  }

  boolean allOk() {
    return problems().isEmpty();
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-4s %11s %-9s %9s %12s %10s %-26s %9s %9s %-16s%n", "wl", "rows", "engine",
        "seconds", "rows/s", "peak MiB", "heap", "/SparkSQL", "/DuckDB", "checksum"));
    for (Bench.Result r : results) {
      b.append(String.format(Locale.ROOT, "%-4s %,11d %-9s %9s %12s %,10d %-26s %9s %9s %-16s%n",
          r.workload().id(), r.rows(), r.engine().id, r.ok() ? String.format(Locale.ROOT, "%.1f", r.seconds()) : r.skipped() ? "not run" : "FAILED",
          r.ok() ? String.format(Locale.ROOT, "%,.0f", r.rows() / r.seconds()) : "-", r.peakMiB(), r.heap(),
          ratio(r, find(r, Engine.SPARK_SQL)), ratio(r, find(r, Engine.DUCKDB)),
          r.ok() ? r.canonical().shortChecksum() : "-"));
    }
    for (String g : growth()) {
      b.append(g).append('\n');
    }
    for (String t : targets()) {
      b.append(t).append('\n');
    }
    List<String> problems = problems();
    b.append(problems.isEmpty() ? "checksums: all engines agree on every workload and size\n"
        : "PROBLEMS: " + String.join("; ", problems) + "\n");
    return b.toString();
  }

  /** Growth from the smallest to the largest size per workload and engine. */
  List<String> growth() {
    List<String> out = new ArrayList<>();
    for (Workload w : config.workloads()) {
      List<Long> sizes = Bench.sizesOf(config, w);
      if (sizes.size() < 2) {
        continue;
      }
      long lo = sizes.stream().min(Long::compare).orElseThrow();
      long hi = sizes.stream().max(Long::compare).orElseThrow();
      for (Engine e : config.engines()) {
        Optional<Bench.Result> a = at(w, lo, e);
        Optional<Bench.Result> z = at(w, hi, e);
        if (a.isPresent() && z.isPresent()) {
          out.add(String.format(Locale.ROOT, "growth %s %s: %,d -> %,d %s (%.1fx rows) took %.2fx the time (%.1f s -> %.1f s), peak %,d -> %,d MiB",
              w.id(), e.id, a.get().rows(), z.get().rows(), w.rowName(), (double) z.get().rows() / a.get().rows(),
              z.get().seconds() / a.get().seconds(), a.get().seconds(), z.get().seconds(), a.get().peakMiB(), z.get().peakMiB()));
        }
      }
    }
    return out;
  }

  Optional<Bench.Result> at(Workload w, long size, Engine e) {
    return results.stream().filter(r -> r.workload() == w && r.size() == size && r.engine() == e && r.ok()).findFirst();
  }

  /** The run of {@code e} that failed (not one that was skipped), if any. */
  Optional<Bench.Result> failed(Workload w, long size, Engine e) {
    return results.stream()
        .filter(r -> r.workload() == w && r.size() == size && r.engine() == e && !r.ok() && !r.skipped()).findFirst();
  }

  static String failedTarget(String name, Bench.Result r) {
    return String.format(Locale.ROOT, "target %s: MISSED (the run at %,d failed: %s)", name, r.size(), r.error());
  }

  /** The targets, each MET, MISSED (an engine that failed misses it) or not measured. */
  List<String> targets() {
    List<String> out = new ArrayList<>();
    Workload w1 = Workload.of("W1");
    if (!config.workloads().contains(w1)) {
      return out;
    }
    List<Long> sizes = Bench.sizesOf(config, w1);
    long lo = sizes.stream().min(Long::compare).orElseThrow();
    long hi = sizes.stream().max(Long::compare).orElseThrow();
    String sparkTarget = "W1 Spark Runner local[2] <= 1.0x native Spark SQL";
    out.add(failed(w1, lo, Engine.SPARK).map(r -> failedTarget(sparkTarget, r))
        .orElseGet(() -> target(sparkTarget, at(w1, lo, Engine.SPARK), at(w1, lo, Engine.SPARK_SQL), 1.0)));
    String directTarget = "W1 Direct Runner <= 2.0x native Spark SQL";
    out.add(failed(w1, lo, Engine.DIRECT).map(r -> failedTarget(directTarget, r))
        .orElseGet(() -> target(directTarget, at(w1, lo, Engine.DIRECT), at(w1, lo, Engine.SPARK_SQL), 2.0)));
    if (hi > lo) {
      for (Engine e : List.of(Engine.DIRECT, Engine.SPARK, Engine.CLUSTER)) {
        Optional<Bench.Result> a = at(w1, lo, e);
        Optional<Bench.Result> z = at(w1, hi, e);
        String name = String.format(Locale.ROOT, "W1 %s: %,d rows in <= %.1fx the %,d time, heap <= 4 GiB", e.id, hi,
            4.4 * hi / (lo * 4.0), lo);
        Optional<Bench.Result> broke = failed(w1, hi, e).or(() -> failed(w1, lo, e));
        if (broke.isPresent()) {
          out.add(failedTarget(name, broke.get()));
          continue;
        }
        if (a.isEmpty() || z.isEmpty()) {
          out.add("target " + name + ": not measured");
          continue;
        }
        double g = z.get().seconds() / a.get().seconds();
        boolean heapOk = Bench.heapMiB(config.heap()) <= 4096;
        out.add(String.format(Locale.ROOT, "target %s: %s (%.2fx, heap %s)", name,
            g <= 4.4 * hi / (lo * 4.0) && heapOk ? "MET" : "MISSED", g, config.heap()));
      }
    }
    return out;
  }

  static String target(String name, Optional<Bench.Result> r, Optional<Bench.Result> base, double limit) {
    if (r.isEmpty() || base.isEmpty()) {
      return "target " + name + ": not measured";
    }
    double x = r.get().seconds() / base.get().seconds();
    return String.format(Locale.ROOT, "target %s: %s (%.2fx: %.1f s vs %.1f s)", name, x <= limit ? "MET" : "MISSED",
        x, r.get().seconds(), base.get().seconds());
  }

  /**
   * Writes this run's section of every workload it ran to {@code <results dir>/results/<id>.md}
   * and rebuilds RESULTS.md from all the sections there: a run of one workload replaces that
   * workload's figures and keeps the others' (each section says the command and date it came from).
   */
  void write(Path results) throws IOException {
    Path sections = sectionsDir(results);
    Files.createDirectories(sections);
    for (Workload w : config.workloads()) {
      Files.writeString(sections.resolve(w.id() + ".md"), section(w), StandardCharsets.UTF_8);
    }
    Files.writeString(results, compose(sections), StandardCharsets.UTF_8);
  }

  static Path sectionsDir(Path results) {
    return results.toAbsolutePath().resolveSibling("results");
  }

  /** RESULTS.md: the header and each workload's latest section, W1, W2, W3. */
  static String compose(Path sections) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results\n\n");
    b.append("Written by the benchmark itself (`benchmarks/run.sh`) from its per-workload sections in\n");
    b.append("`benchmarks/results/` (a run replaces the sections of the workloads it ran); see\n");
    b.append("`benchmarks/README.md` for what each workload computes and the README's Benchmarks section for\n");
    b.append("how to read it. Each section names the command that reproduces it.\n");
    for (String id : new java.util.TreeSet<>(Workload.ALL.keySet())) {
      Path f = sections.resolve(id + ".md");
      b.append("\n");
      b.append(Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8)
          : "## " + id + ": " + Workload.of(id).title() + "\n\n(not measured yet)\n");
    }
    return b.toString();
  }

  private List<Bench.Result> of(Workload w) {
    return results.stream().filter(r -> r.workload() == w).toList();
  }

  /** One workload's figures from this run. */
  String section(Workload w) {
    StringBuilder b = new StringBuilder();
    b.append("## ").append(w.id()).append(": ").append(w.title()).append("\n\n");
    if (!complete) {
      b.append("**The run is still going (or was stopped): these are the engines that had finished.**\n\n");
    }
    b.append("- Command: `").append(config.command()).append("`\n");
    b.append("- Finished: ").append(started).append("\n");
    b.append("- Machine: ").append(machine()).append("\n");
    b.append("- Load average when the run finished: ").append(load).append(" (other work on the machine makes the figures noisy)\n");
    b.append("- Each engine runs in its own JVM with `-Xmx").append(config.heap()).append("`; seconds are from the engine's start\n");
    b.append("  (Spark context or pipeline set-up included) to its result written; peak memory is the\n");
    b.append("  kernel's VmHWM of that JVM (for the cluster: driver + executor). Best of ").append(config.repeat())
        .append(" run(s).\n");
    b.append("- Input: generated with seed ").append(config.seed()).append(", bad-rate ").append(config.badRate())
        .append(" (every planted defect is refused by every engine).\n\n");
    b.append("| rows | engine | seconds | rows/s | peak RSS MiB | heap | vs Spark SQL | vs DuckDB | checksum |\n");
    b.append("|---:|---|---:|---:|---:|---|---:|---:|---|\n");
    for (Bench.Result r : of(w)) {
      b.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %,d | %s | %s | %s | `%s` |%n",
          r.rows(), r.engine().description,
          r.ok() ? String.format(Locale.ROOT, "%.1f", r.seconds()) : r.skipped() ? "not run" : "FAILED",
          r.ok() ? String.format(Locale.ROOT, "%,.0f", r.rows() / r.seconds()) : "-", r.peakMiB(), r.heap(),
          ratio(r, find(r, Engine.SPARK_SQL)), ratio(r, find(r, Engine.DUCKDB)),
          r.ok() ? r.canonical().shortChecksum() : "-"));
    }
    for (Bench.Result r : of(w)) {
      if (!r.ok()) {
        b.append("\n").append(String.format(Locale.ROOT, "%,d ", r.rows()))
            .append(r.engine().id).append(": ").append(r.error()).append('\n');
      }
    }
    List<String> growth = growth().stream().filter(g -> g.startsWith("growth " + w.id() + " ")).toList();
    b.append("\nGrowth:").append(growth.isEmpty() ? " (one size only)\n" : "\n\n");
    for (String g : growth) {
      b.append("- ").append(g).append('\n');
    }
    List<String> targets = targets().stream().filter(t -> t.startsWith("target " + w.id() + " ")).toList();
    if (!targets.isEmpty()) {
      b.append("\nTargets (issue 6):\n\n");
      for (String t : targets) {
        b.append("- ").append(t).append('\n');
      }
    }
    List<String> problems = problems().stream().filter(p -> p.startsWith(w.id() + " ")).toList();
    b.append("\nChecksums: ").append(problems.isEmpty() ? "all engines produced the same canonical result at every size.\n\n"
        : "**PROBLEMS**: " + String.join("; ", problems) + "\n\n");
    Set<String> seen = new LinkedHashSet<>();
    for (Bench.Result r : of(w)) {
      if (r.ok() && seen.add(r.workload().id() + r.size())) {
        b.append(String.format(Locale.ROOT, "- at %,d %s: ", r.rows(), r.workload().rowName()));
        for (Canonical.Part p : r.canonical().parts()) {
          b.append(String.format(Locale.ROOT, "%s %,d lines sha256 `%s`; ", p.name(), p.lines(), p.sha256().substring(0, 16)));
        }
        b.append("run checksum `").append(r.canonical().checksum()).append("`\n");
      }
    }
    return b.toString();
  }

  static String machine() {
    String cpu = "?";
    String mem = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
      mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0))
          .findFirst().orElse("?");
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + " RAM, "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
        + System.getProperty("java.version");
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
