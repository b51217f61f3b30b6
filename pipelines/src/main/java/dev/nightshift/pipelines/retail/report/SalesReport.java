package dev.nightshift.pipelines.retail.report;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.pipelines.core.Money;
import dev.nightshift.schemas.retail.SalesLine;
import dev.nightshift.schemas.retail.SalesKey;
import dev.nightshift.schemas.retail.SalesSums;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Retail: sales reports from the classified order lines of {@code order-processing}.
 *
 * <p>Every valid order line is summed into revenue by day, by date x hour, by country and by
 * product (gross = SALE + GUEST_PURCHASE amounts, returns = CANCELLATION amounts, negative, net =
 * gross + returns; NON_PRODUCT lines such as postage and fees are kept out of gross and net: a
 * {@code non_product_amount} column per day/hour/country and {@code non_product.csv} per code).
 * Invoices are distinct invoice numbers, counted by summing per (key, invoice) first and then per
 * key. From the product sums it ranks the top products and computes return rates; from the
 * customer sums (guests excluded) the RFM segmentation ({@link Rfm}), over all customers in one
 * group so that the quintiles are the same on every runner. An HTML page shows it all.
 *
 * <p>The line type decides everything (contract precedence CANCELLATION &gt; NON_PRODUCT &gt;
 * GUEST_PURCHASE &gt; SALE), so a cancelled postage line is a return of code POST.
 */
public final class SalesReport {
  private SalesReport() {}

  public static final String NAME = "sales-report";
  public static final String DESCRIPTION =
      "Retail: revenue by day, hour, country and product, top products, return rates and RFM"
          + " customer segments from order-processing's order lines; CSV files and an HTML page";

  // report names (rows of the same name make one file; summary rows only feed the HTML page)
  static final String REVENUE_BY_DAY = "revenue_by_day";
  static final String REVENUE_BY_HOUR = "revenue_by_hour";
  static final String REVENUE_BY_COUNTRY = "revenue_by_country";
  static final String REVENUE_BY_PRODUCT = "revenue_by_product";
  static final String NON_PRODUCT = "non_product";
  static final String TOP_PRODUCTS = "top_products";
  static final String RETURN_RATE = "return_rate";
  static final String RFM = "rfm";
  static final String RFM_SEGMENTS = "rfm_segments";
  static final String SUMMARY = "summary";
  static final String RFM_SUMMARY = "rfm_summary";

  public static final String HTML_FILE = "sales_report.html";

  static final String[] SALES = {
    "gross_sales", "returns", "net_sales", "sold_quantity", "returned_quantity", "net_quantity", "invoices", "lines"
  };

  /** A CSV report: its rows, file, columns, and the step building it (text cells neutralised by {@link Csv#line}). */
  record Report(String name, String[] columns, String builder)
      implements java.io.Serializable {
    String file() {
      return name + ".csv";
    }
  }

  static final String BUILD_REVENUE = "build-revenue";
  static final String BUILD_RANKINGS = "build-rankings";
  static final String BUILD_RFM = "build-rfm";

  public static final List<Report> REPORTS =
      List.of(
          new Report(REVENUE_BY_DAY, cols(new String[] {"business_date"}, SALES, "non_product_amount"), BUILD_REVENUE),
          new Report(REVENUE_BY_HOUR, cols(new String[] {"business_date", "hour"}, SALES, "non_product_amount"), BUILD_REVENUE),
          new Report(REVENUE_BY_COUNTRY, cols(new String[] {"country"}, SALES, "non_product_amount"), BUILD_REVENUE),
          new Report(REVENUE_BY_PRODUCT, cols(new String[] {"stock_code", "description"}, SALES), BUILD_REVENUE),
          new Report(NON_PRODUCT,
              new String[] {"stock_code", "description", "amount", "quantity", "invoices", "lines"}, BUILD_REVENUE),
          new Report(TOP_PRODUCTS,
              new String[] {"ranking", "rank", "stock_code", "description", "net_sales", "net_quantity",
                  "gross_sales", "returns", "sold_quantity", "returned_quantity", "invoices"}, BUILD_RANKINGS),
          new Report(RETURN_RATE,
              new String[] {"scope", "stock_code", "description", "sold_quantity", "returned_quantity",
                  "quantity_return_rate", "gross_sales", "returned_value", "value_return_rate"}, BUILD_RANKINGS),
          new Report(RFM,
              new String[] {"customer_id", "last_purchase", "recency_days", "frequency", "monetary",
                  "r_score", "f_score", "m_score", "rfm_cell", "segment"}, BUILD_RFM),
          new Report(RFM_SEGMENTS, new String[] {"segment", "customers", "monetary"}, BUILD_RFM));

