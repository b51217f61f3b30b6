package dev.nightshift.pipelines.cli;

import dev.nightshift.transforms.io.ReferenceDb;
import dev.nightshift.transforms.io.ReferenceDbOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.postgresql.PGConnection;

/**
 * {@code nightshift db load|start|stop|status}: reference data in PostgreSQL.
 *
 * <ul>
 *   <li>{@code load --table T --csv FILE}: creates the table if missing (its DDL is
 *       {@code db/T.sql} in the schemas module), replaces its rows (or adds them with
 *       {@code --append=true}) with the CSV file's, streamed with {@code COPY ... FROM STDIN}, in one
 *       transaction: a file the table refuses (a value that is not a number or a date, a repeated
 *       key) leaves the table as it was, and the error names the line.
 *   <li>{@code start [--home DIR] [--port 5432]}: a local server ({@link LocalPostgres}) to try it
 *       with; it prints the flags that point a pipeline at it. {@code stop} ends it by PID.
 * </ul>
 */
public final class ReferenceDbCommand {
  private ReferenceDbCommand() {}

  /** The tables {@code db load} knows: one DDL file each under {@code db/} in the schemas jar. */
  public static final List<String> TABLES =
      List.of("securities", "participants", "products", "stores", "members", "plans", "fee_schedule");

  /** Options of {@code db load}: the reference database flags of the pipelines, plus what to load. */
  public interface LoadOptions extends ReferenceDbOptions {
    @Description("Table to create (if missing) and load: securities, participants, products, stores,"
        + " members, plans or fee_schedule.")
    @Validation.Required
    String getTable();

    void setTable(String value);

    @Description("CSV file with a header row naming the table's columns (as the pipelines read them).")
    @Validation.Required
    String getCsv();

    void setCsv(String value);

    @Description("Add the file's rows to the table's instead of replacing them.")
    @Default.Boolean(false)
    boolean getAppend();

    void setAppend(boolean value);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return command(args, out, err);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Nightshift.FAILED;
    }
  }

  private static int command(String[] args, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    if (args.length == 0) {
      err.println("nightshift db: load, start, stop or status");
      return Nightshift.USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "load" -> {
        if (Arrays.asList(rest).contains("--help")) {
          PipelineOptionsFactory.register(LoadOptions.class);
          PipelineOptionsFactory.printHelp(out, LoadOptions.class);
          return Nightshift.OK;
        }
        PipelineOptionsFactory.register(LoadOptions.class);
        LoadOptions options = PipelineOptionsFactory.fromArgs(rest).withValidation().as(LoadOptions.class);
        long rows = load(options);
        out.printf(Locale.ROOT, "Loaded %,d rows of %s into the table %s of %s%n", rows, options.getCsv(),
            options.getTable(), ReferenceDb.of(options, "jdbc:" + options.getTable()).label());
        out.println("Read it in a pipeline with the same connection flags and e.g. --"
            + flagOf(options.getTable()) + "=jdbc:" + options.getTable());
        return Nightshift.OK;
      }
      case "start", "stop", "status" -> {
        return server(args[0], rest, out, err);
      }
      default -> {
        err.println("nightshift db: load, start, stop or status, not " + args[0]);
        return Nightshift.USAGE;
      }
    }
  }

  private static String flagOf(String table) {
    return switch (table) {
      case "products" -> "catalog";
      case "fee_schedule" -> "feeSchedule";
      default -> table;
    };
  }

  /** Creates the table if missing and loads the CSV file into it; returns the rows loaded. */
  public static long load(LoadOptions options) throws IOException {
    String table = options.getTable();
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("no table '" + table + "': one of " + TABLES);
    }
    Path csv = Path.of(options.getCsv());
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("--csv: no file " + csv);
    }
    String header;
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      header = r.readLine();
    }
    if (header == null || header.isBlank()) {
      throw new IllegalArgumentException(csv + " is empty: it needs a header row naming the columns");
    }
    List<String> columns = new ArrayList<>();
    for (String c : header.replace("\uFEFF", "").split(",", -1)) {
      String name = c.trim();
      if (!name.matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException("the header of " + csv + " names a column '" + name
            + "' that no table has (lower-case letters, digits and _)");
      }
      columns.add('"' + name + '"');
    }
    ReferenceDb db = ReferenceDb.of(options, "jdbc:" + table);
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(ddl(table));
        if (!options.getAppend()) {
          st.execute("DELETE FROM " + table);
        }
      }
      long rows;
      try (InputStream in = Files.newInputStream(csv)) {
        rows = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
            "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv, HEADER true,"
                + " ENCODING 'UTF8')", in);
      } catch (SQLException e) {
        c.rollback();
        throw new IllegalArgumentException("the table " + table + " refused " + csv + " (nothing was"
            + " loaded): " + db.safeMessage(e));
      }
      c.commit();
      return rows;
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot load " + table + " into " + db.label() + ": " + db.safeMessage(e));
    }
  }

  /** The DDL of a table, from the schemas module's {@code db/<table>.sql}. */
  public static String ddl(String table) throws IOException {
    try (InputStream in = ReferenceDbCommand.class.getClassLoader().getResourceAsStream("db/" + table + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("no db/" + table + ".sql on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int server(String command, String[] args, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    Path home = Path.of("nightshift-data", "postgres");
    int port = LocalPostgres.DEFAULT_PORT;
    for (int i = 0; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      String value = kv.length == 2 ? kv[1] : (i + 1 < args.length ? args[++i] : "");
      switch (kv[0]) {
        case "--home" -> home = Path.of(value);
        case "--port" -> port = Integer.parseInt(value);
        default -> {
          err.println("nightshift db " + command + ": unknown flag " + args[i]);
          return Nightshift.USAGE;
        }
      }
    }
    try {
      switch (command) {
        case "start" -> {
          LocalPostgres pg = LocalPostgres.start(LocalPostgres.Config.of(home).withPort(port));
          out.println("nightshift db: PostgreSQL on " + LocalPostgres.HOST + ":" + pg.port() + " (pid "
              + pg.pid() + "), home " + pg.home() + ", log " + pg.home().resolve("postgres.log"));
          out.println("connect with: " + String.join(" ", pg.flags()));
          return Nightshift.OK;
        }
        case "status" -> {
          var pg = LocalPostgres.status(home);
          if (pg.isEmpty()) {
            out.println("nightshift db: not running (home " + home.toAbsolutePath() + ")");
            return Nightshift.FAILED;
          }
          out.println("nightshift db: running on " + LocalPostgres.HOST + ":" + pg.get().port() + ", pid "
              + pg.get().pid() + "; connect with: " + String.join(" ", pg.get().flags()));
          return Nightshift.OK;
        }
        default -> {
          out.println(LocalPostgres.stop(home) ? "nightshift db: stopped" : "nightshift db: was not running");
          return Nightshift.OK;
        }
      }
    } catch (IllegalStateException e) {
      err.println("nightshift db: " + e.getMessage());
      return Nightshift.FAILED;
    }
  }
}
