package dev.nightshift.pipelines.retail.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFM scoring on hand-made customers whose quintiles are known. */
class RfmTest {

  static final LocalDate AS_OF = LocalDate.of(2010, 12, 11);

  /**
   * Ten customers: customer k last bought on Dec k (recency 11 - k days), customers 1-5 bought
   * once (a tie), customer k > 5 bought k - 4 times, and customer k spent (11 - k) x 10.
   */
  static List<Rfm.Customer> tenCustomers() {
    List<Rfm.Customer> customers = new ArrayList<>();
    for (int k = 10; k >= 1; k--) { // input order must not matter
      customers.add(new Rfm.Customer("C" + (100 + k), LocalDate.of(2010, 12, k), k <= 5 ? 1 : k - 4,
          BigDecimal.valueOf((11 - k) * 10L)));
    }
    return customers;
  }

  @Test
  void quintilesByRankWithTiesKeptTogether() {
    List<Rfm.Scored> scored = Rfm.score(tenCustomers(), AS_OF);
    int[] r = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    int[] f = {1, 1, 1, 1, 1, 3, 4, 4, 5, 5}; // customers 1-5 tie at rank 0: all score 1
    int[] m = {5, 5, 4, 4, 3, 3, 2, 2, 1, 1};
    String[] segment = {"Hibernating", "Hibernating", "Hibernating", "Hibernating", "About to Sleep",
        "Need Attention", "Loyal Customers", "Loyal Customers", "Champions", "Champions"};
    assertEquals(10, scored.size());
    for (int i = 0; i < 10; i++) {
      Rfm.Scored s = scored.get(i);
      assertEquals("C" + (101 + i), s.customer().id(), "sorted by customer id");
      assertEquals(10 - i, s.recencyDays());
      assertEquals(r[i], s.r(), "R of " + s.customer().id());
      assertEquals(f[i], s.f(), "F of " + s.customer().id());
      assertEquals(m[i], s.m(), "M of " + s.customer().id());
      assertEquals(segment[i], s.segment());
    }
  }

  @Test
  void oneCustomerAndAllEqualValuesScoreOne() {
    List<Rfm.Scored> one = Rfm.score(List.of(tenCustomers().get(0)), AS_OF);
    assertEquals(1, one.get(0).r());
    List<Rfm.Customer> same = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      same.add(new Rfm.Customer("X" + i, AS_OF.minusDays(3), 2, new BigDecimal("10.00")));
    }
    for (Rfm.Scored s : Rfm.score(same, AS_OF)) {
      assertEquals(List.of(1, 1, 1), List.of(s.r(), s.f(), s.m()));
    }
  }

  @Test
  void everyScorePairHasASegment() {
    for (int r = 1; r <= 5; r++) {
      for (int f = 1; f <= 5; f++) {
        assertEquals(SalesReportModel.segment(r, f), Rfm.segment(r, f), r + "," + f);
      }
    }
  }
}
