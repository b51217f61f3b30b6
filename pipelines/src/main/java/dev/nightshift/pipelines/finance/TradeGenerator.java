package dev.nightshift.pipelines.finance;

import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Market;
import dev.nightshift.schemas.finance.MarketHoliday;
import dev.nightshift.schemas.finance.Participant;
import dev.nightshift.schemas.finance.Security;
import dev.nightshift.schemas.finance.Trade;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates the input of the finance settlement pipeline: {@code securities.csv},
 * {@code participants.csv}, {@code holidays.csv} and a streamed {@code trades.csv} of exactly
 * {@code size} rows, plus {@code generation.json}.
 *
 * <p>Each trade row is defective with probability {@code badRate}. A defective row carries exactly
 * one defect, its kind taken round-robin from {@link #PLANTED_KINDS}, and is otherwise valid (fresh
 * trade id, known security and accounts), so a correct pipeline rejects it for that reason only. A
 * {@link FinanceReasons#DUPLICATE_TRADE_ID} row repeats the trade id (and, mostly, the fields) of an
 * earlier <em>good</em> row; that earlier row is the one to keep.
 *
 * <p>Memory is bounded by the reference data plus a small ring buffer of recent good rows, whatever
 * {@code size}. Output is a pure function of (size, seed, badRate, businessDate).
 */
public final class TradeGenerator implements DatasetGenerator {

  public static final String NAME = "finance-trades";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2026, 11, 25);

  public static final String SECURITIES_FILE = "securities.csv";
  public static final String PARTICIPANTS_FILE = "participants.csv";
  public static final String HOLIDAYS_FILE = "holidays.csv";
  public static final String TRADES_FILE = "trades.csv";
  public static final String REPORT_FILE = "generation.json";

  /**
   * Knobs ({@code --securities N}, {@code --participants N}): how many securities and participants
   * to list. By default both grow with the size (size / 100 securities, 20..200,000; size / 5000
   * participants, 10..2000), so nearly every trade leg has its own netting key; fewer of them make
   * the legs net into fewer keys (the benchmark's W1: 25 x 4000 nets 5M trades into about 500k).
   */
  public static final String SECURITIES_PARAM = "securities";
  public static final String PARTICIPANTS_PARAM = "participants";

  /** The securities account planted by {@link FinanceReasons#UNKNOWN_ACCOUNT}; no participant has it. */
  public static final String UNKNOWN_ACCOUNT_ID = "SA-X9999";

  /** Defect kinds in round-robin order (the duplicate last: it needs an earlier good row). */
  public static final List<String> PLANTED_KINDS =
      List.of(
          Reasons.WRONG_FIELD_COUNT,
          Reasons.MISSING_FIELD,
          Reasons.INVALID_NUMBER,
          Reasons.INVALID_DATE,
          FinanceReasons.INVALID_ISIN_FORMAT,
          FinanceReasons.INVALID_ISIN_CHECK_DIGIT,
          FinanceReasons.UNKNOWN_SECURITY,
          FinanceReasons.UNKNOWN_ACCOUNT,
          FinanceReasons.SELF_TRADE,
          FinanceReasons.NON_POSITIVE_QUANTITY,
          FinanceReasons.NON_POSITIVE_PRICE,
          FinanceReasons.CURRENCY_MISMATCH,
          FinanceReasons.TRADE_DATE_AFTER_BUSINESS_DATE,
          FinanceReasons.DUPLICATE_TRADE_ID);

  /** Share of good trades dated on the business date; the rest fall on the 4 previous trading days. */
  static final double SAME_DAY_SHARE = 0.85;
  /** Trading hours of the generated trades, seconds of the day: 08:00:00 .. 17:29:59. */
  static final int FIRST_SECOND = 8 * 3600;
  static final int TRADING_SECONDS = 9 * 3600 + 30 * 60;
  /** Recent good rows kept for duplicates. */
  static final int RING_SIZE = 1024;

  private static final char[] ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
  private static final String[] OTHER_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CHF"};
  private static final String[] NAME_FIRST = {
    "Northwind", "Bluewater", "Silverline", "Redwood", "Ironbridge", "Goldcrest", "Evergreen",
    "Harbor", "Summit", "Pioneer", "Meridian", "Atlas", "Orion", "Crescent", "Falcon", "Granite",
    "Horizon", "Keystone", "Lakeside", "Maple", "Oakridge", "Riverstone", "Starling", "Thornbury",
    "Westfield", "Zenith", "Aurora", "Beacon", "Cobalt", "Driftwood"
  };
  private static final String[] NAME_SECOND = {
    "Holdings", "Industries", "Group", "Capital", "Energy", "Systems", "Pharma", "Bank", "Motors",
    "Foods", "Logistics", "Technologies", "Materials", "Telecom", "Insurance", "Retail", "Chemicals",
    "Media", "Utilities", "Aerospace"
  };
  private static final String[] PARTICIPANT_KIND = {
    "Securities", "Clearing", "Brokerage", "Markets", "Custody", "Investment Bank"
  };

  /** One generated security with the base price its trades scatter around. */
  record GeneratedSecurity(String isin, String name, String currency, Market market, long baseCents) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Trades with securities, participants and market holidays (seeded; plants every validation error)";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Files.createDirectories(out);

    // Independent streams, so that the reference data does not shift when the trade logic changes.
    SplittableRandom root = new SplittableRandom(request.seed());
    SplittableRandom refRandom = root.split();
    SplittableRandom tradeRandom = root.split();

    SortedMap<String, Long> rowsPerFile = new TreeMap<>();
    List<GeneratedSecurity> securities =
        securities(refRandom, (int) request.longParam(SECURITIES_PARAM, clamp(request.size() / 100, 20, 200_000)));
    if (request.longParam(PARTICIPANTS_PARAM, 2) < 2) {
      throw new IllegalArgumentException("--participants must be at least 2: a trade has a buyer and a seller");
    }
    rowsPerFile.put(SECURITIES_FILE, writeSecurities(out.resolve(SECURITIES_FILE), securities));
    String[] accounts =
        writeParticipants(
            out.resolve(PARTICIPANTS_FILE), refRandom,
            (int) request.longParam(PARTICIPANTS_PARAM, clamp(request.size() / 5000, 10, 2000)));
    rowsPerFile.put(PARTICIPANTS_FILE, (long) accounts.length);
    rowsPerFile.put(HOLIDAYS_FILE, writeHolidays(out.resolve(HOLIDAYS_FILE), businessDate));

    SortedMap<String, Long> planted = new TreeMap<>();
    new TradeWriter(tradeRandom, securities, accounts, businessDate, request.badRate(), planted)
        .write(out.resolve(TRADES_FILE), request.size());
    rowsPerFile.put(TRADES_FILE, request.size());

    long totalPlanted = planted.values().stream().mapToLong(Long::longValue).sum();
    GenerationReport report =
        new GenerationReport(
            NAME,
            businessDate,
            request.size(),
            request.seed(),
            request.badRate(),
            rowsPerFile,
            planted,
            request.size() - totalPlanted);
    Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }

  // ---------------------------------------------------------------------------------------------
  // Reference data

  static List<GeneratedSecurity> securities(SplittableRandom rnd, int count) {
    List<GeneratedSecurity> out = new ArrayList<>(count);
    Set<String> seen = new HashSet<>(count * 2); // membership only, never iterated
    while (out.size() < count) {
      Market market = pickMarket(rnd);
      String isin = randomIsin(rnd, countryOf(market));
      if (!seen.add(isin)) {
        continue;
      }
      String name = securityName(rnd, market);
      long baseCents = 500 + rnd.nextInt(50_000 - 500 + 1); // 5.00 .. 500.00
      out.add(new GeneratedSecurity(isin, name, market.currency(), market, baseCents));
    }
    return out;
  }

  /** About half US (split between NYSE and Nasdaq), the rest spread over the European markets. */
  private static Market pickMarket(SplittableRandom rnd) {
    int r = rnd.nextInt(100);
    if (r < 25) return Market.XNYS;
    if (r < 50) return Market.XNAS;
    if (r < 65) return Market.XETR;
    if (r < 77) return Market.XPAR;
    if (r < 87) return Market.XAMS;
    return Market.XLON;
  }

  /** The ISO 3166 country prefix of ISINs issued for the market's home country. */
  static String countryOf(Market market) {
    return switch (market) {
      case XNYS, XNAS -> "US";
      case XETR -> "DE";
      case XPAR -> "FR";
      case XAMS -> "NL";
      case XLON -> "GB";
    };
  }

  static String randomIsin(SplittableRandom rnd, String country) {
    StringBuilder sb = new StringBuilder(12).append(country);
    for (int i = 0; i < 9; i++) {
      // National codes are mostly digits (CUSIP, WKN, SEDOL based), with some letters.
      sb.append(rnd.nextInt(4) == 0 ? ALNUM[rnd.nextInt(ALNUM.length)] : ALNUM[rnd.nextInt(10)]);
    }
    return Isin.withCheckDigit(sb.toString());
  }

  private static String securityName(SplittableRandom rnd, Market market) {
    String first = NAME_FIRST[rnd.nextInt(NAME_FIRST.length)];
    String second = NAME_SECOND[rnd.nextInt(NAME_SECOND.length)];
    String form =
        switch (market) {
          case XNYS, XNAS -> rnd.nextBoolean() ? "Inc." : "Corp.";
          case XETR -> rnd.nextBoolean() ? "AG" : "SE";
          case XPAR -> "SA";
          case XAMS -> "N.V.";
          case XLON -> "plc";
        };
    int style = rnd.nextInt(100);
    if (style < 8) {
      return first + " " + second + ", " + form; // a comma: the field must be quoted
    }
    if (style < 11) {
      return first + " \"" + second + "\" " + form; // embedded quotes: doubled when written
    }
    return first + " " + second + " " + form;
  }

  private static long writeSecurities(Path file, List<GeneratedSecurity> securities)
      throws IOException {
    try (BufferedWriter w = writer(file)) {
      header(w, Security.COLUMNS);
      for (GeneratedSecurity s : securities) {
        line(w, s.isin(), csv(s.name()), s.currency(), s.market().name());
      }
    }
    return securities.size();
  }

  /** Writes the participants; returns their securities accounts, index i = participant i+1. */
  private static String[] writeParticipants(Path file, SplittableRandom rnd, int count)
      throws IOException {
    String[] accounts = new String[count];
    Set<String> leis = new HashSet<>();
    try (BufferedWriter w = writer(file)) {
      header(w, Participant.COLUMNS);
      for (int i = 0; i < count; i++) {
        String id = String.format(Locale.ROOT, "P%04d", i + 1);
        String name =
            NAME_FIRST[rnd.nextInt(NAME_FIRST.length)]
                + " "
                + PARTICIPANT_KIND[rnd.nextInt(PARTICIPANT_KIND.length)];
        String lei;
        do {
          lei = randomLei(rnd);
        } while (!leis.add(lei));
        accounts[i] = "SA-" + id;
        line(w, id, csv(name), lei, accounts[i], "CA-" + id);
      }
    }
    return accounts;
  }

  /**
   * An ISO 17442 LEI: 4-character LOU prefix, "00", 12-character entity part, 2 MOD 97-10 check
   * digits.
   */
  static String randomLei(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder(20);
    for (int i = 0; i < 4; i++) sb.append(ALNUM[rnd.nextInt(10)]);
    sb.append("00");
    for (int i = 0; i < 12; i++) sb.append(ALNUM[rnd.nextInt(ALNUM.length)]);
    return Lei.withCheckDigits(sb.toString());
  }

  private static long writeHolidays(Path file, LocalDate businessDate) throws IOException {
    List<HolidayCalendars.Holiday> all = new ArrayList<>();
    for (Market m : Market.values()) {
      all.addAll(
          HolidayCalendars.forYears(m, businessDate.getYear() - 1, businessDate.getYear() + 1));
    }
    all.sort(
        Comparator.comparing((HolidayCalendars.Holiday h) -> h.market().name())
            .thenComparing(HolidayCalendars.Holiday::date));
    try (BufferedWriter w = writer(file)) {
      header(w, MarketHoliday.COLUMNS);
      for (HolidayCalendars.Holiday h : all) {
        line(w, h.market().name(), h.date().toString(), csv(h.name()));
      }
    }
    return all.size();
  }

  // ---------------------------------------------------------------------------------------------
  // Trades

  /** Streams trade rows; holds only the reference data and a ring of recent good rows. */
  private static final class TradeWriter {
    private final SplittableRandom rnd;
    private final List<GeneratedSecurity> securities;
    private final Set<String> knownIsins = new HashSet<>();
    private final String[] accounts;
    private final LocalDate businessDate;
    private final String businessDateText;
    private final Map<Market, String[]> previousTradingDays = new EnumMap<>(Market.class);
    private final double badRate;
    private final SortedMap<String, Long> planted;
    private final String[][] ring = new String[RING_SIZE][];
    private int ringCount;
    private int ringNext;
    private long nextTradeId = 1;
    private long kindCursor;

    TradeWriter(
        SplittableRandom rnd,
        List<GeneratedSecurity> securities,
        String[] accounts,
        LocalDate businessDate,
        double badRate,
        SortedMap<String, Long> planted) {
      this.rnd = rnd;
      this.securities = securities;
      this.accounts = accounts;
      this.businessDate = businessDate;
      this.businessDateText = businessDate.toString();
      this.badRate = badRate;
      this.planted = planted;
      for (GeneratedSecurity s : securities) {
        knownIsins.add(s.isin());
      }
      // Earlier trades fall on the 4 trading days before the business date of the security's
      // market: weekdays that are not that market's holidays.
      for (Market m : Market.values()) {
        String[] days = new String[4];
        LocalDate d = businessDate;
        for (int i = 0; i < 4; ) {
          d = d.minusDays(1);
          if (d.getDayOfWeek() != DayOfWeek.SATURDAY
              && d.getDayOfWeek() != DayOfWeek.SUNDAY
              && !HolidayCalendars.isHoliday(m, d)) {
            days[i++] = d.toString();
          }
        }
        previousTradingDays.put(m, days);
      }
    }

    void write(Path file, long size) throws IOException {
      try (BufferedWriter w = writer(file)) {
        header(w, Trade.COLUMNS);
        StringBuilder sb = new StringBuilder(128);
        for (long row = 0; row < size; row++) {
          String[] fields = badRate > 0 && rnd.nextDouble() < badRate ? badRow() : goodRow();
          sb.setLength(0);
          for (int i = 0; i < fields.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(fields[i]);
          }
          sb.append('\n');
          w.append(sb);
        }
      }
    }

    private String[] goodRow() {
      String[] f = freshRow();
      ring[ringNext] = f;
      ringNext = (ringNext + 1) % RING_SIZE;
      ringCount = Math.min(ringCount + 1, RING_SIZE);
      return f;
    }

    /** A valid row with the next trade id; indices follow {@link Trade#COLUMNS}. */
    private String[] freshRow() {
      GeneratedSecurity s = securities.get(rnd.nextInt(securities.size()));
      int buyer = rnd.nextInt(accounts.length);
      int seller = rnd.nextInt(accounts.length - 1);
      if (seller >= buyer) {
        seller++; // uniform over the other participants
      }
      return new String[] {
        tradeId(nextTradeId++),
        rnd.nextDouble() < SAME_DAY_SHARE
            ? businessDateText
            : previousTradingDays.get(s.market())[rnd.nextInt(4)],
        randomTime(),
        s.isin(),
        Long.toString(randomQuantity()),
        cents(price(s)),
        s.currency(),
        accounts[buyer],
        accounts[seller]
      };
    }

    private String[] badRow() {
      String kind = PLANTED_KINDS.get((int) (kindCursor++ % PLANTED_KINDS.size()));
      if (kind.equals(FinanceReasons.DUPLICATE_TRADE_ID) && ringCount == 0) {
        kind = PLANTED_KINDS.get((int) (kindCursor++ % PLANTED_KINDS.size()));
      }
      planted.merge(kind, 1L, Long::sum);
      if (kind.equals(FinanceReasons.DUPLICATE_TRADE_ID)) {
        // The same trade id as an earlier good row, otherwise valid; sometimes a re-sent amendment
        // with another time or quantity. The earlier row is the one to keep.
        String[] f = ring[rnd.nextInt(ringCount)].clone();
        if (rnd.nextBoolean()) f[2] = randomTime();
        if (rnd.nextInt(4) == 0) f[4] = Long.toString(randomQuantity());
        return f;
      }
      String[] f = freshRow();
      switch (kind) {
        case Reasons.WRONG_FIELD_COUNT -> f = Arrays.copyOf(f, f.length - 1);
        case Reasons.MISSING_FIELD -> f[7] = "";
        case Reasons.INVALID_NUMBER -> f[4] = (1 + rnd.nextInt(99)) + "x" + rnd.nextInt(10);
        case Reasons.INVALID_DATE ->
            f[1] = businessDate.getYear() + (rnd.nextBoolean() ? "-13-45" : "-02-30");
        case FinanceReasons.INVALID_ISIN_FORMAT ->
            f[3] = rnd.nextBoolean() ? f[3].toLowerCase(Locale.ROOT) : f[3].substring(0, 11);
        case FinanceReasons.INVALID_ISIN_CHECK_DIGIT -> {
          int check = f[3].charAt(11) - '0';
          f[3] = f[3].substring(0, 11) + (check + 1 + rnd.nextInt(9)) % 10;
        }
        case FinanceReasons.UNKNOWN_SECURITY -> {
          // Same country (so the currency stays plausible), correct check digit, not listed.
          String isin;
          do {
            isin = randomIsin(rnd, f[3].substring(0, 2));
          } while (knownIsins.contains(isin));
          f[3] = isin;
        }
        case FinanceReasons.UNKNOWN_ACCOUNT -> f[rnd.nextBoolean() ? 7 : 8] = UNKNOWN_ACCOUNT_ID;
        case FinanceReasons.SELF_TRADE -> f[8] = f[7];
        case FinanceReasons.NON_POSITIVE_QUANTITY -> f[4] = rnd.nextBoolean() ? "0" : "-" + f[4];
        case FinanceReasons.NON_POSITIVE_PRICE -> f[5] = rnd.nextBoolean() ? "0.00" : "-" + f[5];
        case FinanceReasons.CURRENCY_MISMATCH -> {
          String other;
          do {
            other = OTHER_CURRENCIES[rnd.nextInt(OTHER_CURRENCIES.length)];
          } while (other.equals(f[6]));
          f[6] = other;
        }
        case FinanceReasons.TRADE_DATE_AFTER_BUSINESS_DATE ->
            f[1] = businessDate.plusDays(1 + rnd.nextInt(3)).toString();
        default -> throw new IllegalStateException("Unplanned defect kind " + kind);
      }
      return f;
    }

    private String randomTime() {
      int s = FIRST_SECOND + rnd.nextInt(TRADING_SECONDS);
      char[] t = new char[8];
      two(t, 0, s / 3600);
      t[2] = ':';
      two(t, 3, s / 60 % 60);
      t[5] = ':';
      two(t, 6, s % 60);
      return new String(t);
    }

    /** 1 .. 5000, round lots of 100 more often than odd lots. */
    private long randomQuantity() {
      return rnd.nextInt(100) < 60 ? 100L * (1 + rnd.nextInt(50)) : 1 + rnd.nextInt(5000);
    }

    /** The security's base price with up to +/-2% noise, in cents, at least one cent. */
    private long price(GeneratedSecurity s) {
      double noise = 1.0 + (rnd.nextDouble() - 0.5) * 0.04;
      return Math.max(1, Math.round(s.baseCents() * noise));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  static String tradeId(long n) {
    String digits = Long.toString(n);
    StringBuilder sb = new StringBuilder(14).append("TRD-");
    for (int i = digits.length(); i < 10; i++) sb.append('0');
    return sb.append(digits).toString();
  }

  /** Cents as a decimal with scale 2 ("12345" -> "123.45"). */
  static String cents(long cents) {
    long abs = Math.abs(cents);
    long frac = abs % 100;
    return (cents < 0 ? "-" : "") + abs / 100 + (frac < 10 ? ".0" : ".") + frac;
  }

  private static void two(char[] t, int at, int v) {
    t[at] = (char) ('0' + v / 10);
    t[at + 1] = (char) ('0' + v % 10);
  }

  /** RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. */
  static String csv(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
  }

  private static void header(BufferedWriter w, String[] columns) throws IOException {
    w.write(String.join(",", columns));
    w.write('\n');
  }

  private static void line(BufferedWriter w, String... fields) throws IOException {
    w.write(String.join(",", fields));
    w.write('\n');
  }
}
