package dev.nightshift.benchmarks;

import java.util.List;
import java.util.Locale;

/** The engines a workload runs on, each in its own JVM. */
enum Engine {
  DIRECT("direct", "Beam Direct Runner"),
  SPARK("spark", "Beam Spark Runner local[2]"),
  CLUSTER("cluster", "Beam Spark Runner, standalone cluster (1 worker, 2 cores)"),
  SPARK_SQL("sparksql", "native Spark SQL local[2]"),
  DUCKDB("duckdb", "DuckDB SQL, 2 threads");

  final String id;
  final String description;

  Engine(String id, String description) {
    this.id = id;
    this.description = description;
  }

  boolean beam() {
    return this == DIRECT || this == SPARK || this == CLUSTER;
  }

  static Engine of(String id) {
    for (Engine e : values()) {
      if (e.id.equals(id.toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException("no engine " + id + " (" + ids(List.of(values())) + ")");
  }

  static String ids(List<Engine> engines) {
    return String.join(",", engines.stream().map(e -> e.id).toList());
  }
}
