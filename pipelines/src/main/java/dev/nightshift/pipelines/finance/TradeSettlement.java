package dev.nightshift.pipelines.finance;

import dev.nightshift.pipelines.core.BusinessDateOptions;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.pipelines.core.Money;
import dev.nightshift.pipelines.finance.fix.ReadFixTrades;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.CashKey;
import dev.nightshift.schemas.finance.CashPosition;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.MarketHoliday;
import dev.nightshift.schemas.finance.NetPosition;
import dev.nightshift.schemas.finance.NettingKey;
import dev.nightshift.schemas.finance.Participant;
import dev.nightshift.schemas.finance.Security;
import dev.nightshift.schemas.finance.SettlementInstruction;
import dev.nightshift.schemas.finance.SettlementInstruction.Direction;
import dev.nightshift.schemas.finance.SettlementReportLine;
import dev.nightshift.schemas.finance.SettlementTrade;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.CountFn;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.Stage;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.io.ReadReference;
import dev.nightshift.transforms.io.ReferenceDbOptions;
import dev.nightshift.transforms.sink.SortedSink;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Finance: trade clearing and settlement.
 *
 * <p>Reads the day's trades and the reference data (securities, participants and their accounts,
 * market holidays), validates every trade, computes its settlement date (T+1 US, T+2 EU, skipping
 * weekends and the market's holidays), and nets each participant's trade legs per security and
 * settlement date into delivery-versus-payment instructions, then nets cash per participant,
 * currency and settlement date.
 *
 * <p>Trades come from a CSV file and/or from FIX 4.2/4.4 session logs ({@code --fixLogs}, see
 * {@link dev.nightshift.pipelines.finance.fix.FixTradeReader}); both feed the same chain.
 *
 * <p>Outputs, in {@code --output}: {@code instructions.csv}, {@code cash_positions.csv},
 * {@code settlement_report.csv}, {@code dead_letters.jsonl} and {@code _manifest.json}.
 */
public final class TradeSettlement {
  private TradeSettlement() {}

  public static final String NAME = "trade-settlement";
  public static final String DESCRIPTION =
      "Finance: validate trades, compute settlement dates (T+1 US, T+2 EU), net into DvP"
          + " instructions and cash positions";

  public static final String INSTRUCTIONS_FILE = "instructions.csv";
  public static final String CASH_FILE = "cash_positions.csv";
  public static final String REPORT_FILE = "settlement_report.csv";

  public static final String[] INSTRUCTION_COLUMNS = {
    "instruction_id", "participant_id", "isin", "settlement_date", "direction", "quantity",
    "currency", "payment_direction", "cash_amount", "bought_quantity", "sold_quantity", "trade_legs"
  };
  public static final String[] CASH_COLUMNS = {
    "participant_id", "currency", "settlement_date", "payable", "receivable", "net", "instructions"
  };
  public static final String[] REPORT_COLUMNS = {
    "settlement_date", "currency", "instructions", "deliveries", "receipts", "cash_only",
    "securities_delivered", "securities_received", "cash_paid", "cash_received", "trade_legs",
    "balanced"
  };

  /** Options of the trade settlement pipeline. */
  public interface Options extends NightshiftOptions, BusinessDateOptions, ReferenceDbOptions {
    @Description(
        "Directory holding trades.csv, securities.csv, participants.csv and holidays.csv (as"
            + " written by `nightshift generate finance-trades`); the per-file options override it.")
    String getInputDir();

    void setInputDir(String value);

    @Description("Trades CSV file or glob (default: <inputDir>/trades.csv).")
    String getTrades();

    void setTrades(String value);

    @Description(
        "FIX 4.2/4.4 session log file or glob (QuickFIX/J FileLog lines, SOH or '|' delimited):"
            + " fill execution reports become trades, settled with the CSV trades. Optional; when"
            + " it is given, CSV trades are read only if --trades is given too.")
    String getFixLogs();

    void setFixLogs(String value);

    @Description(
        "Securities reference CSV: isin,name,currency,market (default: <inputDir>/securities.csv), or"
            + " the table jdbc:securities of --referenceDb.")
    String getSecurities();

    void setSecurities(String value);

    @Description(
        "Participants CSV: participant_id,name,lei,securities_account,cash_account"
            + " (default: <inputDir>/participants.csv), or the table jdbc:participants of --referenceDb.")
    String getParticipants();

    void setParticipants(String value);

    @Description("Market holiday calendar CSV: market,date,name (default: <inputDir>/holidays.csv).")
    String getHolidays();

    void setHolidays(String value);
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
    boolean anyTrades = (options.getFixLogs() != null && !options.getFixLogs().isEmpty())
        || (options.getTrades() != null && !options.getTrades().isEmpty())
        || options.getInputDir() != null;
    if (!anyTrades) {
      throw new IllegalArgumentException(
          "no trades to settle: give --trades (or --inputDir holding trades.csv) and/or --fixLogs");
    }
    NightshiftRun run = NightshiftRun.create(NAME, options);
    run.parameter("business_date", businessDate.toString());
    int buckets = options.getAggregationBuckets();
    int limit = options.getPreAggregationLimit();

    // Reference data (files or database tables): parsed, de-duplicated on its key, and broadcast
    // as side inputs.
    PCollectionView<Map<String, Security>> securities =
        ReadReference.read(run, "read-securities", input(options, options.getSecurities(), "securities.csv"),
                TradeParsers.SECURITIES, Security.CODER)
            .dedupe("dedupe-securities", Security::isin, Reasons.DUPLICATE_KEY)
            .asMap("securities-view", Security::isin);
    PCollectionView<Map<String, Participant>> accounts =
        ReadReference.read(run, "read-participants", input(options, options.getParticipants(), "participants.csv"),
                TradeParsers.PARTICIPANTS, Participant.CODER)
            .dedupe("dedupe-accounts", Participant::securitiesAccount, Reasons.DUPLICATE_KEY)
            .asMap("accounts-view", Participant::securitiesAccount);
    PCollectionView<SettlementCalendar> calendar =
        ReadCsv.read(run, "read-holidays", input(options, options.getHolidays(), "holidays.csv"),
                TradeParsers.HOLIDAYS, MarketHoliday.CODER)
            .toView("calendar-view")
            .apply("calendar", Combine.globally(new CalendarFn()))
            .apply("calendar-view/view", View.asSingleton());

    // Trades: read, first of each trade id kept, validated and enriched.
    Checked<SettlementTrade> trades =
        readTrades(run, options)
            .dedupe("dedupe-trades", Trade::tradeId, FinanceReasons.DUPLICATE_TRADE_ID, "trade_id")
            .then("validate-trades", new ValidateTrade(businessDate, securities, accounts, calendar),
                SettlementTrade.CODER, securities, accounts, calendar);

    // Every trade is two legs: the buyer receives securities and pays, the seller delivers and is paid.
    // Read, de-duplication, validation, legs and the netting's pre-aggregation run fused (Checked).
    Checked<KV<NettingKey, NetPosition>> legs =
        trades.through("explode-legs", new LegsStage(), KvCoder.of(NettingKey.CODER, NetPosition.CODER));
    run.audit()
        .link(trades.step(), "explode-legs")
        .expect("explode-legs", "puts out two legs per trade",
            List.of(RunAudit.term(StepCounters.outName("explode-legs"))),
            List.of(RunAudit.term(StepCounters.inName("explode-legs"), 2)));

    PCollection<SettlementInstruction> instructions =
        legs.combine("net-positions", KeyedCombine.<NettingKey, NetPosition, NetPosition, NetPosition>perKey(
                SumFn.of(NetPosition.ZERO, NetPosition::plus, NetPosition.CODER))
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("build-instructions", ParDo.of(new InstructionFn()))
            .setCoder(SettlementInstruction.CODER);
    run.audit()
        .step("build-instructions")
        .expect("net-positions", "nets every trade leg into exactly one instruction",
            List.of(RunAudit.term(StepCounters.outName("explode-legs"))),
            List.of(RunAudit.term(StepCounters.named("build-instructions", "legs"))));

    PCollection<CashPosition> cash =
        instructions
            .apply("cash-legs", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptor.of(CashKey.class), TypeDescriptor.of(CashPosition.class)))
                .via(i -> KV.of(new CashKey(i.participantId(), i.currency(), i.settlementDate()), cashOf(i))))
            .setCoder(KvCoder.of(CashKey.CODER, CashPosition.CODER))
            .apply("net-cash", KeyedCombine.<CashKey, CashPosition, CashPosition, CashPosition>perKey(
                SumFn.of(CASH_ZERO, TradeSettlement::plusCash, CashPosition.CODER))
                .withBuckets(buckets).withPreAggregationLimit(limit))
            .apply("build-cash-positions", ParDo.of(new CashOutFn()))
            .setCoder(CashPosition.CODER);
    run.audit()
        .step("build-cash-positions")
        .expect("net-cash", "nets every instruction's cash into exactly one cash position",
            List.of(RunAudit.term(StepCounters.outName("build-instructions"))),
            List.of(RunAudit.term(StepCounters.named("build-cash-positions", "instructions"))));

    PCollection<KV<String, SettlementReportLine>> report =
        instructions
            .apply("report-lines", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(SettlementReportLine.class)))
                .via(i -> KV.of(i.settlementDate() + "," + i.currency(), reportOf(i))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SettlementReportLine.CODER))
            .apply("summarise", KeyedCombine.<String, SettlementReportLine, SettlementReportLine, SettlementReportLine>perKey(
                SumFn.of(SettlementReportLine.ZERO, SettlementReportLine::plus, SettlementReportLine.CODER))
                .withBuckets(Math.min(buckets, 16)).withPreAggregationLimit(limit));

    SortedSink.write(run, "write-instructions", INSTRUCTIONS_FILE, Csv.header(INSTRUCTION_COLUMNS),
        instructions.apply("format-instructions", MapElements.into(TypeDescriptors.strings())
            .via(TradeSettlement::instructionLine)));
    run.audit().link("build-instructions", "write-instructions");
    SortedSink.write(run, "write-cash-positions", CASH_FILE, Csv.header(CASH_COLUMNS),
        cash.apply("format-cash", MapElements.into(TypeDescriptors.strings())
            .via(TradeSettlement::cashLine)));
    run.audit().link("build-cash-positions", "write-cash-positions");
    SortedSink.write(run, "write-settlement-report", REPORT_FILE, Csv.header(REPORT_COLUMNS),
        report.apply("build-report", ParDo.of(new ReportOutFn())));
    run.audit()
        .step("build-report")
        .link("build-report", "write-settlement-report")
        .expect("summarise", "reports every trade leg exactly once",
            List.of(RunAudit.term(StepCounters.outName("explode-legs"))),
            List.of(RunAudit.term(StepCounters.named("build-report", "legs"))));
    run.figure(ReportFigure.sumBy("Net settlement by currency (cash paid against delivery)", REPORT_FILE,
            r -> r.get("currency"), "cash_paid", Chart.Style.BARS))
        .figure(ReportFigure.sumBy("Instructions by settlement date", REPORT_FILE,
            r -> r.get("settlement_date"), "instructions", Chart.Style.COLUMNS));
    return run;
  }

  /**
   * The trades of the run, from CSV, from FIX session logs, or both flattened into one chain. CSV
   * is read from --trades (or <inputDir>/trades.csv when no FIX log is given, as before FIX input
   * existed); FIX from --fixLogs. A trade id seen in both is a duplicate like any other.
   */
  static Checked<Trade> readTrades(NightshiftRun run, Options options) {
    boolean fix = options.getFixLogs() != null && !options.getFixLogs().isEmpty();
    boolean csv = !fix || (options.getTrades() != null && !options.getTrades().isEmpty());
    Checked<Trade> fromCsv = csv
        ? ReadCsv.read(run, "read-trades", input(options, options.getTrades(), "trades.csv"),
            TradeParsers.TRADES, Trade.CODER)
        : null;
    Checked<Trade> fromFix = fix ? ReadFixTrades.read(run, "read-fix-trades", options.getFixLogs()) : null;
    if (fromFix == null) {
      return fromCsv;
    }
    if (fromCsv == null) {
      return fromFix;
    }
    // A counted pass-through after the flatten, so that the chain's links stay one-to-one:
    // merge-trades/in = read-trades/out + read-fix-trades/out, merge-trades/out = dedupe-trades/in.
    PCollection<Trade> merged =
        PCollectionList.of(fromCsv.output()).and(fromFix.output())
            .apply("flatten-trades", Flatten.pCollections())
            .setCoder(Trade.CODER)
            .apply("merge-trades", ParDo.of(new CountFn<Trade>("merge-trades")))
            .setCoder(Trade.CODER);
    run.audit()
        .step("merge-trades")
        .expect("merge-trades", "receives every trade read from CSV and from FIX logs",
            List.of(RunAudit.term(StepCounters.outName(fromCsv.step())),
                RunAudit.term(StepCounters.outName(fromFix.step()))),
            List.of(RunAudit.term(StepCounters.inName("merge-trades"))));
    return Checked.after(run, "merge-trades", merged);
  }

  static String input(Options options, String explicit, String defaultFile) {
    return Inputs.resolve(options.getInputDir(), explicit, defaultFile, defaultFile.replace(".csv", ""));
  }

  /** Emits each trade's buyer leg and seller leg, keyed for netting. */
  static final class LegsStage extends Stage<SettlementTrade, KV<NettingKey, NetPosition>> {
    private final StepCounters counters = new StepCounters("explode-legs");

    @Override
    public void process(SettlementTrade t, Emit<KV<NettingKey, NetPosition>> out) {
      if (out.counting()) {
        counters.in();
        counters.out(2);
      }
      Trade trade = t.trade();
      out.output(KV.of(
          new NettingKey(t.buyerParticipant(), trade.isin(), trade.currency(), t.settlementDate()),
          NetPosition.buy(trade.quantity(), t.amount())));
      out.output(KV.of(
          new NettingKey(t.sellerParticipant(), trade.isin(), trade.currency(), t.settlementDate()),
          NetPosition.sell(trade.quantity(), t.amount())));
    }
  }

  /** Turns a netted position into its delivery-versus-payment instruction. */
  static final class InstructionFn extends DoFn<KV<NettingKey, NetPosition>, SettlementInstruction> {
    private final StepCounters counters = new StepCounters("build-instructions");

    @ProcessElement
    public void process(@Element KV<NettingKey, NetPosition> kv, OutputReceiver<SettlementInstruction> out) {
      counters.in();
      SettlementInstruction i = instruction(kv.getKey(), kv.getValue());
      counters.count("legs", i.legs());
      counters.out();
      out.output(i);
    }
  }

  static SettlementInstruction instruction(NettingKey k, NetPosition n) {
    long netQuantity = n.bought() - n.sold();
    BigDecimal netCash = n.received().subtract(n.paid());
    return new SettlementInstruction(
        "SI-" + k.settlementDate().format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + k.participantId() + "-" + k.isin(),
        k.participantId(),
        k.isin(),
        k.currency(),
        k.settlementDate(),
        netQuantity > 0 ? Direction.RECEIVE : netQuantity < 0 ? Direction.DELIVER : Direction.NONE,
        Math.abs(netQuantity),
        netCash.signum() > 0 ? Direction.RECEIVE : netCash.signum() < 0 ? Direction.PAY : Direction.NONE,
        netCash.abs(),
        n.bought(),
        n.sold(),
        n.legs());
  }

  static CashPosition cashOf(SettlementInstruction i) {
    BigDecimal net = i.netCash();
    return new CashPosition(
        i.participantId(), i.currency(), i.settlementDate(),
        net.signum() < 0 ? net.negate() : BigDecimal.ZERO,
        net.signum() > 0 ? net : BigDecimal.ZERO,
        net, 1);
  }

  /** Cash sums carry no key while they are added up; the key is set on output. */
  static final CashPosition CASH_ZERO =
      new CashPosition("", "", LocalDate.EPOCH, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0);

  static CashPosition plusCash(CashPosition a, CashPosition b) {
    return new CashPosition("", "", LocalDate.EPOCH, a.payable().add(b.payable()),
        a.receivable().add(b.receivable()), a.net().add(b.net()), a.instructions() + b.instructions());
  }

  static final class CashOutFn extends DoFn<KV<CashKey, CashPosition>, CashPosition> {
    private final StepCounters counters = new StepCounters("build-cash-positions");

    @ProcessElement
    public void process(@Element KV<CashKey, CashPosition> kv, OutputReceiver<CashPosition> out) {
      counters.in();
      CashKey k = kv.getKey();
      CashPosition sum = kv.getValue();
      counters.count("instructions", sum.instructions());
      counters.out();
      out.output(new CashPosition(k.participantId(), k.currency(), k.settlementDate(),
          sum.payable(), sum.receivable(), sum.net(), sum.instructions()));
    }
  }

  static SettlementReportLine reportOf(SettlementInstruction i) {
    return new SettlementReportLine(
        1,
        i.direction() == Direction.DELIVER ? 1 : 0,
        i.direction() == Direction.RECEIVE ? 1 : 0,
        i.direction() == Direction.NONE ? 1 : 0,
        i.direction() == Direction.DELIVER ? i.quantity() : 0,
        i.direction() == Direction.RECEIVE ? i.quantity() : 0,
        i.paymentDirection() == Direction.PAY ? i.cashAmount() : BigDecimal.ZERO,
        i.paymentDirection() == Direction.RECEIVE ? i.cashAmount() : BigDecimal.ZERO,
        i.legs());
  }

  /** Collects market holidays into one calendar, broadcast to the validator. */
  static final class CalendarFn
      extends Combine.CombineFn<MarketHoliday, SettlementCalendar, SettlementCalendar> {
    @Override
    public SettlementCalendar createAccumulator() {
      return new SettlementCalendar();
    }

    @Override
    public SettlementCalendar addInput(SettlementCalendar acc, MarketHoliday h) {
      return acc.add(h.market(), h.date());
    }

    @Override
    public SettlementCalendar mergeAccumulators(Iterable<SettlementCalendar> accs) {
      SettlementCalendar merged = new SettlementCalendar();
      for (SettlementCalendar a : accs) {
        merged.addAll(a);
      }
      return merged;
    }

    @Override
    public SettlementCalendar extractOutput(SettlementCalendar acc) {
      return acc;
    }

    @Override
    public Coder<SettlementCalendar> getAccumulatorCoder(CoderRegistry r, Coder<MarketHoliday> in) {
      return SerializableCoder.of(SettlementCalendar.class);
    }

    @Override
    public Coder<SettlementCalendar> getDefaultOutputCoder(CoderRegistry r, Coder<MarketHoliday> in) {
      return SerializableCoder.of(SettlementCalendar.class);
    }
  }

  static final class ReportOutFn extends DoFn<KV<String, SettlementReportLine>, String> {
    private final StepCounters counters = new StepCounters("build-report");

    @ProcessElement
    public void process(@Element KV<String, SettlementReportLine> kv, OutputReceiver<String> out) {
      counters.in();
      counters.count("legs", kv.getValue().tradeLegs());
      counters.out();
      out.output(reportLine(kv.getKey(), kv.getValue()));
    }
  }

  /** Money is written with exactly the currency's minor-unit digits (USD 2, JPY 0). */
  static String money(BigDecimal amount, String currency) {
    return Money.format(amount, currency);
  }

  static String instructionLine(SettlementInstruction i) {
    return Csv.line(i.instructionId(), i.participantId(), i.isin(), i.settlementDate(), i.direction(),
        i.quantity(), i.currency(), i.paymentDirection(), money(i.cashAmount(), i.currency()),
        i.boughtQuantity(), i.soldQuantity(), i.legs());
  }

  static String cashLine(CashPosition c) {
    return Csv.line(c.participantId(), c.currency(), c.settlementDate(), money(c.payable(), c.currency()),
        money(c.receivable(), c.currency()), money(c.net(), c.currency()), c.instructions());
  }

  static String reportLine(String key, SettlementReportLine r) {
    String[] k = key.split(",", 2);
    return Csv.line(k[0], k[1], r.instructions(), r.deliveries(), r.receipts(), r.cashOnly(),
        r.securitiesDelivered(), r.securitiesReceived(), money(r.cashPaid(), k[1]),
        money(r.cashReceived(), k[1]), r.tradeLegs(), r.balanced());
  }
}
