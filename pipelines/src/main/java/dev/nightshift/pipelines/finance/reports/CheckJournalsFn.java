package dev.nightshift.pipelines.finance.reports;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.FxRate;
import dev.nightshift.schemas.finance.JournalLine;
import dev.nightshift.schemas.finance.PostedLine;
import dev.nightshift.transforms.core.StepCounters;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Checks whole journals, one bucket of journal ids at a time: the lines of a bucket are grouped by
 * journal id in a hash map, and each journal is posted whole or refused whole, in this order:
 *
 * <ol>
 *   <li>a line that did not parse or breaks a line rule (account in the chart, ISO currency,
 *       exactly one of debit/credit non-zero and non-negative with at most the currency's
 *       decimals, posting date not after the business date, unique line number) is refused with
 *       its own reason, and every other line of its journal as {@code INCOMPLETE_JOURNAL};
 *   <li>a journal whose debits differ from its credits, or that mixes currencies, is refused line
 *       by line as {@code UNBALANCED_JOURNAL}, the message giving both totals;
 *   <li>a P&L line (4xxx, 5xxx) in a currency other than the reporting currency needs the rate of
 *       its posting date from {@code fx_rates.csv}; without it the line is {@code MISSING_FX_RATE}
 *       and the rest of its journal {@code INCOMPLETE_JOURNAL} (never a silent zero, and the ledger
 *       stays balanced);
 *   <li>otherwise every line is posted, with its P&L amount converted and rounded half-even to the
 *       reporting currency's minor unit (2 decimals for EUR) at line level.
 * </ol>
 *
 * Every line is counted in, and out (posted) or dead.
 */
final class CheckJournalsFn extends DoFn<KV<Integer, Iterable<JournalLine>>, PostedLine> {
  static final String STEP = "check-journals";

  private final String pipeline;
  private final LocalDate businessDate;
  private final String reportingCurrency;
  private final PCollectionView<Map<String, BigDecimal>> fxView;
  private final TupleTag<PostedLine> postedTag;
  private final TupleTag<DeadLetter> deadTag;
  private final StepCounters counters = new StepCounters(STEP);

  private transient Map<String, BigDecimal> rates;

  CheckJournalsFn(
      String pipeline,
      LocalDate businessDate,
      String reportingCurrency,
      PCollectionView<Map<String, BigDecimal>> fxView,
      TupleTag<PostedLine> postedTag,
      TupleTag<DeadLetter> deadTag) {
    this.pipeline = pipeline;
    this.businessDate = businessDate;
    this.reportingCurrency = reportingCurrency;
    this.fxView = fxView;
    this.postedTag = postedTag;
    this.deadTag = deadTag;
  }

  @StartBundle
  public void startBundle() {
    rates = null; // the side input is read once per bundle, as in ValidateTrade
  }

  @ProcessElement
  public void process(ProcessContext c) {
    if (rates == null) {
      rates = c.sideInput(fxView);
    }
    Map<String, List<JournalLine>> journals = new HashMap<>();
    for (JournalLine line : c.element().getValue()) {
      counters.in();
      journals.computeIfAbsent(line.journalId(), j -> new ArrayList<>()).add(line);
    }
    for (List<JournalLine> journal : journals.values()) {
      // File and line order, so that "the later duplicate" is the same on every runner.
      journal.sort((a, b) -> a.source().compareTo(b.source()));
      check(journal, c);
    }
  }

