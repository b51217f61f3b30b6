package dev.nightshift.pipelines.retail.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sales report on generated order lines (Direct Runner, test-time checks on), file by file and
 * line by line against the plain-Java reference model; dead letters against what was planted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesReportTest {

  Path input;
  Path output;
  OrderLinesFixture fixture = new OrderLinesFixture();

  @BeforeAll
  void reportGeneratedLines(@TempDir Path tmp) throws IOException {
    input = tmp.resolve("orders/order_lines.csv");
    output = tmp.resolve("out");
    fixture.write(input, 1_500, 3, 11, 97);
    SalesReport.run("--ordersDir=" + input.getParent(), "--output=" + output, "--topN=12");
  }

  @Test
  void everyCsvReportEqualsTheReferenceModel() throws IOException {
    SalesReportModel.Result model = SalesReportModel.run(input, null, 12);
    assertEquals(SalesReport.REPORTS.size(), model.files().size());
    for (Map.Entry<String, List<String>> f : model.files().entrySet()) {
      assertFalse(f.getValue().isEmpty(), f.getKey());
      List<String> lines = Files.readAllLines(output.resolve(f.getKey()), StandardCharsets.UTF_8);
      assertEquals(String.join(",", columns(f.getKey())), lines.get(0), f.getKey());
      assertEquals(f.getValue(), lines.subList(1, lines.size()), f.getKey());
    }
    assertEquals(24, model.files().get("top_products.csv").size(), "12 by net sales, 12 by quantity");
  }

  @Test
  void deadLettersAreThePlantedDefects() throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    List<String> raw = Files.readAllLines(input, StandardCharsets.UTF_8);
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      assertEquals(SalesReport.NAME, d.pipeline());
      assertEquals(raw.get((int) d.lineNumber() - 1), d.rawPayload());
    }
    assertEquals(fixture.planted(), byReason);
    assertEquals(SalesReportModel.run(input, null, 12).deadByReason(), byReason);
    assertEquals(3, byReason.size(), "INVALID_VALUE (type, amount), INVALID_DATE, INVALID_NUMBER: " + byReason);
  }

  @Test
  void manifestBalancesEveryOrderLine() throws IOException {
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    long valid = SalesReportModel.run(input, null, 12).validLines();
    assertEquals(1_500, m.steps().get("read-order-lines").in());
    assertEquals(valid, m.steps().get("read-order-lines").out());
    assertEquals(valid, m.steps().get(SalesReport.KEY).out());
    assertTrue(m.audit().checks().stream().anyMatch(c -> c.startsWith("build-rfm: build-rfm/customer-lines = key-order-lines/customer-lines")));
    // the page is listed with its line count like every output
    assertTrue(m.outputs().stream().anyMatch(f -> f.path().equals(SalesReport.HTML_FILE) && f.records() > 50));
  }

  @Test
  void nonProductLinesAreKeptOutOfProductRevenue() throws IOException {
    List<String> products = Files.readAllLines(output.resolve("revenue_by_product.csv"));
    List<String> other = Files.readAllLines(output.resolve("non_product.csv"));
    assertTrue(other.stream().anyMatch(l -> l.startsWith("POST,POSTAGE,")), other.toString());
    List<String> codes = new ArrayList<>();
    for (String l : products.subList(1, products.size())) {
      codes.add(l.split(",", 2)[0]);
    }
    // a cancelled product line is a return of its product; NON_PRODUCT lines never reach products
    for (String l : other.subList(1, other.size())) {
      assertFalse(codes.contains(l.split(",", 2)[0]), l);
    }
  }

  static String[] columns(String file) {
    return SalesReport.REPORTS.stream().filter(r -> r.file().equals(file)).findFirst().orElseThrow().columns();
  }
}
