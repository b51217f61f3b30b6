package dev.nightshift.pipelines.retail.inventory;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.RetailCatalog;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.retail.GoodsReceipt;
import dev.nightshift.schemas.retail.InventoryReasons;
import dev.nightshift.schemas.retail.Product;
import dev.nightshift.schemas.retail.StockLevel;
import dev.nightshift.schemas.retail.Store;
import dev.nightshift.schemas.retail.DailyMovement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates the input of {@code inventory-update} for business date D: {@code snapshot.csv} (the end
 * of D-1: {@code size} store x SKU rows with on-hand stock and reorder parameters),
 * {@code receipts.csv} and {@code daily_movements.csv} for D (in order-processing's format), the
 * reference data {@code catalog.csv} and {@code stores.csv} (the optional {@code --catalog} and
 * {@code --stores}; or load them into PostgreSQL with {@code nightshift db load}), and
 * {@code generation.json}.
 *
 * <p>The store x SKU universe and its reorder parameters depend on the seed only, the day's stock and
 * movements on seed and date: generating the same seed for D+1 and D+2 gives movements for the same
 * pairs, so three generated days chain. Stores are UCI countries, SKUs UCI-like stock codes.
 *
 * <p>Every 20th pair sells more than it holds (NEGATIVE_STOCK), the next sells exactly what it has
 * (STOCK_OUT); a few movements and one receipt name pairs the snapshot does not have (UNKNOWN_SKU
 * and a new listing). After each movement or receipt row, with probability {@code badRate}, one
 * extra defective row is written, its defect taken round-robin from {@link #PLANTED_KINDS}. The
 * snapshot carries no defects. {@code expectedValidRecords} counts the valid movement and receipt
 * rows.
 */
public final class InventoryGenerator implements DatasetGenerator {

  public static final String NAME = "retail-inventory";
  /** The day of the real UCI sample, so the default snapshot is the end of 2010-11-30. */
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2010, 12, 1);
  public static final String REPORT_FILE = "generation.json";

  public static final List<String> PLANTED_KINDS =
      List.of(InventoryReasons.WRONG_BUSINESS_DATE, InventoryReasons.INVALID_QUANTITY,
          Reasons.INVALID_NUMBER);

  static final String[] STORES = {
    "United Kingdom", "France", "Germany", "EIRE", "Netherlands", "Spain", "Australia", "Norway"
  };

  /** ISO 3166 codes of {@link #STORES}, in order. */
  static final String[] STORE_COUNTRIES = {"GB", "FR", "DE", "IE", "NL", "ES", "AU", "NO"};

  public static final String CATALOG_FILE = "catalog.csv";
  public static final String STORES_FILE = "stores.csv";

  record Pair(String store, String sku, long reorderPoint, long reorderQuantity) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Inventory snapshot of D-1 with receipts and daily movements of D (seeded; plants"
        + " wrong dates, negative quantities, malformed numbers, negative stock and stock-outs)";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate day = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Files.createDirectories(out);
    List<Pair> pairs = universe(request.seed(), (int) Math.min(request.size(), 1_000_000));
    SplittableRandom rnd = new SplittableRandom(request.seed() * 1_000_003L + day.toEpochDay());
    long[] onHand = new long[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      onHand[i] = rnd.nextInt(5) == 0 ? rnd.nextInt(5) : rnd.nextInt(120);
    }
    SortedMap<String, Long> rows = new TreeMap<>();
    SortedMap<String, Long> planted = new TreeMap<>();
    Planter planter = new Planter(rnd, request.badRate(), day, planted);

    try (BufferedWriter w = writer(out.resolve(InventoryUpdate.SNAPSHOT_FILE))) {
      w.write(Csv.header(StockLevel.COLUMNS) + "\n");
      for (int i = 0; i < pairs.size(); i++) {
        Pair p = pairs.get(i);
        w.write(Csv.line(day.minusDays(1), p.store(), p.sku(), onHand[i], p.reorderPoint(),
            p.reorderQuantity()) + "\n");
      }
    }
    rows.put(InventoryUpdate.SNAPSHOT_FILE, (long) pairs.size());

    String idPrefix = "GR-" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + "-";
    long[] received = new long[pairs.size()];
    long receiptRows = 0;
    long valid = 0;
    try (BufferedWriter w = writer(out.resolve(InventoryUpdate.RECEIPTS_FILE))) {
      w.write(Csv.header(GoodsReceipt.COLUMNS) + "\n");
      long id = 1;
      for (int i = 0; i < pairs.size(); i++) {
        if (rnd.nextInt(100) < 15) {
          Pair p = pairs.get(i);
          received[i] = p.reorderQuantity() + rnd.nextInt(10);
          String[] f = {idPrefix + id++, day.toString(), p.store(), p.sku(), Long.toString(received[i])};
          receiptRows += writeWithDefect(w, f, 4, planter);
          valid++;
        }
      }
      // a new listing: goods for a store x SKU the snapshot does not have yet
      if (!pairs.isEmpty()) {
        String[] f = {idPrefix + id, day.toString(), STORES[0], newListing(day), "24"};
        receiptRows += writeWithDefect(w, f, 4, planter);
        valid++;
      }
    }
    rows.put(InventoryUpdate.RECEIPTS_FILE, receiptRows);

    long movementRows = 0;
    try (BufferedWriter w = writer(out.resolve(InventoryUpdate.MOVEMENTS_FILE))) {
      w.write(Csv.header(DailyMovement.COLUMNS) + "\n");
      for (int i = 0; i < pairs.size(); i++) {
        boolean negative = i % 20 == 0;
        boolean stockOut = i % 20 == 1;
        if (!negative && !stockOut && rnd.nextInt(100) >= 60) {
          continue;
        }
        long returned = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(3) : 0;
        long available = Math.max(0, onHand[i] + returned + received[i]);
        long sold = negative ? available + 1 + rnd.nextInt(5)
            : stockOut ? available
            : Math.min(available, rnd.nextInt(25));
        Pair p = pairs.get(i);
        String[] f = {day.toString(), p.store(), p.sku(), Long.toString(sold), Long.toString(returned)};
        movementRows += writeWithDefect(w, f, 3, planter);
        valid++;
      }
      // sold although the store has no snapshot row for the SKU (UNKNOWN_SKU exceptions)
      for (int k = 0; k < Math.max(1, pairs.size() / 100); k++) {
        String[] f = {day.toString(), STORES[k % 2 + 1], "UNK-" + (100 + k), Long.toString(1 + k % 4), "0"};
        movementRows += writeWithDefect(w, f, 3, planter);
        valid++;
      }
    }
    rows.put(InventoryUpdate.MOVEMENTS_FILE, movementRows);

    rows.put(CATALOG_FILE, writeCatalog(out.resolve(CATALOG_FILE), pairs, day));
    rows.put(STORES_FILE, writeStores(out.resolve(STORES_FILE), request.seed()));

    GenerationReport report = new GenerationReport(NAME, day, pairs.size(), request.seed(),
        request.badRate(), rows, planted, valid);
    Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }

  /**
   * The product catalog: every SKU of the universe and the day's new listing, with UCI descriptions
   * (commas and quotes included) and prices. The {@code UNK-} SKUs of the movements are left out:
   * with {@code --catalog} they are UNKNOWN_PRODUCT dead letters.
   */
  private static long writeCatalog(Path file, List<Pair> pairs, LocalDate day) throws IOException {
    java.util.Set<String> skus = new java.util.LinkedHashSet<>();
    pairs.forEach(p -> skus.add(p.sku()));
    if (!pairs.isEmpty()) {
      skus.add(newListing(day));
    }
    long n = 0;
    try (BufferedWriter w = writer(file)) {
      w.write(Csv.header(Product.COLUMNS) + "\n");
      for (String sku : skus) {
        String[] product = RetailCatalog.PRODUCTS[(int) (n++ % RetailCatalog.PRODUCTS.length)];
        w.write(Csv.line(sku, product[1], product[2]) + "\n");
      }
    }
    return n;
  }

  /** Every store of {@link #STORES}, with its ISO 3166 country and a seeded opening date. */
  private static long writeStores(Path file, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5707E5L);
    try (BufferedWriter w = writer(file)) {
      w.write(Csv.header(Store.COLUMNS) + "\n");
      for (int i = 0; i < STORES.length; i++) {
        w.write(Csv.line(STORES[i], "Nightshift " + STORES[i], STORE_COUNTRIES[i],
            LocalDate.of(2004, 1, 1).plusDays(rnd.nextInt(2_000))) + "\n");
      }
    }
    return STORES.length;
  }

  static String newListing(LocalDate day) {
    return "NEW-" + day.getDayOfYear();
  }

  /** The store x SKU pairs and their reorder parameters: a function of the seed and size only. */
  static List<Pair> universe(long seed, int size) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int stores = Math.max(1, Math.min(STORES.length, size / 50));
    int skus = (size + stores - 1) / Math.max(1, stores);
    List<Pair> pairs = new ArrayList<>(size);
    for (int k = 0; k < skus && pairs.size() < size; k++) {
      // UCI stock codes: five digits, sometimes a letter (85123A)
      String sku = (10000 + k * 7 + (int) (seed % 5 + 5) % 5) + (k % 4 == 0 ? "A" : "");
      for (int s = 0; s < stores && pairs.size() < size; s++) {
        pairs.add(new Pair(STORES[s], sku, 5 + rnd.nextInt(26), 20 + 10 * rnd.nextInt(9)));
      }
    }
    return pairs;
  }

  /** Writes a good row, then maybe one defective copy of it; returns the rows written. */
  private static long writeWithDefect(BufferedWriter w, String[] f, int quantityField, Planter planter)
      throws IOException {
    w.write(Csv.line((Object[]) f) + "\n");
    String[] bad = planter.maybeDefect(f, quantityField);
    if (bad == null) {
      return 1;
    }
    w.write(Csv.line((Object[]) bad) + "\n");
    return 2;
  }

  /** Plants one defect per bad row, round-robin; receipts get a fresh id so no dedupe interferes. */
  private static final class Planter {
    private final SplittableRandom rnd;
    private final double badRate;
    private final LocalDate day;
    private final SortedMap<String, Long> planted;
    private long cursor;
    private long badIds;

    Planter(SplittableRandom rnd, double badRate, LocalDate day, SortedMap<String, Long> planted) {
      this.rnd = rnd;
      this.badRate = badRate;
      this.day = day;
      this.planted = planted;
    }

    String[] maybeDefect(String[] good, int quantityField) {
      if (!(badRate > 0 && rnd.nextDouble() < badRate)) {
        return null;
      }
      String kind = PLANTED_KINDS.get((int) (cursor++ % PLANTED_KINDS.size()));
      planted.merge(kind, 1L, Long::sum);
      String[] f = good.clone();
      boolean receipt = quantityField == 4;
      int dateField = receipt ? 1 : 0;
      if (receipt) {
        f[0] = "GR-BAD-" + (++badIds);
      }
      switch (kind) {
        case InventoryReasons.WRONG_BUSINESS_DATE ->
            f[dateField] = (rnd.nextBoolean() ? day.minusDays(1 + rnd.nextInt(2))
                : day.plusDays(1 + rnd.nextInt(2))).toString();
        case InventoryReasons.INVALID_QUANTITY -> f[quantityField] = "-" + (1 + rnd.nextInt(20));
        case Reasons.INVALID_NUMBER ->
            f[quantityField] = rnd.nextBoolean() ? (1 + rnd.nextInt(9)) + "x" : "2.5";
        default -> throw new IllegalStateException("unplanned defect " + kind);
      }
      return f;
    }
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
  }
}
