package dev.nightshift.pipelines.retail;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.pipelines.core.Money;
import dev.nightshift.schemas.retail.ClassifiedLine;
import dev.nightshift.schemas.retail.CustomerSums;
import dev.nightshift.schemas.retail.InvoiceTotal;
import dev.nightshift.schemas.retail.OrderLine;
import dev.nightshift.schemas.retail.StockMovement;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Retail: customer order processing on the UCI Online Retail CSV.
 *
 * <p>Reads the order rows, validates them ({@link RetailParsers}), classifies each valid row as
 * CANCELLATION (InvoiceNo starts with C) &gt; NON_PRODUCT (postage, discount, fee... stock codes)
 * &gt; GUEST_PURCHASE (no CustomerID) &gt; SALE, and writes {@code order_lines.csv},
 * {@code daily_movements.csv} (stock sold and returned per day, country-as-store and SKU, read by
 * inventory-update), {@code order_totals.csv} per invoice, {@code cancellations.csv} (each
 * cancellation row matched to an original line where the data allows) and
 * {@code customer_history.csv}.
 */
public final class OrderProcessing {
  private OrderProcessing() {}

  public static final String NAME = "order-processing";
  public static final String DESCRIPTION =
      "Retail: validate and classify UCI Online Retail order rows; order totals, cancellations"
          + " matched to their sales, customer history and daily stock movements";

  public static final String ORDER_LINES_FILE = "order_lines.csv";
  public static final String MOVEMENTS_FILE = "daily_movements.csv";
  public static final String TOTALS_FILE = "order_totals.csv";
  public static final String CANCELLATIONS_FILE = "cancellations.csv";
  public static final String CUSTOMERS_FILE = "customer_history.csv";

  public static final String[] ORDER_LINE_COLUMNS = {
    "invoice_no", "line_no", "stock_code", "description", "quantity", "unit_price", "amount",
    "invoice_time", "customer_id", "country", "line_type"
  };
  public static final String[] MOVEMENT_COLUMNS = {
    "business_date", "store_id", "sku", "sold_quantity", "returned_quantity"
  };
  public static final String[] TOTAL_COLUMNS = {
    "invoice_no", "customer_id", "country", "invoice_time", "lines", "quantity", "amount", "type"
  };
  public static final String[] CANCELLATION_COLUMNS = {
    "invoice_no", "line_no", "stock_code", "quantity", "amount", "invoice_time", "customer_id",
    "country", "matched_invoice_no", "matched_line_no", "status"
  };
  public static final String[] CUSTOMER_COLUMNS = {
    "customer_id", "first_invoice_time", "last_invoice_time", "invoices", "cancellations", "lines",
    "quantity", "amount"
  };

  /** Cancellation match status: an original line was found. */
  public static final String MATCHED = "MATCHED";
  /** A guest's cancellation: without a customer there is nothing to match on. */
  public static final String UNMATCHED_GUEST = "UNMATCHED_GUEST";
  /** No earlier line of the customer with that stock code has enough quantity left. */
  public static final String UNMATCHED = "UNMATCHED";

  /** The currency of the UCI retailer. */
  static final String GBP = "GBP";
  static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

  /** Options of the order processing pipeline. */
  public interface Options extends NightshiftOptions {
    @Description("UCI Online Retail CSV file or glob (InvoiceNo,StockCode,Description,Quantity,"
        + "InvoiceDate,UnitPrice,CustomerID,Country).")
    String getInput();

    void setInput(String value);

    @Description("Directory holding online_retail*.csv (as written by `nightshift generate"
        + " retail-orders`); --input overrides it.")
    String getInputDir();

