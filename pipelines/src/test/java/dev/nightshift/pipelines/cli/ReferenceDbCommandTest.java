package dev.nightshift.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.testing.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code nightshift db load} and {@code db start|status|stop} as a user runs them. */
@ExtendWith(PostgresServer.class)
class ReferenceDbCommandTest {

  record Result(int code, String out, String err) {}

  static Result nightshift(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Nightshift.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result load(PostgresServer.Db db, String... extra) {
    List<String> args = new ArrayList<>(List.of("db", "load"));
    args.addAll(db.flags());
    args.addAll(List.of(extra));
    return nightshift(args);
  }

  static long count(PostgresServer.Db db, String table) throws Exception {
    try (var c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void loadCreatesTheTableReplacesItsRowsAndRefusesABadFileWhole(@TempDir Path tmp) throws Exception {
    PostgresServer.Db db = PostgresServer.database("loader");
    Path stores = Files.writeString(tmp.resolve("stores.csv"), """
        store_id,name,country,opened_on
        France,"Nightshift France, Paris",FR,2009-04-01
        EIRE,Nightshift EIRE,IE,
        """);
    Result first = load(db, "--table=stores", "--csv=" + stores);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("Loaded 2 rows"), first.out());
    assertTrue(first.out().contains("--stores=jdbc:stores"), first.out());
    assertEquals(0, load(db, "--table=stores", "--csv=" + stores).code());
    assertEquals(2, count(db, "stores"), "a second load replaces the rows");

    // columns are matched by the header's names, in any order
    Path reordered = Files.writeString(tmp.resolve("reordered.csv"), """
        country,store_id,opened_on,name
        DE,Germany,2011-02-03,Nightshift Germany
        """);
    assertEquals(0, load(db, "--table=stores", "--csv=" + reordered, "--append=true").code());
    assertEquals(3, count(db, "stores"));

    Path badDate = Files.writeString(tmp.resolve("bad.csv"), """
        store_id,name,country,opened_on
        Spain,Nightshift Spain,ES,2012-01-01
        Norway,Nightshift Norway,NO,31/12/2012
        """);
    Result refused = load(db, "--table=stores", "--csv=" + badDate);
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("nothing was loaded") && refused.err().contains("line 3"), refused.err());
    assertEquals(3, count(db, "stores"), "the table is as it was");

    Result duplicate = load(db, "--table=stores", "--csv=" + reordered, "--append=true");
    assertEquals(2, duplicate.code());
    assertTrue(duplicate.err().contains("duplicate key"), duplicate.err());

    Result unknown = load(db, "--table=nope", "--csv=" + stores);
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("no table 'nope'"), unknown.err());

    List<String> noPassword = new ArrayList<>(List.of("db", "load", "--referenceDb=" + db.url(),
        "--referenceDbUser=" + db.user(), "--table=stores", "--csv=" + stores));
    Result denied = nightshift(noPassword);
    assertEquals(2, denied.code(), denied.err());
    assertFalse(denied.err().contains(db.password()));
  }

  @Test
  void dbStartStatusStopRunAServerOfItsOwn(@TempDir Path tmp) throws Exception {
    Path home = Files.createTempDirectory("nightshift-pg-cli-");
    String port = Integer.toString(LocalPostgres.freePort());
    try {
      Result start = nightshift(List.of("db", "start", "--home", home.toString(), "--port", port));
      assertEquals(0, start.code(), start.err());
      assertTrue(start.out().contains("--referenceDb=jdbc:postgresql://127.0.0.1:" + port + "/nightshift"), start.out());
      Result status = nightshift(List.of("db", "status", "--home", home.toString()));
      assertEquals(0, status.code(), status.err());
      LocalPostgres pg = LocalPostgres.status(home).orElseThrow();
      try (var c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
      long pid = pg.pid();
      Result again = nightshift(List.of("db", "start", "--home", home.toString(), "--port", port));
      assertEquals(4, again.code(), "a second server from the same home is refused");
      Result stop = nightshift(List.of("db", "stop", "--home", home.toString()));
      assertTrue(stop.out().contains("stopped"), stop.out());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped by PID");
      assertEquals(4, nightshift(List.of("db", "status", "--home", home.toString())).code());
    } finally {
      LocalPostgres.stop(home);
      try (var paths = Files.walk(home)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
