package dev.nightshift.pipelines.finance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.cli.LocalPostgres;
import dev.nightshift.pipelines.cli.Nightshift;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.pipelines.testing.Logs;
import dev.nightshift.pipelines.testing.PostgresServer;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trade settlement with its securities and participants read from a real PostgreSQL server
 * ({@link PostgresServer}) through JdbcIO: the same bytes as from the CSV files, bad rows as dead
 * letters naming the table and row, clear refusals, and the password nowhere.
 */
@ExtendWith(PostgresServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class TradeSettlementDbTest {

  Path tmp;
  Path input;
  GenerationReport generated;
  PostgresServer.Db db;
  Path fromFiles;
  NightshiftRun.Summary filesRun;

  @BeforeAll
  void generateLoadAndSettleFromFiles(@TempDir Path tmp) throws Exception {
    this.tmp = tmp;
    input = tmp.resolve("in");
    generated = new TradeGenerator().generate(new GenerationRequest(input, 1_500, 17, 0.03, null));
    db = PostgresServer.database("settlement");
    assertEquals(CsvFiles.rows(input.resolve("securities.csv")).size(),
        db.load("securities", input.resolve("securities.csv")));
    assertEquals(CsvFiles.rows(input.resolve("participants.csv")).size(),
        db.load("participants", input.resolve("participants.csv")));
    fromFiles = tmp.resolve("files");
    filesRun = TradeSettlement.run("--inputDir=" + input, "--output=" + fromFiles,
        "--businessDate=" + generated.businessDate());
  }

  String[] fromTables(PostgresServer.Db database, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("--inputDir=" + input, "--output=" + output,
        "--businessDate=" + generated.businessDate(), "--securities=jdbc:securities",
        "--participants=jdbc:participants"));
    args.addAll(database.flags());
    for (String e : extra) { // an extra flag replaces the one of the same name
      args.removeIf(a -> a.startsWith(e.substring(0, e.indexOf('=') + 1)));
      args.add(e);
    }
    return args.toArray(new String[0]);
  }

  @Test
  void tablesGiveTheSameBytesAsTheFiles() throws Exception {
    Path out = tmp.resolve("tables");
    NightshiftRun.Summary s = TradeSettlement.run(fromTables(db, out));
    assertSameOutputs(filesRun, fromFiles, s, out);
    // the same counts step by step: every row read, parsed and de-duplicated as from the file
    assertEquals(filesRun.manifest().steps(), s.manifest().steps());
    assertTrue(s.counter("read-securities/in") > 0);

    // the manifest names the tables, with their row counts and checksums, and no file for them
    Map<String, RunManifest.FileEntry> inputs = new TreeMap<>();
    s.manifest().inputs().forEach(e -> inputs.put(e.path(), e));
    assertFalse(inputs.keySet().stream().anyMatch(p -> p.endsWith("securities.csv")), inputs.keySet().toString());
    RunManifest.FileEntry securities = inputs.get("jdbc:securities");
    List<List<String>> rows = CsvFiles.rows(input.resolve("securities.csv"));
    assertEquals(rows.size(), securities.records());
    assertEquals(sha256OfRowsByKey("isin,name,currency,market", rows), securities.sha256());
    assertEquals(CsvFiles.rows(input.resolve("participants.csv")).size(),
        inputs.get("jdbc:participants").records());
    assertEquals(db.url(), s.manifest().parameters().get("reference_db"));
  }

  @Test
  void badRowsOfTheTableAreDeadLettersNamingTableRowAndKey() throws Exception {
    PostgresServer.Db bad = PostgresServer.database("settlement_bad");
    bad.load("securities", input.resolve("securities.csv"));
    bad.load("participants", input.resolve("participants.csv"));
    String wrongDigit = Isin.withCheckDigit("US0000000A1");
    wrongDigit = wrongDigit.substring(0, 11) + (char) ('0' + (wrongDigit.charAt(11) - '0' + 1) % 10);
    String noName = Isin.withCheckDigit("GB0000000B1");
    String badMarket = Isin.withCheckDigit("FR0000000C1");
    bad.sql(
        "INSERT INTO securities VALUES ('" + wrongDigit + "', 'Wrong check digit', 'USD', 'XNYS')",
        "INSERT INTO securities VALUES ('NOT-AN-ISIN', 'Bad format', 'USD', 'XNYS')",
        "INSERT INTO securities VALUES ('" + noName + "', NULL, 'GBP', 'XLON')",
        "INSERT INTO securities VALUES ('" + badMarket + "', 'Nowhere, Inc. \"quoted\"', 'EUR', 'XXXX')",
        "INSERT INTO participants VALUES ('P9999', 'No accounts', NULL, '', 'CA-P9999')");
    Path out = tmp.resolve("bad");
    NightshiftRun.Summary s = TradeSettlement.run(fromTables(bad, out));

    // the trades settle as before: no trade names the bad rows
    for (String f : List.of(TradeSettlement.INSTRUCTIONS_FILE, TradeSettlement.CASH_FILE, TradeSettlement.REPORT_FILE)) {
      assertArrayEquals(Files.readAllBytes(fromFiles.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
    }
    Map<String, DeadLetter> byKey = new TreeMap<>();
    for (String json : Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      if (d.sourceFile().startsWith("jdbc:")) {
        byKey.put(d.rawPayload().split(",", 2)[0], d);
      }
    }
    assertEquals(Map.of(
            wrongDigit, FinanceReasons.INVALID_ISIN_CHECK_DIGIT,
            "NOT-AN-ISIN", FinanceReasons.INVALID_ISIN_FORMAT,
            noName, Reasons.MISSING_FIELD,
            badMarket, FinanceReasons.UNKNOWN_MARKET,
            "P9999", Reasons.MISSING_FIELD),
        new TreeMap<>(Maps.reasons(byKey)));
    List<String> isinOrder = column(bad, "SELECT isin FROM securities ORDER BY isin");
    for (String isin : List.of(wrongDigit, "NOT-AN-ISIN", noName, badMarket)) {
      DeadLetter d = byKey.get(isin);
      assertEquals("jdbc:securities", d.sourceFile());
      assertEquals("read-securities", d.step());
      assertEquals(isinOrder.indexOf(isin) + 1, d.lineNumber(), "row number in key order: " + d);
      assertTrue(d.message().endsWith("key isin=" + isin + ")"), d.message());
    }
    assertEquals(badMarket + ",\"Nowhere, Inc. \"\"quoted\"\"\",EUR,XXXX", byKey.get(badMarket).rawPayload());
    assertEquals(noName + ",,GBP,XLON", byKey.get(noName).rawPayload());
    DeadLetter p = byKey.get("P9999");
    assertEquals("jdbc:participants", p.sourceFile());
    assertEquals(column(bad, "SELECT participant_id FROM participants ORDER BY participant_id").indexOf("P9999") + 1,
        p.lineNumber());
    assertTrue(s.manifest().audit().balanced());

    // the same rows as CSV files (exported by PostgreSQL) are refused for the same reasons
    Path csvIn = tmp.resolve("bad-csv");
    Files.createDirectories(csvIn);
    bad.export("securities", "isin", csvIn.resolve("securities.csv"));
    bad.export("participants", "participant_id", csvIn.resolve("participants.csv"));
    Path csvOut = tmp.resolve("bad-csv-out");
    TradeSettlement.run("--inputDir=" + input, "--output=" + csvOut, "--businessDate=" + generated.businessDate(),
        "--securities=" + csvIn.resolve("securities.csv"), "--participants=" + csvIn.resolve("participants.csv"));
    Map<String, DeadLetter> fromCsv = new TreeMap<>();
    for (String json : Files.readAllLines(csvOut.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      if (d.sourceFile().startsWith(csvIn.toString())) {
        fromCsv.put(d.rawPayload().split(",", 2)[0], d);
        // exported in key order with a header: the file's line is the table's row + 1
        assertEquals(byKey.get(d.rawPayload().split(",", 2)[0]).lineNumber() + 1, d.lineNumber());
      }
    }
    assertEquals(Maps.reasons(byKey), Maps.reasons(fromCsv));
  }

  @Test
  void aMissingTableOrAWrongPasswordIsRefusedBeforeAnythingRuns() throws Exception {
    Path out = tmp.resolve("refused");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () ->
        TradeSettlement.run(fromTables(db, out, "--securities=jdbc:no_such_table")));
    assertTrue(missing.getMessage().contains("jdbc:no_such_table does not exist"), missing.getMessage());

    Path wrong = tmp.resolve("wrong.password");
    Files.writeString(wrong, "not-the-password-0451\n");
    IllegalArgumentException denied = assertThrows(IllegalArgumentException.class, () ->
        TradeSettlement.run(fromTables(db, out, "--referenceDbPassword=file:" + wrong)));
    assertTrue(denied.getMessage().contains("password authentication failed"), denied.getMessage());
    assertFalse(denied.getMessage().contains("not-the-password-0451"), denied.getMessage());

    int closed = LocalPostgres.freePort();
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
        TradeSettlement.run(fromTables(db, out, "--referenceDb=jdbc:postgresql://127.0.0.1:" + closed + "/x")));
    assertTrue(refused.getMessage().contains("refused"), refused.getMessage());

    IllegalArgumentException asValue = assertThrows(IllegalArgumentException.class, () ->
        TradeSettlement.run(fromTables(db, out, "--referenceDbPassword=" + PostgresServer.password())));
    assertTrue(asValue.getMessage().contains("must say where"), asValue.getMessage());
    assertFalse(asValue.getMessage().contains(PostgresServer.password()));
    IllegalArgumentException inUrl = assertThrows(IllegalArgumentException.class, () ->
        TradeSettlement.run(fromTables(db, out, "--referenceDb=" + db.url() + "?password=x")));
    assertTrue(inUrl.getMessage().contains("must not hold a password"), inUrl.getMessage());
    assertFalse(Files.exists(out), "nothing ran");

    // through the launcher: exit 2, the reason on stderr
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Nightshift.run(Stream.concat(Stream.of("run", TradeSettlement.NAME),
            Arrays.stream(fromTables(db, out, "--participants=jdbc:no_such_table"))).toArray(String[]::new),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("jdbc:no_such_table does not exist"), err.toString());
    assertFalse(Files.exists(out), "nothing ran");
  }

  @Test
  void thePasswordIsInNoOutputManifestDeadLetterOrLog() throws Exception {
    String password = PostgresServer.password();
    PostgresServer.Db bad = PostgresServer.database("settlement_scan");
    bad.load("securities", input.resolve("securities.csv"));
    bad.load("participants", input.resolve("participants.csv"));
    bad.sql("INSERT INTO securities VALUES ('NOT-AN-ISIN', 'Bad format', 'USD', 'XNYS')");
    Path out = tmp.resolve("scan");
    Logs.Scan logs = Logs.scan(List.of(password), () -> TradeSettlement.run(fromTables(bad, out)));
    assertTrue(logs.events() > 1000, "the log scan saw " + logs.events() + " events: it would prove nothing");
    assertEquals(List.of(), logs.hits(), "the password is in the log");
    List<Path> files;
    try (Stream<Path> all = Files.walk(out)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 5, files.toString());
    for (Path f : files) {
      assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(password), f.toString());
    }
    assertTrue(Files.readString(out.resolve(NightshiftRun.DEAD_LETTERS_FILE)).contains("jdbc:securities"));
  }

  @Test
  void theSparkRunnerReadsTheTablesToTheSameBytes() throws Exception {
    Path out = tmp.resolve("spark");
    NightshiftRun.Summary s = TradeSettlement.run(fromTables(db, out, "--runner=SparkRunner", "--sparkMaster=local[2]"));
    assertEquals("SparkRunner", s.manifest().runner());
    assertSameOutputs(filesRun, fromFiles, s, out);
    assertEquals(filesRun.manifest().steps(), s.manifest().steps());
  }

  public static void assertSameOutputs(NightshiftRun.Summary a, Path aDir, NightshiftRun.Summary b, Path bDir)
      throws IOException {
    assertEquals(a.manifest().outputs(), b.manifest().outputs(), "paths, sizes, records, sha256");
    for (RunManifest.FileEntry f : a.manifest().outputs()) {
      assertArrayEquals(Files.readAllBytes(aDir.resolve(f.path())), Files.readAllBytes(bDir.resolve(f.path())), f.path());
    }
    assertTrue(a.manifest().outputs().stream().anyMatch(f -> f.records() > 0));
    assertTrue(b.manifest().audit().balanced());
  }

  /** SHA-256 of a header and rows sorted by their first column, rendered as RFC 4180 lines. */
  static String sha256OfRowsByKey(String header, List<List<String>> rows) throws Exception {
    List<List<String>> sorted = new ArrayList<>(rows);
    sorted.sort((x, y) -> x.get(0).compareTo(y.get(0)));
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update((header + "\n").getBytes(StandardCharsets.UTF_8));
    for (List<String> row : sorted) {
      List<String> fields = new ArrayList<>();
      for (String v : row) {
        boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r");
        fields.add(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      sha.update((String.join(",", fields) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static List<String> column(PostgresServer.Db database, String query) throws Exception {
    List<String> values = new ArrayList<>();
    try (var c = database.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** Reason codes by key. */
  static final class Maps {
    static Map<String, String> reasons(Map<String, DeadLetter> byKey) {
      Map<String, String> out = new TreeMap<>();
      byKey.forEach((k, d) -> out.put(k, d.reasonCode()));
      return out;
    }
  }
}
