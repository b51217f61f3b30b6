package dev.nightshift.benchmarks;

import dev.nightshift.pipelines.cli.Nightshift;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * One engine running one workload, in a JVM of its own (started by {@link Bench}, so that its peak
 * memory is its own): {@code EngineMain <engine> <workload> <dataDir> <outDir> [sparkMaster]
 * [filesToStage]}. Prints {@code BENCH-SECONDS <s>}: from the start of main to the result written
 * (engine start-up included, JVM boot and the checksum not).
 */
public final class EngineMain {
  private EngineMain() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    Engine engine = Engine.of(args[0]);
    Workload workload = Workload.of(args[1]);
    Path data = Path.of(args[2]);
    Path out = Path.of(args[3]);
    Files.createDirectories(out);
    try {
      run(engine, workload, data, out, args.length > 4 ? args[4] : null, args.length > 5 ? args[5] : null);
    } catch (Throwable t) {
      // An engine that failed (the Direct Runner out of heap) leaves non-daemon threads running:
      // without this exit its JVM lived on and the benchmark waited for it (3 h) instead of going on.
      t.printStackTrace();
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    System.out.printf(Locale.ROOT, "BENCH-SECONDS %.3f%n", (System.nanoTime() - start) / 1e9);
    System.out.flush();
    System.exit(0); // Spark and DuckDB leave non-daemon threads
  }

  static void run(Engine engine, Workload workload, Path data, Path out, String master, String stage)
      throws Exception {
    switch (engine) {
      case DIRECT, SPARK, CLUSTER -> {
        List<String> args = new ArrayList<>(List.of("run", workload.pipeline()));
        args.addAll(workload.beamArgs(data, out));
        if (engine == Engine.SPARK) {
          args.addAll(List.of("--runner=SparkRunner", "--sparkMaster=local[2]"));
        } else if (engine == Engine.CLUSTER) {
          args.addAll(List.of("--runner=SparkRunner", "--sparkMaster=" + master, "--filesToStage=" + stage));
        }
        int code = Nightshift.run(args.toArray(new String[0]), System.out, System.err);
        if (code != 0) {
          throw new IllegalStateException(workload.pipeline() + " exited with " + code);
        }
      }
      case SPARK_SQL -> {
        SparkSession spark = SparkSession.builder().appName("bench-" + workload.id()).master("local[2]")
            .config("spark.ui.enabled", "false")
            // 4 shuffle partitions per core (the default 200 is sized for clusters; AQE still coalesces)
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
            .getOrCreate();
        try {
          workload.sparkSql(spark, data, out);
        } finally {
          spark.stop();
        }
      }
      case DUCKDB -> {
        Class.forName("org.duckdb.DuckDBDriver");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
          Sql.execute(db, "SET threads = 2",
              "SET memory_limit = '" + System.getProperty("bench.duckdbMemory", "4GB") + "'",
              "SET temp_directory = " + Sql.quote(out.resolve("duckdb-tmp")));
          workload.duckDb(db, data, out);
        }
      }
    }
  }
}
