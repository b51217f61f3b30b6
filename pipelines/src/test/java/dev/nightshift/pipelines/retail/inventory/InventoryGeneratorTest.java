package dev.nightshift.pipelines.retail.inventory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.testing.CsvFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryGeneratorTest {
  static final LocalDate DAY = LocalDate.of(2010, 12, 1);
  static final List<String> FILES = List.of("snapshot.csv", "daily_movements.csv", "receipts.csv",
      "catalog.csv", "stores.csv",
      "generation.json");

  @Test
  void theSameRequestWritesTheSameBytes(@TempDir Path tmp) throws Exception {
    new InventoryGenerator().generate(new GenerationRequest(tmp.resolve("a"), 300, 3, 0.1, DAY));
    new InventoryGenerator().generate(new GenerationRequest(tmp.resolve("b"), 300, 3, 0.1, DAY));
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)),
          Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
    }
  }

  @Test
  void laterDaysMoveTheSameStoreSkuPairs(@TempDir Path tmp) throws Exception {
    GenerationReport d1 = new InventoryGenerator().generate(new GenerationRequest(tmp.resolve("1"), 300, 3, 0, DAY));
    new InventoryGenerator().generate(new GenerationRequest(tmp.resolve("2"), 300, 3, 0, DAY.plusDays(1)));
    assertEquals(300, d1.rowsPerFile().get("snapshot.csv"));
    assertTrue(d1.planted().isEmpty());
    assertEquals(pairs(tmp.resolve("1/snapshot.csv")), pairs(tmp.resolve("2/snapshot.csv")));
    assertNotEquals(Files.readString(tmp.resolve("1/daily_movements.csv")),
        Files.readString(tmp.resolve("2/daily_movements.csv")));
    for (List<String> r : CsvFiles.rows(tmp.resolve("2/snapshot.csv"))) {
      assertEquals(DAY.toString(), r.get(0), "the snapshot of D is the end of D-1");
    }
  }

  private static List<String> pairs(Path snapshot) throws Exception {
    return CsvFiles.rows(snapshot).stream().map(r -> r.get(1) + "|" + r.get(2)).collect(Collectors.toList());
  }
}
