package dev.nightshift.transforms.io;

import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.Secrets;
import java.io.PrintWriter;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A reference database: its JDBC URL, user and password (read from where
 * {@code --referenceDbPassword} points, never given as a value), the tables' layout, and how a row
 * is rendered as the text a CSV file would hold.
 *
 * <p>It is the {@link DataSource} provider of Beam's JdbcIO, serialized to the workers: the password
 * travels with the pipeline's code like {@code patient-records}' key does, but never into display
 * data, {@link #toString()}, an error message, a log or the manifest. Connections go through the
 * JDBC driver found with {@link ServiceLoader} (not DriverManager, which does not see drivers in a
 * class loader a Spark executor added the job's jar to).
 */
public final class ReferenceDb implements SerializableFunction<Void, DataSource> {
  private static final long serialVersionUID = 1L;

  /** A table location: {@code jdbc:TABLE} or {@code jdbc:SCHEMA.TABLE}. */
  private static final Pattern TABLE =
      Pattern.compile("jdbc:(?:([A-Za-z_][A-Za-z0-9_]*)\\.)?([A-Za-z_][A-Za-z0-9_]*)");

  private final String url;
  private final String user;
  private final String password;

  private ReferenceDb(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** A table's name and layout, read from the database's metadata. */
  public record Table(String schema, String name, String quoted, List<String> columns, List<String> key)
      implements Serializable {
    /** {@code jdbc:name} (with the schema when one was given): the source of its records. */
    public String source() {
      return "jdbc:" + (schema == null ? name : schema + "." + name);
    }
  }

  /** True when {@code location} names a table ({@code jdbc:...} that is not a JDBC URL). */
  public static boolean isTable(String location) {
    return location != null && location.startsWith("jdbc:");
  }

  /** The database the options name; refuses a missing URL, a password in the URL, a bad secret. */
  public static ReferenceDb of(ReferenceDbOptions options, String forInput) {
    String url = options.getReferenceDb();
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("the input " + forInput + " is a database table: give"
          + " --referenceDb=jdbc:postgresql://HOST:PORT/DATABASE (and --referenceDbUser,"
          + " --referenceDbPassword=env:VARIABLE or file:PATH)");
    }
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--referenceDb must be a JDBC URL (jdbc:postgresql://...), not " + url);
    }
    if (url.toLowerCase(Locale.ROOT).contains("password")) {
      throw new IllegalArgumentException("--referenceDb must not hold a password (process lists and Beam's"
          + " debug log show arguments): give --referenceDbPassword=env:VARIABLE or file:PATH");
    }
    String reference = options.getReferenceDbPassword();
    String password =
        reference == null || reference.isEmpty()
            ? null
            : Secrets.read("referenceDbPassword", "reference database password", reference);
    return new ReferenceDb(url, options.getReferenceDbUser(), password);
  }

  /** The URL without its query string (parameters may name users or options), for the manifest. */
  public String label() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public String toString() {
    return "ReferenceDb(" + label() + ", user " + user + ")";
  }

  public Connection connect() throws SQLException {
    Properties props = new Properties();
    if (user != null && !user.isEmpty()) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    for (Driver driver : ServiceLoader.load(Driver.class, ReferenceDb.class.getClassLoader())) {
      if (driver.acceptsURL(url)) {
        Connection c = driver.connect(url, props);
        if (c != null) {
          return c;
        }
      }
    }
    throw new SQLException("no JDBC driver on the classpath accepts " + label());
  }

  /** A driver's message, with the password cut out should a driver ever echo it. */
  public String safeMessage(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return password == null || password.isEmpty() ? m : m.replace(password, "******");
  }

  /**
   * Looks the table up before anything runs: refuses (IllegalArgumentException, exit 2 from the
   * launcher) a database that cannot be reached, a missing table, or one without the columns the
   * parser needs. The key is the primary key; a table without one is ordered by all its columns.
   */
  public Table table(String location, List<String> requiredColumns) {
    Matcher m = TABLE.matcher(location);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + location + "' is not a table location: jdbc:TABLE or"
          + " jdbc:SCHEMA.TABLE (letters, digits, _)");
    }
    String schema = m.group(1);
    String name = m.group(2);
    try (Connection c = connect()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String candidate : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT))) {
        List<String> columns = columns(meta, schema, candidate);
        if (columns.isEmpty()) {
          continue;
        }
        List<String> missing = new ArrayList<>(requiredColumns);
        missing.removeAll(columns);
        if (!missing.isEmpty()) {
          throw new IllegalArgumentException("the table " + location + " in " + label()
              + " lacks the columns " + missing + " (it has " + columns + ")");
        }
        TreeMap<Short, String> pk = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, candidate)) {
          while (rs.next()) {
            pk.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
          }
        }
        String q = meta.getIdentifierQuoteString().trim();
        String quoted = (schema == null ? "" : q + schema + q + ".") + q + candidate + q;
        return new Table(schema, candidate, quoted, columns,
            pk.isEmpty() ? columns : List.copyOf(pk.values()));
      }
      throw new IllegalArgumentException("the reference table " + location + " does not exist in "
          + label() + " (load it with: nightshift db load --table " + name + " --csv FILE)");
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot read the reference table " + location + " from "
          + label() + (user == null ? "" : " as " + user) + ": " + safeMessage(e));
    }
  }

  private static List<String> columns(DatabaseMetaData meta, String schema, String table)
      throws SQLException {
    TreeMap<Integer, String> byPosition = new TreeMap<>();
    try (ResultSet rs = meta.getColumns(null, schema, table, null)) {
      while (rs.next()) {
        byPosition.put(rs.getInt("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(byPosition.values());
  }

  /**
   * The query of a table: its columns in table order, in key order, each row with its 1-based
   * number in that order first. The same rows in the same order on every run and runner.
   */
  public static String query(Table t) {
    String q = t.quoted().substring(t.quoted().length() - 1);
    String order = String.join(", ", t.key().stream().map(k -> q + k + q).toList());
    return "SELECT row_number() OVER (ORDER BY " + order + ") AS nightshift_row, "
        + String.join(", ", t.columns().stream().map(k -> q + k + q).toList())
        + " FROM " + t.quoted() + " ORDER BY " + order;
  }

  /**
   * A value as a CSV file would hold it: numerics as plain decimals (as stored: numeric keeps its
   * scale), dates, times and timestamps ISO, booleans true/false, NULL as empty.
   */
  public static String text(ResultSet rs, int column, int sqlType) throws SQLException {
    switch (sqlType) {
      case Types.NUMERIC, Types.DECIMAL -> {
        BigDecimal d = rs.getBigDecimal(column);
        return d == null ? "" : d.toPlainString();
      }
      case Types.DATE -> {
        LocalDate d = rs.getObject(column, LocalDate.class);
        return d == null ? "" : d.toString();
      }
      case Types.TIME -> {
        LocalTime t = rs.getObject(column, LocalTime.class);
        return t == null ? "" : DateTimeFormatter.ISO_LOCAL_TIME.format(t);
      }
      case Types.TIMESTAMP -> {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? "" : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
      }
      case Types.TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? "" : t.toInstant().toString();
      }
      case Types.BIT, Types.BOOLEAN -> {
        boolean b = rs.getBoolean(column);
        return rs.wasNull() ? "" : Boolean.toString(b);
      }
      default -> {
        String s = rs.getString(column);
        return s == null ? "" : s;
      }
    }
  }

  /** The values of the current row from {@code first} on, rendered by {@link #text}. */
  public static List<String> values(ResultSet rs, int first) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<String> values = new ArrayList<>(meta.getColumnCount() - first + 1);
    for (int i = first; i <= meta.getColumnCount(); i++) {
      values.add(text(rs, i, meta.getColumnType(i)));
    }
    return values;
  }

  /**
   * What the manifest records of a table: {@code jdbc:TABLE}, and the size, row count and SHA-256
   * of its rows rendered as a CSV file (header, then one line per row in key order, each ending in
   * a newline), read again after the run.
   */
  public RunManifest.FileEntry describe(Table t) {
    try (Connection c = connect()) {
      c.setAutoCommit(false); // lets drivers stream (PostgreSQL fetches in batches only then)
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      long rows = 0;
      byte[] header = (CsvFormat.line(t.columns()) + "\n").getBytes(StandardCharsets.UTF_8);
      sha.update(header);
      bytes += header.length;
      try (Statement st = c.createStatement()) {
        st.setFetchSize(10_000);
        try (ResultSet rs = st.executeQuery(query(t))) {
          while (rs.next()) {
            byte[] line = (CsvFormat.line(values(rs, 2)) + "\n").getBytes(StandardCharsets.UTF_8);
            sha.update(line);
            bytes += line.length;
            rows++;
          }
        }
      }
      c.rollback();
      return new RunManifest.FileEntry(t.source(), bytes, rows, HexFormat.of().formatHex(sha.digest()));
    } catch (SQLException e) {
      return new RunManifest.FileEntry(t.source(), -1, -1, "unreadable: " + safeMessage(e));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public DataSource apply(Void input) {
    return new Source(this);
  }

  /** The minimal DataSource JdbcIO needs: one new connection per call, through {@link #connect}. */
  private static final class Source implements DataSource {
    private final ReferenceDb db;
    private PrintWriter log;
    private int loginTimeout;

    Source(ReferenceDb db) {
      this.db = db;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return db.connect();
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
      return new ReferenceDb(db.url, username, pass).connect();
    }

    @Override
    public PrintWriter getLogWriter() {
      return log;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
      this.log = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
      this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
      return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }

    @Override
    public String toString() {
      return db.toString();
    }
  }
}
