package dev.nightshift.pipelines.finance.recon;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.pipelines.finance.statements.ReadStatements;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.BatchDetail;
import dev.nightshift.schemas.finance.LedgerEntry;
import dev.nightshift.schemas.finance.ReconInput;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.transforms.report.Chart;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.report.Redact;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Finance: reconciles bank statements (ISO 20022 camt.053 and SWIFT MT940) against the internal
 * ledger, account by account, with {@link ReconMatcher}'s three passes, and proves every
 * statement's balances: opening + entries = closing, and each opening equals the previous
 * statement's closing for the same account, across days and files.
 *
 * <p>Outputs: {@code matched.csv}, {@code breaks.csv}, {@code balance_proof.csv},
 * {@code reconciliation_report.csv}, dead letters and the manifest.
 */
public final class AccountReconciliation {
  private AccountReconciliation() {}

  public static final String NAME = "account-reconciliation";
  public static final String DESCRIPTION =
      "Finance: match camt.053/MT940 bank statements to the ledger, classify breaks, prove balances";

  public static final String MATCHED_FILE = "matched.csv";
  public static final String BREAKS_FILE = "breaks.csv";
  public static final String PROOF_FILE = "balance_proof.csv";
  public static final String REPORT_FILE = "reconciliation_report.csv";

  public static final String[] MATCHED_COLUMNS = {
    "account", "rule", "bank_entries", "ledger_ids", "amount"
  };
  public static final String[] BREAK_COLUMNS = {
    "account", "break_type", "bank_entry", "ledger_id", "bank_amount", "ledger_amount",
    "bank_value_date", "ledger_value_date"
  };
  public static final String[] PROOF_COLUMNS = {
    "account", "statement_id", "format", "opening_date", "opening", "entries", "entries_total",
    "closing_date", "closing", "proof", "previous_closing", "continuity", "issues"
  };
  public static final String[] REPORT_COLUMNS = {
    "account", "bank_entries", "ledger_lines", "matched_bank_entries", "matched_ledger_lines",
    "matches_end_to_end_id", "matches_bank_reference", "matches_amount_and_date",
    "matches_batch_one_to_many", "matches_many_to_one", "missing_in_bank", "missing_in_ledger",
    "amount_differs", "date_differs", "bank_total", "ledger_total"
  };

  static final String STATEMENTS_STEP = "read-statements";
  static final String RECONCILE_STEP = "reconcile";
  static final String PROOF_STEP = "prove-balances";

  /** Options of the reconciliation pipeline. */
  public interface Options extends NightshiftOptions {
    @Description(
        "Directory holding statements/ (camt.053 .xml and MT940 files) and ledger.csv, as written"
            + " by `nightshift generate finance-statements`; the per-input options override it.")
    String getInputDir();

    void setInputDir(String value);

    @Description("Bank statement files or glob, camt.053 and MT940 mixed (default: <inputDir>/statements/*).")
    String getStatements();

    void setStatements(String value);

    @Description(
        "Ledger CSV: ledger_id,account,currency,booking_date,value_date,amount,end_to_end_id,"
            + "reference,description (default: <inputDir>/ledger.csv).")
    String getLedger();

    void setLedger(String value);

    @Description("Pass 2 matches value dates at most this many days apart; pass 1 calls a larger gap DATE_DIFFERS.")
    @Default.Integer(2)
    int getDateToleranceDays();

    void setDateToleranceDays(int value);

    @Description("Largest amount difference still counted as equal, e.g. 0.01.")
    @Default.String("0.00")
    String getAmountTolerance();

