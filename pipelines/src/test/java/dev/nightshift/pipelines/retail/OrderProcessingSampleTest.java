package dev.nightshift.pipelines.retail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real UCI day (2010-12-01) gives exactly the facts of shared/samples/README.md. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderProcessingSampleTest {

  Path output;
  NightshiftRun.Summary summary;

  @BeforeAll
  void processTheRealDay(@TempDir Path tmp) {
    output = tmp.resolve("out");
    summary = OrderProcessing.run(
        "--input=" + RetailSamples.retail(RetailSamples.DAY), "--output=" + output);
  }

  @Test
  void countsEqualTheSampleFacts() throws IOException {
    List<List<String>> lines = CsvFiles.rows(output.resolve(OrderProcessing.ORDER_LINES_FILE));
    assertEquals(3108, summary.counter("read-orders/in"));
    assertEquals(3108, lines.size());
    Set<String> invoices = new HashSet<>();
    long cancellations = 0;
    long guests = 0;
    long zeroPrice = 0;
    BigDecimal sum = BigDecimal.ZERO;
    for (List<String> l : lines) {
      invoices.add(l.get(0));
      cancellations += l.get(10).equals("CANCELLATION") ? 1 : 0;
      guests += l.get(8).isEmpty() ? 1 : 0;
      zeroPrice += new BigDecimal(l.get(5)).signum() == 0 ? 1 : 0;
      sum = sum.add(new BigDecimal(l.get(6)));
    }
    assertEquals(143, invoices.size());
    assertEquals(26, cancellations);
    assertEquals(1140, guests);
    assertEquals(10, zeroPrice);
    assertEquals(new BigDecimal("58635.56"), sum);
    assertEquals(26, summary.counter("classify-lines/CANCELLATION"));
    assertEquals(1140, summary.counter("classify-lines/guest-rows"));

    List<List<String>> totals = CsvFiles.rows(output.resolve(OrderProcessing.TOTALS_FILE));
    assertEquals(143, totals.size());
    assertEquals(new BigDecimal("58635.56"),
        totals.stream().map(t -> new BigDecimal(t.get(6))).reduce(BigDecimal.ZERO, BigDecimal::add));
    assertEquals(3108, totals.stream().mapToLong(t -> Long.parseLong(t.get(4))).sum());
    List<List<String>> cancelled = CsvFiles.rows(output.resolve(OrderProcessing.CANCELLATIONS_FILE));
    assertEquals(26, cancelled.size());
    assertEquals(26, summary.counter("match-cancellations/matched")
        + summary.counter("match-cancellations/unmatched"));
  }

  @Test
  void noDeadLettersAndTheAuditBalances() throws IOException {
    assertEquals(0, Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE)).size());
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
  }

  @Test
  void quotedDescriptionsAndCustomerIdsAreRead() throws IOException {
    List<List<String>> lines = CsvFiles.rows(output.resolve(OrderProcessing.ORDER_LINES_FILE));
    assertTrue(lines.stream().anyMatch(l -> l.get(3).equals("LETTER \"D\" BLING KEY RING")));
    assertTrue(lines.stream().anyMatch(l -> l.get(3).equals("TRAY, BREAKFAST IN BED")));
    assertTrue(lines.stream().anyMatch(l -> l.get(0).equals("536365") && l.get(1).equals("2")
        && l.get(8).equals("17850") && l.get(7).equals("2010-12-01T08:26")
        && l.get(10).equals("SALE") && l.get(6).equals("15.30")));
    assertTrue(lines.stream().anyMatch(l -> l.get(2).equals("POST") && l.get(10).equals("NON_PRODUCT")));
  }
}
