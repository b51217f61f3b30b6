package dev.nightshift.transforms.report;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The HTML run report, {@code run_report.html}, written next to {@code _manifest.json} after every
 * run that finishes (also when the audit fails): the run (status, runner, id, timings,
 * parameters), the steps as a flow with their counts (in, out, dead), dead letters by reason with
 * a few examples, the pipeline's business figures ({@link ReportFigure}), the audit, and the files
 * read and written.
 *
 * <p>One self-contained page: inline CSS and SVG, no script, nothing fetched. Every text is
 * HTML-escaped; dead-letter examples show the step, file name, line and the message with
 * identifiers masked ({@link Redact#text}), never the raw payload (that stays in
 * {@code dead_letters.jsonl}, for replay).
 */
public final class RunReport {
  private RunReport() {}

  public static final String FILE_NAME = "run_report.html";
  /** Examples shown per dead-letter reason. */
  public static final int EXAMPLES = 3;

  /** A dead letter as the report shows it. */
  public record Example(String reason, String step, String file, long line, String message) {}

  /** A figure that could not be computed is shown as its error, never fails the run. */
  public record Figure(Chart chart, String error) {}

  /** Computes the figures, collects examples, renders and writes the page (temporary name, then renamed). */
  public static ResourceId write(ResourceId outputDir, String deadLettersFile, RunManifest manifest,
      List<ReportFigure> figures) throws IOException {
    RunOutputs outputs = new RunOutputs(outputDir, manifest);
    List<Figure> computed = new ArrayList<>();
    for (ReportFigure f : figures) {
      try {
        computed.add(new Figure(f.chart(outputs), null));
      } catch (IOException | RuntimeException e) {
        computed.add(new Figure(null, e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    List<Example> examples = examples(outputDir.resolve(deadLettersFile, StandardResolveOptions.RESOLVE_FILE));
    String html = render(manifest, computed, examples);
    ResourceId target = outputDir.resolve(FILE_NAME, StandardResolveOptions.RESOLVE_FILE);
    ResourceId temp = NightshiftRun.temporary(outputDir, FILE_NAME);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT))) {
      out.write(html.getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
    return target;
  }

  /** The first {@value #EXAMPLES} dead letters of each reason (the file is sorted), masked. */
  static List<Example> examples(ResourceId deadLetters) {
    Map<String, Integer> taken = new TreeMap<>();
    List<Example> examples = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(FileSystems.open(deadLetters)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        DeadLetter d = DeadLetter.fromJson(line);
        if (taken.merge(d.reasonCode(), 1, Integer::sum) <= EXAMPLES) {
          examples.add(new Example(d.reasonCode(), d.step(), fileName(d.sourceFile()), d.lineNumber(),
              Redact.text(d.message())));
        }
      }
    } catch (IOException | RuntimeException e) {
      // No dead-letter file (a run that wrote none) or one that is not ours: the counts still show.
    }
    return examples;
  }

  static String fileName(String path) {
    if (path == null) {
      return "";
    }
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }

  static String render(RunManifest m, List<Figure> figures, List<Example> examples) {
    StringBuilder h = new StringBuilder(1 << 15);
    RunManifest.Run run = m.run();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>Nightshift run report: ").append(esc(m.pipeline())).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top}")
        .append("td.t,th.t{text-align:left}")
        .append(".status{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;background:#2e7d32}")
        .append(".status.AUDIT_FAILED{background:#c62828}")
        .append(".bar{fill:#3b7dd8}.neg{fill:#d8593b}.out{fill:#5aa469}.dead{fill:#d8593b}.axis{stroke:#888}")
        .append(".box{fill:#f4f6fa;stroke:#8899aa}.arrow{stroke:#8899aa;stroke-width:2}")
        .append("svg text{font-size:11px;fill:#333}code{font-size:90%;word-break:break-all}")
        .append("figure.chart{margin:1em 0}figcaption{font-weight:bold;margin-bottom:.3em}")
        .append("\n</style>\n</head>\n<body>\n");
    h.append("<h1>").append(esc(m.pipeline())).append(" <span class=\"status ").append(esc(m.status()))
        .append("\" id=\"status\">").append(esc(m.status())).append("</span></h1>\n");

    h.append("<h2>Run</h2>\n<table id=\"run\">\n");
    row(h, "Run id", run == null ? "" : run.id());
    row(h, "Runner", m.runner());
    if (run != null) {
      row(h, "Started (UTC)", run.startedAt());
      row(h, "Finished (UTC)", run.finishedAt());
      row(h, "Elapsed", seconds(run.elapsedMillis()));
      row(h, "In the runner", seconds(run.pipelineMillis()));
    }
    m.parameters().forEach((k, v) -> row(h, k, v));
    h.append("</table>\n");

    List<String> order = flow(m);
    h.append("<h2>Steps</h2>\n");
    flowChart(h, m, order);
    h.append("<table id=\"steps\">\n<tr><th class=\"t\">Step</th><th>In</th><th>Out</th><th>Dead</th>"
        + "<th class=\"t\">Other counts</th></tr>\n");
    for (String step : order) {
      RunManifest.StepCounts c = m.steps().get(step);
      h.append("<tr><td class=\"t\">").append(esc(step)).append("</td><td>").append(n(c.in()))
          .append("</td><td>").append(n(c.out())).append("</td><td>").append(n(c.dead()))
          .append("</td><td class=\"t\">");
      c.other().forEach((k, v) -> h.append(esc(k)).append(' ').append(n(v)).append("<br>"));
      h.append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Dead letters by reason</h2>\n");
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Set<String>> stepsOf = new TreeMap<>();
    m.steps().forEach((step, c) -> c.deadByReason().forEach((reason, count) -> {
      byReason.merge(reason, count, Long::sum);
      stepsOf.computeIfAbsent(reason, r -> new LinkedHashSet<>()).add(step);
    }));
    if (byReason.isEmpty()) {
      h.append("<p id=\"no-dead-letters\">None: every record went through.</p>\n");
    } else {
      List<String[]> bars = new ArrayList<>();
      byReason.forEach((r, c) -> bars.add(new String[] {r, Long.toString(c)}));
      h.append("<figure class=\"chart\" id=\"dead-letters-chart\"><figcaption>Dead letters by reason</figcaption>\n");
      SvgCharts.bars(h, bars);
      h.append("</figure>\n<table id=\"dead-letters\">\n<tr><th class=\"t\">Reason</th><th>Count</th>"
          + "<th class=\"t\">Steps</th><th class=\"t\">Examples (step, file:line, message; identifiers masked)</th></tr>\n");
      byReason.forEach((reason, count) -> {
        h.append("<tr><td class=\"t\">").append(esc(reason)).append("</td><td>").append(n(count))
            .append("</td><td class=\"t\">").append(esc(String.join(", ", stepsOf.get(reason))))
            .append("</td><td class=\"t\">");
        for (Example e : examples) {
          if (e.reason().equals(reason)) {
            h.append("<div class=\"example\">").append(esc(e.step())).append(", <code>").append(esc(e.file()))
                .append(':').append(e.line()).append("</code>: ").append(esc(e.message())).append("</div>");
          }
        }
        h.append("</td></tr>\n");
      });
      h.append("</table>\n<p>Every dead letter, with its raw record for replay, is in dead_letters.jsonl.</p>\n");
    }

    h.append("<h2>Business figures</h2>\n");
    if (figures.isEmpty()) {
      h.append("<p>This pipeline has no figures.</p>\n");
    }
    int i = 0;
    for (Figure f : figures) {
      i++;
      if (f.chart() == null) {
        h.append("<p class=\"figure-error\">A figure could not be computed: ").append(esc(f.error())).append("</p>\n");
        continue;
      }
      Chart c = f.chart();
      h.append("<figure class=\"chart business\" id=\"figure-").append(i).append("\"><figcaption>")
          .append(esc(c.title())).append("</figcaption>\n");
      List<String[]> bars = new ArrayList<>();
      for (Chart.Bar b : c.bars()) {
        bars.add(new String[] {b.label(), b.value().toPlainString()});
      }
      if (c.style() == Chart.Style.COLUMNS || c.bars().stream().anyMatch(b -> b.value().signum() < 0)) {
        SvgCharts.columns(h, bars);
      } else {
        SvgCharts.bars(h, bars);
      }
      h.append("<div class=\"unit\">").append(esc(c.unit())).append("</div>\n</figure>\n");
    }

    h.append("<h2>Audit</h2>\n<p id=\"audit\">").append(m.audit().balanced() ? "Balanced" : "FAILED")
        .append(": ").append(m.audit().checks().size()).append(" balances checked.</p>\n");
    if (!m.audit().failures().isEmpty()) {
      h.append("<ul class=\"failures\">\n");
      m.audit().failures().forEach(f -> h.append("<li>").append(esc(f)).append("</li>\n"));
      h.append("</ul>\n");
    }
    h.append("<details><summary>Balances checked</summary><ul>\n");
    m.audit().checks().forEach(c -> h.append("<li><code>").append(esc(c)).append("</code></li>\n"));
    h.append("</ul></details>\n");

    h.append("<h2>Files</h2>\n<table id=\"files\">\n<tr><th class=\"t\">Output</th><th>Records</th><th>Bytes</th>"
        + "<th class=\"t\">SHA-256</th></tr>\n");
    for (RunManifest.FileEntry f : m.outputs()) {
      h.append("<tr><td class=\"t\">").append(esc(f.path())).append("</td><td>").append(n(f.records()))
          .append("</td><td>").append(n(f.bytes())).append("</td><td class=\"t\"><code>")
          .append(esc(f.sha256())).append("</code></td></tr>\n");
    }
    h.append("<tr><th class=\"t\">Input</th><th></th><th>Bytes</th><th class=\"t\">SHA-256</th></tr>\n");
    for (RunManifest.FileEntry f : m.inputs()) {
      h.append("<tr><td class=\"t\">").append(esc(f.path())).append("</td><td></td><td>").append(n(f.bytes()))
          .append("</td><td class=\"t\"><code>").append(esc(f.sha256())).append("</code></td></tr>\n");
    }
    h.append("</table>\n<p>Written by Nightshift with the manifest (_manifest.json) of the same run.</p>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** The steps in pipeline order, then any the flow does not name. */
  static List<String> flow(RunManifest m) {
    Set<String> order = new LinkedHashSet<>();
    if (m.run() != null && m.run().flow() != null) {
      for (String s : m.run().flow()) {
        if (m.steps().containsKey(s)) {
          order.add(s);
        }
      }
    }
    order.addAll(m.steps().keySet());
    return new ArrayList<>(order);
  }

  /** One box per step, top to bottom, with an out bar and a dead bar scaled to the largest input. */
  static void flowChart(StringBuilder h, RunManifest m, List<String> order) {
    if (order.isEmpty()) {
      h.append("<p>No step counted anything.</p>\n");
      return;
    }
    long max = 1;
    for (String s : order) {
      RunManifest.StepCounts c = m.steps().get(s);
      max = Math.max(max, Math.max(c.in(), c.out() + c.dead()));
    }
    int row = 34;
    int barWidth = 360;
    h.append("<figure class=\"chart\" id=\"flow\"><figcaption>Records through the steps (in &#8594; out / dead)</figcaption>\n")
        .append("<svg width=\"900\" height=\"").append(order.size() * row + 6).append("\" role=\"img\">\n");
    for (int i = 0; i < order.size(); i++) {
      RunManifest.StepCounts c = m.steps().get(order.get(i));
      int y = 3 + i * row;
      h.append("<rect class=\"box\" x=\"0\" y=\"").append(y).append("\" width=\"250\" height=\"").append(row - 10)
          .append("\" rx=\"4\"/>\n<text x=\"8\" y=\"").append(y + 16).append("\">").append(esc(order.get(i)))
          .append("</text>\n");
      if (i + 1 < order.size()) {
        h.append("<line class=\"arrow\" x1=\"125\" x2=\"125\" y1=\"").append(y + row - 10).append("\" y2=\"")
            .append(y + row).append("\"/>\n");
      }
      double out = barWidth * (double) c.out() / max;
      double dead = barWidth * (double) c.dead() / max;
      h.append("<rect class=\"out\" x=\"260\" y=\"").append(y + 4).append("\" width=\"").append(SvgCharts.fmt(out))
          .append("\" height=\"16\"><title>out ").append(n(c.out())).append("</title></rect>\n")
          .append("<rect class=\"dead\" x=\"").append(SvgCharts.fmt(260 + out)).append("\" y=\"").append(y + 4)
          .append("\" width=\"").append(SvgCharts.fmt(dead)).append("\" height=\"16\"><title>dead ")
          .append(n(c.dead())).append("</title></rect>\n")
          .append("<text x=\"").append(SvgCharts.fmt(268 + out + dead)).append("\" y=\"").append(y + 16).append("\">")
          .append(n(c.in())).append(" &#8594; ").append(n(c.out())).append(" / ").append(n(c.dead()))
          .append("</text>\n");
    }
    h.append("</svg>\n</figure>\n");
  }

  private static void row(StringBuilder h, String label, String value) {
    h.append("<tr><th class=\"t\">").append(esc(label)).append("</th><td class=\"t\">").append(esc(value))
        .append("</td></tr>\n");
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String esc(String s) {
    return Html.escape(s);
  }
}