  /** Rows the HTML page shows, and the step building each. */
  static final Map<String, String> HTML_ROWS =
      Map.of(SUMMARY, BUILD_RANKINGS, REVENUE_BY_DAY, BUILD_REVENUE, REVENUE_BY_HOUR, BUILD_REVENUE,
          REVENUE_BY_COUNTRY, BUILD_REVENUE,
          TOP_PRODUCTS, BUILD_RANKINGS, RETURN_RATE, BUILD_RANKINGS, RFM_SEGMENTS, BUILD_RFM,
          RFM_SUMMARY, BUILD_RFM);

  /** Options of the sales report pipeline. */
  public interface Options extends NightshiftOptions {
    @Description("Output folder of an order-processing run, holding order_lines.csv.")
    String getOrdersDir();

    void setOrdersDir(String value);

    @Description(
        "order_lines.csv file or glob (invoice_no,line_no,stock_code,description,quantity,unit_price,"
            + "amount,invoice_time,customer_id,country,line_type); overrides --ordersDir.")
    String getOrderLines();

    void setOrderLines(String value);

    @Description(
        "Reference date of RFM recency, yyyy-mm-dd. Default: the day after the latest invoice date"
            + " in the input.")
    String getAsOf();

    void setAsOf(String value);

    @Description("How many products top_products.csv ranks, by net sales and by net quantity.")
    @Default.Integer(10)
    int getTopN();

    void setTopN(int value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  static final KvCoder<String, List<String>> ROW_CODER =
      KvCoder.of(StringUtf8Coder.of(), ListCoder.of(StringUtf8Coder.of()));
  static final KvCoder<SalesKey, SalesSums> SUMS_CODER = KvCoder.of(SalesKey.CODER, SalesSums.CODER);

  /** Builds the pipeline without running it. */
  public static NightshiftRun build(Options options) {
    LocalDate asOf = null;
    if (options.getAsOf() != null && !options.getAsOf().isEmpty()) {
      try {
        asOf = LocalDate.parse(options.getAsOf());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("--asOf must be yyyy-mm-dd, got '" + options.getAsOf() + "'");
      }
    }
    int topN = options.getTopN();
    if (topN < 1) {
      throw new IllegalArgumentException("--topN must be positive, got " + topN);
    }
    String input = Inputs.resolve(options.getOrdersDir(), options.getOrderLines(), "order_lines.csv", "orderLines");
    NightshiftRun run = NightshiftRun.create(NAME, options);
    run.parameter("as_of", asOf == null ? "day after the latest invoice date" : asOf.toString());
    run.parameter("top_n", Integer.toString(topN));
    int buckets = options.getAggregationBuckets();
    int limit = options.getPreAggregationLimit();

    PCollection<SalesLine> lines =
        ReadCsv.read(run, "read-order-lines", input, OrderLineParser.ORDER_LINES, SalesLine.CODER).output();

    // Every line to its keys, summed per (key, invoice), then per key with one invoice per group.
    SumFn<SalesSums> sum = SumFn.of(SalesSums.ZERO, SalesSums::plus, SalesSums.CODER);
    PCollection<KV<SalesKey, SalesSums>> sums =
        lines
            .apply(KEY, ParDo.of(new KeyLinesFn()))
            .setCoder(SUMS_CODER)
            .apply("sum-by-invoice", KeyedCombine.<SalesKey, SalesSums, SalesSums, SalesSums>perKey(sum)
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("per-invoice", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptor.of(SalesKey.class), TypeDescriptor.of(SalesSums.class)))
                .via(kv -> KV.of(kv.getKey().withoutInvoice(), kv.getValue().asInvoice())))
            .setCoder(SUMS_CODER)
            .apply("sum-by-key", KeyedCombine.<SalesKey, SalesSums, SalesSums, SalesSums>perKey(sum)
                .withBuckets(buckets).withPreAggregationLimit(limit));

    PCollection<KV<String, List<String>>> revenue =
        sums.apply(BUILD_REVENUE, ParDo.of(new RevenueRowsFn())).setCoder(ROW_CODER);
    PCollection<KV<String, List<String>>> rankings =
        global(sums, "products", Set.of(PRODUCT, TOTAL))
            .apply(BUILD_RANKINGS, ParDo.of(new RankingsFn(topN))).setCoder(ROW_CODER);
    PCollection<KV<String, List<String>>> rfm =
        global(sums, "customers", Set.of(CUSTOMER, TOTAL))
            .apply(BUILD_RFM, ParDo.of(new RfmFn(asOf))).setCoder(ROW_CODER);
    PCollection<KV<String, List<String>>> rows =
        PCollectionList.of(revenue).and(rankings).and(rfm).apply("rows", Flatten.pCollections());

    for (Report report : REPORTS) {
      String step = "write-" + report.name().replace('_', '-');
      SortedSink.write(run, step, report.file(), String.join(",", report.columns()),
          rows.apply("select-" + report.name(), Filter.by(kv -> kv.getKey().equals(report.name())))
              .apply("csv-" + report.name(), MapElements.into(TypeDescriptors.strings())
                  .via(kv -> Csv.line(kv.getValue().toArray()))));
      run.audit().expect(step, "writes every " + report.name() + " row built",
          List.of(RunAudit.term(StepCounters.named(report.builder(), "rows-" + report.name()))),
          List.of(RunAudit.term(StepCounters.inName(step))));
    }
    writeHtml(run, rows);
    audit(run);
    run.figure(ReportFigure.sumBy("Net sales by hour", REVENUE_BY_HOUR + ".csv", r -> r.get("hour") + "h",
            "net_sales", Chart.Style.COLUMNS))
        .figure(ReportFigure.sumBy("Net sales by country", REVENUE_BY_COUNTRY + ".csv", r -> r.get("country"),
            "net_sales", Chart.Style.BARS))
        .figure(ReportFigure.sumBy("Customers by RFM segment", RFM_SEGMENTS + ".csv", r -> r.get("segment"),
            "customers", Chart.Style.BARS));
    return run;
  }

