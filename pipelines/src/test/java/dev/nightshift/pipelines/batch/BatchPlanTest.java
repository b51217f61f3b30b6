package dev.nightshift.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch's DAG, its selections, and where each pipeline's inputs are found. */
class BatchPlanTest {
  static final LocalDate D = LocalDate.of(2026, 11, 25);

  @TempDir Path tmp;

  @BeforeAll
  static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Test
  void theStandardPlanHasTheThreeDomainsDags() {
    BatchPlan plan = BatchPlan.standard();
    Map<String, List<String>> deps = plan.steps().stream()
        .collect(Collectors.toMap(BatchPlan.Step::pipeline, BatchPlan.Step::dependsOn));
    assertEquals(Map.of(
        "trade-settlement", List.of(), "account-reconciliation", List.of(),
        "financial-reports", List.of("trade-settlement"),
        "order-processing", List.of(), "inventory-update", List.of("order-processing"),
        "sales-report", List.of("order-processing"),
        "claims-adjudication", List.of(), "patient-records", List.of(),
        "billing", List.of("claims-adjudication")), deps);
    assertEquals(BatchPlan.DOMAINS, plan.domains());
  }

  @Test
  void selectionsByDomainAndByPipeline() {
    BatchPlan retail = BatchPlan.standard().select(List.of("retail"), List.of());
    assertEquals(List.of("order-processing", "inventory-update", "sales-report"),
        retail.steps().stream().map(BatchPlan.Step::pipeline).toList());
    BatchPlan one = BatchPlan.standard().select(List.of(), List.of("billing", "inventory-update"));
    assertEquals(List.of("inventory-update", "billing"), one.steps().stream().map(BatchPlan.Step::pipeline).toList());
    // A dependency left out of the batch is not waited for: its partitions are read as they are.
    assertEquals(List.of(), one.parentsInBatch(one.step("billing").orElseThrow()));
    assertEquals(List.of("order-processing"), retail.parentsInBatch(retail.step("inventory-update").orElseThrow()));

    IllegalArgumentException domain = assertThrows(IllegalArgumentException.class,
        () -> BatchPlan.standard().select(List.of("insurance"), List.of()));
    assertTrue(domain.getMessage().contains("unknown domain 'insurance'"), domain.getMessage());
    IllegalArgumentException pipeline = assertThrows(IllegalArgumentException.class,
        () -> BatchPlan.standard().select(List.of(), List.of("payroll")));
    assertTrue(pipeline.getMessage().contains("no pipeline 'payroll'"), pipeline.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> BatchPlan.standard().select(List.of("finance"), List.of("billing")));
  }

  @Test
  void aPlanMustListEveryDependencyFirst() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(List.of(
        new BatchPlan.Step("b", "x", List.of("a"), c -> List.of()),
        new BatchPlan.Step("a", "x", List.of(), c -> List.of()))));
    assertTrue(e.getMessage().contains("b is listed before its dependency a"), e.getMessage());
  }

  BatchPlan.Context context(LocalDate date) {
    return new BatchPlan.Context(date, tmp.resolve("landing").toString(),
        Partitions.of(tmp.resolve("wh").toString()), "file:/keys/k");
  }

  void publish(String pipeline, LocalDate date, String file) throws IOException {
    Path p = tmp.resolve("wh/" + pipeline + "/business_date=" + date);
    Files.createDirectories(p);
    Files.writeString(p.resolve(file), "x\n");
    Files.writeString(p.resolve("_SUCCESS"), "");
  }

  List<String> flags(String pipeline, LocalDate date) {
    return BatchPlan.standard().step(pipeline).orElseThrow().flags().apply(context(date));
  }

  @Test
  void inventoryChainsFromYesterdayOrStartsFromTheOpeningStock() throws IOException {
    String landing = tmp.resolve("landing") + "/2026-11-25/retail/";
    // First day: no partition at all, the opening stock of the landing area.
    BatchInputException none = assertThrows(BatchInputException.class, () -> flags("inventory-update", D));
    assertTrue(none.getMessage().contains("no opening stock at " + landing + "opening_stock/snapshot.csv"));
    Files.createDirectories(Path.of(landing, "opening_stock"));
    Files.writeString(Path.of(landing, "opening_stock/snapshot.csv"), "x\n");
    assertEquals(List.of("--snapshot=" + landing + "opening_stock/snapshot.csv",
        "--movements=" + tmp.resolve("wh") + "/order-processing/business_date=2026-11-25/daily_movements.csv",
        "--businessDate=2026-11-25"), flags("inventory-update", D));
    // Yesterday published: its end-of-day snapshot, never the opening stock again; receipts if landed.
    publish("inventory-update", D.minusDays(1), "snapshot.csv");
    Files.writeString(Path.of(landing, "receipts.csv"), "x\n");
    List<String> chained = flags("inventory-update", D);
    assertEquals("--snapshot=" + tmp.resolve("wh") + "/inventory-update/business_date=2026-11-24/snapshot.csv",
        chained.get(0));
    assertEquals("--receipts=" + landing + "receipts.csv", chained.get(3));
    // A gap: earlier days exist but not yesterday.
    BatchInputException gap = assertThrows(BatchInputException.class,
        () -> flags("inventory-update", D.plusDays(2)));
    assertTrue(gap.getMessage().contains("business_date=2026-11-26 is not published: run the batch for 2026-11-26 first"),
        gap.getMessage());
  }

  @Test
  void patientRecordsReadTheLatestMasterBeforeTheDate() throws IOException {
    assertFalse(flags("patient-records", D).stream().anyMatch(f -> f.startsWith("--master")), "first run: no master");
    publish("patient-records", D.minusDays(3), "patient_master.csv");
    publish("patient-records", D, "patient_master.csv"); // today's own earlier run: not its input
    assertEquals(List.of("--updates=" + tmp.resolve("landing") + "/2026-11-25/healthcare/patients/*.ndjson",
        "--deidKey=file:/keys/k", "--businessDate=2026-11-25",
        "--master=" + tmp.resolve("wh") + "/patient-records/business_date=2026-11-22/patient_master.csv"),
        flags("patient-records", D));
  }

  @Test
  void billingAndSalesReadEveryDayUpToTheDate() throws IOException {
    publish("claims-adjudication", D.minusDays(1), "adjudicated_lines.csv");
    publish("claims-adjudication", D, "adjudicated_lines.csv");
    assertEquals(List.of(
        "--adjudicated=" + tmp.resolve("wh") + "/claims-adjudication/business_date=????-??-??/adjudicated_lines.csv",
        "--businessDate=2026-11-25"), flags("billing", D));
    publish("order-processing", D, "order_lines.csv");
    assertEquals(List.of(
        "--orderLines=" + tmp.resolve("wh") + "/order-processing/business_date=????-??-??/order_lines.csv",
        "--asOf=2026-11-26"), flags("sales-report", D));
    BatchInputException none = assertThrows(BatchInputException.class, () -> flags("sales-report", D.minusDays(1)));
    assertTrue(none.getMessage().contains("no published partition of order-processing up to 2026-11-24"));
  }
}
