package dev.nightshift.pipelines.finance.reports;

import dev.nightshift.pipelines.core.BusinessDateOptions;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.pipelines.core.Money;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.EodEntry;
import dev.nightshift.schemas.finance.FxRate;
import dev.nightshift.schemas.finance.JournalLine;
import dev.nightshift.schemas.finance.LedgerSums;
import dev.nightshift.schemas.finance.PnlSums;
import dev.nightshift.schemas.finance.PositionSum;
import dev.nightshift.schemas.finance.PostedLine;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Finance: end-of-day financial reports from the general ledger.
 *
 * <p>Reads the day's journal postings and FX rates, posts each journal whole or refuses it whole
 * (see {@link CheckJournalsFn} for the rules), and reports the trial balance per legal entity x
 * account x currency with its per-entity/currency debit = credit check, and the daily P&L per desk
 * in the reporting currency. Given {@code --settlementDir} (the output of a trade-settlement run),
 * it also reports end-of-day securities and cash positions per participant.
 *
 * <p>Outputs, in {@code --output}: {@code trial_balance.csv}, {@code trial_balance_totals.csv},
 * {@code pnl_by_desk.csv}, {@code eod_positions.csv} (with {@code --settlementDir}),
 * {@code dead_letters.jsonl} and {@code _manifest.json}.
 */
public final class FinancialReports {
  private FinancialReports() {}

  public static final String NAME = "financial-reports";
  public static final String DESCRIPTION =
      "Finance: double-entry check of GL journals, trial balance, daily P&L per desk in the"
          + " reporting currency, end-of-day positions from a settlement run";

  public static final String TRIAL_BALANCE_FILE = "trial_balance.csv";
  public static final String TOTALS_FILE = "trial_balance_totals.csv";
  public static final String PNL_FILE = "pnl_by_desk.csv";
  public static final String EOD_FILE = "eod_positions.csv";

  public static final String[] TRIAL_BALANCE_COLUMNS = {
    "legal_entity", "account", "currency", "debit", "credit", "balance", "lines"
  };
  public static final String[] TOTALS_COLUMNS = {
    "legal_entity", "currency", "debit", "credit", "difference", "lines", "balanced"
  };
  public static final String[] PNL_COLUMNS = {
    "posting_date", "desk", "currency", "revenue", "expenses", "pnl", "lines"
  };
  public static final String[] EOD_COLUMNS = {
    "participant_id", "asset_class", "asset", "position", "movements"
  };

  /** Separates the parts of a string aggregation key (never in an identifier of the inputs). */
  static final String SEP = "\u001f";

  /** Options of the financial reports pipeline. */
  public interface Options extends NightshiftOptions, BusinessDateOptions {
    @Description(
        "Directory holding journals.csv and fx_rates.csv (as written by `nightshift generate"
            + " finance-journals`); the per-file options override it.")
    String getInputDir();

    void setInputDir(String value);

    @Description(
        "Journal postings CSV: journal_id,line_no,legal_entity,account,desk,posting_date,currency,"
            + "debit,credit,description (default: <inputDir>/journals.csv).")
    String getJournals();

    void setJournals(String value);

    @Description("FX rates CSV: date,from_currency,to_currency,rate (default: <inputDir>/fx_rates.csv).")
    String getFxRates();

    void setFxRates(String value);

    @Description(
        "Optional: output folder of a trade-settlement run (instructions.csv, cash_positions.csv);"
            + " when given, eod_positions.csv is written.")
    String getSettlementDir();

    void setSettlementDir(String value);


    @Description("Currency of the P&L report (ISO 4217); fx_rates.csv must hold <currency>->it rates.")
    @Default.String("EUR")
    String getReportingCurrency();

    void setReportingCurrency(String value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  static final TupleTag<PostedLine> POSTED = new TupleTag<PostedLine>() {};

  /** Builds the pipeline without running it. */
  public static NightshiftRun build(Options options) {
    LocalDate businessDate = BusinessDateOptions.businessDate(options);
    String reporting = options.getReportingCurrency();
    if (!ReportParsers.isCurrency(reporting)) {
      throw new IllegalArgumentException(
          "--reportingCurrency must be an ISO 4217 code, got '" + reporting + "'");
    }
    NightshiftRun run = NightshiftRun.create(NAME, options);
    run.parameter("business_date", businessDate.toString());
    run.parameter("reporting_currency", reporting);
    int buckets = options.getAggregationBuckets();
    int limit = options.getPreAggregationLimit();

    // FX rates: first rate of each date|from|to kept, broadcast as a map side input.
    PCollectionView<Map<String, BigDecimal>> fx =
        ReadCsv.read(run, "read-fx-rates", input(options, options.getFxRates(), "fx_rates.csv"),
                ReportParsers.FX_RATES, FxRate.CODER)
            .dedupe("dedupe-fx-rates", FxRate::key, Reasons.DUPLICATE_KEY)
            .toView("fx-view")
            .apply("fx-by-key", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(BigDecimal.class)))
                .via(r -> KV.of(r.key(), r.rate())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of()))
            .apply("fx-view/view", View.asMap());

