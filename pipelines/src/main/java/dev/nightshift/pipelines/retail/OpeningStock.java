package dev.nightshift.pipelines.retail;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The opening inventory of the generated retailer: every store (United Kingdom and the
 * {@link RetailCatalog#COUNTRIES}) x every catalog SKU, written as an {@code inventory-update}
 * snapshot dated {@code snapshotDate}, so that the first business day after it can chain from it.
 * Stock levels are seeded and small enough that busy SKUs run out within a few days.
 */
public final class OpeningStock {
  private OpeningStock() {}

  public static Path write(Path dir, LocalDate snapshotDate, long seed) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("snapshot.csv");
    List<String> stores = new ArrayList<>(List.of("United Kingdom"));
    stores.addAll(List.of(RetailCatalog.COUNTRIES));
    // The catalog lists some stock codes under several descriptions, as the real data does.
    java.util.Set<String> skus = new java.util.LinkedHashSet<>();
    for (String[] product : RetailCatalog.PRODUCTS) {
      skus.add(product[0]);
    }
    SplittableRandom random = new SplittableRandom(seed);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("snapshot_date,store_id,sku,on_hand,reorder_point,reorder_quantity\n");
      for (String store : stores) {
        boolean main = store.equals("United Kingdom");
        for (String sku : skus) {
          long onHand = main ? random.nextLong(50, 400) : random.nextLong(0, 40);
          long reorderPoint = main ? 60 : 6;
          w.write(snapshotDate + "," + store + "," + sku + "," + onHand + "," + reorderPoint
              + "," + reorderPoint * 2 + "\n");
        }
      }
    }
    return file;
  }
}
