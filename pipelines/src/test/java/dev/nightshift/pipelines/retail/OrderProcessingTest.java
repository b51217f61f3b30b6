package dev.nightshift.pipelines.retail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** order-processing on three generated days, against the plain-Java reference model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderProcessingTest {

  static final int ROWS_PER_DAY = 700;

  Path tmp;
  Path input;
  Path output;
  GenerationReport generated;
  NightshiftRun.Summary summary;
  OrderProcessingModel.Result model;

  @BeforeAll
  void processGeneratedDays(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    input = tmp.resolve("in");
    output = tmp.resolve("out");
    generated = new RetailOrderGenerator().generate(new GenerationRequest(input, ROWS_PER_DAY, 17, 0.04, null));
    summary = OrderProcessing.run("--inputDir=" + input, "--output=" + output);
    model = OrderProcessingModel.run(input);
  }

  @Test
  void outputsEqualTheReferenceModel() throws IOException {
    assertEquals(model.orderLines(), dataLines(OrderProcessing.ORDER_LINES_FILE));
    assertEquals(model.movements(), dataLines(OrderProcessing.MOVEMENTS_FILE));
    assertEquals(model.totals(), dataLines(OrderProcessing.TOTALS_FILE));
    assertEquals(model.cancellations(), dataLines(OrderProcessing.CANCELLATIONS_FILE));
    assertEquals(model.customers(), dataLines(OrderProcessing.CUSTOMERS_FILE));
    assertEquals(model.matched(), summary.counter("match-cancellations/matched"));
    assertEquals(model.unmatched(), summary.counter("match-cancellations/unmatched"));
  }

  @Test
  void theGeneratedDataHasEveryQuirk() {
    assertTrue(model.matched() > 5, "cancellations of earlier sales: " + model.matched());
    assertTrue(model.unmatched() > 2, "unmatchable cancellations: " + model.unmatched());
    List<String> lines = model.orderLines();
    for (String type : List.of(",SALE", ",CANCELLATION", ",NON_PRODUCT", ",GUEST_PURCHASE")) {
      assertTrue(lines.stream().anyMatch(l -> l.endsWith(type)), type);
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"\"")), "doubled quotes");
    assertTrue(lines.stream().anyMatch(l -> l.contains(",0.00,0.00,")), "zero prices");
    assertTrue(model.cancellations().stream().anyMatch(l -> l.endsWith(",UNMATCHED_GUEST")));
    // a cancellation of an earlier day's sale
    assertTrue(model.cancellations().stream().anyMatch(l -> l.contains("2010-12-02T")
        && l.endsWith(",MATCHED") && model.orderLines().stream().anyMatch(
            o -> o.startsWith(l.split(",")[8] + ",") && o.contains("2010-12-01T"))));
  }

  @Test
  void deadLettersPerReasonEqualWhatWasPlanted() throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    for (String json : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      DeadLetter d = DeadLetter.fromJson(json);
      byReason.merge(d.reasonCode(), 1L, Long::sum);
      List<String> source = Files.readAllLines(Path.of(d.sourceFile()), StandardCharsets.UTF_8);
      assertEquals(source.get((int) d.lineNumber() - 1), d.rawPayload(), json);
    }
    assertEquals(generated.planted(), byReason);
    assertEquals(model.deadByReason(), byReason);
    assertEquals(RetailOrderGenerator.PLANTED_KINDS.size(), byReason.size(), byReason.toString());
  }

  @Test
  void everyRowIsOneClassifiedLineOrADeadLetterAndTheAuditBalances() throws IOException {
    RunManifest m = RunManifest.fromJson(Files.readString(output.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    long rows = 3L * ROWS_PER_DAY;
    assertEquals(rows, summary.counter("read-orders/in"));
    assertEquals(rows, summary.counter("write-order-lines/out") + generated.totalPlanted());
    assertEquals(generated.expectedValidRecords(), summary.counter("write-order-lines/out"));
    assertEquals(summary.counter("write-order-lines/out"),
        summary.counter("classify-lines/SALE") + summary.counter("classify-lines/CANCELLATION")
            + summary.counter("classify-lines/NON_PRODUCT") + summary.counter("classify-lines/GUEST_PURCHASE"));
  }

  @Test
  void generationIsDeterministicAndASecondRunWritesTheSameBytes() throws IOException {
    Path again = tmp.resolve("again");
    new RetailOrderGenerator().generate(new GenerationRequest(tmp.resolve("in2"), ROWS_PER_DAY, 17, 0.04, null));
    for (String f : List.of("online_retail_2010-12-01.csv", "online_retail_2010-12-03.csv", "generation.json")) {
      assertArrayEquals(Files.readAllBytes(input.resolve(f)), Files.readAllBytes(tmp.resolve("in2").resolve(f)), f);
    }
    OrderProcessing.run("--input=" + input + "/online_retail_*.csv", "--output=" + again,
        "--aggregationBuckets=3");
    for (String f : List.of(OrderProcessing.ORDER_LINES_FILE, OrderProcessing.MOVEMENTS_FILE,
        OrderProcessing.TOTALS_FILE, OrderProcessing.CANCELLATIONS_FILE, OrderProcessing.CUSTOMERS_FILE,
        NightshiftRun.DEAD_LETTERS_FILE)) {
      assertArrayEquals(Files.readAllBytes(output.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
    }
  }

  @Test
  void aMissingInputIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OrderProcessing.run("--input=" + tmp.resolve("nope/*.csv"), "--output=" + tmp.resolve("x")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OrderProcessing.run("--output=" + tmp.resolve("y")));
  }

  private List<String> dataLines(String file) throws IOException {
    List<String> lines = Files.readAllLines(output.resolve(file), StandardCharsets.UTF_8);
    assertFalse(lines.isEmpty(), file);
    return lines.subList(1, lines.size());
  }
}