    // Journal lines, grouped by a bucket of their journal id (a bounded number of groups whatever
    // the number of journals); each bucket then groups its lines per journal in memory.
    PCollection<JournalLine> lines =
        ReadCsv.read(run, "read-journals", input(options, options.getJournals(), "journals.csv"),
                ReportParsers.JOURNALS, JournalLine.CODER)
            .output();
    PCollectionTuple checked =
        lines
            .apply("bucket-journals", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(JournalLine.class)))
                .via(l -> KV.of(bucketOf(l.journalId(), buckets), l)))
            .setCoder(KvCoder.of(VarIntCoder.of(), JournalLine.CODER))
            .apply("group-journals", BatchedGroupByKey.create())
            .apply(CheckJournalsFn.STEP, ParDo
                .of(new CheckJournalsFn(NAME, businessDate, reporting, fx, POSTED, run.deadTag()))
                .withOutputTags(POSTED, TupleTagList.of(run.deadTag()))
                .withSideInputs(fx));
    run.addDeadLetters(checked.get(run.deadTag()).setCoder(DeadLetter.CODER));
    PCollection<PostedLine> posted = checked.get(POSTED).setCoder(PostedLine.CODER);
    String check = CheckJournalsFn.STEP;
    run.audit()
        .link("read-journals", check)
        .step(check)
        .expect(check, "posts or dead-letters every journal line read",
            List.of(RunAudit.term(StepCounters.inName("read-journals"))),
            List.of(RunAudit.term(StepCounters.outName(check)),
                RunAudit.term(StepCounters.deadName("read-journals")),
                RunAudit.term(StepCounters.deadName(check))));

    // Trial balance per legal entity x account x currency, and its debit = credit check.
    PCollection<KV<String, LedgerSums>> balances =
        sum(posted, "trial-balance", p -> key(p.line().legalEntity(), p.line().account(), p.line().currency()),
            FinancialReports::ledgerOf, SumFn.of(LedgerSums.ZERO, LedgerSums::plus, LedgerSums.CODER),
            LedgerSums.CODER, buckets, limit);
    SortedSink.write(run, "write-trial-balance", TRIAL_BALANCE_FILE, Csv.header(TRIAL_BALANCE_COLUMNS),
        balances.apply("build-trial-balance", ParDo.of(new LedgerOutFn("build-trial-balance", false))));
    PCollection<KV<String, LedgerSums>> totals =
        sum(posted, "trial-balance-totals", p -> key(p.line().legalEntity(), p.line().currency()),
            FinancialReports::ledgerOf, SumFn.of(LedgerSums.ZERO, LedgerSums::plus, LedgerSums.CODER),
            LedgerSums.CODER, Math.min(buckets, 16), limit);
    SortedSink.write(run, "write-trial-balance-totals", TOTALS_FILE, Csv.header(TOTALS_COLUMNS),
        totals.apply("build-trial-balance-totals", ParDo.of(new LedgerOutFn("build-trial-balance-totals", true))));
    for (String build : List.of("build-trial-balance", "build-trial-balance-totals")) {
      run.audit()
          .step(build)
          .link(build, build.replace("build-", "write-"))
          .expect(build, "sums every posted line exactly once",
              List.of(RunAudit.term(StepCounters.outName(check))),
              List.of(RunAudit.term(StepCounters.named(build, "lines"))));
    }

    // Daily P&L per desk, in the reporting currency (amounts converted per line by the check).
    PCollection<PostedLine> pnlLines =
        posted.apply("pnl-lines", ParDo.of(new PnlLinesFn()))
            .setCoder(PostedLine.CODER);
    PCollection<KV<String, PnlSums>> pnl =
        sum(pnlLines, "pnl", p -> key(p.line().postingDate().toString(), p.line().desk()),
            FinancialReports::pnlOf, SumFn.of(PnlSums.ZERO, PnlSums::plus, PnlSums.CODER),
            PnlSums.CODER, Math.min(buckets, 16), limit);
    SortedSink.write(run, "write-pnl", PNL_FILE, Csv.header(PNL_COLUMNS),
        pnl.apply("build-pnl", ParDo.of(new PnlOutFn(reporting))));
    run.audit()
        .link(check, "pnl-lines")
        .expect("pnl-lines", "keeps the P&L lines and passes over balance-sheet lines",
            List.of(RunAudit.term(StepCounters.inName("pnl-lines"))),
            List.of(RunAudit.term(StepCounters.outName("pnl-lines")),
                RunAudit.term(StepCounters.named("pnl-lines", "balance-sheet"))))
        .expect("pnl-lines", "gets every P&L line the check posted",
            List.of(RunAudit.term(StepCounters.named(check, "pnl-lines"))),
            List.of(RunAudit.term(StepCounters.outName("pnl-lines"))))
        .step("build-pnl")
        .link("build-pnl", "write-pnl")
        .expect("build-pnl", "sums every P&L line exactly once",
            List.of(RunAudit.term(StepCounters.outName("pnl-lines"))),
            List.of(RunAudit.term(StepCounters.named("build-pnl", "lines"))));

    if (options.getSettlementDir() != null && !options.getSettlementDir().isEmpty()) {
      eodPositions(run, options.getSettlementDir(), businessDate, buckets, limit);
    }
    run.figure(ReportFigure.sumBy("P&L by desk (reporting currency)", PNL_FILE, r -> r.get("desk"), "pnl",
            Chart.Style.COLUMNS))
        .figure(ReportFigure.sumBy("P&L by posting date", PNL_FILE, r -> r.get("posting_date"), "pnl",
            Chart.Style.COLUMNS));
    return run;
  }

  /** End-of-day positions from a trade-settlement run's instructions and cash positions. */
  private static void eodPositions(
      NightshiftRun run, String dir, LocalDate businessDate, int buckets, int limit) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    PCollection<EodEntry> instructions =
        ReadCsv.read(run, "read-settlement-instructions", base + "instructions.csv",
            ReportParsers.INSTRUCTIONS, EodEntry.CODER).output();
    PCollection<EodEntry> cash =
        ReadCsv.read(run, "read-settlement-cash", base + "cash_positions.csv",
            ReportParsers.CASH, EodEntry.CODER).output();
    PCollection<EodEntry> settled =
        PCollectionList.of(instructions).and(cash)
            .apply("eod-flatten", Flatten.pCollections())
            .apply("eod-settled", ParDo.of(new SettledFn(businessDate)))
            .setCoder(EodEntry.CODER);
    PCollection<KV<String, PositionSum>> positions =
        sum(settled, "eod", e -> key(e.participantId(), e.assetClass(), e.asset()),
            e -> new PositionSum(e.amount(), 1),
            SumFn.of(PositionSum.ZERO, PositionSum::plus, PositionSum.CODER),
            PositionSum.CODER, buckets, limit);
    SortedSink.write(run, "write-eod-positions", EOD_FILE, Csv.header(EOD_COLUMNS),
        positions.apply("build-eod-positions", ParDo.of(new EodOutFn())));
    run.audit()
        .expect("eod-settled", "receives every instruction and cash position read",
            List.of(RunAudit.term(StepCounters.outName("read-settlement-instructions")),
                RunAudit.term(StepCounters.outName("read-settlement-cash"))),
            List.of(RunAudit.term(StepCounters.inName("eod-settled"))))
        .expect("eod-settled", "keeps what settles by the business date, passes over the rest",
            List.of(RunAudit.term(StepCounters.inName("eod-settled"))),
            List.of(RunAudit.term(StepCounters.outName("eod-settled")),
                RunAudit.term(StepCounters.named("eod-settled", "not-yet-settled"))))
        .step("build-eod-positions")
        .link("build-eod-positions", "write-eod-positions")
        .expect("build-eod-positions", "sums every settled movement exactly once",
            List.of(RunAudit.term(StepCounters.outName("eod-settled"))),
            List.of(RunAudit.term(StepCounters.named("build-eod-positions", "movements"))));
  }

  /** Keys each record and sums it with {@link KeyedCombine}. */
  private static <T, S extends java.io.Serializable> PCollection<KV<String, S>> sum(
      PCollection<T> input,
      String name,
      SerializableFunction<T, String> key,
      SerializableFunction<T, S> value,
      SumFn<S> fn,
      org.apache.beam.sdk.coders.Coder<S> coder,
      int buckets,
      int limit) {
    return input
        .apply(name + "-keys", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), coder.getEncodedTypeDescriptor()))
            .via((T t) -> KV.of(key.apply(t), value.apply(t))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply(name + "-sum", KeyedCombine.<String, S, S, S>perKey(fn)
            .withBuckets(buckets).withPreAggregationLimit(limit));
  }

  static int bucketOf(String journalId, int buckets) {
    return Buckets.of(Buckets.encode(StringUtf8Coder.of(), journalId), buckets);
  }

  static String key(String... parts) {
    return String.join(SEP, parts);
  }

  static LedgerSums ledgerOf(PostedLine p) {
    return new LedgerSums(p.line().debit(), p.line().credit(), 1);
  }

  static PnlSums pnlOf(PostedLine p) {
    boolean revenue = p.line().account().startsWith("4");
    return new PnlSums(revenue ? p.reportingAmount() : BigDecimal.ZERO,
        revenue ? BigDecimal.ZERO : p.reportingAmount(), 1);
  }

  static String input(Options options, String explicit, String defaultFile) {
    return Inputs.resolve(options.getInputDir(), explicit, defaultFile,
        defaultFile.startsWith("fx") ? "fxRates" : "journals");
  }

  /** Money with exactly the currency's minor-unit digits (inputs were checked to have no more). */
  static String money(BigDecimal amount, String currency) {
    return Money.format(amount, currency);
  }

  /** Passes P&L lines on; balance-sheet lines are counted and go no further. */
  static final class PnlLinesFn extends DoFn<PostedLine, PostedLine> {
    private final StepCounters counters = new StepCounters("pnl-lines");

    @ProcessElement
    public void process(@Element PostedLine p, OutputReceiver<PostedLine> out) {
      counters.in();
      if (CheckJournalsFn.isPnl(p.line().account())) {
        counters.out();
        out.output(p);
      } else {
        counters.count("balance-sheet", 1);
      }
    }
  }

  static final class LedgerOutFn extends DoFn<KV<String, LedgerSums>, String> {
    private final boolean totals;
    private final StepCounters counters;

    LedgerOutFn(String step, boolean totals) {
      this.totals = totals;
      this.counters = new StepCounters(step);
    }

    @ProcessElement
    public void process(@Element KV<String, LedgerSums> kv, OutputReceiver<String> out) {
      counters.in();
      String[] k = kv.getKey().split(SEP, -1);
      LedgerSums s = kv.getValue();
      String currency = k[k.length - 1];
      counters.count("lines", s.lines());
      counters.out();
      out.output(totals
          ? Csv.line(k[0], currency, money(s.debit(), currency), money(s.credit(), currency),
              money(s.balance(), currency), s.lines(), s.debit().compareTo(s.credit()) == 0)
          : Csv.line(k[0], k[1], currency, money(s.debit(), currency), money(s.credit(), currency),
              money(s.balance(), currency), s.lines()));
    }
  }

  static final class PnlOutFn extends DoFn<KV<String, PnlSums>, String> {
    private final String currency;
    private final StepCounters counters = new StepCounters("build-pnl");

    PnlOutFn(String currency) {
      this.currency = currency;
    }

    @ProcessElement
    public void process(@Element KV<String, PnlSums> kv, OutputReceiver<String> out) {
      counters.in();
      String[] k = kv.getKey().split(SEP, -1);
      PnlSums s = kv.getValue();
      counters.count("lines", s.lines());
      counters.out();
      out.output(Csv.line(k[0], k[1], currency, money(s.revenue(), currency),
          money(s.expenses(), currency), money(s.pnl(), currency), s.lines()));
    }
  }

  /** Keeps the movements that settle on or before the business date. */
  static final class SettledFn extends DoFn<EodEntry, EodEntry> {
    private final LocalDate businessDate;
    private final StepCounters counters = new StepCounters("eod-settled");

    SettledFn(LocalDate businessDate) {
      this.businessDate = businessDate;
    }

    @ProcessElement
    public void process(@Element EodEntry e, OutputReceiver<EodEntry> out) {
      counters.in();
      if (e.settlementDate().isAfter(businessDate)) {
        counters.count("not-yet-settled", 1);
      } else {
        counters.out();
        out.output(e);
      }
    }
  }

  static final class EodOutFn extends DoFn<KV<String, PositionSum>, String> {
    private final StepCounters counters = new StepCounters("build-eod-positions");

    @ProcessElement
    public void process(@Element KV<String, PositionSum> kv, OutputReceiver<String> out) {
      counters.in();
      String[] k = kv.getKey().split(SEP, -1);
      PositionSum s = kv.getValue();
      counters.count("movements", s.entries());
      counters.out();
      String position = k[1].equals(EodEntry.CASH)
          ? money(s.amount(), k[2])
          : s.amount().setScale(0, RoundingMode.UNNECESSARY).toPlainString();
      out.output(Csv.line(k[0], k[1], k[2], position, s.entries()));
    }
  }
}
