package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.pipelines.core.BusinessDateOptions;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.BillingAccount;
import dev.nightshift.schemas.healthcare.BillingOpenItem;
import dev.nightshift.schemas.healthcare.BillingPayment;
import dev.nightshift.schemas.healthcare.BillingTransaction;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Healthcare: billing, the payment run after claims adjudication.
 *
 * <p>Reads adjudicated claim lines ({@code adjudicated_lines.csv} of one or several
 * claims-adjudication runs) and the patients' payments, and writes:
 *
 * <ul>
 *   <li>{@code remittance_835.edi}: the provider remittance, one X12 835 interchange with one
 *       transaction per payee provider (see {@link Remittance835}), for the lines adjudicated on the
 *       business date. Older lines were remitted by the runs of their own days, lines adjudicated
 *       after it belong to later runs: a rerun of a day remits the same lines again, in the same
 *       bytes.
 *   <li>{@code patient_statements.csv} and {@code statement_lines.csv}: per patient, the patient
 *       responsibility of every paid line adjudicated up to the business date, less every payment
 *       to date, applied oldest first and aged (see {@link Statements}). The inputs are the whole
 *       history (all adjudication runs and every payment received so far) and the statement is
 *       recomputed from them, so a run needs no state from the run before.
 * </ul>
 *
 * <p>The audit proves that every adjudicated line read is remitted today, outside the run date,
 * an identical copy of another, or a dead letter; and that every payment is applied (to open items
 * or as a credit) or a dead letter.
 */
public final class Billing {
  private Billing() {}

  public static final String NAME = "billing";
  public static final String DESCRIPTION =
      "Healthcare: X12 835 remittance per provider for the day's adjudicated claims, and aged"
          + " patient statements after payments";

  public static final String ADJUDICATED_GLOB = "adjudicated_lines*.csv";
  public static final String PAYMENTS_FILE = "payments.csv";

  /** Options of the billing pipeline. */
  public interface Options extends NightshiftOptions, BusinessDateOptions {
    @Description(
        "Directory holding adjudicated_lines*.csv and payments.csv (as written by `nightshift"
            + " generate healthcare-billing`); --adjudicated and --payments override it.")
    String getInputDir();

    void setInputDir(String value);

    @Description(
        "adjudicated_lines.csv file or glob: the outputs of claims-adjudication runs, possibly"
            + " several days' (default: <inputDir>/adjudicated_lines*.csv). Lines adjudicated on"
            + " --businessDate are remitted; every line up to it feeds the patient statements.")
    String getAdjudicated();

    void setAdjudicated(String value);

    @Description(
        "payments.csv (payment_id,patient_id,payment_date,amount): every payment received from"
            + " patients to date (default: <inputDir>/payments.csv; without either, no payments).")
    String getPayments();