  static final String KEY = "key-order-lines";
  // dimensions
  static final String DAY = "day";
  static final String HOUR = "hour";
  static final String COUNTRY = "country";
  static final String PRODUCT = "product";
  static final String NON_PRODUCT_CODE = "non_product";
  static final String CUSTOMER = "customer";
  static final String TOTAL = "total";

  private static void audit(NightshiftRun run) {
    String read = "read-order-lines";
    List<RunAudit.Term> keyed = List.of(RunAudit.term(StepCounters.outName(KEY)));
    run.audit()
        .link(read, KEY)
        .step(KEY)
        .expect(KEY, "five keys per line (day, hour, country, total, product or non-product code),"
                + " plus one per line of a customer",
            List.of(RunAudit.term(StepCounters.named(KEY, "keys"))),
            List.of(RunAudit.term(StepCounters.outName(KEY), 5),
                RunAudit.term(StepCounters.named(KEY, "customer-lines"))));
    for (String dim : List.of(DAY, HOUR, COUNTRY)) {
      run.audit().expect(BUILD_REVENUE, "revenue by " + dim + " sums every line exactly once",
          List.of(RunAudit.term(StepCounters.named(BUILD_REVENUE, dim + "-lines"))), keyed);
    }
    run.audit()
        .expect(BUILD_REVENUE, "a row per day, hour, country, product and non-product code; customer and"
                + " total sums pass on to the global steps",
            List.of(RunAudit.term(StepCounters.inName(BUILD_REVENUE))),
            List.of(RunAudit.term(StepCounters.outName(BUILD_REVENUE)),
                RunAudit.term(StepCounters.named(BUILD_REVENUE, "passed-" + CUSTOMER)),
                RunAudit.term(StepCounters.named(BUILD_REVENUE, "passed-" + TOTAL))))
        .expect(BUILD_REVENUE, "revenue by product and non-product codes sum every line exactly once",
            List.of(RunAudit.term(StepCounters.named(BUILD_REVENUE, PRODUCT + "-lines")),
                RunAudit.term(StepCounters.named(BUILD_REVENUE, NON_PRODUCT_CODE + "-lines"))),
            keyed)
        .expect(BUILD_RANKINGS, "ranks every product line's sums exactly once",
            List.of(RunAudit.term(StepCounters.named(BUILD_RANKINGS, "product-lines"))),
            List.of(RunAudit.term(StepCounters.named(BUILD_REVENUE, PRODUCT + "-lines"))))
        .expect(BUILD_RANKINGS, "one return-rate row per product, and the overall one",
            List.of(RunAudit.term(StepCounters.named(BUILD_RANKINGS, "rows-" + RETURN_RATE))),
            List.of(RunAudit.term(StepCounters.named(BUILD_RANKINGS, "products")),
                RunAudit.term(StepCounters.named(BUILD_RANKINGS, "overall"))))
        .expect(BUILD_RFM, "segments every customer line exactly once",
            List.of(RunAudit.term(StepCounters.named(BUILD_RFM, "customer-lines"))),
            List.of(RunAudit.term(StepCounters.named(KEY, "customer-lines"))))
        .expect(BUILD_RFM, "scores every customer with a purchase, counts the others",
            List.of(RunAudit.term(StepCounters.named(BUILD_RFM, "customers"))),
            List.of(RunAudit.term(StepCounters.named(BUILD_RFM, "rows-" + RFM)),
                RunAudit.term(StepCounters.named(BUILD_RFM, "no-purchase"))))
        .expect(BUILD_RFM, "every scored customer is in exactly one segment",
            List.of(RunAudit.term(StepCounters.named(BUILD_RFM, "rows-" + RFM))),
            List.of(RunAudit.term(StepCounters.named(BUILD_RFM, "segment-customers"))));
  }