    void setAmountTolerance(String value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  static final CsvRecordParser<LedgerEntry> LEDGER =
      CsvRecordParser.of(
          LedgerEntry.COLUMNS,
          row ->
              new LedgerEntry(
                  row.text("ledger_id"),
                  row.text("account"),
                  row.text("currency"),
                  row.date("booking_date"),
                  row.date("value_date"),
                  row.decimal("amount"),
                  row.optText("end_to_end_id"),
                  row.optText("reference"),
                  row.optText("description"),
                  row.source()));

  public static NightshiftRun build(Options options) {
    BigDecimal amountTolerance;
    try {
      amountTolerance = new BigDecimal(options.getAmountTolerance());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--amountTolerance must be a decimal number");
    }
    NightshiftRun run = NightshiftRun.create(NAME, options);
    run.parameter("date_tolerance_days", Integer.toString(options.getDateToleranceDays()))
        .parameter("amount_tolerance", amountTolerance.toPlainString());
    int buckets = options.getAggregationBuckets();

    ReadStatements.Result statements =
        ReadStatements.read(run, STATEMENTS_STEP, input(options, options.getStatements(), "statements/*"));
    PCollection<LedgerEntry> ledger =
        ReadCsv.read(run, "read-ledger", input(options, options.getLedger(), "ledger.csv"), LEDGER,
                LedgerEntry.CODER)
            .dedupe("dedupe-ledger", LedgerEntry::ledgerId, Reasons.DUPLICATE_KEY)
            .output();

    PCollection<KV<Integer, ReconInput>> bankSide =
        statements.entries().apply("bank-by-account", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(ReconInput.class)))
            .via(e -> KV.of(bucket(e.account(), buckets), ReconInput.of(e))));
    PCollection<KV<Integer, ReconInput>> ledgerSide =
        ledger.apply("ledger-by-account", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(ReconInput.class)))
            .via(l -> KV.of(bucket(l.account(), buckets), ReconInput.of(l))));
    TupleTag<String> matchedTag = new TupleTag<>();
    TupleTag<String> breaksTag = new TupleTag<>();
    TupleTag<String> reportTag = new TupleTag<>();
    PCollectionTuple reconciled =
        PCollectionList.of(bankSide).and(ledgerSide)
            .apply("both-sides", Flatten.pCollections())
            .setCoder(KvCoder.of(VarIntCoder.of(), ReconInput.CODER))
            .apply("group-accounts", BatchedGroupByKey.create())
            .apply(RECONCILE_STEP, ParDo.of(new ReconcileFn(options.getDateToleranceDays(), amountTolerance,
                    matchedTag, breaksTag, reportTag))
                .withOutputTags(matchedTag, TupleTagList.of(breaksTag).and(reportTag)));
    SortedSink.write(run, "write-matched", MATCHED_FILE, Csv.header(MATCHED_COLUMNS),
        reconciled.get(matchedTag).setCoder(StringUtf8Coder.of()));
    SortedSink.write(run, "write-breaks", BREAKS_FILE, Csv.header(BREAK_COLUMNS),
        reconciled.get(breaksTag).setCoder(StringUtf8Coder.of()));
    SortedSink.write(run, "write-report", REPORT_FILE, Csv.header(REPORT_COLUMNS),
        reconciled.get(reportTag).setCoder(StringUtf8Coder.of()));

    PCollection<String> proofs =
        statements.statements()
            .apply("statements-by-account", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(BankStatement.class)))
                .via(s -> KV.of(bucket(s.account(), buckets), s)))
            .setCoder(KvCoder.of(VarIntCoder.of(), BankStatement.CODER))
            .apply("group-statements", BatchedGroupByKey.create())
            .apply(PROOF_STEP, ParDo.of(new ProofFn()));
    SortedSink.write(run, "write-balance-proof", PROOF_FILE, Csv.header(PROOF_COLUMNS), proofs);

    // Every bank entry and ledger line ends in exactly one match or break.
    run.audit()
        .expect(RECONCILE_STEP, "receives every bank entry read",
            List.of(RunAudit.term(StepCounters.named(STATEMENTS_STEP, "entries"))),
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "bank-in"))))
        .expect(RECONCILE_STEP, "receives every ledger line kept",
            List.of(RunAudit.term(StepCounters.outName("dedupe-ledger"))),
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "ledger-in"))))
        .expect(RECONCILE_STEP, "puts every bank entry in one match or one break",
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "bank-in"))),
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "bank-matched")),
                RunAudit.term(StepCounters.named(RECONCILE_STEP, "bank-breaks"))))
        .expect(RECONCILE_STEP, "puts every ledger line in one match or one break",
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "ledger-in"))),
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "ledger-matched")),
                RunAudit.term(StepCounters.named(RECONCILE_STEP, "ledger-breaks"))))
        .expect("write-matched", "writes every match",
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "matches"))),
            List.of(RunAudit.term(StepCounters.inName("write-matched"))))
        .expect("write-breaks", "writes every break",
            List.of(RunAudit.term(StepCounters.named(RECONCILE_STEP, "breaks"))),
            List.of(RunAudit.term(StepCounters.inName("write-breaks"))))
        .expect(PROOF_STEP, "proves every statement read",
            List.of(RunAudit.term(StepCounters.named(STATEMENTS_STEP, "statements"))),
            List.of(RunAudit.term(StepCounters.inName(PROOF_STEP))))
        .step(PROOF_STEP)
        .link(PROOF_STEP, "write-balance-proof");
    run.figure(ReportFigure.countBy("Matches by rule", MATCHED_FILE, "rule", Chart.Style.BARS))
        .figure(ReportFigure.countBy("Breaks by type", BREAKS_FILE, "break_type", Chart.Style.BARS));
    return run;
  }

  static int bucket(String account, int buckets) {
    return Buckets.of(Buckets.encode(StringUtf8Coder.of(), account), buckets);
  }

  static String input(Options options, String explicit, String defaultName) {
    return Inputs.resolve(options.getInputDir(), explicit, defaultName,
        defaultName.startsWith("statements") ? "statements" : "ledger");
  }

  /** A bank entry's id in the outputs: its statement and the line it starts on. */
  static String entryId(StatementEntry e) {
    return e.statementId() + "@" + e.source().line();
  }

  /** camt's NOTPROVIDED and MT940's NONREF mean "no reference". */
  static String ref(String value) {
    return value == null || value.equals("NOTPROVIDED") || value.equals("NONREF") ? "" : value;
  }

  /** Reconciles each account of a bucket. */
  static final class ReconcileFn extends DoFn<KV<Integer, Iterable<ReconInput>>, String> {
    private final int dateTolerance;
    private final BigDecimal amountTolerance;
    private final TupleTag<String> matchedTag;
    private final TupleTag<String> breaksTag;
    private final TupleTag<String> reportTag;
    private final StepCounters counters = new StepCounters(RECONCILE_STEP);

    ReconcileFn(int dateTolerance, BigDecimal amountTolerance, TupleTag<String> matchedTag,
        TupleTag<String> breaksTag, TupleTag<String> reportTag) {
      this.dateTolerance = dateTolerance;
      this.amountTolerance = amountTolerance;
      this.matchedTag = matchedTag;
      this.breaksTag = breaksTag;
      this.reportTag = reportTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ReconInput>> bucket, MultiOutputReceiver out) {
      Map<String, List<ReconMatcher.BankItem>> bank = new TreeMap<>();
      Map<String, List<ReconMatcher.LedgerItem>> ledger = new TreeMap<>();
      for (ReconInput in : bucket.getValue()) {
        if (in.bank() != null) {
          StatementEntry e = in.bank();
          List<ReconMatcher.Detail> details = new ArrayList<>();
          for (BatchDetail d : e.details()) {
            details.add(new ReconMatcher.Detail(ref(d.endToEndId()), d.amount()));
          }
          bank.computeIfAbsent(e.account(), a -> new ArrayList<>()).add(new ReconMatcher.BankItem(
              entryId(e), e.valueDate(), e.amount(), ref(e.endToEndId()), ref(e.bankReference()), details));
          counters.count("bank-in", 1);
        } else {
          LedgerEntry l = in.ledger();
          ledger.computeIfAbsent(l.account(), a -> new ArrayList<>()).add(new ReconMatcher.LedgerItem(
              l.ledgerId(), l.valueDate(), l.amount(), ref(l.endToEndId()), ref(l.reference())));
          counters.count("ledger-in", 1);
        }
      }
      Set<String> accounts = new java.util.TreeSet<>(bank.keySet());
      accounts.addAll(ledger.keySet());
      ReconMatcher matcher = new ReconMatcher(dateTolerance, amountTolerance);
      for (String account : accounts) {
        List<ReconMatcher.BankItem> b = bank.getOrDefault(account, List.of());
        List<ReconMatcher.LedgerItem> l = ledger.getOrDefault(account, List.of());
        ReconMatcher.Result result = matcher.match(b, l);
        Map<String, BigDecimal> bankAmounts = b.stream().collect(Collectors.toMap(ReconMatcher.BankItem::id, ReconMatcher.BankItem::amount));
        Map<String, Long> byKind = new TreeMap<>();
        long bankMatched = 0;
        long ledgerMatched = 0;
        for (ReconMatcher.Match m : result.matches()) {
          BigDecimal amount = m.bankIds().stream().map(bankAmounts::get).reduce(BigDecimal.ZERO, BigDecimal::add);
          out.get(matchedTag).output(Csv.line(account, m.rule(), String.join(" ", m.bankIds()),
              String.join(" ", m.ledgerIds()), amount));
          byKind.merge(m.rule(), 1L, Long::sum);
          bankMatched += m.bankIds().size();
          ledgerMatched += m.ledgerIds().size();
        }
        long bankBroken = 0;
        long ledgerBroken = 0;
        for (ReconMatcher.Break br : result.breaks()) {
          out.get(breaksTag).output(Csv.line(account, br.type(), br.bankId(), br.ledgerId(),
              br.bankAmount(), br.ledgerAmount(), br.bankDate(), br.ledgerDate()));
          byKind.merge(br.type(), 1L, Long::sum);
          bankBroken += br.bankId().isEmpty() ? 0 : 1;
          ledgerBroken += br.ledgerId().isEmpty() ? 0 : 1;
        }
        counters.count("matches", result.matches().size());
        counters.count("breaks", result.breaks().size());
        counters.count("bank-matched", bankMatched);
        counters.count("ledger-matched", ledgerMatched);
        counters.count("bank-breaks", bankBroken);
        counters.count("ledger-breaks", ledgerBroken);
        // The report is for people: the account shows masked (country and last 4); matched.csv and
        // breaks.csv keep it whole, since whoever resolves a break needs the account.
        out.get(reportTag).output(Csv.line(Redact.identifier(account), b.size(), l.size(), bankMatched, ledgerMatched,
            byKind.getOrDefault(ReconMatcher.E2E, 0L), byKind.getOrDefault(ReconMatcher.REFERENCE, 0L),
            byKind.getOrDefault(ReconMatcher.AMOUNT_DATE, 0L), byKind.getOrDefault(ReconMatcher.ONE_TO_MANY, 0L),
            byKind.getOrDefault(ReconMatcher.MANY_TO_ONE, 0L), byKind.getOrDefault(ReconMatcher.MISSING_IN_BANK, 0L),
            byKind.getOrDefault(ReconMatcher.MISSING_IN_LEDGER, 0L), byKind.getOrDefault(ReconMatcher.AMOUNT_DIFFERS, 0L),
            byKind.getOrDefault(ReconMatcher.DATE_DIFFERS, 0L),
            b.stream().map(ReconMatcher.BankItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add),
            l.stream().map(ReconMatcher.LedgerItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add)));
      }
    }
  }

  /**
   * Proves each statement (opening + entries = closing) and the chain of an account's statements
   * in date order (each opening = the previous closing; the first has nothing to chain to).
   */
  static final class ProofFn extends DoFn<KV<Integer, Iterable<BankStatement>>, String> {
    private final StepCounters counters = new StepCounters(PROOF_STEP);

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<BankStatement>> bucket, OutputReceiver<String> out) {
      Map<String, List<BankStatement>> byAccount = new TreeMap<>();
      for (BankStatement s : bucket.getValue()) {
        counters.in();
        byAccount.computeIfAbsent(s.account(), a -> new ArrayList<>()).add(s);
      }
      for (List<BankStatement> list : byAccount.values()) {
        list.sort(Comparator.comparing(BankStatement::closingDate)
            .thenComparing(BankStatement::openingDate).thenComparing(BankStatement::statementId));
        BankStatement previous = null;
        for (BankStatement s : list) {
          boolean proof = s.opening().add(s.entriesTotal()).compareTo(s.closing()) == 0;
          String continuity = previous == null ? "FIRST"
              : previous.closing().compareTo(s.opening()) == 0 ? "OK" : "GAP";
          counters.count(proof ? "proofs-ok" : "proofs-failed", 1);
          counters.count("continuity-" + continuity.toLowerCase(java.util.Locale.ROOT), 1);
          out.output(Csv.line(s.account(), s.statementId(), s.format(), s.openingDate(), s.opening(),
              s.entries(), s.entriesTotal(), s.closingDate(), s.closing(), proof ? "OK" : "FAILED",
              previous == null ? "" : previous.closing(), continuity, String.join("; ", s.issues())));
          counters.out();
          previous = s;
        }
      }
    }
  }
}
