package dev.nightshift.pipelines.testing;

import dev.nightshift.pipelines.cli.LocalPostgres;
import dev.nightshift.pipelines.cli.ReferenceDbCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving tests a real PostgreSQL server (Debian's package, see
 * {@link LocalPostgres}): {@code initdb} into a fresh folder under /tmp (reachable by the
 * {@code postgres} OS user, which runs the server when the tests run as root), {@code postgres} on a
 * free 127.0.0.1 port, waited for until it accepts connections. One server serves every test class
 * of the run; it is stopped by PID when the run ends, whether tests passed or not (a root-store
 * resource, plus a shutdown hook for a JVM that dies early), and its folder deleted. Without
 * PostgreSQL installed the tests fail and say to install it.
 */
public final class PostgresServer implements BeforeAllCallback {

  private static volatile LocalPostgres server;

  /** A database of its own for one test: its URL and the flags that point a pipeline at it. */
  public record Db(String name, String url, String user, Path passwordFile, String password) {
    public List<String> flags() {
      return List.of("--referenceDb=" + url, "--referenceDbUser=" + user,
          "--referenceDbPassword=file:" + passwordFile);
    }

    public Connection connect() throws SQLException {
      return java.sql.DriverManager.getConnection(url, user, password);
    }

    /** Loads a CSV file into a table with {@code nightshift db load}'s code; returns the rows. */
    public long load(String table, Path csv) throws IOException {
      List<String> args = new ArrayList<>(flags());
      args.add("--table=" + table);
      args.add("--csv=" + csv);
      org.apache.beam.sdk.options.PipelineOptionsFactory.register(ReferenceDbCommand.LoadOptions.class);
      return ReferenceDbCommand.load(org.apache.beam.sdk.options.PipelineOptionsFactory
          .fromArgs(args.toArray(new String[0])).withValidation().as(ReferenceDbCommand.LoadOptions.class));
    }

    /** The table exported as CSV by PostgreSQL itself (COPY TO, header, rows in {@code orderBy} order). */
    public void export(String table, String orderBy, Path csv) throws SQLException, IOException {
      try (Connection c = connect(); var out = Files.newOutputStream(csv)) {
        c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut(
            "COPY (SELECT * FROM " + table + " ORDER BY " + orderBy + ") TO STDOUT WITH (FORMAT csv, HEADER true)", out);
      }
    }

    /** Runs SQL statements, in order, in one transaction. */
    public void sql(String... statements) throws SQLException {
      try (Connection c = connect(); Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        for (String s : statements) {
          st.execute(s);
        }
        c.commit();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(PostgresServer.class, k -> start(), Resource.class);
  }

  public static LocalPostgres server() {
    if (server == null) {
      throw new IllegalStateException("annotate the test class with @ExtendWith(PostgresServer.class)");
    }
    return server;
  }

  /** A fresh, empty database named {@code name} (dropped first if an earlier test made it). */
  public static Db database(String name) throws SQLException, IOException {
    LocalPostgres pg = server();
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      st.execute("CREATE DATABASE " + name);
    }
    return new Db(name, pg.url(name), pg.user(), pg.passwordFile(), password());
  }

  /** The password of the server's user: what no output, manifest or log may ever hold. */
  public static String password() throws IOException {
    return Files.readString(server().passwordFile()).strip();
  }

  private static Resource start() {
    if (LocalPostgres.binaries().isEmpty()) {
      throw new IllegalStateException("these tests need a real PostgreSQL server, and none is installed"
          + " (no initdb/postgres under /usr/lib/postgresql/*/bin or on the PATH): " + LocalPostgres.INSTALL_HINT);
    }
    Path home = null;
    try {
      home = Files.createTempDirectory("nightshift-pg-");
      LocalPostgres pg = LocalPostgres.start(LocalPostgres.Config.of(home).withPort(LocalPostgres.freePort()));
      Path h = home;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(pg, h)));
      server = pg;
      return new Resource(pg, home);
    } catch (Exception e) {
      throw new IllegalStateException("could not start PostgreSQL in " + home + ": " + e.getMessage(), e);
    }
  }

  private static void stopQuietly(LocalPostgres pg, Path home) {
    try {
      pg.close();
      deleteTree(home);
    } catch (Exception ignored) {
      // best effort at JVM exit
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (var paths = Files.walk(dir)) {
      paths.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }

  /** Closed by JUnit when the whole test run ends. */
  record Resource(LocalPostgres server, Path home) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      server.close();
      deleteTree(home);
    }
  }
}