    void setPayments(String value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  /** Builds the pipeline without running it. */
  public static NightshiftRun build(Options options) {
    LocalDate businessDate = BusinessDateOptions.businessDate(options);
    String adjudicated = Inputs.resolve(
        options.getInputDir(), options.getAdjudicated(), ADJUDICATED_GLOB, "adjudicated");
    String payments = options.getPayments() != null && !options.getPayments().isEmpty()
        ? options.getPayments()
        : options.getInputDir() != null && !options.getInputDir().isEmpty()
            ? Inputs.resolve(options.getInputDir(), null, PAYMENTS_FILE, "payments")
            : null;
    NightshiftRun run = NightshiftRun.create(NAME, options);
    run.parameter("business_date", businessDate.toString());
    int buckets = options.getAggregationBuckets();

    // Adjudicated lines: typed, checked, one per claim line, then routed by adjudication date.
    Checked<AdjudicatedLine> lines =
        ReadCsv.read(run, "read-adjudicated", adjudicated, BillingParsers.ADJUDICATED, AdjudicatedLine.CODER)
            .then("check-lines", new BillingChecks.CheckLine(), AdjudicatedLine.CODER);
    lines = DedupeClaimLines.apply(lines, "dedupe-lines");
    TupleTag<AdjudicatedLine> remitTag = new TupleTag<>() {};
    TupleTag<KV<String, BillingAccount>> itemTag = new TupleTag<>() {};
    PCollectionTuple routed =
        lines.output().apply("route-lines",
            ParDo.of(new RouteFn(businessDate, remitTag, itemTag)).withOutputTags(remitTag, TupleTagList.of(itemTag)));
    run.audit()
        .link(lines.step(), "route-lines")
        .expect("route-lines", "every line is remitted today (out), or adjudicated earlier or later",
            List.of(RunAudit.term(StepCounters.inName("route-lines"))),
            List.of(RunAudit.term(StepCounters.outName("route-lines")),
                RunAudit.term(StepCounters.named("route-lines", RouteFn.EARLIER)),
                RunAudit.term(StepCounters.named("route-lines", RouteFn.LATER))));

    // Remittance: the day's lines grouped per payee provider into 835 transactions, then one file.
    PCollection<BillingTransaction> transactions =
        routed.get(remitTag).setCoder(AdjudicatedLine.CODER)
            .apply("key-providers", ParDo.of(new ProviderBucketFn(buckets)))
            .setCoder(KvCoder.of(VarIntCoder.of(), AdjudicatedLine.CODER))
            .apply("group-providers", BatchedGroupByKey.create())
            .apply("build-remittance", ParDo.of(new BuildRemittanceFn(businessDate)))
            .setCoder(BillingTransaction.CODER);
    run.audit()
        .expect("build-remittance", "receives every line remitted today",
            List.of(RunAudit.term(StepCounters.outName("route-lines"))),
            List.of(RunAudit.term(StepCounters.inName("build-remittance"))))
        .expect("build-remittance", "puts every line it receives into its provider's transaction",
            List.of(RunAudit.term(StepCounters.inName("build-remittance"))),
            List.of(RunAudit.term(StepCounters.named("build-remittance", "lines"))));
    writeRemittance(run, "write-remittance", transactions, businessDate);

    // Statements: open items and payments summed per patient, then applied and aged.
    PCollection<KV<String, BillingAccount>> items =
        routed.get(itemTag).setCoder(KvCoder.of(StringUtf8Coder.of(), BillingAccount.CODER));
    PCollectionList<KV<String, BillingAccount>> accounts = PCollectionList.of(items);
    String paymentsStep = null;
    if (payments != null) {
      Checked<BillingPayment> paid =
          ReadCsv.read(run, "read-payments", payments, BillingParsers.PAYMENTS, BillingPayment.CODER)
              .dedupe("dedupe-payments", BillingPayment::paymentId, HealthcareReasons.DUPLICATE_PAYMENT_ID)
              .then("check-payments", new BillingChecks.CheckPayment(businessDate), BillingPayment.CODER);
      paymentsStep = paid.step();
      accounts = accounts.and(
          paid.output()
              .apply("payments-by-patient", MapElements
                  .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(BillingAccount.class)))
                  .via(p -> KV.of(p.patientId(), BillingAccount.payment(p.amount()))))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), BillingAccount.CODER)));
    }
    TupleTag<String> statementTag = new TupleTag<>() {};
    TupleTag<String> lineTag = new TupleTag<>() {};
    PCollectionTuple statements =
        accounts
            .apply("flatten-accounts", Flatten.pCollections())
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BillingAccount.CODER))
            .apply("combine-accounts", KeyedCombine.<String, BillingAccount, BillingAccount, BillingAccount>perKey(
                    SumFn.of(BillingAccount.ZERO, BillingAccount::plus, BillingAccount.CODER))
                .withBuckets(buckets).withPreAggregationLimit(options.getPreAggregationLimit()))
            .apply("build-statements", ParDo.of(new StatementFn(businessDate, statementTag, lineTag))
                .withOutputTags(statementTag, TupleTagList.of(lineTag)));
    SortedSink.write(run, "write-statements", Statements.STATEMENTS_FILE, Csv.header(Statements.STATEMENT_COLUMNS),
        statements.get(statementTag).setCoder(StringUtf8Coder.of()));
    SortedSink.write(run, "write-statement-lines", Statements.LINES_FILE, Csv.header(Statements.LINE_COLUMNS),
        statements.get(lineTag).setCoder(StringUtf8Coder.of()));
    run.audit()
        .step("build-statements")
        .link("build-statements", "write-statements")
        .expect("build-statements", "states every open item exactly once",
            List.of(RunAudit.term(StepCounters.named("route-lines", RouteFn.OPEN))),
            List.of(RunAudit.term(StepCounters.named("build-statements", StatementFn.ITEMS))))
        .expect("write-statement-lines", "receives every open line after payments",
            List.of(RunAudit.term(StepCounters.named("build-statements", StatementFn.LINES))),
            List.of(RunAudit.term(StepCounters.inName("write-statement-lines"))));
    if (paymentsStep != null) {
      run.audit().expect("build-statements", "applies every valid payment, to open items or as a credit",
          List.of(RunAudit.term(StepCounters.outName(paymentsStep))),
          List.of(RunAudit.term(StepCounters.named("build-statements", StatementFn.PAYMENTS))));
    }
    run.figure(ReportFigure.sumColumns("Patient balances due by age (USD)", Statements.STATEMENTS_FILE,
            List.of("current_0_30", "days_31_60", "days_61_90", "days_over_90"), Chart.Style.BARS));
    return run;
  }

  /**
   * Lines adjudicated on the business date go to the remittance (counted out); earlier and later
   * ones are counted. Every line adjudicated up to the business date with a patient responsibility
   * is an open item of its patient.
   */
  static final class RouteFn extends DoFn<AdjudicatedLine, AdjudicatedLine> {
    static final String EARLIER = "earlier";
    static final String LATER = "later";
    static final String OPEN = "open";

    private final LocalDate businessDate;
    private final TupleTag<AdjudicatedLine> remit;
    private final TupleTag<KV<String, BillingAccount>> items;
    private final StepCounters counters = new StepCounters("route-lines");

    RouteFn(LocalDate businessDate, TupleTag<AdjudicatedLine> remit, TupleTag<KV<String, BillingAccount>> items) {
      this.businessDate = businessDate;
      this.remit = remit;
      this.items = items;
    }

    @ProcessElement
    public void process(@Element AdjudicatedLine l, MultiOutputReceiver out) {
      counters.in();
      int when = l.adjudicationDate().compareTo(businessDate);
      if (when > 0) {
        counters.count(LATER, 1); // a later run's line: neither remitted nor billed yet
        return;
      }
      if (when == 0) {
        counters.out();
        out.get(remit).output(l);
      } else {
        counters.count(EARLIER, 1);
      }
      if (l.patientResponsibility().signum() > 0) {
        counters.count(OPEN, 1);
        out.get(items).output(KV.of(l.patientId(), BillingAccount.of(
            new BillingOpenItem(l.claimId(), l.lineNo(), l.serviceDate(), l.patientResponsibility()))));
      }
    }
  }

  /** Keys lines by a bucket of their provider: every line of a provider meets in one group. */
  static final class ProviderBucketFn extends DoFn<AdjudicatedLine, KV<Integer, AdjudicatedLine>> {
    private final int buckets;

    ProviderBucketFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element AdjudicatedLine l, OutputReceiver<KV<Integer, AdjudicatedLine>> out) {
      out.output(KV.of(Buckets.of(Buckets.encode(StringUtf8Coder.of(), l.providerId()), buckets), l));
    }
  }

  /** Builds the 835 transaction of each provider of a bucket. */
  static final class BuildRemittanceFn extends DoFn<KV<Integer, Iterable<AdjudicatedLine>>, BillingTransaction> {
    private final LocalDate businessDate;
    private final StepCounters counters = new StepCounters("build-remittance");

    BuildRemittanceFn(LocalDate businessDate) {
      this.businessDate = businessDate;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<AdjudicatedLine>> bucket, OutputReceiver<BillingTransaction> out) {
      Map<String, List<AdjudicatedLine>> byProvider = new TreeMap<>();
      for (AdjudicatedLine l : bucket.getValue()) {
        counters.in();
        byProvider.computeIfAbsent(l.providerId(), p -> new ArrayList<>()).add(l);
      }
      for (Map.Entry<String, List<AdjudicatedLine>> e : byProvider.entrySet()) {
        BillingTransaction t = Remittance835.transaction(e.getKey(), e.getValue(), businessDate);
        counters.count("claims", t.claims());
        counters.count("lines", t.lines());
        counters.out();
        out.output(t);
      }
    }
  }

  /**
   * Writes the one interchange: every transaction gathered on one key (a null marker makes sure
   * the file is written when there is none), sorted by provider, written under a temporary name
   * through Beam FileSystems and renamed into place. The file's records are its segments, one per
   * line: the step counts them in and out when it writes them.
   */
  static void writeRemittance(
      NightshiftRun run, String step, PCollection<BillingTransaction> transactions, LocalDate businessDate) {
    run.registerOutput(step, Remittance835.FILE_NAME, false);
    KvCoder<Integer, BillingTransaction> coder =
        KvCoder.of(VarIntCoder.of(), NullableCoder.of(BillingTransaction.CODER));
    PCollection<KV<Integer, BillingTransaction>> keyed =
        transactions
            .apply(step + "/key", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(BillingTransaction.class)))
                .via(t -> KV.of(0, t)))
            .setCoder(coder);
    PCollection<KV<Integer, BillingTransaction>> marker =
        run.pipeline().apply(step + "/marker", Create.of(KV.of(0, (BillingTransaction) null)).withCoder(coder));
    PCollectionList.of(keyed).and(marker)
        .apply(step + "/flatten", Flatten.pCollections())
        .apply(step + "/gather", BatchedGroupByKey.create())
        .apply(step + "/write", ParDo.of(new WriteRemittanceFn(run.options().getOutput(), businessDate, new StepCounters(step))));
    run.audit().expect(step, "writes every provider's transaction",
        List.of(RunAudit.term(StepCounters.outName("build-remittance"))),
        List.of(RunAudit.term(StepCounters.named(step, "transactions"))));
  }

  static final class WriteRemittanceFn extends DoFn<KV<Integer, Iterable<BillingTransaction>>, Void> {
    private final String outputDir;
    private final LocalDate businessDate;
    private final StepCounters counters;

    WriteRemittanceFn(String outputDir, LocalDate businessDate, StepCounters counters) {
      this.outputDir = outputDir;
      this.businessDate = businessDate;
      this.counters = counters;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<BillingTransaction>> group) throws IOException {
      List<BillingTransaction> all = new ArrayList<>();
      for (BillingTransaction t : group.getValue()) {
        if (t != null) {
          all.add(t);
        }
      }
      all.sort(Comparator.comparing(BillingTransaction::providerId));
      ResourceId dir = FileSystems.matchNewResource(outputDir, true);
      ResourceId target = dir.resolve(Remittance835.FILE_NAME, StandardResolveOptions.RESOLVE_FILE);
      ResourceId temp = NightshiftRun.temporary(dir, Remittance835.FILE_NAME);
      int segments;
      try (OutputStream os = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT))) {
        segments = Remittance835.write(os, businessDate, all);
      }
      FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      // The segments exist only once written: in (the sink's records received) = out = segments.
      counters.count("in", segments);
      counters.out(segments);
      counters.count("transactions", all.size());
    }
  }

  /** Builds each patient's statement line and open lines. */
  static final class StatementFn extends DoFn<KV<String, BillingAccount>, String> {
    static final String ITEMS = "items";
    static final String PAYMENTS = "payments";
    static final String LINES = "lines";

    private final LocalDate statementDate;
    private final TupleTag<String> statements;
    private final TupleTag<String> lines;
    private final StepCounters counters = new StepCounters("build-statements");

    StatementFn(LocalDate statementDate, TupleTag<String> statements, TupleTag<String> lines) {
      this.statementDate = statementDate;
      this.statements = statements;
      this.lines = lines;
    }

    @ProcessElement
    public void process(@Element KV<String, BillingAccount> account, MultiOutputReceiver out) {
      counters.in();
      Statements.Statement s = Statements.of(account.getKey(), account.getValue(), statementDate);
      counters.count(ITEMS, s.items());
      counters.count(PAYMENTS, s.payments());
      counters.count(LINES, s.openLines().size());
      for (String line : s.openLines()) {
        out.get(lines).output(line);
      }
      counters.out();
      out.get(statements).output(s.line());
    }
  }
}
