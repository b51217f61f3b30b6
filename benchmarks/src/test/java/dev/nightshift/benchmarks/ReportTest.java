package dev.nightshift.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RESULTS.md keeps the latest section of each workload: a run of one workload replaces only its own. */
class ReportTest {

  private static Bench.Config config(Path results, String workload, String command) {
    return new Bench.Config(List.of(Workload.of(workload)), List.of(1000L), List.of(Engine.DUCKDB, Engine.SPARK_SQL),
        results.getParent().resolve("work"), "4g", 1, results, 7177, 7, 0.01, 5_000_000, command);
  }

  private static Bench.Result result(String workload, Engine e, double seconds, String checksum) {
    Canonical c = new Canonical(List.of(new Canonical.Part("out.csv", 10, checksum.repeat(4))), checksum.repeat(4));
    return new Bench.Result(Workload.of(workload), 1000, 1000, e, seconds, 100, "4g", c, null);
  }

  @Test
  void aRunOfOneWorkloadKeepsTheOthersSections(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("RESULTS.md");
    new Report(config(results, "W1", "run W1"), List.of(result("W1", Engine.DUCKDB, 2, "aaaaaaaaaaaaaaaa"),
        result("W1", Engine.SPARK_SQL, 8, "aaaaaaaaaaaaaaaa")), true).write(results);
    new Report(config(results, "W2", "run W2"), List.of(result("W2", Engine.DUCKDB, 3, "bbbbbbbbbbbbbbbb"),
        result("W2", Engine.SPARK_SQL, 6, "cccccccccccccccc")), true).write(results);
    String md = Files.readString(results);
    assertTrue(md.contains("## W1: ") && md.contains("`run W1`"), md);
    assertTrue(md.contains("## W2: ") && md.contains("`run W2`"), md);
    assertTrue(md.indexOf("## W1: ") < md.indexOf("## W2: ") && md.indexOf("## W2: ") < md.indexOf("## W3: "), md);
    assertTrue(md.contains("## W3: ") && md.contains("(not measured yet)"), md);
    assertTrue(md.contains("| 0.25x | 1.00x |"), "W1 DuckDB against Spark SQL: " + md);
    assertTrue(md.contains("**PROBLEMS**: W2 1000: checksum of sparksql"), "W2's checksums differ: " + md);
    // Rerunning W1 replaces its section (one W1 heading, the new command), W2's stays.
    new Report(config(results, "W1", "rerun W1"), List.of(result("W1", Engine.DUCKDB, 4, "aaaaaaaaaaaaaaaa")), true)
        .write(results);
    md = Files.readString(results);
    assertEquals(md.indexOf("## W1: "), md.lastIndexOf("## W1: "), md);
    assertTrue(md.contains("`rerun W1`") && !md.contains("`run W1`") && md.contains("`run W2`"), md);
    assertFalse(md.contains("(not measured yet)") && !md.contains("## W3: "), md);
  }

  @Test
  void anEngineThatFailedMissesItsTargets(@TempDir Path tmp) {
    Bench.Config c = new Bench.Config(List.of(Workload.of("W1")), List.of(1000L, 4000L),
        List.of(Engine.SPARK_SQL, Engine.SPARK, Engine.DIRECT), tmp, "4g", 1, tmp.resolve("RESULTS.md"), 7177, 7, 0.01,
        5_000_000, "run");
    Bench.Result failed = new Bench.Result(Workload.of("W1"), 1000, 1000, Engine.DIRECT, Double.NaN, 4000, "4g", null,
        "exit 4 (out of heap: OutOfMemoryError in its log), log x");
    Bench.Result skipped = new Bench.Result(Workload.of("W1"), 4000, 4000, Engine.DIRECT, Double.NaN, 0, "4g", null,
        Bench.SKIPPED + "too big");
    List<String> targets = new Report(c, List.of(result("W1", Engine.SPARK_SQL, 8, "aaaaaaaaaaaaaaaa"),
        result("W1", Engine.SPARK, 6, "aaaaaaaaaaaaaaaa"), failed, skipped), true).targets();
    assertTrue(targets.get(0).contains("Spark Runner") && targets.get(0).contains(": MET (0.75x"), targets.toString());
    assertTrue(targets.get(1).contains("Direct Runner") && targets.get(1).contains("MISSED (the run at 1,000 failed: exit 4"),
        targets.toString());
    assertTrue(targets.get(2).contains("W1 direct:") && targets.get(2).contains("MISSED (the run at 1,000 failed"),
        "a failure at the small size misses the growth target too: " + targets);
    assertTrue(targets.get(3).contains("W1 spark:") && targets.get(3).endsWith("not measured"), targets.toString());
  }
}
