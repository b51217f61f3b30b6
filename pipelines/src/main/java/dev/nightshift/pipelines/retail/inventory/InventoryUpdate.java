package dev.nightshift.pipelines.retail.inventory;

import dev.nightshift.pipelines.core.BusinessDateOptions;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.retail.GoodsReceipt;
import dev.nightshift.schemas.retail.InventoryReasons;
import dev.nightshift.schemas.retail.Product;
import dev.nightshift.schemas.retail.StockKey;
import dev.nightshift.schemas.retail.Store;
import dev.nightshift.schemas.retail.StockLevel;
import dev.nightshift.schemas.retail.DailyMovement;
import dev.nightshift.schemas.retail.StockPosition;
import dev.nightshift.schemas.retail.StockSums;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.core.Stage;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.io.CsvReader;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.io.Values;
import dev.nightshift.transforms.io.ReadReference;
import dev.nightshift.transforms.io.ReferenceDbOptions;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Retail: end-of-day inventory per store x SKU.
 *
 * <p>Reads the start-of-day snapshot (the end of day D-1), the day's sales and returns
 * ({@code daily_movements.csv} of order-processing) and the goods received, and computes
 * {@code on_hand_eod = on_hand_sod - sold + returned + received} per store x SKU. Writes the
 * end-of-day {@code snapshot.csv} (same columns, snapshot_date = D, so the next day chains),
 * {@code exceptions.csv} (stock-outs, negative stock, SKUs sold without a snapshot row) and
 * {@code reorders.csv} (suggestions for every pair below its reorder point).
 *
 * <p>Business rules (see the README section):
 * <ul>
 *   <li>the run refuses to start unless every parsable snapshot_date of the snapshot is D-1: the
 *       driver scans the whole snapshot (one row per store x SKU, small) with Beam FileSystems;
 *   <li>negative stock stays negative in the snapshot: the books must match reality, and the next
 *       receipt first covers the shortfall;
 *   <li>a pair first seen in movements or receipts starts at 0 with the default reorder point and
 *       quantity of the options;
 *   <li>reorder rule "order up to": when on_hand_eod &lt; reorder_point, order
 *       reorder_point + reorder_quantity - on_hand_eod, which restores the stock to
 *       reorder_point + reorder_quantity (and covers any negative stock).
 * </ul>
 */
public final class InventoryUpdate {
  private InventoryUpdate() {}

  public static final String NAME = "inventory-update";
  public static final String DESCRIPTION =
      "Retail: end-of-day stock per store x SKU from the start-of-day snapshot, the day's sales,"
          + " returns and goods receipts; stock exceptions and reorder suggestions";

  public static final String SNAPSHOT_FILE = "snapshot.csv";
  public static final String MOVEMENTS_FILE = "daily_movements.csv";
  public static final String RECEIPTS_FILE = "receipts.csv";
  public static final String EXCEPTIONS_FILE = "exceptions.csv";
  public static final String REORDERS_FILE = "reorders.csv";

  public static final String[] EXCEPTION_COLUMNS = {"store_id", "sku", "type", "quantity", "cause"};
  public static final String[] REORDER_COLUMNS = {
    "store_id", "sku", "on_hand", "reorder_point", "order_quantity"
  };

  /** Exception types of exceptions.csv (not dead letters: the rows are booked). */
  public static final String STOCK_OUT = "STOCK_OUT";
  public static final String NEGATIVE_STOCK = "NEGATIVE_STOCK";
  public static final String UNKNOWN_SKU = "UNKNOWN_SKU";

  /** Options of the inventory update pipeline. */
  public interface Options extends NightshiftOptions, BusinessDateOptions, ReferenceDbOptions {
    @Description(
        "Directory holding snapshot.csv, daily_movements.csv and (optionally) receipts.csv; the"
            + " per-file options override it.")
    String getInputDir();

    void setInputDir(String value);

    @Description(
        "Start-of-day snapshot CSV: snapshot_date,store_id,sku,on_hand,reorder_point,"
            + "reorder_quantity, with snapshot_date = businessDate - 1 (default: <inputDir>/snapshot.csv).")
    String getSnapshot();

    void setSnapshot(String value);

    @Description(
        "Daily movements CSV file or glob, as written by order-processing: business_date,store_id,"
            + "sku,sold_quantity,returned_quantity (default: <inputDir>/daily_movements.csv).")
    String getMovements();

    void setMovements(String value);

