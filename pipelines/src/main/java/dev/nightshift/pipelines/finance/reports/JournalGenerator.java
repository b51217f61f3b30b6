package dev.nightshift.pipelines.finance.reports;

import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.FxRate;
import dev.nightshift.schemas.finance.JournalLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates the input of the financial reports pipeline: a streamed {@code journals.csv} of exactly
 * {@code size} balanced journals (2 to 6 lines each, one legal entity, desk, currency and posting
 * date per journal, dates over the 5 weekdays ending on the business date), {@code fx_rates.csv}
 * (every ordered pair of EUR, USD and GBP for each of those dates) and {@code generation.json}.
 *
 * <p>Each journal is defective with probability {@code badRate}, with exactly one defect taken
 * round-robin from {@link #PLANTED_KINDS}. When {@code badRate > 0} the rate GBP->EUR of the middle
 * date is left out of {@code fx_rates.csv} on purpose: good journals never use GBP on that date,
 * and the {@code MISSING_FX_RATE} journals are GBP journals of that date with at least one P&L
 * line. {@code generation.json} counts what the pipeline must refuse in <em>lines</em> per reason
 * (a refused journal refuses all its lines: its other lines are {@code INCOMPLETE_JOURNAL}), and
 * {@code expectedValidRecords} is the number of lines to post (reporting currency EUR).
 *
 * <p>Output is a pure function of (size, seed, badRate, businessDate); memory does not grow with
 * size.
 */
public final class JournalGenerator implements DatasetGenerator {

  public static final String NAME = "finance-journals";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2026, 11, 25);
  public static final String JOURNALS_FILE = "journals.csv";
  public static final String FX_FILE = "fx_rates.csv";
  public static final String REPORT_FILE = "generation.json";

  /** Defect kinds, one per defective journal, round-robin. */
  public static final List<String> PLANTED_KINDS =
      List.of(
          FinanceReasons.UNBALANCED_JOURNAL,
          Reasons.INVALID_NUMBER,
          Reasons.INVALID_DATE,
          FinanceReasons.MISSING_FX_RATE);

  static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
  /** Value of one unit in EUR, the base of the generated rates. */
  static final double[] EUR_VALUE = {1.0, 0.92, 1.17};
  static final String MISSING_FROM = "GBP";
  static final String MISSING_TO = "EUR";

  static final String[] ENTITIES = {"NSB-DE", "NSB-FR", "NSB-UK", "NSB-US"};
  static final String[] DESKS = {"EQ-CASH", "EQ-DERIV", "FX-SPOT", "RATES", "CREDIT", "TREASURY"};
  static final String[] ASSETS = {"1000", "1100", "1200", "1300"};
  static final String[] LIABILITIES_EQUITY = {"2000", "2100", "2200", "3000"};
  static final String[] REVENUE = {"4000", "4100", "4200"};
  static final String[] EXPENSES = {"5000", "5100", "5200", "5300"};
  static final String[] PNL = {"4000", "4100", "4200", "5000", "5100", "5200", "5300"};
  static final String[] DESCRIPTIONS = {
    "Trading result", "Fee accrual", "Funding cost", "Brokerage, exchange fees", "Staff costs",
    "Interest \"overnight\" accrual", "Custody fees", "Client commission"
  };

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "GL journal postings and FX rates (seeded; plants unbalanced journals, bad numbers and"
        + " dates, a missing FX rate)";
  }

  /** The 5 weekdays ending on the business date, oldest first. */
  static List<LocalDate> postingDates(LocalDate businessDate) {
    List<LocalDate> dates = new ArrayList<>();
    for (LocalDate d = businessDate; dates.size() < 5; d = d.minusDays(1)) {
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        dates.add(0, d);
      }
    }
    return dates;
  }

  /** The date whose GBP->EUR rate is left out when defects are planted. */
  static LocalDate missingRateDate(LocalDate businessDate) {
    return postingDates(businessDate).get(2);
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Files.createDirectories(out);
    List<LocalDate> dates = postingDates(businessDate);
    boolean plant = request.badRate() > 0;
    LocalDate missingDate = dates.get(2);
    SplittableRandom root = new SplittableRandom(request.seed());
    SplittableRandom fxRandom = root.split();
    SplittableRandom rnd = root.split();

    SortedMap<String, Long> rowsPerFile = new TreeMap<>();
    long fxRows = 0;
    try (BufferedWriter w = writer(out.resolve(FX_FILE))) {
      w.write(String.join(",", FxRate.COLUMNS));
      w.write('\n');
      for (LocalDate d : dates) {
        double[] value = new double[CURRENCIES.length];
        for (int i = 0; i < value.length; i++) {
          value[i] = EUR_VALUE[i] * (1 + (fxRandom.nextDouble() - 0.5) * 0.01);
        }
        for (int f = 0; f < CURRENCIES.length; f++) {
          for (int t = 0; t < CURRENCIES.length; t++) {
            if (f == t || (plant && d.equals(missingDate)
                && CURRENCIES[f].equals(MISSING_FROM) && CURRENCIES[t].equals(MISSING_TO))) {
              continue;
            }
            BigDecimal rate = BigDecimal.valueOf(value[f] / value[t]).setScale(6, RoundingMode.HALF_EVEN);
            w.write(d + "," + CURRENCIES[f] + "," + CURRENCIES[t] + "," + rate.toPlainString() + "\n");
            fxRows++;
          }
        }
      }
    }
    rowsPerFile.put(FX_FILE, fxRows);

    SortedMap<String, Long> planted = new TreeMap<>();
    long lines = 0;
    long kindCursor = 0;
    try (BufferedWriter w = writer(out.resolve(JOURNALS_FILE))) {
      w.write(String.join(",", JournalLine.COLUMNS));
      w.write('\n');
      for (long j = 1; j <= request.size(); j++) {
        String kind = plant && rnd.nextDouble() < request.badRate()
            ? PLANTED_KINDS.get((int) (kindCursor++ % PLANTED_KINDS.size()))
            : null;
        String[][] journal = journal(rnd, j, dates, missingDate, plant, kind);
        if (kind != null) {
          plantDefect(rnd, journal, kind, planted);
        }
        for (String[] f : journal) {
          w.write(String.join(",", f));
          w.write('\n');
        }
        lines += journal.length;
      }
    }
    rowsPerFile.put(JOURNALS_FILE, lines);
    long refused = planted.values().stream().mapToLong(Long::longValue).sum();
    GenerationReport report = new GenerationReport(NAME, businessDate, request.size(), request.seed(),
        request.badRate(), rowsPerFile, planted, lines - refused);
    Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }

  /** A balanced journal, as CSV fields per line. */
  private static String[][] journal(SplittableRandom rnd, long number, List<LocalDate> dates,
      LocalDate missingDate, boolean plant, String kind) {
    int n = 2 + rnd.nextInt(5);
    LocalDate date = dates.get(rnd.nextInt(dates.size()));
    String currency = CURRENCIES[rnd.nextInt(CURRENCIES.length)];
    if (FinanceReasons.MISSING_FX_RATE.equals(kind)) {
      date = missingDate;
      currency = MISSING_FROM;
    } else if (plant && date.equals(missingDate) && currency.equals(MISSING_FROM)) {
      currency = rnd.nextBoolean() ? "EUR" : "USD"; // good journals avoid the missing rate
    }
    String entity = ENTITIES[rnd.nextInt(ENTITIES.length)];
    String desk = DESKS[rnd.nextInt(DESKS.length)];
    int debits = 1 + rnd.nextInt(n - 1);
    long[] cents = new long[n];
    long total = 0;
    for (int i = 0; i < debits; i++) {
      cents[i] = 100 + rnd.nextLong(5_000_000);
      total += cents[i];
    }
    long remaining = total;
    for (int i = debits; i < n - 1; i++) {
      long maxPart = remaining - (n - 1 - i); // leave at least a cent for each later line
      cents[i] = 1 + rnd.nextLong(Math.max(1, maxPart / 2));
      remaining -= cents[i];
    }
    cents[n - 1] = remaining;
    String id = String.format(java.util.Locale.ROOT, "JRN-%010d", number);
    String[][] lines = new String[n][];
    for (int i = 0; i < n; i++) {
      // Mostly the natural side (assets and expenses debited; liabilities, equity and revenue
      // credited), with some reversals.
      boolean debit = (i < debits) != (rnd.nextInt(100) < 10);
      String[] chart = rnd.nextInt(100) < 45
          ? (debit ? EXPENSES : REVENUE)
          : (debit ? ASSETS : LIABILITIES_EQUITY);
      String account = chart[rnd.nextInt(chart.length)];
      String amount = cents(cents[i]);
      lines[i] = new String[] {id, Integer.toString(i + 1), entity, account, desk, date.toString(),
          currency, i < debits ? amount : "0.00", i < debits ? "0.00" : amount,
          csv(DESCRIPTIONS[rnd.nextInt(DESCRIPTIONS.length)])};
    }
    if (FinanceReasons.MISSING_FX_RATE.equals(kind) && !isPnl(lines[0][3])) {
      lines[0][3] = PNL[rnd.nextInt(PNL.length)]; // needs at least one line to convert
    }
    return lines;
  }

  private static void plantDefect(
      SplittableRandom rnd, String[][] journal, String kind, SortedMap<String, Long> planted) {
    int n = journal.length;
    int at = rnd.nextInt(n);
    int amountField = journal[at][7].equals("0.00") ? 8 : 7;
    switch (kind) {
      case FinanceReasons.UNBALANCED_JOURNAL -> {
        long cents = new BigDecimal(journal[at][amountField]).movePointRight(2).longValueExact();
        journal[at][amountField] = cents(cents + 1 + rnd.nextInt(99));
        add(planted, kind, n);
      }
      case Reasons.INVALID_NUMBER -> {
        String amount = journal[at][amountField];
        journal[at][amountField] = rnd.nextBoolean() ? "O" + amount.substring(1) : amount + "EUR";
        add(planted, kind, 1);
        add(planted, FinanceReasons.INCOMPLETE_JOURNAL, n - 1);
      }
      case Reasons.INVALID_DATE -> {
        String year = journal[at][5].substring(0, 4);
        journal[at][5] = rnd.nextBoolean() ? year + "-02-30" : year + "-13-45";
        add(planted, kind, 1);
        add(planted, FinanceReasons.INCOMPLETE_JOURNAL, n - 1);
      }
      case FinanceReasons.MISSING_FX_RATE -> {
        int pnl = 0;
        for (String[] line : journal) {
          pnl += isPnl(line[3]) ? 1 : 0;
        }
        add(planted, kind, pnl);
        add(planted, FinanceReasons.INCOMPLETE_JOURNAL, n - pnl);
      }
      default -> throw new IllegalStateException("unplanned defect kind " + kind);
    }
  }

  private static boolean isPnl(String account) {
    return account.startsWith("4") || account.startsWith("5");
  }

  private static void add(SortedMap<String, Long> planted, String reason, long lines) {
    if (lines > 0) {
      planted.merge(reason, lines, Long::sum);
    }
  }

  /** Cents as a decimal with scale 2. */
  static String cents(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  /** RFC 4180 field: quoted when it holds a comma or quote; quotes doubled. */
  static String csv(String field) {
    return field.indexOf(',') < 0 && field.indexOf('"') < 0
        ? field
        : '"' + field.replace("\"", "\"\"") + '"';
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
  }
}
