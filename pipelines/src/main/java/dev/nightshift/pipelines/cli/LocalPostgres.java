package dev.nightshift.pipelines.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server on 127.0.0.1, from the binaries of Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin}, the newest version; {@code NIGHTSHIFT_PG_BIN}
 * overrides): {@code initdb} into a home folder, then {@code postgres} on a TCP port, password
 * (SCRAM) authentication, no Unix socket. PostgreSQL refuses to run as root: when this JVM is root
 * the server runs as the {@code postgres} OS user ({@code runuser -u postgres --}) on a home it owns.
 *
 * <p>Home layout: {@code data/} (the cluster), {@code postgres.log}, {@code password} (the
 * superuser's, mode 600), {@code server.properties} (PID, port, user, database). The server outlives
 * the JVM that started it ({@code nightshift db start} returns); {@link #stop} ends it by PID
 * (SIGINT, PostgreSQL's fast shutdown, then SIGKILL after 30 s).
 */
public final class LocalPostgres implements AutoCloseable {

  public static final String HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_USER = "nightshift";
  public static final String DEFAULT_DATABASE = "nightshift";
  public static final String INSTALL_HINT =
      "install Debian's postgresql package (as root: DEBIAN_FRONTEND=noninteractive apt-get install -y"
          + " postgresql, or bash ci/ensure-postgres.sh; CI installs it)";

  private final Path home;
  private final long pid;
  private final int port;
  private final String user;
  private final String database;

  private LocalPostgres(Path home, long pid, int port, String user, String database) {
    this.home = home;
    this.pid = pid;
    this.port = port;
    this.user = user;
    this.database = database;
  }

  /** What to start. */
  public record Config(Path home, int port, String user, String database, Duration timeout) {
    public static Config of(Path home) {
      return new Config(home, DEFAULT_PORT, DEFAULT_USER, DEFAULT_DATABASE, Duration.ofMinutes(2));
    }

    public Config withPort(int p) {
      return new Config(home, p, user, database, timeout);
    }
  }

  public Path home() {
    return home;
  }

  public long pid() {
    return pid;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String database() {
    return database;
  }

  /** The JDBC URL of the database (no credentials in it). */
  public String url() {
    return url(database);
  }

  public String url(String db) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + db;
  }

  /** The file holding the password of {@link #user()}: {@code --referenceDbPassword=file:<it>}. */
  public Path passwordFile() {
    return home.resolve("password");
  }

  /** The reference database flags of a pipeline run against this server. */
  public List<String> flags() {
    return List.of("--referenceDb=" + url(), "--referenceDbUser=" + user,
        "--referenceDbPassword=file:" + passwordFile());
  }

  public Connection connect() throws SQLException, IOException {
    return DriverManager.getConnection(url(), user, Files.readString(passwordFile()).strip());
  }

  /** The folder of {@code initdb} and {@code postgres}, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    String override = System.getenv("NIGHTSHIFT_PG_BIN");
    if (override != null && !override.isEmpty()) {
      return Optional.of(Path.of(override)).filter(LocalPostgres::hasServer);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (var versions = Files.list(root)) {
        Optional<Path> newest = versions
            .filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
            .sorted(Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString())).reversed())
            .map(p -> p.resolve("bin"))
            .filter(LocalPostgres::hasServer)
            .findFirst();
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to PATH
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && hasServer(Path.of(dir))) {
        return Optional.of(Path.of(dir));
      }
    }
    return Optional.empty();
  }

  private static boolean hasServer(Path bin) {
    return Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"));
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Initialises the cluster when {@code home} has none (a new random password for the user), starts
   * the server and waits until it accepts connections, then creates the database if missing.
   */
  public static LocalPostgres start(Config config) throws IOException, InterruptedException {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(
        "PostgreSQL is not installed (no initdb/postgres under /usr/lib/postgresql/*/bin or on the"
            + " PATH): " + INSTALL_HINT));
    Path home = config.home().toAbsolutePath().normalize();
    if (status(home).isPresent()) {
      throw new IllegalStateException("a PostgreSQL server is already running from " + home
          + " (nightshift db stop --home " + home + ")");
    }
    if (!LocalCluster.portFree(config.port())) {
      throw new IllegalStateException("port " + config.port() + " on " + HOST + " is in use");
    }
    boolean root = runningAsRoot();
    Files.createDirectories(home);
    Path data = home.resolve("data");
    Path log = home.resolve("postgres.log");
    if (root) {
      chownToPostgres(home);
      requireReachableByPostgres(home);
    }
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      Path pwfile = home.resolve("password");
      Files.writeString(pwfile, randomPassword() + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
      if (root) {
        chownToPostgres(pwfile);
      }
      List<String> initdb = new ArrayList<>(asServerUser(root));
      initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", config.user(),
          "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"));
      Process p = new ProcessBuilder(initdb).directory(home.toFile()).redirectErrorStream(true)
          .redirectOutput(home.resolve("initdb.log").toFile()).start();
      if (!p.waitFor(config.timeout().toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("initdb failed; its log " + home.resolve("initdb.log") + ":\n"
            + Files.readString(home.resolve("initdb.log")));
      }
    }
    List<String> command = new ArrayList<>(asServerUser(root));
    command.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
        "-p", Integer.toString(config.port()),
        "-c", "listen_addresses=" + HOST,
        "-c", "unix_socket_directories=",
        "-c", "max_connections=40",
        "-c", "shared_buffers=32MB",
        "-c", "fsync=off"));
    Files.deleteIfExists(log);
    Process server = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    LocalPostgres pg = new LocalPostgres(home, server.pid(), config.port(), config.user(), "postgres");
    try {
      awaitConnection(pg, server, log, config.timeout());
      long postmaster = postmasterPid(data).orElse(server.pid());
      pg = new LocalPostgres(home, postmaster, config.port(), config.user(), config.database());
      createDatabase(pg, config.database());
    } catch (IOException | RuntimeException | InterruptedException e) {
      kill(postmasterPid(data).orElse(server.pid()));
      server.destroyForcibly();
      throw e;
    }
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pg.pid));
    p.setProperty("port", Integer.toString(pg.port));
    p.setProperty("user", pg.user);
    p.setProperty("database", pg.database);
    DaemonState.save(home.resolve("server.properties"), p, "nightshift local PostgreSQL server");
    return pg;
  }

  /** The server started from {@code home}, while it still runs. */
  public static Optional<LocalPostgres> status(Path home) throws IOException {
    Optional<Properties> state = DaemonState.load(home.toAbsolutePath().resolve("server.properties"));
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Properties p = state.get();
    long pid = Long.parseLong(p.getProperty("pid"));
    if (!DaemonState.alive(pid)) {
      return Optional.empty();
    }
    return Optional.of(new LocalPostgres(home.toAbsolutePath(), pid, Integer.parseInt(p.getProperty("port")),
        p.getProperty("user"), p.getProperty("database")));
  }

  /** Stops the server started from {@code home}, by PID; true if one was running. */
  public static boolean stop(Path home) throws IOException {
    Path file = home.toAbsolutePath().resolve("server.properties");
    Optional<Properties> state = DaemonState.load(file);
    if (state.isEmpty()) {
      return false;
    }
    boolean any = kill(Long.parseLong(state.get().getProperty("pid")));
    Files.deleteIfExists(file);
    return any;
  }

  @Override
  public void close() throws IOException {
    stop(home);
  }

  private static List<String> asServerUser(boolean root) {
    return root ? List.of("runuser", "-u", "postgres", "--") : List.of();
  }

  private static void chownToPostgres(Path path) throws IOException {
    UserPrincipal postgres;
    try {
      postgres = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    } catch (IOException e) {
      throw new IllegalStateException("running as root, the server must run as the postgres OS user,"
          + " which does not exist: " + INSTALL_HINT, e);
    }
    Files.setOwner(path, postgres);
  }

  private static void requireReachableByPostgres(Path home) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-w", home.toString())
        .redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("the postgres OS user cannot write " + home + " (a parent folder"
          + " is closed to other users): choose a home under /tmp or a folder everyone can traverse");
    }
  }

  private static void awaitConnection(LocalPostgres pg, Process server, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    SQLException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the PostgreSQL server ended at start; its log " + log + ":\n"
            + Files.readString(log));
      }
      try (Connection c = pg.connect()) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("PostgreSQL did not accept connections on " + HOST + ":" + pg.port
        + " within " + timeout + " (" + (last == null ? "" : last.getMessage()) + "); its log " + log
        + ":\n" + Files.readString(log));
  }

  private static void createDatabase(LocalPostgres pg, String database) throws IOException {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name must be lower-case letters, digits and _: " + database);
    }
    try (Connection c = DriverManager.getConnection(pg.url("postgres"), pg.user,
            Files.readString(pg.passwordFile()).strip());
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the database " + database + ": " + e.getMessage(), e);
    }
  }

  /** The postmaster's PID: the first line of {@code data/postmaster.pid} (under runuser it is a child). */
  private static Optional<Long> postmasterPid(Path data) {
    try {
      Path file = data.resolve("postmaster.pid");
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(Files.readAllLines(file).get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** SIGINT (fast shutdown: clients are disconnected), then SIGKILL after 30 s. */
  static boolean kill(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      handle.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
      handle.get().destroyForcibly();
    }
    return true;
  }

  /** A free TCP port on 127.0.0.1 (for tests: a server per test run, never the default one). */
  public static int freePort() throws IOException {
    return DaemonState.freePort(HOST);
  }

  private static String randomPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