    @Description(
        "Goods receipts CSV file or glob: receipt_id,business_date,store_id,sku,quantity. Optional:"
            + " default <inputDir>/receipts.csv if it exists, else no receipts.")
    String getReceipts();

    void setReceipts(String value);

    @Description(
        "Product catalog, optional: a CSV file (sku,description,unit_price) or the table"
            + " jdbc:products of --referenceDb. With it, a movement or receipt of a SKU the catalog"
            + " does not list is a dead letter (UNKNOWN_PRODUCT) instead of being booked.")
    String getCatalog();

    void setCatalog(String value);

    @Description(
        "Store list, optional: a CSV file (store_id,name,country,opened_on) or the table jdbc:stores"
            + " of --referenceDb. With it, a movement or receipt of another store is a dead letter"
            + " (UNKNOWN_STORE).")
    String getStores();

    void setStores(String value);

    @Description("Reorder point of a store x SKU that has no snapshot row yet.")
    @Default.Long(10)
    long getDefaultReorderPoint();

    void setDefaultReorderPoint(long value);

    @Description("Reorder quantity of a store x SKU that has no snapshot row yet.")
    @Default.Long(50)
    long getDefaultReorderQuantity();

    void setDefaultReorderQuantity(long value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  /** Builds the pipeline without running it; refuses a snapshot that is not of the day before. */
  public static NightshiftRun build(Options options) {
    LocalDate businessDate = BusinessDateOptions.businessDate(options);
    if (options.getDefaultReorderPoint() < 0 || options.getDefaultReorderQuantity() < 0) {
      throw new IllegalArgumentException("--defaultReorderPoint and --defaultReorderQuantity must be >= 0");
    }
    String snapshot = Inputs.resolve(options.getInputDir(), options.getSnapshot(), SNAPSHOT_FILE, "snapshot");
    String movements =
        Inputs.resolve(options.getInputDir(), options.getMovements(), MOVEMENTS_FILE, "movements");
    NightshiftRun run = NightshiftRun.create(NAME, options);
    // FileSystems is set up by create(): the snapshot and receipts may live on any Beam file system
    // (before it, a gs:// match would use another run's options: another endpoint, other credentials).
    String receipts = receiptsInput(options);
    requireSnapshotOf(snapshot, businessDate.minusDays(1));
    run.parameter("business_date", businessDate.toString());
    run.parameter("default_reorder_point", Long.toString(options.getDefaultReorderPoint()));
    run.parameter("default_reorder_quantity", Long.toString(options.getDefaultReorderQuantity()));
    run.parameter("receipts", receipts == null ? "none" : receipts);
    int buckets = options.getAggregationBuckets();
    int limit = options.getPreAggregationLimit();
    KvCoder<StockKey, StockSums> kvCoder = KvCoder.of(StockKey.CODER, StockSums.CODER);

    // Start of day: one row per store x SKU (a repeated pair is a dead letter, the first is kept).
    Checked<StockLevel> levels =
        ReadCsv.read(run, "read-snapshot", snapshot, SNAPSHOT, StockLevel.CODER)
            .then("validate-snapshot", new ValidateSnapshot(), StockLevel.CODER)
            .dedupe("dedupe-snapshot", l -> l.storeId() + "\u0000" + l.sku(), Reasons.DUPLICATE_KEY);
    // Each part is keyed by store x SKU; reading, checks, keying and the sum's pre-aggregation run
    // fused (Checked), so no row is handed from step to step through the runner.
    Checked<KV<StockKey, StockSums>> snapshotPart = levels.through("key-snapshot",
        Stage.map((StockLevel l) -> KV.of(new StockKey(l.storeId(), l.sku()),
            StockSums.snapshot(l.onHand(), l.reorderPoint(), l.reorderQuantity()))), kvCoder);

    // Optional reference data: the products and stores the day's movements and receipts must name.
    PCollectionView<Map<String, String>> catalog =
        knownKeys(run, "catalog", options.getCatalog(), CATALOG, Product.CODER, Product::sku);
    PCollectionView<Map<String, String>> stores =
        knownKeys(run, "stores", options.getStores(), STORES, Store.CODER, Store::storeId);
    run.parameter("catalog", catalog == null ? "none" : options.getCatalog());
    run.parameter("stores", stores == null ? "none" : options.getStores());

    Checked<DailyMovement> moves =
        known(ReadCsv.read(run, "read-movements", movements, MOVEMENTS, DailyMovement.CODER)
            .then("validate-movements", new ValidateMovement(businessDate), DailyMovement.CODER),
            "check-movements", DailyMovement::storeId, DailyMovement::sku, DailyMovement.CODER,
            stores, catalog);
    Checked<KV<StockKey, StockSums>> movementPart = moves.through("key-movements",
        Stage.map((DailyMovement m) -> KV.of(new StockKey(m.storeId(), m.sku()),
            StockSums.movement(m.soldQuantity(), m.returnedQuantity()))), kvCoder);

    Checked<GoodsReceipt> received = null;
    Checked<KV<StockKey, StockSums>> receiptPart = null;
    if (receipts != null) {
      // A receipt booked twice would count its goods twice: the first of each receipt id is kept.
      received =
          known(ReadCsv.read(run, "read-receipts", receipts, RECEIPTS, GoodsReceipt.CODER)
              .then("validate-receipts", new ValidateReceipt(businessDate), GoodsReceipt.CODER),
              "check-receipts", GoodsReceipt::storeId, GoodsReceipt::sku, GoodsReceipt.CODER,
              stores, catalog)
              .dedupe("dedupe-receipts", GoodsReceipt::receiptId, Reasons.DUPLICATE_KEY);
      receiptPart = received.through("key-receipts",
          Stage.map((GoodsReceipt r) -> KV.of(new StockKey(r.storeId(), r.sku()), StockSums.receipt(r.quantity()))),
          kvCoder);
    }

    PCollection<StockPosition> positions =
        Checked.union(run, "flatten-stock", kvCoder, snapshotPart, movementPart, receiptPart)
            .combine("sum-stock", KeyedCombine.<StockKey, StockSums, StockSums, StockSums>perKey(
                    SumFn.of(StockSums.ZERO, StockSums::plus, StockSums.CODER))
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("settle-stock", ParDo.of(new SettleFn(
                options.getDefaultReorderPoint(), options.getDefaultReorderQuantity())))
            .setCoder(StockPosition.CODER);
    // Every valid input row is consumed by exactly one store x SKU position.
    RunAudit audit = run.audit();
    audit.step("settle-stock")
        .expect("settle-stock", "consumes every start-of-day row once",
            List.of(RunAudit.term(StepCounters.outName(levels.step()))),
            List.of(RunAudit.term(StepCounters.named("settle-stock", "snapshot-rows"))))
        .expect("settle-stock", "consumes every movement row once",
            List.of(RunAudit.term(StepCounters.outName(moves.step()))),
            List.of(RunAudit.term(StepCounters.named("settle-stock", "movement-rows"))))
        .expect("settle-stock", "consumes every goods receipt once",
            received == null ? List.of() : List.of(RunAudit.term(StepCounters.outName(received.step()))),
            List.of(RunAudit.term(StepCounters.named("settle-stock", "receipt-rows"))));

    SortedSink.write(run, "write-snapshot", SNAPSHOT_FILE, Csv.header(StockLevel.COLUMNS),
        positions.apply("format-snapshot", MapElements.into(TypeDescriptors.strings())
            .via(p -> snapshotLine(businessDate, p))));
    audit.link("settle-stock", "write-snapshot")
        .expect("write-snapshot", "end of day = every start-of-day row + the new store x SKU pairs",
            List.of(RunAudit.term(StepCounters.outName("write-snapshot"))),
            List.of(RunAudit.term(StepCounters.outName(levels.step())),
                RunAudit.term(StepCounters.named("settle-stock", "new-pairs"))));

    SortedSink.write(run, "write-exceptions", EXCEPTIONS_FILE, Csv.header(EXCEPTION_COLUMNS),
        positions.apply("find-exceptions", ParDo.of(new ExceptionsFn())));
    audit.link("settle-stock", "find-exceptions").link("find-exceptions", "write-exceptions");

    SortedSink.write(run, "write-reorders", REORDERS_FILE, Csv.header(REORDER_COLUMNS),
        positions.apply("suggest-reorders", ParDo.of(new ReordersFn())));
    audit.link("settle-stock", "suggest-reorders").link("suggest-reorders", "write-reorders");
    run.figure(ReportFigure.countBy("Stock exceptions by type", EXCEPTIONS_FILE, "type", Chart.Style.BARS))
        .figure(ReportFigure.sumBy("Units to reorder by store", REORDERS_FILE, r -> r.get("store_id"),
            "order_quantity", Chart.Style.BARS));
    return run;
  }

  /** --receipts, else <inputDir>/receipts.csv when it exists, else none (a day without deliveries). */
  static String receiptsInput(Options options) {
    if (options.getReceipts() != null && !options.getReceipts().isEmpty()) {
      return options.getReceipts();
    }
    if (options.getInputDir() == null || options.getInputDir().isEmpty()) {
      return null;
    }
    String candidate = Inputs.resolve(options.getInputDir(), null, RECEIPTS_FILE, "receipts");
    try {
      MatchResult m = FileSystems.match(candidate);
      return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty() ? candidate : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Refuses to start unless the snapshot is the end of {@code expected} (D-1): every snapshot_date
   * that parses must equal it, and at least one must. Unparsable dates are left to the pipeline,
   * which dead-letters those rows (INVALID_DATE). The whole snapshot is scanned on the driver: it
   * holds one row per store x SKU, small next to the movements.
   */
  static void requireSnapshotOf(String filepattern, LocalDate expected) {
    SortedSet<String> found = new TreeSet<>();
    try {
      MatchResult match = FileSystems.match(filepattern);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new IllegalArgumentException("the snapshot matches no file: " + filepattern);
      }
      for (MatchResult.Metadata file : match.metadata()) {
        try (Reader reader = new BufferedReader(new InputStreamReader(
            Channels.newInputStream(FileSystems.open(file.resourceId())), StandardCharsets.UTF_8))) {
          CsvReader csv = new CsvReader(reader, ReadCsv.MAX_RECORD_CHARS);
          CsvReader.Record header = csv.next();
          int column = header == null ? -1 : header.fields().stream().map(String::trim).toList()
              .indexOf("snapshot_date");
          if (column < 0) {
            continue; // the pipeline dead-letters the file (EMPTY_FILE, MISSING_COLUMN)
          }
          for (CsvReader.Record r = csv.next(); r != null; r = csv.next()) {
            if (r.ok() && column < r.fields().size()) {
              try {
                found.add(Values.isoDate(r.fields().get(column).trim()).toString());
              } catch (DateTimeParseException e) {
                // left to the pipeline
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the snapshot " + filepattern + ": " + e, e);
    }
    if (!found.equals(new TreeSet<>(List.of(expected.toString())))) {
      throw new IllegalArgumentException(
          "the start-of-day snapshot " + filepattern + " must be the end of " + expected
              + " (the day before --businessDate), but its snapshot_date values are "
              + (found.isEmpty() ? "none" : found) + "; refusing to start");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsers (types only) and validators

  static final CsvRecordParser<StockLevel> SNAPSHOT =
      CsvRecordParser.of(StockLevel.COLUMNS, row -> new StockLevel(row.date("snapshot_date"),
          row.text("store_id"), row.text("sku"), row.quantity("on_hand"), row.quantity("reorder_point"),
          row.quantity("reorder_quantity"), row.source()));

  static final CsvRecordParser<DailyMovement> MOVEMENTS =
      CsvRecordParser.of(DailyMovement.COLUMNS, row -> new DailyMovement(row.date("business_date"),
          row.text("store_id"), row.text("sku"), row.quantity("sold_quantity"),
          row.quantity("returned_quantity"), row.source()));

  static final CsvRecordParser<GoodsReceipt> RECEIPTS =
      CsvRecordParser.of(GoodsReceipt.COLUMNS, row -> new GoodsReceipt(row.text("receipt_id"),
          row.date("business_date"), row.text("store_id"), row.text("sku"), row.quantity("quantity"),
          row.source()));

  static final CsvRecordParser<Product> CATALOG =
      CsvRecordParser.of(Product.COLUMNS, row -> new Product(row.text("sku"), row.text("description"),
          row.decimal("unit_price"), row.source()));

  static final CsvRecordParser<Store> STORES =
      CsvRecordParser.of(Store.COLUMNS, row -> new Store(row.text("store_id"), row.text("name"),
          row.text("country"), row.date("opened_on"), row.source()));

  /**
   * The keys of an optional reference input (file or table), de-duplicated (a repeated key is a
   * dead letter, the first kept) and broadcast; null when the input is not given.
   */
  static <T extends Sourced> PCollectionView<Map<String, String>> knownKeys(NightshiftRun run, String name,
      String location, CsvRecordParser<T> parser, Coder<T> coder, SerializableFunction<T, String> key) {
    if (location == null || location.isEmpty()) {
      return null;
    }
    return ReadReference.read(run, "read-" + name, location, parser, coder)
        .dedupe("dedupe-" + name, key, Reasons.DUPLICATE_KEY)
        .toView(name + "-view")
        .apply(name + "-keys", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
            TypeDescriptors.strings())).via(t -> KV.of(key.apply(t), t.source().file())))
        .apply(name + "-view/view", View.asMap());
  }

  /**
   * With a store list and/or a catalog, refuses the rows of other stores (UNKNOWN_STORE) and SKUs
   * (UNKNOWN_PRODUCT); without either, the chain is left as it is.
   */
  static <T> Checked<T> known(Checked<T> rows, String step, SerializableFunction<T, String> store,
      SerializableFunction<T, String> sku, Coder<T> coder, PCollectionView<Map<String, String>> stores,
      PCollectionView<Map<String, String>> catalog) {
    if (stores == null && catalog == null) {
      return rows;
    }
    List<PCollectionView<?>> views = new ArrayList<>();
    if (stores != null) {
      views.add(stores);
    }
    if (catalog != null) {
      views.add(catalog);
    }
    return rows.then(step, new KnownFn<>(store, sku, stores, catalog), coder,
        views.toArray(new PCollectionView<?>[0]));
  }

  static final class KnownFn<T> extends FailsafeFn<T, T> {
    private final SerializableFunction<T, String> store;
    private final SerializableFunction<T, String> sku;
    private final PCollectionView<Map<String, String>> stores;
    private final PCollectionView<Map<String, String>> catalog;

    KnownFn(SerializableFunction<T, String> store, SerializableFunction<T, String> sku,
        PCollectionView<Map<String, String>> stores, PCollectionView<Map<String, String>> catalog) {
      this.store = store;
      this.sku = sku;
      this.stores = stores;
      this.catalog = catalog;
    }

    @Override
    protected T apply(T row, ProcessContext c) throws RecordException {
      if (stores != null && !c.sideInput(stores).containsKey(store.apply(row))) {
        throw new RecordException(InventoryReasons.UNKNOWN_STORE,
            "store '" + store.apply(row) + "' is not in the store list");
      }
      if (catalog != null && !c.sideInput(catalog).containsKey(sku.apply(row))) {
        throw new RecordException(InventoryReasons.UNKNOWN_PRODUCT,
            "SKU '" + sku.apply(row) + "' is not in the product catalog");
      }
      return row;
    }
  }

  /** on_hand may be negative (booked negative stock); reorder parameters may not. */
  static final class ValidateSnapshot extends FailsafeFn<StockLevel, StockLevel> {
    @Override
    protected StockLevel apply(StockLevel l, ProcessContext c) throws RecordException {
      if (l.reorderPoint() < 0 || l.reorderQuantity() < 0) {
        throw new RecordException(InventoryReasons.INVALID_QUANTITY,
            "reorder_point " + l.reorderPoint() + " and reorder_quantity " + l.reorderQuantity()
                + " must not be negative");
      }
      return l;
    }
  }

  static final class ValidateMovement extends FailsafeFn<DailyMovement, DailyMovement> {
    private final LocalDate businessDate;

    ValidateMovement(LocalDate businessDate) {
      this.businessDate = businessDate;
    }

    @Override
    protected DailyMovement apply(DailyMovement m, ProcessContext c) throws RecordException {
      if (!m.businessDate().equals(businessDate)) {
        throw new RecordException(InventoryReasons.WRONG_BUSINESS_DATE,
            "movement of " + m.businessDate() + " in the run for " + businessDate);
      }
      if (m.soldQuantity() < 0 || m.returnedQuantity() < 0) {
        throw new RecordException(InventoryReasons.INVALID_QUANTITY,
            "sold_quantity " + m.soldQuantity() + " and returned_quantity " + m.returnedQuantity()
                + " must not be negative");
      }
      return m;
    }
  }

  static final class ValidateReceipt extends FailsafeFn<GoodsReceipt, GoodsReceipt> {
    private final LocalDate businessDate;

    ValidateReceipt(LocalDate businessDate) {
      this.businessDate = businessDate;
    }

    @Override
    protected GoodsReceipt apply(GoodsReceipt r, ProcessContext c) throws RecordException {
      if (!r.businessDate().equals(businessDate)) {
        throw new RecordException(InventoryReasons.WRONG_BUSINESS_DATE,
            "receipt of " + r.businessDate() + " in the run for " + businessDate);
      }
      if (r.quantity() <= 0) {
        throw new RecordException(InventoryReasons.INVALID_QUANTITY,
            "receipt quantity " + r.quantity() + " is not positive");
      }
      return r;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // End of day

  /** Turns a store x SKU's sums into its end-of-day position, counting the rows it consumed. */
  static final class SettleFn extends DoFn<KV<StockKey, StockSums>, StockPosition> {
    private final StepCounters counters = new StepCounters("settle-stock");
    private final long defaultReorderPoint;
    private final long defaultReorderQuantity;

    SettleFn(long defaultReorderPoint, long defaultReorderQuantity) {
      this.defaultReorderPoint = defaultReorderPoint;
      this.defaultReorderQuantity = defaultReorderQuantity;
    }

    @ProcessElement
    public void process(@Element KV<StockKey, StockSums> kv, OutputReceiver<StockPosition> out) {
      counters.in();
      StockSums s = kv.getValue();
      counters.count("snapshot-rows", s.snapshotRows());
      counters.count("movement-rows", s.movementRows());
      counters.count("receipt-rows", s.receiptRows());
      boolean known = s.snapshotRows() > 0;
      if (!known) {
        counters.count("new-pairs", 1);
      }
      long eod = s.onHand() - s.sold() + s.returned() + s.received();
      counters.out();
      out.output(new StockPosition(kv.getKey().storeId(), kv.getKey().sku(), known, s.onHand(),
          s.sold(), s.returned(), s.received(), eod,
          known ? s.reorderPoint() : defaultReorderPoint,
          known ? s.reorderQuantity() : defaultReorderQuantity));
    }
  }

  static String snapshotLine(LocalDate businessDate, StockPosition p) {
    return Csv.line(businessDate, p.storeId(), p.sku(), p.onHandEod(), p.reorderPoint(),
        p.reorderQuantity());
  }

  /**
   * Stock exceptions of one position: UNKNOWN_SKU (sold with no start-of-day row; quantity = sold),
   * NEGATIVE_STOCK (end of day below zero; quantity = on_hand_eod), STOCK_OUT (exactly zero after
   * sales; quantity 0). The cause names the numbers.
   */
  static final class ExceptionsFn extends DoFn<StockPosition, String> {
    private final StepCounters counters = new StepCounters("find-exceptions");

    @ProcessElement
    public void process(@Element StockPosition p, OutputReceiver<String> out) {
      counters.in();
      for (String[] typeAndLine : exceptionLines(p)) {
        counters.out();
        counters.count(typeAndLine[0], 1);
        out.output(typeAndLine[1]);
      }
    }
  }

  /** {type, line} of each exception of a position. */
  static List<String[]> exceptionLines(StockPosition p) {
    List<String[]> lines = new ArrayList<>();
    String numbers = "start " + p.onHandSod() + ", sold " + p.sold() + ", returned " + p.returned()
        + ", received " + p.received();
    if (!p.known() && p.sold() > 0) {
      lines.add(new String[] {UNKNOWN_SKU, Csv.line(p.storeId(), p.sku(), UNKNOWN_SKU, p.sold(),
          "sold with no start-of-day snapshot row; started at 0: " + numbers)});
    }
    if (p.onHandEod() < 0) {
      lines.add(new String[] {NEGATIVE_STOCK, Csv.line(p.storeId(), p.sku(), NEGATIVE_STOCK,
          p.onHandEod(), "sold more than available: " + numbers + " = " + p.onHandEod())});
    } else if (p.onHandEod() == 0 && p.sold() > 0) {
      lines.add(new String[] {STOCK_OUT,
          Csv.line(p.storeId(), p.sku(), STOCK_OUT, 0, "sold out: " + numbers + " = 0")});
    }
    return lines;
  }

  /** A suggestion for every position below its reorder point: order up to point + quantity. */
  static final class ReordersFn extends DoFn<StockPosition, String> {
    private final StepCounters counters = new StepCounters("suggest-reorders");

    @ProcessElement
    public void process(@Element StockPosition p, OutputReceiver<String> out) {
      counters.in();
      if (p.onHandEod() < p.reorderPoint()) {
        counters.out();
        out.output(Csv.line(p.storeId(), p.sku(), p.onHandEod(), p.reorderPoint(),
            p.reorderPoint() + p.reorderQuantity() - p.onHandEod()));
      }
    }
  }
}
