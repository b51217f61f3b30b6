package dev.nightshift.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One benchmark workload: how to generate its input at a size, how to run it as a Nightshift Beam
 * pipeline, and the same computation as a native Spark SQL job and as a DuckDB query. Every engine
 * leaves its result as text lines, one file (or Spark folder) per {@linkplain #parts() part}; the
 * lines of a part are the data rows of the Beam pipeline's output file of the same name, so that
 * the checksums of all engines must be equal.
 */
interface Workload {

  /** W1, W2, W3. */
  String id();

  /** What it computes, one line. */
  String title();

  /** The Nightshift pipeline it runs on the Beam runners. */
  String pipeline();

  /** The size the issue names for it (rows of its main input). */
  long defaultSize();

  /** What the size counts ("trades", "claim lines", "sales lines"). */
  String rowName();

  /** The canonical parts, each the name of a Beam output file (e.g. instructions.csv). */
  List<String> parts();

  /** Writes the input of {@code size} main rows into {@code dir}; returns the main rows written. */
  long generate(Path dir, long size, long seed, double badRate) throws IOException;

  /** The pipeline's flags (input and output) for the Beam runners. */
  List<String> beamArgs(Path data, Path out);

  /** Runs the workload as a native Spark SQL job; writes each part under {@code out/<part>/}. */
  void sparkSql(SparkSession spark, Path data, Path out);

  /** Runs the workload as DuckDB SQL; writes each part to {@code out/<part>}. */
  void duckDb(Connection db, Path data, Path out) throws SQLException, IOException;

  Map<String, Workload> ALL =
      Map.of("W1", new W1Settlement(), "W2", new W2Claims(), "W3", new W3Inventory());

  static Workload of(String id) {
    Workload w = ALL.get(id.toUpperCase(java.util.Locale.ROOT));
    if (w == null) {
      throw new IllegalArgumentException("no workload " + id + " (W1, W2, W3)");
    }
    return w;
  }
}
