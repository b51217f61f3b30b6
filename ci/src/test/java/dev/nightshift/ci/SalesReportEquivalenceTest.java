package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.retail.report.OrderLinesFixture;
import dev.nightshift.pipelines.retail.report.SalesReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same order lines give the same sales report bytes (every CSV, the HTML page, the dead
 * letters) on the Direct Runner and on the Spark Runner; the RFM quintiles and top-N rankings are
 * computed over one global group, so they must not depend on the runner's bundling.
 */
class SalesReportEquivalenceTest {

  @Test
  void directAndSparkWriteIdenticalReports(@TempDir Path tmp) throws Exception {
    Path lines = tmp.resolve("orders/order_lines.csv");
    new OrderLinesFixture().write(lines, 2_500, 3, 5, 101);
    RunnerEquivalenceTest.assertSameOnBothRunners(SalesReport::run, tmp,
        "--ordersDir=" + lines.getParent(), "--topN=15");
    for (String f : new String[] {"rfm.csv", "top_products.csv", SalesReport.HTML_FILE}) {
      assertTrue(Files.size(tmp.resolve("spark").resolve(f)) > 500, f);
    }
  }
}
