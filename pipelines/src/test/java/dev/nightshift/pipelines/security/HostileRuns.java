package dev.nightshift.pipelines.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.pipelines.retail.OpeningStock;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.pipelines.testing.CsvFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pipeline run once on small generated inputs into which hostile text was planted, in the
 * fields that carry text: ids (participant, trade, ledger line, claim, patient), descriptions,
 * references, names, cities, desks, legal entities, countries, stock codes, and FHIR photo URLs.
 * The same payload goes into each field (on different records), so each field is tried with each
 * payload. Generated with no planted defects, so the files can be rewritten field by field.
 */
final class HostileRuns {
  private HostileRuns() {}

  /** The inputs and outputs of the runs. */
  record Runs(Path inputs, Map<String, Path> outputs) {}

  static Runs run(Path tmp, List<String> payloads) throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path outs = tmp.resolve("out");
    Map<String, Path> out = new LinkedHashMap<>();

    // Finance: trade settlement (participant ids reach instructions and cash positions)
    Path trades = in.resolve("trades");
    new TradeGenerator().generate(new GenerationRequest(trades, 400, 11, 0, null));
    setColumn(trades.resolve(TradeGenerator.PARTICIPANTS_FILE), "participant_id", payloads, 1, 1);
    setColumn(trades.resolve(TradeGenerator.PARTICIPANTS_FILE), "name", payloads, 1, 1);
    setColumn(trades.resolve(TradeGenerator.TRADES_FILE), "trade_id", payloads, 3, 7);
    out.put(TradeSettlement.NAME, outs.resolve(TradeSettlement.NAME));
    TradeSettlement.run("--inputDir=" + trades, "--output=" + out.get(TradeSettlement.NAME),
        "--businessDate=" + TradeGenerator.DEFAULT_BUSINESS_DATE);

    // Account reconciliation: ledger ids, references, descriptions; statements with external entities
    Path statements = in.resolve("statements");
    new StatementGenerator().generate(new GenerationRequest(statements, 600, 11, 0, null));
    Path ledger = statements.resolve(StatementGenerator.LEDGER_FILE);
    setColumn(ledger, "ledger_id", payloads, 1, 5);
    setColumn(ledger, "reference", payloads, 2, 5);
    setColumn(ledger, "description", payloads, 3, 5);
    for (int i = 0; i < payloads.size(); i++) {
      if (payloads.get(i).contains("://") || payloads.get(i).startsWith("/")) {
        Files.writeString(statements.resolve(StatementGenerator.STATEMENTS_DIR + "/camt053_entity" + i + ".xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM \"" + payloads.get(i) + "\">]>\n"
                + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
                + "<Id>&x;</Id></Stmt></BkToCstmrStmt></Document>\n", StandardCharsets.UTF_8);
      }
    }
    out.put(AccountReconciliation.NAME, outs.resolve(AccountReconciliation.NAME));
    AccountReconciliation.run("--inputDir=" + statements, "--output=" + out.get(AccountReconciliation.NAME));

    // Financial reports: legal entities, desks and descriptions of journal lines
    Path journals = in.resolve("journals");
    GenerationReport j = new JournalGenerator().generate(new GenerationRequest(journals, 300, 11, 0, null));
    Path journalsFile = journals.resolve(JournalGenerator.JOURNALS_FILE);
    setColumn(journalsFile, "desk", payloads, 1, 7);
    setColumn(journalsFile, "description", payloads, 2, 7);
    setColumn(journalsFile, "legal_entity", payloads, 3, 7);
    out.put(FinancialReports.NAME, outs.resolve(FinancialReports.NAME));
    FinancialReports.run("--inputDir=" + journals, "--output=" + out.get(FinancialReports.NAME),
        "--businessDate=" + j.businessDate());

    // Retail: order processing -> inventory update -> sales report, one day
    Path orders = in.resolve("orders");
    GenerationReport o = new RetailOrderGenerator().generate(new GenerationRequest(orders, 300, 11, 0, null));
    LocalDate day = o.businessDate();
    Path dayFile = orders.resolve("online_retail_" + day + ".csv");
    setColumn(dayFile, "Description", payloads, 1, 5);
    setColumn(dayFile, "StockCode", payloads, 2, 5);
    setColumn(dayFile, "Country", payloads, 3, 5);
    Path processed = outs.resolve(OrderProcessing.NAME);
    out.put(OrderProcessing.NAME, processed);
    OrderProcessing.run("--input=" + dayFile, "--output=" + processed);
    Path snapshot = OpeningStock.write(in.resolve("opening-stock"), day.minusDays(1), 11);
    out.put(InventoryUpdate.NAME, outs.resolve(InventoryUpdate.NAME));
    InventoryUpdate.run("--snapshot=" + snapshot, "--movements=" + processed.resolve(OrderProcessing.MOVEMENTS_FILE),
        "--businessDate=" + day, "--output=" + out.get(InventoryUpdate.NAME));
    out.put(SalesReport.NAME, outs.resolve(SalesReport.NAME));
    SalesReport.run("--orderLines=" + processed.resolve(OrderProcessing.ORDER_LINES_FILE),
        "--output=" + out.get(SalesReport.NAME));

    // Healthcare: billing (claim and patient ids), patient records (names, cities, photo URLs)
    Path billing = in.resolve("billing");
    GenerationReport b = new BillingGenerator().generate(new GenerationRequest(billing, 300, 11, 0, null));
    setColumn(billing.resolve(BillingGenerator.ADJUDICATED_FILE), "claim_id", payloads, 1, 5);
    setColumn(billing.resolve(BillingGenerator.ADJUDICATED_FILE), "patient_id", payloads, 2, 5);
    out.put(Billing.NAME, outs.resolve(Billing.NAME));
    Billing.run("--inputDir=" + billing, "--output=" + out.get(Billing.NAME), "--businessDate=" + b.businessDate());

    Path patients = in.resolve("patients");
    GenerationReport p = new PatientUpdateGenerator().generate(new GenerationRequest(patients, 200, 11, 0, null));
    plantInPatients(patients.resolve(PatientUpdateGenerator.DAY1_FILE), payloads);
    Path key = Files.writeString(in.resolve("deid.key"), "a-test-key-of-32-characters-long\n");
    out.put(PatientRecords.NAME, outs.resolve(PatientRecords.NAME));
    PatientRecords.run("--updates=" + patients.resolve(PatientUpdateGenerator.DAY1_FILE),
        "--output=" + out.get(PatientRecords.NAME), "--businessDate=" + p.businessDate().minusDays(1),
        "--deidKey=file:" + key);
    return new Runs(in, out);
  }