  /** The sums of some dimensions, gathered into one group (key 0) for a computation over all. */
  private static PCollection<KV<Integer, Iterable<KV<SalesKey, SalesSums>>>> global(
      PCollection<KV<SalesKey, SalesSums>> sums, String name, Set<String> dimensions) {
    return sums
        .apply("select-" + name, Filter.by(kv -> dimensions.contains(kv.getKey().dimension())))
        .apply("gather-" + name, MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(), SUMS_CODER.getEncodedTypeDescriptor()))
            .via(kv -> KV.of(0, kv)))
        .setCoder(KvCoder.of(VarIntCoder.of(), SUMS_CODER))
        .apply("group-" + name, BatchedGroupByKey.create());
  }

  private static void writeHtml(NightshiftRun run, PCollection<KV<String, List<String>>> rows) {
    String step = "write-html";
    run.registerOutput(step, HTML_FILE, false);
    KvCoder<Integer, KV<String, List<String>>> coder = KvCoder.of(VarIntCoder.of(), ROW_CODER);
    PCollection<KV<Integer, KV<String, List<String>>>> shown =
        rows.apply("select-html", Filter.by(kv -> HTML_ROWS.containsKey(kv.getKey())))
            .apply("gather-html", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.integers(), ROW_CODER.getEncodedTypeDescriptor()))
                .via(kv -> KV.of(0, kv)))
            .setCoder(coder);
    // A marker row makes the group, and the page, exist when there are no rows at all.
    PCollection<KV<Integer, KV<String, List<String>>>> marker =
        run.pipeline().apply(step + "/marker", Create.of(KV.of(0, KV.of("", List.<String>of()))).withCoder(coder));
    PCollectionList.of(shown).and(marker)
        .apply(step + "/flatten", Flatten.pCollections())
        .apply(step + "/gather", BatchedGroupByKey.create())
        .apply(step + "/write", ParDo.of(new WriteHtmlFn(run.options().getOutput())));
    List<RunAudit.Term> built = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(HTML_ROWS).entrySet()) {
      built.add(RunAudit.term(StepCounters.named(e.getValue(), "rows-" + e.getKey())));
    }
    run.audit().expect(step, "shows every summary, day, hour, country, top-product, return-rate and segment row",
        built, List.of(RunAudit.term(StepCounters.named(step, "rows"))));
  }

  // ---- formatting helpers ----

  private static String[] cols(String[] keys, String[] values, String... more) {
    List<String> all = new ArrayList<>(List.of(keys));
    all.addAll(List.of(values));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  static String money(BigDecimal amount) {
    return Money.format(amount, "GBP");
  }

  /** part / whole with 4 decimals, half-even; empty when there is no whole (nothing sold). */
  static String rate(BigDecimal part, BigDecimal whole) {
    return whole.signum() <= 0 ? "" : part.divide(whole, 4, RoundingMode.HALF_EVEN).toPlainString();
  }

  static List<String> salesCells(SalesSums s) {
    return List.of(money(s.gross()), money(s.returns()), money(s.net()), Long.toString(s.soldQuantity()),
        Long.toString(s.returnedQuantity()), Long.toString(s.soldQuantity() - s.returnedQuantity()),
        Long.toString(s.invoices()), Long.toString(s.lines()));
  }

  static List<String> row(List<String> keys, List<String> values, String... more) {
    List<String> all = new ArrayList<>(keys);
    all.addAll(values);
    all.addAll(List.of(more));
    return all;
  }

  // ---- steps ----

  /** One order line to the keys of every report it belongs to, with its sums. */
  static final class KeyLinesFn extends DoFn<SalesLine, KV<SalesKey, SalesSums>> {
    private final StepCounters counters = new StepCounters(KEY);

    @ProcessElement
    public void process(@Element SalesLine l, OutputReceiver<KV<SalesKey, SalesSums>> out) {
      counters.in();
      SalesSums s = sumsOf(l);
      String inv = l.invoiceNo();
      String date = l.invoiceDate().toString();
      List<SalesKey> keys = new ArrayList<>(6);
      keys.add(new SalesKey(DAY, date, inv));
      keys.add(new SalesKey(HOUR, date + "T" + String.format(java.util.Locale.ROOT, "%02d", l.invoiceTime().getHour()), inv));
      keys.add(new SalesKey(COUNTRY, l.country(), inv));
      keys.add(new SalesKey(TOTAL, "", inv));
      keys.add(new SalesKey(l.lineType().equals(SalesLine.NON_PRODUCT) ? NON_PRODUCT_CODE : PRODUCT,
          l.stockCode(), inv));
      if (!l.isGuest()) {
        keys.add(new SalesKey(CUSTOMER, l.customerId(), inv));
        counters.count("customer-lines", 1);
      }
      for (SalesKey k : keys) {
        out.output(KV.of(k, s));
      }
      counters.count("keys", keys.size());
      counters.out();
    }

    static SalesSums sumsOf(SalesLine l) {
      BigDecimal a = l.amount();
      BigDecimal zero = BigDecimal.ZERO;
      LocalDate date = l.invoiceDate();
      return switch (l.lineType()) {
        case SalesLine.SALE, SalesLine.GUEST_PURCHASE ->
            new SalesSums(a, zero, zero, l.quantity(), 0, 0, 1, 1, 0, 0, date, date, l.description());
        case SalesLine.CANCELLATION ->
            new SalesSums(zero, a, zero, 0, -l.quantity(), 0, 1, 0, 0, 0, null, date, l.description());
        default -> // NON_PRODUCT
            new SalesSums(zero, zero, a, 0, 0, l.quantity(), 1, 0, 0, 0, null, date, l.description());
      };
    }
  }

  /** Rows of the per-key revenue reports; customer and total sums go to the global steps. */
  static final class RevenueRowsFn extends DoFn<KV<SalesKey, SalesSums>, KV<String, List<String>>> {
    private final StepCounters counters = new StepCounters(BUILD_REVENUE);

    @ProcessElement
    public void process(@Element KV<SalesKey, SalesSums> kv, OutputReceiver<KV<String, List<String>>> out) {
      counters.in();
      SalesKey k = kv.getKey();
      SalesSums s = kv.getValue();
      String nonProduct = money(s.nonProduct());
      String report;
      List<String> cells;
      switch (k.dimension()) {
        case DAY -> {
          report = REVENUE_BY_DAY;
          cells = row(List.of(k.value()), salesCells(s), nonProduct);
        }
        case HOUR -> {
          report = REVENUE_BY_HOUR;
          String[] dh = k.value().split("T", 2);
          cells = row(List.of(dh[0], dh[1]), salesCells(s), nonProduct);
        }
        case COUNTRY -> {
          report = REVENUE_BY_COUNTRY;
          cells = row(List.of(k.value()), salesCells(s), nonProduct);
        }
        case PRODUCT -> {
          report = REVENUE_BY_PRODUCT;
          cells = row(List.of(k.value(), s.label()), salesCells(s));
        }
        case NON_PRODUCT_CODE -> {
          report = NON_PRODUCT;
          cells = List.of(k.value(), s.label(), money(s.nonProduct()), Long.toString(s.nonProductQuantity()),
              Long.toString(s.invoices()), Long.toString(s.lines()));
        }
        default -> { // customer, total: not reported per key here
          counters.count("passed-" + k.dimension(), 1);
          return;
        }
      }
      counters.count(k.dimension() + "-lines", s.lines());
      counters.count("rows-" + report, 1);
      counters.out();
      out.output(KV.of(report, cells));
    }
  }

  /** Top products by net sales and by net quantity, return rates, and the summary figures. */
  static final class RankingsFn
      extends DoFn<KV<Integer, Iterable<KV<SalesKey, SalesSums>>>, KV<String, List<String>>> {
    private final int topN;
    private final StepCounters counters = new StepCounters(BUILD_RANKINGS);

    RankingsFn(int topN) {
      this.topN = topN;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<SalesKey, SalesSums>>> group,
        OutputReceiver<KV<String, List<String>>> out) {
      List<KV<String, SalesSums>> products = new ArrayList<>();
      SalesSums total = null;
      for (KV<SalesKey, SalesSums> kv : group.getValue()) {
        counters.in();
        if (kv.getKey().dimension().equals(TOTAL)) {
          total = kv.getValue();
        } else {
          products.add(KV.of(kv.getKey().value(), kv.getValue()));
          counters.count("products", 1);
          counters.count("product-lines", kv.getValue().lines());
        }
      }
      products.sort(Comparator.comparing(KV::getKey));
      emitTop(out, "net_revenue", products,
          Comparator.comparing((KV<String, SalesSums> p) -> p.getValue().net()).reversed());
      emitTop(out, "quantity", products,
          Comparator.comparingLong((KV<String, SalesSums> p) ->
              p.getValue().soldQuantity() - p.getValue().returnedQuantity()).reversed());

      SalesSums all = SalesSums.ZERO;
      for (KV<String, SalesSums> p : products) {
        SalesSums s = p.getValue();
        all = all.plus(s);
        emit(out, RETURN_RATE, List.of("product", p.getKey(), s.label(), Long.toString(s.soldQuantity()),
            Long.toString(s.returnedQuantity()),
            rate(BigDecimal.valueOf(s.returnedQuantity()), BigDecimal.valueOf(s.soldQuantity())),
            money(s.gross()), money(s.returns().negate()), rate(s.returns().negate(), s.gross())));
      }
      if (total != null) {
        counters.count("overall", 1);
        emit(out, RETURN_RATE, List.of("overall", "", "", Long.toString(all.soldQuantity()),
            Long.toString(all.returnedQuantity()),
            rate(BigDecimal.valueOf(all.returnedQuantity()), BigDecimal.valueOf(all.soldQuantity())),
            money(all.gross()), money(all.returns().negate()), rate(all.returns().negate(), all.gross())));
        emit(out, SUMMARY, List.of(money(total.gross()), money(total.returns()), money(total.net()),
            money(total.nonProduct()), Long.toString(total.soldQuantity()),
            Long.toString(total.returnedQuantity()), Long.toString(total.invoices()),
            Long.toString(total.lines())));
      }
    }

    /** The first topN products by the order, ties broken by stock code; rank zero-padded to sort. */
    private void emitTop(OutputReceiver<KV<String, List<String>>> out, String ranking,
        List<KV<String, SalesSums>> products, Comparator<KV<String, SalesSums>> order) {
      List<KV<String, SalesSums>> sorted = new ArrayList<>(products);
      sorted.sort(order.thenComparing(KV::getKey));
      int width = Integer.toString(topN).length();
      for (int i = 0; i < Math.min(topN, sorted.size()); i++) {
        SalesSums s = sorted.get(i).getValue();
        emit(out, TOP_PRODUCTS, List.of(ranking, String.format(java.util.Locale.ROOT, "%0" + width + "d", i + 1),
            sorted.get(i).getKey(), s.label(), money(s.net()),
            Long.toString(s.soldQuantity() - s.returnedQuantity()), money(s.gross()), money(s.returns()),
            Long.toString(s.soldQuantity()), Long.toString(s.returnedQuantity()), Long.toString(s.invoices())));
      }
    }

    private void emit(OutputReceiver<KV<String, List<String>>> out, String report, List<String> cells) {
      counters.count("rows-" + report, 1);
      counters.out();
      out.output(KV.of(report, cells));
    }
  }

  /** RFM scores and segments over all customers with a purchase (see {@link Rfm}). */
  static final class RfmFn
      extends DoFn<KV<Integer, Iterable<KV<SalesKey, SalesSums>>>, KV<String, List<String>>> {
    private final LocalDate asOfOption;
    private final StepCounters counters = new StepCounters(BUILD_RFM);

    RfmFn(LocalDate asOf) {
      this.asOfOption = asOf;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<SalesKey, SalesSums>>> group,
        OutputReceiver<KV<String, List<String>>> out) {
      List<Rfm.Customer> customers = new ArrayList<>();
      LocalDate latest = null;
      long noPurchase = 0;
      for (KV<SalesKey, SalesSums> kv : group.getValue()) {
        counters.in();
        SalesSums s = kv.getValue();
        if (kv.getKey().dimension().equals(TOTAL)) {
          latest = s.lastDate();
          continue;
        }
        counters.count("customers", 1);
        counters.count("customer-lines", s.lines());
        if (s.saleInvoices() == 0) {
          noPurchase++; // only returns or non-product lines: no recency, no frequency
        } else {
          customers.add(new Rfm.Customer(kv.getKey().value(), s.lastSale(), s.saleInvoices(), s.net()));
        }
      }
      counters.count("no-purchase", noPurchase);
      if (latest == null) {
        return; // no order line at all
      }
      // The default reference date is derived from the data inside the one group: same on every runner.
      LocalDate asOf = asOfOption != null ? asOfOption : latest.plusDays(1);
      Map<String, long[]> segments = new TreeMap<>();
      Map<String, BigDecimal> monetary = new TreeMap<>();
      for (String name : Rfm.SEGMENTS) {
        segments.put(name, new long[1]);
        monetary.put(name, BigDecimal.ZERO);
      }
      for (Rfm.Scored s : Rfm.score(customers, asOf)) {
        Rfm.Customer c = s.customer();
        emit(out, RFM, List.of(c.id(), c.lastPurchase().toString(), Long.toString(s.recencyDays()),
            Long.toString(c.frequency()), money(c.monetary()), Integer.toString(s.r()),
            Integer.toString(s.f()), Integer.toString(s.m()), "" + s.r() + s.f() + s.m(), s.segment()));
        segments.get(s.segment())[0]++;
        monetary.merge(s.segment(), c.monetary(), BigDecimal::add);
        counters.count("segment-customers", 1);
      }
      for (String name : Rfm.SEGMENTS) {
        emit(out, RFM_SEGMENTS, List.of(name, Long.toString(segments.get(name)[0]), money(monetary.get(name))));
      }
      emit(out, RFM_SUMMARY, List.of(asOf.toString(), Long.toString(customers.size()), Long.toString(noPurchase)));
    }

    private void emit(OutputReceiver<KV<String, List<String>>> out, String report, List<String> cells) {
      counters.count("rows-" + report, 1);
      counters.out();
      out.output(KV.of(report, cells));
    }
  }

  /** Renders and writes the HTML page (temporary name, then renamed, like SortedSink). */
  static final class WriteHtmlFn extends DoFn<KV<Integer, Iterable<KV<String, List<String>>>>, Void> {
    private final String outputDir;
    private final StepCounters counters = new StepCounters("write-html");

    WriteHtmlFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, List<String>>>> group) throws IOException {
      Map<String, List<List<String>>> rows = new TreeMap<>();
      for (KV<String, List<String>> kv : group.getValue()) {
        if (!kv.getKey().isEmpty()) { // not the marker
          counters.count("rows", 1);
          rows.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
        }
      }
      Comparator<List<String>> cells = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = a.get(i).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };
      rows.values().forEach(list -> list.sort(cells));
      String html = SalesHtml.render(rows);
      long lines = html.chars().filter(c -> c == '\n').count();
      for (long i = 0; i < lines; i++) {
        counters.in(); // in = lines rendered, out = lines written: the manifest checks the file
      }
      ResourceId dir = FileSystems.matchNewResource(outputDir, true);
      ResourceId target = dir.resolve(HTML_FILE, StandardResolveOptions.RESOLVE_FILE);
      ResourceId temp = NightshiftRun.temporary(dir, HTML_FILE);
      try (Writer w = new BufferedWriter(new OutputStreamWriter(
          Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT)), StandardCharsets.UTF_8))) {
        w.write(html);
      }
      FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      counters.out(lines);
    }
  }
}