  private void check(List<JournalLine> journal, ProcessContext c) {
    String id = journal.get(0).journalId();
    // 1. line rules
    Map<JournalLine, String[]> refused = new HashMap<>();
    Set<String> lineNumbers = new HashSet<>();
    for (JournalLine line : journal) {
      String[] problem = lineProblem(line);
      if (problem == null && !lineNumbers.add(line.lineNo())) {
        problem = new String[] {FinanceReasons.DUPLICATE_JOURNAL_LINE,
            "journal " + id + " has line " + line.lineNo() + " twice"};
      }
      if (problem != null) {
        refused.put(line, problem);
      }
    }
    if (!refused.isEmpty()) {
      String why = "journal " + id + " is refused whole: " + refused.size() + " of its "
          + journal.size() + " lines refused";
      for (JournalLine line : journal) {
        String[] p = refused.get(line);
        if (p != null) {
          dead(c, line, p[0], p[1]);
        } else {
          dead(c, line, FinanceReasons.INCOMPLETE_JOURNAL, why);
        }
      }
      return;
    }
    // 2. double entry, in the journal's (single) currency
    Set<String> currencies = new TreeSet<>();
    BigDecimal debits = BigDecimal.ZERO;
    BigDecimal credits = BigDecimal.ZERO;
    for (JournalLine line : journal) {
      currencies.add(line.currency());
      debits = debits.add(line.debit());
      credits = credits.add(line.credit());
    }
    if (currencies.size() > 1 || debits.compareTo(credits) != 0) {
      String why = "journal " + id + (currencies.size() > 1 ? " mixes currencies " + currencies + ";" : "")
          + " debits " + debits.toPlainString() + " credits " + credits.toPlainString()
          + (currencies.size() == 1 ? " " + currencies.iterator().next() : "")
          + " over " + journal.size() + " lines";
      for (JournalLine line : journal) {
        dead(c, line, FinanceReasons.UNBALANCED_JOURNAL, why);
      }
      return;
    }
    // 3. FX rates of the P&L lines
    int digits = java.util.Currency.getInstance(reportingCurrency).getDefaultFractionDigits();
    Map<JournalLine, BigDecimal> converted = new HashMap<>();
    List<JournalLine> missing = new ArrayList<>();
    for (JournalLine line : journal) {
      BigDecimal amount = pnlAmount(line);
      if (amount == null) {
        converted.put(line, BigDecimal.ZERO);
        continue;
      }
      BigDecimal rate = line.currency().equals(reportingCurrency)
          ? BigDecimal.ONE
          : rates.get(FxRate.key(line.postingDate(), line.currency(), reportingCurrency));
      if (rate == null) {
        missing.add(line);
      } else {
        converted.put(line, amount.multiply(rate).setScale(digits, RoundingMode.HALF_EVEN));
      }
    }
    if (!missing.isEmpty()) {
      for (JournalLine line : journal) {
        if (missing.contains(line)) {
          dead(c, line, FinanceReasons.MISSING_FX_RATE, "no FX rate " + line.currency() + "->"
              + reportingCurrency + " on " + line.postingDate() + " for P&L account " + line.account());
        } else {
          dead(c, line, FinanceReasons.INCOMPLETE_JOURNAL, "journal " + id + " is refused whole: "
              + missing.size() + " of its lines lack an FX rate");
        }
      }
      return;
    }
    // 4. posted
    for (JournalLine line : journal) {
      counters.out();
      if (isPnl(line.account())) {
        counters.count("pnl-lines", 1);
      }
      c.output(postedTag, new PostedLine(line, converted.get(line)));
    }
    counters.count("journals-posted", 1);
  }

  private void dead(ProcessContext c, JournalLine line, String reason, String message) {
    counters.dead(reason);
    c.output(deadTag, DeadLetter.of(pipeline, STEP, line.source(), reason, message));
  }

  /** The line's own problem as {reason, message}, or null. */
  String[] lineProblem(JournalLine l) {
    if (!l.parsed()) {
      return new String[] {l.errorReason(), l.errorMessage()};
    }
    if (!l.account().matches("[1-5][0-9]{3}")) {
      return new String[] {FinanceReasons.INVALID_ACCOUNT,
          "account '" + l.account() + "' is not in the chart (4 digits, 1xxx-5xxx)"};
    }
    if (!ReportParsers.isCurrency(l.currency())) {
      return new String[] {dev.nightshift.schemas.Reasons.INVALID_VALUE,
          "'" + l.currency() + "' is not an ISO 4217 currency"};
    }
    int digits = java.util.Currency.getInstance(l.currency()).getDefaultFractionDigits();
    if (l.debit().signum() < 0 || l.credit().signum() < 0
        || (l.debit().signum() == 0) == (l.credit().signum() == 0)) {
      return new String[] {FinanceReasons.INVALID_AMOUNT, "debit " + l.debit().toPlainString()
          + " and credit " + l.credit().toPlainString()
          + ": exactly one must be non-zero, and neither negative"};
    }
    if (Math.max(scale(l.debit()), scale(l.credit())) > digits) {
      return new String[] {FinanceReasons.INVALID_AMOUNT,
          "more decimals than " + l.currency() + " has (" + digits + ")"};
    }
    if (l.postingDate().isAfter(businessDate)) {
      return new String[] {FinanceReasons.POSTING_DATE_AFTER_BUSINESS_DATE,
          "posting date " + l.postingDate() + " is after the business date " + businessDate};
    }
    return null;
  }

  private static int scale(BigDecimal v) {
    return v.signum() == 0 ? 0 : v.stripTrailingZeros().scale();
  }

  static boolean isPnl(String account) {
    return account.startsWith("4") || account.startsWith("5");
  }

  /** Revenue (4xxx) credit - debit, expenses (5xxx) debit - credit, in the line's currency; null otherwise. */
  static BigDecimal pnlAmount(JournalLine l) {
    if (l.account().startsWith("4")) {
      return l.credit().subtract(l.debit());
    }
    if (l.account().startsWith("5")) {
      return l.debit().subtract(l.credit());
    }
    return null;
  }
}
