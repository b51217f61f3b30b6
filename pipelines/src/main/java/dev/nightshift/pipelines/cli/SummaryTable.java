package dev.nightshift.pipelines.cli;

import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the launcher prints after a run: a table of the steps in pipeline order (records in, out,
 * dead), the dead letters by reason, the outputs (records, bytes), the audit verdict, the archive
 * (with {@code --archiveTo}), and where the manifest and the HTML run report are.
 */
final class SummaryTable {
  private SummaryTable() {}

  static void print(NightshiftRun.Summary summary, PrintStream out) {
    RunManifest m = summary.manifest();
    out.printf(Locale.ROOT, "%n%s %s on %s in %.1f s (run %s)%n", m.pipeline(), m.status(), m.runner(),
        summary.elapsed().toMillis() / 1000.0, m.run() == null ? "" : m.run().id());

    Set<String> steps = new LinkedHashSet<>();
    if (m.run() != null) {
      m.run().flow().stream().filter(m.steps()::containsKey).forEach(steps::add);
    }
    steps.addAll(m.steps().keySet());
    int width = Math.max(24, steps.stream().mapToInt(String::length).max().orElse(0) + 2);
    out.printf(Locale.ROOT, "%-" + width + "s %14s %14s %12s%n", "Step", "in", "out", "dead");
    long totalDead = 0;
    Map<String, Long> byReason = new TreeMap<>();
    for (String step : steps) {
      RunManifest.StepCounts c = m.steps().get(step);
      out.printf(Locale.ROOT, "  %-" + (width - 2) + "s %,14d %,14d %,12d%n", step, c.in(), c.out(), c.dead());
      totalDead += c.dead();
      c.deadByReason().forEach((r, n) -> byReason.merge(r, n, Long::sum));
    }
    out.printf(Locale.ROOT, "Dead letters by reason: %,d in all%n", totalDead);
    byReason.forEach((r, n) -> out.printf(Locale.ROOT, "  %-" + (width - 2) + "s %,14d%n", r, n));
    out.printf(Locale.ROOT, "%-" + width + "s %14s %14s%n", "Outputs (in " + summary.outputDir() + ")", "records", "bytes");
    for (RunManifest.FileEntry f : m.outputs()) {
      out.printf(Locale.ROOT, "  %-" + (width - 2) + "s %,14d %,14d%n", f.path(), f.records(), f.bytes());
    }
    out.printf(Locale.ROOT, "Audit: %s (%d balances checked)%n",
        m.audit().balanced() ? "balanced" : "FAILED", m.audit().checks().size());
    out.println("Manifest: " + summary.outputDir() + RunManifest.FILE_NAME);
    if (summary.archive() != null) {
      out.printf(Locale.ROOT, "Archive: %s, %d inputs to %s (%s)%n", summary.archive().status(),
          summary.archive().files().size(), summary.archive().archiveTo(),
          summary.outputDir() + dev.nightshift.schemas.manifest.ArchiveManifest.FILE_NAME);
    }
    if (summary.runReport() != null) {
      out.println("Run report: " + summary.runReport());
    }
  }
}
