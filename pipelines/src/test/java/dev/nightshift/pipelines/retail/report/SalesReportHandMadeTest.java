package dev.nightshift.pipelines.retail.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-written order_lines.csv: RFM with known quintiles through the pipeline, an HTML page that
 * shows hostile descriptions and countries only escaped, and CSV cells neutralised against formula
 * injection while negative numbers stay numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesReportHandMadeTest {

  static final String SCRIPT = "<script>alert(1)</script>";
  static final String IMG = "\"><img src=x onerror=alert(1)>";
  static final String FORMULA_COUNTRY = "=cmd|' /C calc'!A0";

  Path output;
  List<String> lines = new ArrayList<>();
  int lineNo = 1;
  int invoice = 500000;

  void add(String inv, String code, String desc, long qty, String price, String time, String customer,
      String country, String type) {
    lineNo++;
    BigDecimal amount = new BigDecimal(price).multiply(BigDecimal.valueOf(qty)).setScale(2);
    lines.add(Csv.rawLine(inv, lineNo, code, desc, qty, price, amount.toPlainString(), time, customer, country, type));
  }

  @BeforeAll
  void run(@TempDir Path tmp) throws IOException {
    // customer 100+k, as in RfmTest: last purchase Dec k, k <= 5 one invoice, else k - 4; spend (11-k) x 10
    for (int k = 1; k <= 10; k++) {
      int invoices = k <= 5 ? 1 : k - 4;
      long total = (11 - k) * 10L;
      for (int i = 0; i < invoices; i++) {
        boolean last = i == invoices - 1;
        long qty = last ? total - (invoices - 1) : 1;
        String day = last ? String.format("2010-12-%02d", k) : "2010-12-01";
        add(Integer.toString(++invoice), "21" + k, "PRODUCT " + k, qty, "1.00", day + "T10:00",
            Integer.toString(100 + k), "United Kingdom", "SALE");
      }
    }
    // customer 101 returns 5 (monetary 95.00, still the highest); customer 999 only returns
    add("C" + (++invoice), "211", "PRODUCT 1", -5, "1.00", "2010-12-02T11:00", "101", "United Kingdom", "CANCELLATION");
    add("C" + (++invoice), "215", "PRODUCT 5", -1, "1.00", "2010-12-02T11:30", "999", "France", "CANCELLATION");
    // guests with hostile text; postage
    add(Integer.toString(++invoice), "85123A", SCRIPT, 3, "2.55", "2010-12-01T09:00", "", "<b>Evil</b> & Co", "GUEST_PURCHASE");
    add(Integer.toString(++invoice), "@SUM", IMG, 2, "4.00", "2010-12-01T09:30", "", FORMULA_COUNTRY, "GUEST_PURCHASE");
    add(Integer.toString(invoice), "POST", "+POSTAGE", 1, "18.00", "2010-12-01T09:30", "", FORMULA_COUNTRY, "NON_PRODUCT");
    Path input = tmp.resolve("order_lines.csv");
    Files.writeString(input, Csv.header(dev.nightshift.schemas.retail.SalesLine.COLUMNS) + "\n"
        + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    output = tmp.resolve("out");
    SalesReport.run("--orderLines=" + input, "--output=" + output, "--topN=20");
  }

  @Test
  void rfmScoresAreTheKnownQuintiles() throws IOException {
    List<String> rfm = Files.readAllLines(output.resolve("rfm.csv"));
    assertEquals(List.of(
        "customer_id,last_purchase,recency_days,frequency,monetary,r_score,f_score,m_score,rfm_cell,segment",
        "101,2010-12-01,10,1,95.00,1,1,5,115,Hibernating",
        "102,2010-12-02,9,1,90.00,1,1,5,115,Hibernating",
        "103,2010-12-03,8,1,80.00,2,1,4,214,Hibernating",
        "104,2010-12-04,7,1,70.00,2,1,4,214,Hibernating",
        "105,2010-12-05,6,1,60.00,3,1,3,313,About to Sleep",
        "106,2010-12-06,5,2,50.00,3,3,3,333,Need Attention",
        "107,2010-12-07,4,3,40.00,4,4,2,442,Loyal Customers",
        "108,2010-12-08,3,4,30.00,4,4,2,442,Loyal Customers",
        "109,2010-12-09,2,5,20.00,5,5,1,551,Champions",
        "110,2010-12-10,1,6,10.00,5,5,1,551,Champions"), rfm);
    List<String> segments = Files.readAllLines(output.resolve("rfm_segments.csv"));
    assertTrue(segments.contains("Hibernating,4,335.00"), segments.toString());
    assertTrue(segments.contains("Champions,2,30.00"), segments.toString());
    assertTrue(segments.contains("Promising,0,0.00"), segments.toString());
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    assertEquals(1L, m.steps().get(SalesReport.BUILD_RFM).other().get("no-purchase"), "customer 999");
  }

  @Test
  void htmlShowsInputTextOnlyEscaped() throws IOException {
    String html = Files.readString(output.resolve(SalesReport.HTML_FILE));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "script description escaped");
    assertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "img description escaped");
    assertTrue(html.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"), "country escaped");
    assertFalse(html.contains(SCRIPT));
    assertFalse(html.contains(IMG));
    assertFalse(html.contains("<img"));
    assertFalse(html.contains("<b>"));
    assertFalse(html.toLowerCase().contains("<script"), "no script at all");
    assertFalse(html.contains("http"), "nothing to fetch: no URL at all");
  }

  @Test
  void csvTextCellsAreNeutralisedAndNumbersAreNot() throws IOException {
    String products = Files.readString(output.resolve("revenue_by_product.csv"));
    assertTrue(products.contains("\n'@SUM,\"\"\"><img src=x onerror=alert(1)>\",8.00,"), products);
    String countries = Files.readString(output.resolve("revenue_by_country.csv"));
    assertTrue(countries.contains("\n'=cmd|' /C calc'!A0,8.00,0.00,8.00,"), countries);
    assertTrue(countries.contains(",18.00\n"), "the postage as non-product amount: " + countries);
    String other = Files.readString(output.resolve("non_product.csv"));
    assertTrue(other.contains("\nPOST,'+POSTAGE,18.00,1,1,1\n"), other);
    // a negative amount stays a number
    assertTrue(countries.contains("\nFrance,0.00,-1.00,-1.00,0,1,-1,1,1,0.00\n"), countries);
    assertTrue(products.contains("\n211,PRODUCT 1,100.00,-5.00,95.00,100,5,95,2,2\n"), products);
  }
}
