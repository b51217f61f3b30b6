package dev.nightshift.pipelines.retail.inventory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.pipelines.testing.PostgresServer;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.retail.InventoryReasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * inventory-update with its product catalog and store list from files and from PostgreSQL tables:
 * the same bytes; what the catalog or store list does not know is a dead letter; bad rows of the
 * tables are dead letters naming the table and row.
 */
@ExtendWith(PostgresServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventoryUpdateDbTest {
  static final LocalDate DAY = LocalDate.of(2010, 12, 1);

  Path tmp;
  Path input;
  PostgresServer.Db db;
  Path fromFiles;
  NightshiftRun.Summary filesRun;

  @BeforeAll
  void generateLoadAndRunFromFiles(@TempDir Path tmp) throws Exception {
    this.tmp = tmp;
    input = tmp.resolve("in");
    new InventoryGenerator().generate(new GenerationRequest(input, 400, 5, 0.03, DAY));
    db = PostgresServer.database("retail");
    assertEquals(CsvFiles.rows(input.resolve("catalog.csv")).size(), db.load("products", input.resolve("catalog.csv")));
    assertEquals(8, db.load("stores", input.resolve("stores.csv")));
    fromFiles = tmp.resolve("files");
    filesRun = InventoryUpdate.run(args(fromFiles, "--catalog=" + input.resolve("catalog.csv"),
        "--stores=" + input.resolve("stores.csv")));
  }

  String[] args(Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("--inputDir=" + input, "--output=" + output,
        "--businessDate=" + DAY));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  String[] fromTables(PostgresServer.Db database, Path output) {
    List<String> args = new ArrayList<>(List.of(args(output, "--catalog=jdbc:products", "--stores=jdbc:stores")));
    args.addAll(database.flags());
    return args.toArray(new String[0]);
  }

  @Test
  void tablesGiveTheSameBytesAsTheFiles() throws Exception {
    Path out = tmp.resolve("tables");
    NightshiftRun.Summary s = InventoryUpdate.run(fromTables(db, out));
    assertEquals(filesRun.manifest().outputs(), s.manifest().outputs());
    for (RunManifest.FileEntry f : filesRun.manifest().outputs()) {
      assertArrayEquals(Files.readAllBytes(fromFiles.resolve(f.path())), Files.readAllBytes(out.resolve(f.path())), f.path());
    }
    assertEquals(filesRun.manifest().steps(), s.manifest().steps());
    assertEquals(51, s.counter("read-catalog/out"), "50 SKUs x 8 stores and the new listing");
    assertEquals(8, s.counter("read-stores/out"));
    assertTrue(s.manifest().inputs().stream().anyMatch(e -> e.path().equals("jdbc:products")
        && e.records() == s.counter("read-catalog/in")), s.manifest().inputs() + " " + s.counters());
    assertTrue(s.manifest().audit().balanced());
  }

  @Test
  void whatTheCatalogDoesNotListIsADeadLetterNotABookedUnknownSku() throws Exception {
    Path plain = tmp.resolve("plain");
    InventoryUpdate.run(args(plain));
    long unknownSkus = exceptions(plain, InventoryUpdate.UNKNOWN_SKU);
    assertTrue(unknownSkus > 0, "the generator sells UNK- SKUs no snapshot has");
    assertEquals(0, exceptions(fromFiles, InventoryUpdate.UNKNOWN_SKU));
    List<DeadLetter> unknown = dead(fromFiles, InventoryReasons.UNKNOWN_PRODUCT);
    assertEquals(unknownSkus, unknown.size());
    for (DeadLetter d : unknown) {
      assertEquals("check-movements", d.step());
      assertTrue(d.rawPayload().contains(",UNK-"), d.rawPayload());
    }
    assertEquals(0, dead(fromFiles, InventoryReasons.UNKNOWN_STORE).size());
  }

  @Test
  void badRowsOfTheTablesAndStoresTheListLacks() throws Exception {
    PostgresServer.Db bad = PostgresServer.database("retail_bad");
    bad.load("products", input.resolve("catalog.csv"));
    bad.load("stores", input.resolve("stores.csv"));
    bad.sql("DELETE FROM stores WHERE store_id = 'Australia'",
        "INSERT INTO products VALUES ('99999', 'NO PRICE, YET', NULL)",
        "INSERT INTO stores VALUES ('Atlantis', 'Nightshift Atlantis', 'XX', NULL)");
    Path out = tmp.resolve("bad");
    NightshiftRun.Summary s = InventoryUpdate.run(fromTables(bad, out));
    assertTrue(s.manifest().audit().balanced());

    DeadLetter product = only(dead(out, Reasons.MISSING_FIELD), "jdbc:products");
    assertEquals("read-catalog", product.step());
    assertEquals(rowNumber(bad, "SELECT sku FROM products ORDER BY sku", "99999"), product.lineNumber());
    assertEquals("99999,\"NO PRICE, YET\",", product.rawPayload());
    assertTrue(product.message().contains("'unit_price' is empty") && product.message().endsWith("key sku=99999)"),
        product.message());
    DeadLetter store = only(dead(out, Reasons.MISSING_FIELD), "jdbc:stores");
    assertEquals(rowNumber(bad, "SELECT store_id FROM stores ORDER BY store_id", "Atlantis"), store.lineNumber());
    assertEquals("Atlantis,Nightshift Atlantis,XX,", store.rawPayload());

    List<DeadLetter> australia = dead(out, InventoryReasons.UNKNOWN_STORE);
    assertFalse(australia.isEmpty());
    for (DeadLetter d : australia) {
      assertTrue(d.rawPayload().contains(",Australia,"), d.rawPayload());
    }
  }

  static DeadLetter only(List<DeadLetter> letters, String source) {
    List<DeadLetter> found = letters.stream().filter(d -> d.sourceFile().equals(source)).toList();
    assertEquals(1, found.size(), letters.toString());
    return found.get(0);
  }

  static long rowNumber(PostgresServer.Db database, String query, String key) throws Exception {
    List<String> keys = new ArrayList<>();
    try (var c = database.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    assertTrue(keys.contains(key));
    return keys.indexOf(key) + 1;
  }

  static long exceptions(Path out, String type) throws IOException {
    return CsvFiles.rows(out.resolve(InventoryUpdate.EXCEPTIONS_FILE)).stream().filter(r -> r.get(2).equals(type)).count();
  }

  static List<DeadLetter> dead(Path out, String reason) throws IOException {
    List<DeadLetter> letters = new ArrayList<>();
    for (String json : Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      if (d.reasonCode().equals(reason)) {
        letters.add(d);
      }
    }
    return letters;
  }
}