    void setInputDir(String value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  /** Builds the pipeline without running it. */
  public static NightshiftRun build(Options options) {
    String input = Inputs.resolve(options.getInputDir(), options.getInput(), "online_retail*.csv", "input");
    NightshiftRun run = NightshiftRun.create(NAME, options);
    int buckets = options.getAggregationBuckets();
    int limit = options.getPreAggregationLimit();

    Checked<ClassifiedLine> lines =
        ReadCsv.read(run, "read-orders", input, RetailParsers.ORDER_LINES, OrderLine.CODER)
            .then("classify-lines", new ClassifyFn(), ClassifiedLine.CODER);
    PCollection<ClassifiedLine> classified = lines.output();

    // 1. order_lines.csv: every valid row.
    SortedSink.write(run, "write-order-lines", ORDER_LINES_FILE, Csv.header(ORDER_LINE_COLUMNS),
        classified.apply("format-order-lines", MapElements.into(TypeDescriptors.strings())
            .via(OrderProcessing::orderLine)));
    run.audit().link("classify-lines", "write-order-lines");

    // 2. daily_movements.csv: product lines move stock; non-product lines never do.
    PCollection<String> movements =
        classified
            .apply("movement-lines", ParDo.of(new MovementFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StockMovement.CODER))
            .apply("sum-movements", KeyedCombine.<String, StockMovement, StockMovement, StockMovement>perKey(
                SumFn.of(StockMovement.ZERO, StockMovement::plus, StockMovement.CODER))
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("build-movements", ParDo.of(new MovementOutFn()));
    SortedSink.write(run, "write-movements", MOVEMENTS_FILE, Csv.header(MOVEMENT_COLUMNS), movements);
    run.audit()
        .link("classify-lines", "movement-lines")
        .expect("movement-lines", "moves stock for every product line and skips the others",
            List.of(RunAudit.term(StepCounters.inName("movement-lines"))),
            List.of(RunAudit.term(StepCounters.outName("movement-lines")),
                RunAudit.term(StepCounters.named("movement-lines", "skipped"))))
        .step("build-movements")
        .expect("sum-movements", "sums every stock-moving line into exactly one movement",
            List.of(RunAudit.term(StepCounters.outName("movement-lines"))),
            List.of(RunAudit.term(StepCounters.named("build-movements", "lines"))))
        .link("build-movements", "write-movements");

    // 3. order_totals.csv: one line per invoice.
    PCollection<KV<String, InvoiceTotal>> invoices =
        classified
            .apply("invoice-lines", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), org.apache.beam.sdk.values.TypeDescriptor.of(InvoiceTotal.class)))
                .via(c -> KV.of(c.line().invoiceNo(), InvoiceTotal.of(c))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), InvoiceTotal.CODER))
            .apply("sum-invoices", KeyedCombine.<String, InvoiceTotal, InvoiceTotal, InvoiceTotal>perKey(
                SumFn.of(InvoiceTotal.ZERO, InvoiceTotal::plus, InvoiceTotal.CODER))
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("build-order-totals", ParDo.of(new CountLinesFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), InvoiceTotal.CODER));
    SortedSink.write(run, "write-order-totals", TOTALS_FILE, Csv.header(TOTAL_COLUMNS),
        invoices.apply("format-order-totals", MapElements.into(TypeDescriptors.strings())
            .via(kv -> totalLine(kv.getKey(), kv.getValue()))));
    run.audit()
        .step("build-order-totals")
        .expect("sum-invoices", "totals every order line into exactly one invoice",
            List.of(RunAudit.term(StepCounters.outName("classify-lines"))),
            List.of(RunAudit.term(StepCounters.named("build-order-totals", "lines"))))
        .link("build-order-totals", "write-order-totals");

