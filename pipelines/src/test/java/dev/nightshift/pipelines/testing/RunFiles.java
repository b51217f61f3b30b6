package dev.nightshift.pipelines.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.report.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files a run (or a tree of runs) left in a folder, and what two runs of the same inputs must
 * share. Shared by the tests that compare runs: the batch rerun, rerun idempotence, killed runs.
 */
public final class RunFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunFiles() {}

  /**
   * Every regular file under {@code dir}, by path relative to it, its bytes read as ISO-8859-1: one
   * char per byte, so two maps are equal exactly when the files are byte-identical (and a failure
   * still shows readable text).
   */
  public static SortedMap<String, String> bytes(Path dir) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  /**
   * The files less what differs between two runs of the same inputs by design, and nothing else:
   * the manifest's {@code run} block (run id, start, end, elapsed, time in the runner, the flow) and
   * the run report, which shows it. Every {@code _manifest.json} and {@code run_report.html} at
   * any depth (a folder of several runs); every other file is kept as it is.
   */
  public static SortedMap<String, String> withoutTimings(Map<String, String> files) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      String name = Path.of(e.getKey()).getFileName().toString();
      if (name.equals(RunReport.FILE_NAME)) {
        continue;
      }
      if (name.equals(RunManifest.FILE_NAME)) {
        ObjectNode m = (ObjectNode) JSON.readTree(e.getValue());
        if (m.remove("run") == null) {
          throw new AssertionError(e.getKey() + " has no run block: " + e.getValue());
        }
        out.put(e.getKey(), JSON.writeValueAsString(m));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }
}
