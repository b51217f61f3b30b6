package dev.nightshift.pipelines.retail.report;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.retail.SalesLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes a seeded {@code order_lines.csv} in the exact format of order-processing's output (retail
 * file contract), for the sales report's tests and demos without running order-processing: several
 * days of invoices with sales, guest purchases, cancellations (C invoices, negative quantities),
 * non-product lines (POST, D, M, BANK CHARGES...), zero prices, descriptions with commas and quotes,
 * and text that a spreadsheet would evaluate ({@code =}, {@code +}, {@code -}, {@code @}). Every
 * {@code badEvery}-th line (0: none) carries one defect the sales report must refuse, the kinds in
 * turn; {@link #planted()} says how many of each reason.
 */
public final class OrderLinesFixture {
  private final Map<String, Long> planted = new TreeMap<>();

  static final String[] NON_PRODUCT = {"POST", "D", "M", "BANK CHARGES", "AMAZONFEE", "DOT", "CRUK"};
  static final String[] COUNTRIES = {
    "United Kingdom", "United Kingdom", "United Kingdom", "France", "Germany", "EIRE", "Norway",
    "Channel Islands", "@Atlantis, \"the lost\""
  };
  static final String[] WORDS = {
    "WHITE", "HANGING", "HEART", "T-LIGHT", "HOLDER", "METAL", "LANTERN", "CREAM", "CUPID", "HEARTS",
    "COAT", "HANGER", "KNITTED", "UNION", "FLAG", "HOT", "WATER", "BOTTLE", "RED", "WOOLLY", "HOTTIE"
  };

  public Map<String, Long> planted() {
    return planted;
  }

  /** Writes about {@code lines} order lines over {@code days} days from 2010-12-01. */
  public void write(Path file, int lines, int days, long seed, int badEvery) throws IOException {
    Random rnd = new Random(seed);
    int productCount = 60;
    List<String[]> products = new ArrayList<>(); // code, description, price
    for (int i = 0; i < productCount; i++) {
      String code = Integer.toString(20000 + rnd.nextInt(70000)) + (rnd.nextInt(4) == 0 ? "B" : "");
      String desc = WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)];
      switch (i % 12) {
        case 1 -> desc = desc + ", SET OF 3";
        case 2 -> desc = "\"BIG\" " + desc;
        case 3 -> desc = "=HYPERLINK(\"http://x\";\"" + desc + "\")";
        case 4 -> desc = "-" + desc;
        case 5 -> desc = "+" + desc;
        case 6 -> desc = "";
        default -> { }
      }
      BigDecimal price = BigDecimal.valueOf(rnd.nextInt(2000) + 1, 2);
      products.add(new String[] {code, desc, price.toPlainString()});
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(Csv.header(SalesLine.COLUMNS));
      w.write('\n');
      int line = 1;
      int invoice = 536365;
      int written = 0;
      int bad = 0;
      List<String[]> recent = new ArrayList<>(); // lines that a cancellation may reverse
      while (written < lines) {
        invoice++;
        LocalDate day = LocalDate.of(2010, 12, 1).plusDays(rnd.nextInt(days));
        LocalDateTime time = day.atTime(7 + rnd.nextInt(13), rnd.nextInt(60));
        String customer = rnd.nextInt(4) == 0 ? "" : Integer.toString(12346 + rnd.nextInt(45));
        String country = COUNTRIES[rnd.nextInt(COUNTRIES.length)];
        boolean cancel = !recent.isEmpty() && rnd.nextInt(12) == 0;
        String inv = (cancel ? "C" : "") + invoice;
        int n = 1 + rnd.nextInt(8);
        for (int j = 0; j < n && written < lines; j++) {
          String code;
          String desc;
          BigDecimal price;
          long qty;
          if (cancel) {
            String[] orig = recent.get(rnd.nextInt(recent.size()));
            code = orig[0];
            desc = orig[1];
            price = new BigDecimal(orig[2]);
            qty = -(1 + rnd.nextInt(6));
          } else if (rnd.nextInt(15) == 0) {
            code = NON_PRODUCT[rnd.nextInt(NON_PRODUCT.length)];
            desc = code.equals("POST") ? "POSTAGE" : code.equals("M") ? "Manual" : code;
            price = BigDecimal.valueOf(rnd.nextInt(4000) + 1, 2);
            qty = 1;
          } else {
            String[] p = products.get(rnd.nextInt(products.size()));
            code = p[0];
            // as in the UCI data, a stock code's description sometimes differs between lines
            desc = rnd.nextInt(10) == 0 ? p[1].toLowerCase(java.util.Locale.ROOT) + " (variant)" : p[1];
            price = rnd.nextInt(40) == 0 ? BigDecimal.ZERO.setScale(2) : new BigDecimal(p[2]);
            qty = 1 + rnd.nextInt(24);
            recent.add(p);
          }
          String type = cancel ? SalesLine.CANCELLATION
              : Character.isDigit(code.charAt(0)) ? (customer.isEmpty() ? SalesLine.GUEST_PURCHASE : SalesLine.SALE)
              : SalesLine.NON_PRODUCT;
          BigDecimal amount = price.multiply(BigDecimal.valueOf(qty)).setScale(2, RoundingMode.HALF_EVEN);
          line++;
          String[] row = {inv, Integer.toString(line), code, desc, Long.toString(qty), price.toPlainString(),
              amount.toPlainString(), time.toString(), customer, country, type};
          if (badEvery > 0 && line % badEvery == 0) {
            switch (bad++ % 4) {
              case 0 -> { row[10] = "REFUND"; note(Reasons.INVALID_VALUE); }
              case 1 -> { row[6] = amount.add(BigDecimal.ONE).toPlainString(); note(Reasons.INVALID_VALUE); }
              case 2 -> { row[7] = day + " 25:61"; note(Reasons.INVALID_DATE); }
              default -> { row[4] = "six"; note(Reasons.INVALID_NUMBER); }
            }
          }
          w.write(Csv.rawLine((Object[]) row));
          w.write('\n');
          written++;
        }
      }
    }
  }

  private void note(String reason) {
    planted.merge(reason, 1L, Long::sum);
  }
}
