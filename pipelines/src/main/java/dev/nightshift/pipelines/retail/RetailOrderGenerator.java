package dev.nightshift.pipelines.retail;

import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.retail.OrderLine;
import dev.nightshift.schemas.retail.RetailReasons;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates UCI Online Retail CSV days for {@code order-processing}: three consecutive days ending
 * at the business date (default 2010-12-03), one file per day {@code online_retail_<date>.csv} of
 * exactly {@code size} rows each, plus {@code generation.json}.
 *
 * <p>The quirks of the real data are all there: descriptions with commas, doubled quotes and
 * trailing spaces; customer ids written as floats ({@code 17850.0}) or empty (guests); prices
 * written as floats ({@code 2.1}, {@code 18.0}); cancellation invoices ({@code C} + number, negative
 * quantities) that mostly cancel lines of an earlier invoice of the same customer (also of an earlier
 * day), and some that cannot be matched (guests, quantities larger than sold, discounts); non-product
 * stock codes (POST, D, M, BANK CHARGES, DOT, AMAZONFEE, C2); zero-price rows without a customer.
 *
 * <p>Each row is defective with probability {@code badRate}: a one-row invoice with exactly one
 * defect, its kind taken round-robin from {@link #PLANTED_KINDS}. Streaming (memory is a ring of
 * recent invoices), seeded: output is a pure function of (size, seed, badRate, businessDate).
 */
public final class RetailOrderGenerator implements DatasetGenerator {

