package dev.nightshift.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every workload, at a tiny size with the generators' planted defects, gives the same canonical
 * result on the Beam Direct Runner, the Spark Runner (local[2]), native Spark SQL and DuckDB: the
 * benchmark's checksums compare like with like. (No timing here: the benchmark prints figures. The
 * standalone cluster is covered by the benchmark run and by ci's ClusterEndToEndTest.)
 */
class EnginesAgreeTest {

  @ParameterizedTest
  @ValueSource(strings = {"W1", "W2", "W3"})
  void allEnginesComputeTheSameResult(String id, @TempDir Path tmp) throws Exception {
    Workload w = Workload.of(id);
    Path data = tmp.resolve("data");
    long rows = w.generate(data, 20_000, 11, 0.02);
    assertTrue(rows >= 20_000 * 0.9, "rows generated: " + rows);
    Map<Engine, Canonical> results = new LinkedHashMap<>();
    for (Engine e : List.of(Engine.DUCKDB, Engine.DIRECT, Engine.SPARK, Engine.SPARK_SQL)) {
      Path out = tmp.resolve(e.id);
      Files.createDirectories(out);
      EngineMain.run(e, w, data, out, null, null);
      results.put(e, Canonical.of(out, w.parts(), e.beam()));
    }
    Canonical duck = results.get(Engine.DUCKDB);
    assertTrue(duck.parts().get(0).lines() > 100, "a real result: " + duck.parts());
    for (Map.Entry<Engine, Canonical> r : results.entrySet()) {
      assertEquals(duck.parts(), r.getValue().parts(), r.getKey() + " against DuckDB");
      assertEquals(duck.checksum(), r.getValue().checksum(), r.getKey() + " against DuckDB");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"W1", "W2", "W3"})
  void theChecksumSeesOneChangedLine(String id, @TempDir Path tmp) throws Exception {
    Workload w = Workload.of(id);
    Path data = tmp.resolve("data");
    w.generate(data, 2_000, 3, 0.02);
    Path out = tmp.resolve("duckdb");
    EngineMain.run(Engine.DUCKDB, w, data, out, null, null);
    Canonical before = Canonical.of(out, w.parts(), false);
    Path part = out.resolve(w.parts().get(0));
    List<String> lines = Files.readAllLines(part);
    lines.set(lines.size() / 2, lines.get(lines.size() / 2) + "0");
    Files.write(part, lines);
    assertNotEquals(before.checksum(), Canonical.of(out, w.parts(), false).checksum());
  }
}