  /**
   * Sets {@code column} of data rows first, first + stride, ... to the payloads in turn (one
   * payload per row, as many as there are rows), and writes the file back (RFC 4180 quoting, cells
   * as they are).
   */
  static void setColumn(Path csv, String column, List<String> payloads, int first, int stride) throws IOException {
    String header = Files.readAllLines(csv, StandardCharsets.UTF_8).get(0);
    List<String> columns = List.of(header.replace("\uFEFF", "").split(","));
    int c = columns.indexOf(column);
    if (c < 0) {
      throw new IllegalArgumentException(csv + " has no column " + column + ": " + columns);
    }
    List<List<String>> rows = new ArrayList<>();
    for (List<String> r : CsvFiles.rows(csv)) {
      rows.add(new ArrayList<>(r));
    }
    for (int i = 0; i < payloads.size(); i++) {
      int row = first + i * stride;
      if (row >= rows.size()) {
        break; // a small reference file takes the first payloads (the formulas come first)
      }
      rows.get(row).set(c, payloads.get(i));
    }
    StringBuilder text = new StringBuilder(header).append('\n');
    for (List<String> r : rows) {
      text.append(Csv.rawLine(r.toArray())).append('\n');
    }
    Files.writeString(csv, text, StandardCharsets.UTF_8);
  }

  /** The family name, city and a photo URL of patients 1, 3, 5, ... become the payloads. */
  static void plantInPatients(Path ndjson, List<String> payloads) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>(Files.readAllLines(ndjson, StandardCharsets.UTF_8));
    int planted = 0;
    for (int i = 1; i < lines.size() && planted < payloads.size(); i += 2) {
      ObjectNode patient;
      try {
        patient = (ObjectNode) json.readTree(lines.get(i));
      } catch (IOException | ClassCastException e) {
        continue;
      }
      String payload = payloads.get(planted++);
      if (patient.path("name").isArray() && patient.path("name").size() > 0) {
        ((ObjectNode) patient.path("name").get(0)).put("family", payload);
      }
      if (patient.path("address").isArray() && patient.path("address").size() > 0) {
        ((ObjectNode) patient.path("address").get(0)).put("city", payload);
      }
      ArrayNode photo = patient.putArray("photo");
      photo.addObject().put("url", payload).put("contentType", "image/png");
      lines.set(i, json.writeValueAsString(patient));
    }
    Files.write(ndjson, lines, StandardCharsets.UTF_8);
  }
}
