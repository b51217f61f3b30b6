package dev.nightshift.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** What the SQL engines share: running statements, and writing a one-column result as lines. */
final class Sql {
  private Sql() {}

  /** Runs each statement in order (DDL, temp tables). */
  static void execute(Connection db, String... statements) throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Writes the single string column of {@code query}'s rows, one line each, to {@code file}. */
  static long writeLines(Connection db, String query, Path file) throws SQLException, IOException {
    Files.createDirectories(file.getParent());
    long n = 0;
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(query);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      while (rs.next()) {
        w.write(rs.getString(1));
        w.write('\n');
        n++;
      }
    }
    return n;
  }

  /** Writes a one-column string Dataset (already sorted) as text files under {@code dir}. */
  static void writeLines(Dataset<Row> lines, Path dir) {
    lines.write().mode(SaveMode.Overwrite).text(dir.toString());
  }

  /** A path as a SQL string literal. */
  static String quote(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
