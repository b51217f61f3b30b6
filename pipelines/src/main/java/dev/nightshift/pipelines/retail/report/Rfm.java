package dev.nightshift.pipelines.retail.report;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFM customer segmentation (Chen, Sain &amp; Guo 2012, the analysis the UCI Online Retail data set
 * was published for), computed over all customers at once so it is the same on every runner.
 *
 * <p>Scores: customers are sorted by the value (recency: most days first, so the most recent get
 * the highest score; frequency and monetary: smallest first), then by customer id. The customer at
 * 0-based position {@code rank} of {@code n} scores {@code 1 + floor(5 * rank / n)}, except that
 * equal values keep together: every customer of a tie gets the score of the first position of the
 * tie. So scores run 1..5 and a value always maps to one score.
 *
 * <p>Segments from the (R, F) scores, the widely used RFM segment map:
 * <pre>
 *   R\F   1            2            3            4          5
 *   5     New Cust.    Pot. Loyal.  Pot. Loyal.  Champions  Champions
 *   4     Promising    Pot. Loyal.  Pot. Loyal.  Loyal      Loyal
 *   3     About to S.  About to S.  Need Att.    Loyal      Loyal
 *   1-2   Hibernating  Hibernating  At Risk      At Risk    Cannot Lose Them
 * </pre>
 */
public final class Rfm {
  private Rfm() {}

  /** Every segment, in the order reports list them (best first). */
  public static final List<String> SEGMENTS =
      List.of("Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising",
          "Need Attention", "About to Sleep", "At Risk", "Cannot Lose Them", "Hibernating");

  /** A customer's raw RFM values. */
  public record Customer(String id, LocalDate lastPurchase, long frequency, BigDecimal monetary)
      implements Serializable {}

  /** A scored customer. */
  public record Scored(Customer customer, long recencyDays, int r, int f, int m, String segment)
      implements Serializable {}

  public static String segment(int r, int f) {
    if (r <= 2) {
      return f <= 2 ? "Hibernating" : f <= 4 ? "At Risk" : "Cannot Lose Them";
    }
    if (r == 3) {
      return f <= 2 ? "About to Sleep" : f == 3 ? "Need Attention" : "Loyal Customers";
    }
    if (f >= 4) {
      return r == 5 ? "Champions" : "Loyal Customers";
    }
    if (f >= 2) {
      return "Potential Loyalists";
    }
    return r == 5 ? "New Customers" : "Promising";
  }

  /** Scores every customer; the result is in customer id order. */
  public static List<Scored> score(List<Customer> customers, LocalDate asOf) {
    int n = customers.size();
    Map<String, Long> recency = new LinkedHashMap<>();
    for (Customer c : customers) {
      recency.put(c.id(), ChronoUnit.DAYS.between(c.lastPurchase(), asOf));
    }
    // recency: more days = worse = sorted first
    Map<String, Integer> r = scores(customers, Comparator.comparing((Customer c) -> -recency.get(c.id())));
    Map<String, Integer> f = scores(customers, Comparator.comparingLong(Customer::frequency));
    Map<String, Integer> m = scores(customers, Comparator.comparing(Customer::monetary));
    List<Scored> out = new ArrayList<>(n);
    List<Customer> byId = new ArrayList<>(customers);
    byId.sort(Comparator.comparing(Customer::id));
    for (Customer c : byId) {
      int rs = r.get(c.id());
      int fs = f.get(c.id());
      out.add(new Scored(c, recency.get(c.id()), rs, fs, m.get(c.id()), segment(rs, fs)));
    }
    return out;
  }

  /** Quintile scores by rank, ties kept together (see the class comment). */
  private static Map<String, Integer> scores(List<Customer> customers, Comparator<Customer> byValue) {
    List<Customer> sorted = new ArrayList<>(customers);
    sorted.sort(byValue.thenComparing(Customer::id));
    Map<String, Integer> scores = new LinkedHashMap<>();
    int n = sorted.size();
    int tieStart = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && byValue.compare(sorted.get(i - 1), sorted.get(i)) != 0) {
        tieStart = i;
      }
      scores.put(sorted.get(i).id(), 1 + (int) (5L * tieStart / n));
    }
    return scores;
  }
}