  public static final String NAME = "retail-orders";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2010, 12, 3);
  public static final int DAYS = 3;
  public static final String REPORT_FILE = "generation.json";
  /** The first invoice number, the first of the real data set. */
  static final long FIRST_INVOICE = 536365;

  public static final List<String> PLANTED_KINDS =
      List.of(
          RetailReasons.INVALID_DATE,
          RetailReasons.INVALID_NUMBER,
          RetailReasons.NEGATIVE_PRICE,
          RetailReasons.INVALID_CANCELLATION,
          RetailReasons.ZERO_QUANTITY,
          RetailReasons.INVALID_CUSTOMER_ID,
          RetailReasons.INVALID_INVOICE_NO,
          Reasons.MISSING_FIELD);

  static final int RECENT_INVOICES = 64;
  private static final DateTimeFormatter UCI_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
  private static final int[] QUANTITIES = {1, 1, 2, 2, 3, 4, 6, 6, 8, 10, 12, 12, 12, 24, 24, 25, 36, 48, 96};

  public static String fileName(LocalDate day) {
    return "online_retail_" + day + ".csv";
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "UCI Online Retail order rows, 3 days of --size rows each (seeded; cancellations, guests,"
        + " non-product codes, planted bad rows)";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Files.createDirectories(out);
    SortedMap<String, Long> rowsPerFile = new TreeMap<>();
    SortedMap<String, Long> planted = new TreeMap<>();
    Writer writer = new Writer(new SplittableRandom(request.seed()), request.size(), request.badRate(), planted);
    for (int d = DAYS - 1; d >= 0; d--) {
      LocalDate day = businessDate.minusDays(d);
      writer.writeDay(out.resolve(fileName(day)), day);
      rowsPerFile.put(fileName(day), request.size());
    }
    long total = request.size() * DAYS;
    long totalPlanted = planted.values().stream().mapToLong(Long::longValue).sum();
    GenerationReport report = new GenerationReport(NAME, businessDate, request.size(), request.seed(),
        request.badRate(), rowsPerFile, planted, total - totalPlanted);
    Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }

  /** One generated line of a sale invoice, kept so that a later cancellation can refer to it. */
  record Sold(String stockCode, String description, long quantity, String price) {}

  /** A recent sale invoice of a known customer. */
  record Recent(String customer, String country, List<Sold> lines) {}

  private static final class Writer {
    private final SplittableRandom rnd;
    private final long size;
    private final double badRate;
    private final SortedMap<String, Long> planted;
    private final String[] customers;
    private final String[] countries;
    private final Recent[] recent = new Recent[RECENT_INVOICES];
    private int recentCount;
    private int recentNext;
    private long nextInvoice = FIRST_INVOICE;
    private long kindCursor;

    Writer(SplittableRandom rnd, long size, double badRate, SortedMap<String, Long> planted) {
      this.rnd = rnd;
      this.size = size;
      this.badRate = badRate;
      this.planted = planted;
      int n = (int) Math.max(20, Math.min(4000, size / 10));
      customers = new String[n];
      countries = new String[n];
      for (int i = 0; i < n; i++) {
        customers[i] = Long.toString(12346 + i * 3L + rnd.nextInt(3));
        int r = rnd.nextInt(100);
        countries[i] = r < 85 ? "United Kingdom"
            : RetailCatalog.COUNTRIES[Math.min(RetailCatalog.COUNTRIES.length - 1, (r - 85) / 2 + rnd.nextInt(2))];
      }
    }

    void writeDay(Path file, LocalDate day) throws IOException {
      try (BufferedWriter w = new BufferedWriter(
          new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
        w.write(String.join(",", OrderLine.COLUMNS));
        w.write('\n');
        List<String[]> invoice = new ArrayList<>();
        int next = 0;
        for (long row = 0; row < size; row++) {
          // Invoice times go from 08:00 to 19:59 through the day's rows.
          LocalDateTime time = day.atTime(8, 0).plusMinutes(row * 720 / Math.max(1, size));
          String[] f;
          if (badRate > 0 && rnd.nextDouble() < badRate) {
            f = badRow(time);
          } else {
            if (next >= invoice.size()) {
              invoice = invoice(time);
              next = 0;
            }
            f = invoice.get(next++);
          }
          w.write(line(f));
          w.write('\n');
        }
      }
    }

    private String invoiceNo() {
      return Long.toString(nextInvoice++);
    }

    private String[] row(String invoice, String code, String desc, long qty, LocalDateTime time,
        String price, String customer, String country) {
      return new String[] {invoice, code, desc, Long.toString(qty), time.format(UCI_TIME), price,
          customer.isEmpty() ? "" : customer + ".0", country};
    }

    /** The rows of the next invoice. */
    private List<String[]> invoice(LocalDateTime time) {
      int r = rnd.nextInt(1000);
      if (r < 80 && recentCount > 0) {
        return cancellation(time);
      }
      if (r < 105) {
        return unmatchableCancellation(time);
      }
      if (r < 115) {
        // A zero-price row: no customer, no description (UCI's stock adjustments).
        String[] p = product();
        return one(row(invoiceNo(), p[0], "", 1 + rnd.nextInt(50), time, "0.0", "", "United Kingdom"));
      }
      boolean guest = rnd.nextInt(100) < 25;
      int c = rnd.nextInt(customers.length);
      String customer = guest ? "" : customers[c];
      String country = guest ? "United Kingdom" : countries[c];
      String invoice = invoiceNo();
      int n = 1 + (int) Math.min(40, Math.round(-Math.log(1 - rnd.nextDouble()) * 10));
      List<String[]> rows = new ArrayList<>(n + 1);
      List<Sold> sold = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String[] p = product();
        long qty = QUANTITIES[rnd.nextInt(QUANTITIES.length)];
        String desc = p[1];
        if (rnd.nextInt(50) == 0) {
          desc = desc + " "; // UCI descriptions sometimes end with a space
        }
        String price = uciPrice(p[2]);
        rows.add(row(invoice, p[0], desc, qty, time, price, customer, country));
        sold.add(new Sold(p[0], desc, qty, price));
      }
      int extra = rnd.nextInt(100);
      if (!guest && !country.equals("United Kingdom") && extra < 60) {
        rows.add(row(invoice, "POST", "POSTAGE", 1 + rnd.nextInt(3), time, "18.0", customer, country));
      } else if (guest && extra < 8) {
        rows.add(row(invoice, "DOT", "DOTCOM POSTAGE", 1, time, uciPrice((100 + rnd.nextInt(80_000)) / 100.0),
            customer, country));
      } else if (extra < 3) {
        rows.add(row(invoice, "M", "Manual", 1, time, uciPrice((50 + rnd.nextInt(2000)) / 100.0), customer, country));
      } else if (extra < 5) {
        rows.add(row(invoice, "C2", "CARRIAGE", 1, time, "50.0", customer, country));
      } else if (extra < 6) {
        rows.add(row(invoice, "BANK CHARGES", "Bank Charges", 1, time, "15.0", customer, country));
      }
      if (!guest) {
        recent[recentNext] = new Recent(customer, country, sold);
        recentNext = (recentNext + 1) % RECENT_INVOICES;
        recentCount = Math.min(recentCount + 1, RECENT_INVOICES);
      }
      return rows;
    }

    /** Cancels one to three lines of a recent invoice, part or all of their quantity. */
    private List<String[]> cancellation(LocalDateTime time) {
      Recent r = recent[rnd.nextInt(recentCount)];
      String invoice = "C" + invoiceNo();
      int k = 1 + rnd.nextInt(Math.min(3, r.lines().size()));
      int start = rnd.nextInt(r.lines().size());
      List<String[]> rows = new ArrayList<>(k);
      for (int i = 0; i < k; i++) {
        Sold s = r.lines().get((start + i) % r.lines().size());
        long qty = rnd.nextBoolean() ? s.quantity() : 1 + rnd.nextInt((int) s.quantity());
        rows.add(row(invoice, s.stockCode(), s.description(), -qty, time, s.price(), r.customer(), r.country()));
      }
      return rows;
    }

    /** Cancellations the data cannot match: a guest's, a discount, a fee, or more than anyone bought. */
    private List<String[]> unmatchableCancellation(LocalDateTime time) {
      String invoice = "C" + invoiceNo();
      int c = rnd.nextInt(customers.length);
      String[] p = product();
      return switch (rnd.nextInt(4)) {
        case 0 -> one(row(invoice, p[0], p[1], -(1 + rnd.nextInt(12)), time, uciPrice(p[2]), "", "United Kingdom"));
        case 1 -> one(row(invoice, "D", "Discount", -1, time, uciPrice((500 + rnd.nextInt(3000)) / 100.0),
            customers[c], countries[c]));
        case 2 -> one(row(invoice, "AMAZONFEE", "AMAZON FEE", -1, time,
            uciPrice((100_000 + rnd.nextInt(1_500_000)) / 100.0), "", "United Kingdom"));
        default -> one(row(invoice, p[0], p[1], -(10_000 + rnd.nextInt(1000)), time, uciPrice(p[2]),
            customers[c], countries[c]));
      };
    }

    private static List<String[]> one(String[] row) {
      List<String[]> rows = new ArrayList<>(1);
      rows.add(row);
      return rows;
    }

    private String[] product() {
      return RetailCatalog.PRODUCTS[rnd.nextInt(RetailCatalog.PRODUCTS.length)];
    }

    /** A one-row invoice with exactly one defect. */
    private String[] badRow(LocalDateTime time) {
      String kind = PLANTED_KINDS.get((int) (kindCursor++ % PLANTED_KINDS.size()));
      planted.merge(kind, 1L, Long::sum);
      int c = rnd.nextInt(customers.length);
      String[] p = product();
      String[] f = row(invoiceNo(), p[0], p[1], QUANTITIES[rnd.nextInt(QUANTITIES.length)], time,
          uciPrice(p[2]), customers[c], countries[c]);
      switch (kind) {
        case RetailReasons.INVALID_DATE -> f[4] = switch (rnd.nextInt(3)) {
          case 0 -> time.getYear() + "-13-" + (10 + rnd.nextInt(20)) + " 10:15:00";
          case 1 -> time.toLocalDate() + " 25:" + (10 + rnd.nextInt(50)) + ":00";
          default -> time.getDayOfMonth() + "." + time.getMonthValue() + "." + time.getYear() + " 10:15";
        };
        case RetailReasons.INVALID_NUMBER -> {
          if (rnd.nextBoolean()) {
            f[3] = f[3] + ".5";
          } else {
            f[5] = rnd.nextBoolean() ? "N/A" : f[5].replace('.', ',');
          }
        }
        case RetailReasons.NEGATIVE_PRICE -> {
          f[1] = "B";
          f[2] = "Adjust bad debt";
          f[3] = "1";
          f[5] = "-" + uciPrice((100 + rnd.nextInt(1_000_000)) / 100.0);
        }
        case RetailReasons.INVALID_CANCELLATION -> f[0] = "C" + f[0];
        case RetailReasons.ZERO_QUANTITY -> f[3] = "0";
        case RetailReasons.INVALID_CUSTOMER_ID -> f[6] = rnd.nextBoolean() ? customers[c] + ".5" : "CUST" + customers[c];
        case RetailReasons.INVALID_INVOICE_NO -> f[0] = rnd.nextBoolean() ? "INV" + f[0] : f[0].substring(0, 3) + "-" + f[0].substring(3);
        case Reasons.MISSING_FIELD -> f[rnd.nextBoolean() ? 1 : 7] = "";
        default -> throw new IllegalStateException("unplanned defect kind " + kind);
      }
      return f;
    }
  }

  /** A price the way the UCI CSV writes it: a float, "2.1", "18.0", "0.0". */
  static String uciPrice(String decimal) {
    BigDecimal d = new BigDecimal(decimal).stripTrailingZeros();
    return d.scale() <= 0 ? d.setScale(1).toPlainString() : d.toPlainString();
  }

  static String uciPrice(double value) {
    return uciPrice(BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString());
  }

  /** RFC 4180 fields: quoted when holding a comma, quote or line break, with quotes doubled. */
  static String line(String[] fields) {
    StringBuilder sb = new StringBuilder(128);
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String s = fields[i];
      if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(s);
      }
    }
    return sb.toString();
  }
}
