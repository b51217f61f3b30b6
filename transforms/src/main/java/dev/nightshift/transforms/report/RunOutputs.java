package dev.nightshift.transforms.report;

import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.io.CsvReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * What a {@link ReportFigure} may look at once the run has finished: its manifest (counters per
 * step) and its output files, read through Beam's file systems (so a figure works on any output
 * location the run could write to).
 */
public final class RunOutputs {
  private final ResourceId outputDir;
  private final RunManifest manifest;

  public RunOutputs(ResourceId outputDir, RunManifest manifest) {
    this.outputDir = outputDir;
    this.manifest = manifest;
  }

  public RunManifest manifest() {
    return manifest;
  }

  /**
   * Streams the data rows of a CSV output with a header row, each as column name to value (in
   * header order). A row that does not read cleanly, or has another number of fields, is skipped:
   * the output is the pipeline's own, the figure only summarises it.
   */
  public void forEachRow(String fileName, Consumer<Map<String, String>> row) throws IOException {
    ResourceId file = outputDir.resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
    try (Reader in = new InputStreamReader(Channels.newInputStream(FileSystems.open(file)), StandardCharsets.UTF_8)) {
      CsvReader reader = new CsvReader(in, 1 << 20);
      CsvReader.Record header = reader.next();
      if (header == null) {
        return;
      }
      List<String> columns = header.fields();
      for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
        if (!r.ok() || r.fields().size() != columns.size()) {
          continue;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          values.put(columns.get(i), r.fields().get(i));
        }
        row.accept(values);
      }
    }
  }
}