    // 4. customer_history.csv: the invoices of known customers, summed per customer.
    PCollection<String> customers =
        invoices
            .apply("customer-invoices", ParDo.of(new CustomerFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), CustomerSums.CODER))
            .apply("sum-customers", KeyedCombine.<String, CustomerSums, CustomerSums, CustomerSums>perKey(
                SumFn.of(CustomerSums.ZERO, CustomerSums::plus, CustomerSums.CODER))
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("build-customer-history", ParDo.of(new CustomerOutFn()));
    SortedSink.write(run, "write-customer-history", CUSTOMERS_FILE, Csv.header(CUSTOMER_COLUMNS), customers);
    run.audit()
        .link("build-order-totals", "customer-invoices")
        .expect("customer-invoices", "takes every invoice of a known customer and skips guests'",
            List.of(RunAudit.term(StepCounters.inName("customer-invoices"))),
            List.of(RunAudit.term(StepCounters.outName("customer-invoices")),
                RunAudit.term(StepCounters.named("customer-invoices", "skipped"))))
        .step("build-customer-history")
        .expect("sum-customers", "sums every customer invoice into exactly one customer",
            List.of(RunAudit.term(StepCounters.outName("customer-invoices"))),
            List.of(RunAudit.term(StepCounters.named("build-customer-history", "invoices"))))
        .link("build-customer-history", "write-customer-history");

    // 5. cancellations.csv: a customer's lines of one stock code meet in the same bucket.
    PCollection<String> cancellations =
        classified
            .apply("match-keys", ParDo.of(new MatchKeyFn(buckets)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ClassifiedLine.CODER))
            .apply("group-match-buckets", BatchedGroupByKey.create())
            .apply("match-cancellations", ParDo.of(new MatchFn()));
    SortedSink.write(run, "write-cancellations", CANCELLATIONS_FILE, Csv.header(CANCELLATION_COLUMNS),
        cancellations);
    run.audit()
        .link("classify-lines", "match-keys")
        .expect("match-keys", "keys every cancellation and every customer's sale line, skips the rest",
            List.of(RunAudit.term(StepCounters.inName("match-keys"))),
            List.of(RunAudit.term(StepCounters.outName("match-keys")),
                RunAudit.term(StepCounters.named("match-keys", "skipped"))))
        .link("match-keys", "match-cancellations")
        .expect("match-cancellations", "puts out every cancellation row once",
            List.of(RunAudit.term(StepCounters.named("classify-lines", ClassifiedLine.CANCELLATION))),
            List.of(RunAudit.term(StepCounters.outName("match-cancellations"))))
        .expect("match-cancellations", "counts every cancellation as matched or unmatched",
            List.of(RunAudit.term(StepCounters.outName("match-cancellations"))),
            List.of(RunAudit.term(StepCounters.named("match-cancellations", "matched")),
                RunAudit.term(StepCounters.named("match-cancellations", "unmatched"))))
        .link("match-cancellations", "write-cancellations");
    run.figure(ReportFigure.sumBy("Sales by hour (sales and guest purchases)", ORDER_LINES_FILE,
            r -> r.get("line_type").equals("SALE") || r.get("line_type").equals("GUEST_PURCHASE")
                ? r.get("invoice_time").substring(11, 13) + "h" : null, "amount", Chart.Style.COLUMNS))
        .figure(ReportFigure.countBy("Order lines by type", ORDER_LINES_FILE, "line_type", Chart.Style.BARS));
    return run;
  }

  /** The contract's precedence: CANCELLATION > NON_PRODUCT > GUEST_PURCHASE > SALE. */
  static String lineType(OrderLine l) {
    if (l.cancellation()) {
      return ClassifiedLine.CANCELLATION;
    }
    if (RetailParsers.isNonProduct(l.stockCode())) {
      return ClassifiedLine.NON_PRODUCT;
    }
    return l.guest() ? ClassifiedLine.GUEST_PURCHASE : ClassifiedLine.SALE;
  }

  /** Classifies a valid row and computes its amount; counts rows per line type. */
  static final class ClassifyFn extends FailsafeFn<OrderLine, ClassifiedLine> {
    private transient StepCounters byType;

    @Override
    protected ClassifiedLine apply(OrderLine l, ProcessContext context) {
      if (byType == null) {
        byType = new StepCounters("classify-lines");
      }
      String type = lineType(l);
      byType.count(type, 1);
      if (l.guest()) {
        byType.count("guest-rows", 1);
      }
      return new ClassifiedLine(l, type, RetailParsers.amount(l.quantity(), l.unitPrice()));
    }
  }

  static String time(LocalDateTime t) {
    return t.format(MINUTES);
  }

  /** Unit prices keep their own digits, at least two (UCI has a few sub-penny prices). */
  static String unitPrice(BigDecimal price) {
    BigDecimal stripped = price.stripTrailingZeros();
    return price.setScale(Math.max(2, stripped.scale()), java.math.RoundingMode.UNNECESSARY).toPlainString();
  }

  static String orderLine(ClassifiedLine c) {
    OrderLine l = c.line();
    return Csv.line(l.invoiceNo(), l.source().line(), l.stockCode(), l.description(), l.quantity(),
        unitPrice(l.unitPrice()), Money.format(c.amount(), GBP), time(l.invoiceTime()), l.customerId(),
        l.country(), c.lineType());
  }

  /** Key of a movement: business date, store (country) and SKU; a separator no field holds. */
  static final char SEP = '\u0001';

  static final class MovementFn extends DoFn<ClassifiedLine, KV<String, StockMovement>> {
    private final StepCounters counters = new StepCounters("movement-lines");

    @ProcessElement
    public void process(@Element ClassifiedLine c, OutputReceiver<KV<String, StockMovement>> out) {
      counters.in();
      OrderLine l = c.line();
      if (RetailParsers.isNonProduct(l.stockCode())) {
        counters.count("skipped", 1);
        return;
      }
      StockMovement m = l.cancellation()
          ? new StockMovement(0, -l.quantity(), 1)
          : new StockMovement(l.quantity(), 0, 1);
      counters.out();
      out.output(KV.of(l.invoiceTime().toLocalDate().toString() + SEP + l.country() + SEP + l.stockCode(), m));
    }
  }

  static final class MovementOutFn extends DoFn<KV<String, StockMovement>, String> {
    private final StepCounters counters = new StepCounters("build-movements");

    @ProcessElement
    public void process(@Element KV<String, StockMovement> kv, OutputReceiver<String> out) {
      counters.in();
      String[] k = kv.getKey().split(String.valueOf(SEP), -1);
      StockMovement m = kv.getValue();
      counters.count("lines", m.lines());
      counters.out();
      out.output(Csv.line(k[0], k[1], k[2], m.sold(), m.returned()));
    }
  }

  static final class CountLinesFn extends DoFn<KV<String, InvoiceTotal>, KV<String, InvoiceTotal>> {
    private final StepCounters counters = new StepCounters("build-order-totals");

    @ProcessElement
    public void process(@Element KV<String, InvoiceTotal> kv, OutputReceiver<KV<String, InvoiceTotal>> out) {
      counters.in();
      counters.count("lines", kv.getValue().lines());
      counters.count(invoiceType(kv.getKey(), kv.getValue()), 1);
      counters.out();
      out.output(kv);
    }
  }

  /**
   * CANCELLATION (C invoice) > NON_PRODUCT (only non-product lines, e.g. a postage or fee invoice)
   * > GUEST_PURCHASE (no customer) > SALE.
   */
  static String invoiceType(String invoiceNo, InvoiceTotal t) {
    if (invoiceNo.startsWith("C")) {
      return ClassifiedLine.CANCELLATION;
    }
    if (t.productLines() == 0) {
      return ClassifiedLine.NON_PRODUCT;
    }
    return t.customerId().isEmpty() ? ClassifiedLine.GUEST_PURCHASE : ClassifiedLine.SALE;
  }

  static String totalLine(String invoiceNo, InvoiceTotal t) {
    return Csv.line(invoiceNo, t.customerId(), t.country(), time(t.invoiceTime()), t.lines(),
        t.quantity(), Money.format(t.amount(), GBP), invoiceType(invoiceNo, t));
  }

  static final class CustomerFn extends DoFn<KV<String, InvoiceTotal>, KV<String, CustomerSums>> {
    private final StepCounters counters = new StepCounters("customer-invoices");

    @ProcessElement
    public void process(@Element KV<String, InvoiceTotal> kv, OutputReceiver<KV<String, CustomerSums>> out) {
      counters.in();
      InvoiceTotal t = kv.getValue();
      if (t.customerId().isEmpty()) {
        counters.count("skipped", 1);
        return;
      }
      boolean cancellation = kv.getKey().startsWith("C");
      counters.out();
      out.output(KV.of(t.customerId(), new CustomerSums(t.invoiceTime(), t.invoiceTime(),
          cancellation ? 0 : 1, cancellation ? 1 : 0, t.lines(), t.quantity(), t.amount())));
    }
  }

  static final class CustomerOutFn extends DoFn<KV<String, CustomerSums>, String> {
    private final StepCounters counters = new StepCounters("build-customer-history");

    @ProcessElement
    public void process(@Element KV<String, CustomerSums> kv, OutputReceiver<String> out) {
      counters.in();
      CustomerSums s = kv.getValue();
      counters.count("invoices", s.invoices() + s.cancellations());
      counters.out();
      out.output(Csv.line(kv.getKey(), time(s.first()), time(s.last()), s.invoices(),
          s.cancellations(), s.lines(), s.quantity(), Money.format(s.amount(), GBP)));
    }
  }

  /** Cancellations, and the lines of known customers' other invoices they may cancel. */
  static final class MatchKeyFn extends DoFn<ClassifiedLine, KV<Integer, ClassifiedLine>> {
    private final StepCounters counters = new StepCounters("match-keys");
    private final int buckets;

    MatchKeyFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element ClassifiedLine c, OutputReceiver<KV<Integer, ClassifiedLine>> out) {
      counters.in();
      OrderLine l = c.line();
      if (!l.cancellation() && l.guest()) {
        counters.count("skipped", 1);
        return;
      }
      byte[] key = (l.customerId() + SEP + l.stockCode()).getBytes(StandardCharsets.UTF_8);
      counters.out();
      out.output(KV.of(Buckets.of(key, buckets), c));
    }
  }

  /** Numeric part of an invoice number (after its letter, if any). */
  static long invoiceNumber(String invoiceNo) {
    return Long.parseLong(Character.isDigit(invoiceNo.charAt(0)) ? invoiceNo : invoiceNo.substring(1));
  }

  /** Order of events: invoice time, then invoice number (UCI numbers are sequential), file, line. */
  static final Comparator<OrderLine> CHRONOLOGICAL =
      Comparator.comparing(OrderLine::invoiceTime)
          .thenComparingLong(l -> invoiceNumber(l.invoiceNo()))
          .thenComparing(l -> l.source().file())
          .thenComparingLong(l -> l.source().line());

  /**
   * Matches the cancellations of one bucket. Per customer and stock code, cancellations are taken in
   * chronological order; each is matched to the latest original line (a line of a non-cancellation
   * invoice of the same customer and stock code) that comes before it in {@link #CHRONOLOGICAL}
   * order and still has at least the cancelled quantity left; the match uses up that quantity, so
   * an original line is never cancelled for more than was sold. Guests' cancellations are
   * UNMATCHED_GUEST.
   */
  static final class MatchFn extends DoFn<KV<Integer, Iterable<ClassifiedLine>>, String> {
    private final StepCounters counters = new StepCounters("match-cancellations");

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ClassifiedLine>> bucket, OutputReceiver<String> out) {
      Map<String, List<ClassifiedLine>> byKey = new HashMap<>();
      for (ClassifiedLine c : bucket.getValue()) {
        byKey.computeIfAbsent(c.line().customerId() + SEP + c.line().stockCode(), k -> new ArrayList<>()).add(c);
        counters.in();
      }
      for (List<ClassifiedLine> group : byKey.values()) {
        for (String line : match(group)) {
          counters.out();
          counters.count(line.endsWith("," + MATCHED) ? "matched" : "unmatched", 1);
          out.output(line);
        }
      }
    }
  }

  /** The cancellations.csv lines of one customer and stock code (see {@link MatchFn}). */
  static List<String> match(List<ClassifiedLine> group) {
    List<OrderLine> lines = new ArrayList<>();
    for (ClassifiedLine c : group) {
      lines.add(c.line());
    }
    lines.sort(CHRONOLOGICAL);
    List<OrderLine> originals = new ArrayList<>();
    List<Long> left = new ArrayList<>();
    List<String> result = new ArrayList<>();
    for (OrderLine l : lines) {
      if (!l.cancellation()) {
        originals.add(l);
        left.add(l.quantity());
        continue;
      }
      OrderLine found = null;
      if (!l.guest()) {
        for (int i = originals.size() - 1; i >= 0; i--) {
          if (left.get(i) >= -l.quantity()) {
            found = originals.get(i);
            left.set(i, left.get(i) + l.quantity());
            break;
          }
        }
      }
      String status = found != null ? MATCHED : l.guest() ? UNMATCHED_GUEST : UNMATCHED;
      result.add(Csv.line(l.invoiceNo(), l.source().line(), l.stockCode(), l.quantity(),
          Money.format(RetailParsers.amount(l.quantity(), l.unitPrice()), GBP), time(l.invoiceTime()),
          l.customerId(), l.country(), found == null ? "" : found.invoiceNo(),
          found == null ? "" : found.source().line(), status));
    }
    return result;
  }
}
