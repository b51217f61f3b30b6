package dev.nightshift.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.schemas.retail.InventoryReasons;
import java.time.LocalDate;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.manifest.ReplayPlan;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.schemas.retail.RetailReasons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nightshift replay} as a user runs it: a run on generated data with planted bad records,
 * some dead letters corrected in {@code dead_letters.jsonl} (the field the reason names), the
 * replay, and what arrives: the corrected records as valid outputs, the others dead again with the
 * same reason and position, every replayed record counted in the replay's manifest and audit.
 */
class ReplayTest {

  record Result(int code, String out, String err) {}

  static Result nightshift(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      code = Nightshift.run(args, po, pe);
    }
    return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  static List<DeadLetter> deadLetters(Path dir) throws IOException {
    List<DeadLetter> letters = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("dead_letters.jsonl"))) {
      if (!line.isBlank()) {
        letters.add(DeadLetter.fromJson(line));
      }
    }
    return letters;
  }

  static RunManifest manifest(Path dir) throws IOException {
    return RunManifest.fromJson(Files.readString(dir.resolve(RunManifest.FILE_NAME)));
  }

  /** Position, reason and raw text: what identifies a dead letter across runs. */
  static Set<String> keys(List<DeadLetter> letters) {
    return letters.stream().map(d -> d.lineNumber() + "|" + d.reasonCode() + "|" + d.rawPayload())
        .collect(Collectors.toSet());
  }

  /** The data lines of a CSV output (header dropped). */
  static List<String> rows(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return new ArrayList<>(lines.subList(1, lines.size()));
  }

  @Test
  void orderProcessingReplaysCorrectedRowsAsARunOnTheFixedFileWould(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    new RetailOrderGenerator().generate(new GenerationRequest(in, 600, 11, 0.1, RetailOrderGenerator.DEFAULT_BUSINESS_DATE));
    Path orders = in.resolve("online_retail_" + RetailOrderGenerator.DEFAULT_BUSINESS_DATE + ".csv");
    Path out = tmp.resolve("out");
    Result first = nightshift("run", OrderProcessing.NAME, "--input=" + orders, "--output=" + out);
    assertEquals(0, first.code(), first.err());
    assertEquals(orders.toString(), manifest(out).options().get("input"), "the manifest records the options");

    // The user corrects the rows whose defect is a zero quantity or a negative price, in place.
    List<DeadLetter> letters = deadLetters(out);
    Map<String, UnaryOperator<List<String>>> fixes = Map.of(
        RetailReasons.ZERO_QUANTITY, f -> set(f, 3, "2"),
        RetailReasons.NEGATIVE_PRICE, f -> set(f, 5, f.get(5).substring(1)));
    List<DeadLetter> edited = new ArrayList<>();
    List<DeadLetter> corrected = new ArrayList<>();
    List<DeadLetter> uncorrected = new ArrayList<>();
    for (DeadLetter d : letters) {
      UnaryOperator<List<String>> fix = fixes.get(d.reasonCode());
      if (fix == null) {
        uncorrected.add(d);
        edited.add(d);
      } else {
        DeadLetter c = withRaw(d, Csv.join(fix.apply(Csv.split(d.rawPayload()))));
        corrected.add(c);
        edited.add(c);
      }
    }
    assertTrue(corrected.size() >= 4 && uncorrected.size() >= 4, "planted: " + letters.size());
    Files.write(out.resolve("dead_letters.jsonl"), edited.stream().map(DeadLetter::toJson).toList());

    Result replay = nightshift("replay", out.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    Path replayOut = out.resolve("replay-1");
    RunManifest m = manifest(replayOut);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    assertTrue(m.parameters().get("replay_of").startsWith(out.toString()), m.parameters().toString());
    // The replay input is named after its origin and counted in the manifest; the audit checks
    // that the reading step received every replayed record.
    Path replayFile = replayOut.resolve("replay-input/input/" + orders.getFileName());
    RunManifest.FileEntry input = m.inputs().stream().filter(f -> f.path().equals(replayFile.toString()))
        .findFirst().orElseThrow(() -> new AssertionError(m.inputs().toString()));
    assertEquals(letters.size(), input.records());
    assertEquals(letters.size(), m.steps().get("read-orders").in());
    assertTrue(m.audit().checks().contains(
        "read-orders: read-orders/in = " + letters.size() + " (" + letters.size() + " = " + letters.size() + ")"),
        m.audit().checks().toString());
    // The corrected rows arrive as order lines, the others are dead letters again, with the same
    // reason, line and text.
    assertEquals(corrected.size(), rows(replayOut.resolve(OrderProcessing.ORDER_LINES_FILE)).size());
    assertEquals(keys(uncorrected), keys(deadLetters(replayOut)));
    assertTrue(deadLetters(replayOut).stream().allMatch(d -> d.sourceFile().equals(replayFile.toString())));
    assertEquals(m.steps().get("read-orders").in(),
        corrected.size() + m.steps().values().stream().mapToLong(RunManifest.StepCounts::dead).sum());
    ReplayPlan plan = ReplayPlan.fromJson(Files.readString(replayOut.resolve("replay-input/replay.json")));
    assertEquals(orders.toString(), plan.inputs().get(0).files().get(0).sourceFile());
    assertTrue(plan.skipped().isEmpty(), plan.skipped().toString());

    // Original plus replay order lines are the order lines of a run on the corrected file.
    List<String> fixedLines = new ArrayList<>(Files.readAllLines(orders));
    for (DeadLetter c : corrected) {
      fixedLines.set((int) c.lineNumber() - 1, c.rawPayload());
    }
    Path fixed = tmp.resolve("fixed/" + orders.getFileName());
    Files.createDirectories(fixed.getParent());
    Files.write(fixed, fixedLines);
    Path fixedOut = tmp.resolve("fixed-out");
    Result f = nightshift("run", OrderProcessing.NAME, "--input=" + fixed, "--output=" + fixedOut);
    assertEquals(0, f.code(), f.err());
    List<String> combined = rows(out.resolve(OrderProcessing.ORDER_LINES_FILE));
    combined.addAll(rows(replayOut.resolve(OrderProcessing.ORDER_LINES_FILE)));
    combined.sort(null);
    List<String> expected = rows(fixedOut.resolve(OrderProcessing.ORDER_LINES_FILE));
    expected.sort(null);
    assertEquals(expected, combined);
    assertEquals(keys(uncorrected), keys(deadLetters(fixedOut)));

    // A second replay gets the next folder.
    Result again = nightshift("replay", out.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(Files.exists(out.resolve("replay-2/" + RunManifest.FILE_NAME)));
  }

  @Test
  void tradeSettlementReplaysRecordInputsWithTheSameReferenceData(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    new TradeGenerator().generate(new GenerationRequest(in, 2_000, 3, 0.05, TradeGenerator.DEFAULT_BUSINESS_DATE));
    Path out = tmp.resolve("out");
    Result first = nightshift("run", "trade-settlement", "--inputDir=" + in, "--output=" + out,
        "--businessDate=" + TradeGenerator.DEFAULT_BUSINESS_DATE);
    assertEquals(0, first.code(), first.err());
    RunManifest original = manifest(out);
    assertEquals(in.toString(), original.options().get("inputDir"));
    assertEquals(TradeGenerator.DEFAULT_BUSINESS_DATE.toString(), original.options().get("businessDate"));

    List<DeadLetter> letters = deadLetters(out);
    List<DeadLetter> edited = new ArrayList<>();
    List<DeadLetter> corrected = new ArrayList<>();
    List<DeadLetter> again = new ArrayList<>();
    List<DeadLetter> duplicates = new ArrayList<>();
    for (DeadLetter d : letters) {
      String reason = d.reasonCode();
      if (reason.equals(FinanceReasons.NON_POSITIVE_QUANTITY) || reason.equals(FinanceReasons.NON_POSITIVE_PRICE)) {
        int field = reason.equals(FinanceReasons.NON_POSITIVE_QUANTITY) ? 4 : 5;
        List<String> f = Csv.split(d.rawPayload());
        String v = f.get(field);
        DeadLetter c = withRaw(d, Csv.join(set(f, field, v.startsWith("-") ? v.substring(1) : field == 4 ? "100" : "10.00")));
        corrected.add(c);
        edited.add(c);
      } else {
        (reason.equals(FinanceReasons.DUPLICATE_TRADE_ID) ? duplicates : again).add(d);
        edited.add(d);
      }
    }
    assertFalse(corrected.isEmpty());
    assertFalse(duplicates.isEmpty());
    assertFalse(again.isEmpty());
    // The user edits a copy of the dead letters and names it.
    Path copy = tmp.resolve("corrected.jsonl");
    Files.write(copy, edited.stream().map(DeadLetter::toJson).toList());
    Path replayOut = tmp.resolve("replayed");

    Result replay = nightshift("replay", out.toString(), "--deadLetters", copy.toString(), "--output=" + replayOut);
    assertEquals(0, replay.code(), replay.out() + replay.err());
    RunManifest m = manifest(replayOut);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced());
    long replayed = corrected.size() + again.size();
    assertEquals(replayed, m.steps().get("read-trades").in());
    assertEquals(replayed, m.inputs().stream().filter(f -> f.path().contains("/replay-input/")).mapToLong(RunManifest.FileEntry::records).sum());
    // Duplicates are not replayed (alone they would pass), and say so.
    ReplayPlan plan = ReplayPlan.fromJson(Files.readString(replayOut.resolve("replay-input/replay.json")));
    assertEquals(duplicates.size(), plan.skipped().size());
    assertTrue(plan.skipped().stream().allMatch(s -> s.reasonCode().equals(FinanceReasons.DUPLICATE_TRADE_ID)));
    // The same reference data: the replay read the original securities, participants, holidays.
    for (String ref : List.of("securities.csv", "participants.csv", "holidays.csv")) {
      assertTrue(m.inputs().stream().anyMatch(f -> f.path().equals(in.resolve(ref).toString())), ref);
    }
    assertEquals(corrected.size(), m.steps().get("validate-trades").out());
    assertEquals(keys(again), keys(deadLetters(replayOut)));
    assertTrue(replay.out().contains("Replayed " + replayed + " records: " + again.size() + " dead letters again"),
        replay.out());
  }

  @Test
  void claimsReplayNdjsonLinesAndSayWhyBundlesAndX12AreNot(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    new ClaimsGenerator().generate(new GenerationRequest(in, 2_000, 5, 0.25, ClaimsGenerator.DEFAULT_BUSINESS_DATE));
    Path out = tmp.resolve("out");
    Result first = nightshift("run", ClaimsAdjudication.NAME, "--inputDir=" + in, "--output=" + out,
        "--businessDate=" + ClaimsGenerator.DEFAULT_BUSINESS_DATE);
    assertEquals(0, first.code(), first.err());
    List<DeadLetter> letters = deadLetters(out);
    List<DeadLetter> ndjson = letters.stream().filter(d -> d.sourceFile().endsWith(".ndjson")
        && !d.reasonCode().equals(HealthcareReasons.DUPLICATE_CLAIM_ID)).toList();
    long others = letters.stream().filter(d -> !d.sourceFile().endsWith(".ndjson")
        && !d.reasonCode().equals(HealthcareReasons.DUPLICATE_CLAIM_ID)).count();
    assertFalse(ndjson.isEmpty());
    assertTrue(others > 0, "bundle or X12 dead letters planted: " + byReason(letters));

    // Nothing corrected: every NDJSON claim replayed is refused again, for the same reason, on its line.
    Result replay = nightshift("replay", out.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    Path replayOut = out.resolve("replay-1");
    RunManifest m = manifest(replayOut);
    assertTrue(m.audit().balanced());
    assertEquals(ndjson.size(), m.steps().get("read-ndjson").in(), "replayed " + byReason(ndjson)
        + ", dead again " + byReason(deadLetters(replayOut)) + ", steps " + m.steps());
    assertEquals(keys(ndjson), keys(deadLetters(replayOut)));
    ReplayPlan plan = ReplayPlan.fromJson(Files.readString(replayOut.resolve("replay-input/replay.json")));
    assertEquals(letters.size() - ndjson.size(), plan.skipped().size());
    assertEquals(others, plan.skipped().stream().filter(s -> s.why().contains("not replayed record by record")).count());
    assertTrue(replay.out().contains("not replayed: " + plan.skipped().size()), replay.out());
  }

  @Test
  void inventoryReplaysReceiptsAloneWithAnEmptyMovementsFile(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    LocalDate day = InventoryGenerator.DEFAULT_BUSINESS_DATE;
    new InventoryGenerator().generate(new GenerationRequest(in, 400, 9, 0.15, day));
    Path out = tmp.resolve("out");
    Result first = nightshift("run", InventoryUpdate.NAME, "--inputDir=" + in, "--output=" + out, "--businessDate=" + day);
    assertEquals(0, first.code(), first.err());
    // Only the receipts are replayed: those dated another day are redated, the others left.
    List<DeadLetter> receipts = deadLetters(out).stream()
        .filter(d -> d.sourceFile().endsWith(InventoryUpdate.RECEIPTS_FILE)).toList();
    List<DeadLetter> corrected = new ArrayList<>();
    List<DeadLetter> left = new ArrayList<>();
    List<DeadLetter> edited = new ArrayList<>();
    for (DeadLetter d : receipts) {
      if (d.reasonCode().equals(InventoryReasons.WRONG_BUSINESS_DATE)) {
        DeadLetter c = withRaw(d, Csv.join(set(Csv.split(d.rawPayload()), 1, day.toString())));
        corrected.add(c);
        edited.add(c);
      } else {
        left.add(d);
        edited.add(d);
      }
    }
    assertFalse(corrected.isEmpty());
    assertFalse(left.isEmpty());
    Path copy = tmp.resolve("receipts.jsonl");
    Files.write(copy, edited.stream().map(DeadLetter::toJson).toList());

    Result replay = nightshift("replay", out.toString(), "--deadLetters=" + copy);
    assertEquals(0, replay.code(), replay.out() + replay.err());
    Path replayOut = out.resolve("replay-1");
    RunManifest m = manifest(replayOut);
    assertTrue(m.audit().balanced());
    assertEquals(0, m.steps().containsKey("read-movements") ? m.steps().get("read-movements").in() : 0,
        "the movements file holds only its header");
    assertTrue(m.audit().checks().contains("read-movements: read-movements/in = 0 (0 = 0)"), m.audit().checks().toString());
    assertEquals(receipts.size(), m.steps().get("read-receipts").in());
    assertEquals(corrected.size(), m.steps().get("dedupe-receipts").out());
    assertEquals(keys(left), keys(deadLetters(replayOut)));
    // The snapshot is the original one (--inputDir made explicit); no original record input is read.
    List<String> inputs = m.inputs().stream().map(RunManifest.FileEntry::path).toList();
    assertTrue(inputs.contains(in.resolve(InventoryUpdate.SNAPSHOT_FILE).toString()), inputs.toString());
    assertFalse(inputs.contains(in.resolve(InventoryUpdate.RECEIPTS_FILE).toString()), inputs.toString());
    assertFalse(inputs.contains(in.resolve(InventoryUpdate.MOVEMENTS_FILE).toString()), inputs.toString());
    assertEquals(Files.readAllLines(in.resolve(InventoryUpdate.MOVEMENTS_FILE)).get(0),
        Files.readString(replayOut.resolve("replay-input/movements/empty-movements.csv")).strip());
  }

  @Test
  void aFileRefusedWholeIsReplayedAsItIsNow(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    new RetailOrderGenerator().generate(new GenerationRequest(in, 200, 4, 0.05, RetailOrderGenerator.DEFAULT_BUSINESS_DATE));
    String header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
    List<String> rows = List.of(
        "581001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-03 08:26:00,2.55,17850.0,United Kingdom",
        "581001,71053,WHITE METAL LANTERN,6,2010-12-03 08:26:00,3.39,17850.0,United Kingdom",
        "581002,22752,\"SET 7 BABUSHKA NESTING BOXES, LARGE\",2,2010-12-03 09:02:00,7.65,,France");
    Path late = in.resolve("online_retail_late.csv");
    List<String> broken = new ArrayList<>(List.of(header.replace(",Country", "")));
    broken.addAll(rows);
    Files.write(late, broken);
    Path out = tmp.resolve("out");
    Result first = nightshift("run", OrderProcessing.NAME, "--input=" + in.resolve("online_retail_*.csv"), "--output=" + out);
    assertEquals(0, first.code(), first.err());
    List<DeadLetter> letters = deadLetters(out);
    assertEquals(1, letters.stream().filter(d -> d.sourceFile().equals(late.toString()) && d.lineNumber() == 0).count(),
        letters.toString());
    // The sender's corrected file arrives where the broken one was.
    List<String> fixed = new ArrayList<>(List.of(header));
    fixed.addAll(rows);
    Files.write(late, fixed);

    Result replay = nightshift("replay", out.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    Path replayOut = out.resolve("replay-1");
    RunManifest m = manifest(replayOut);
    assertTrue(m.audit().balanced());
    ReplayPlan plan = ReplayPlan.fromJson(Files.readString(replayOut.resolve("replay-input/replay.json")));
    ReplayPlan.ReplayFile whole = plan.inputs().get(0).files().stream().filter(ReplayPlan.ReplayFile::wholeFile)
        .findFirst().orElseThrow();
    assertEquals(late.toString(), whole.sourceFile());
    assertEquals(fixed, Files.readAllLines(Path.of(whole.path())));
    // The other planted rows are dead again; the file's three rows are order lines.
    List<DeadLetter> lineLetters = letters.stream().filter(d -> d.lineNumber() > 0).toList();
    assertEquals(keys(lineLetters), keys(deadLetters(replayOut)));
    assertEquals(3, rows(replayOut.resolve(OrderProcessing.ORDER_LINES_FILE)).size());
    assertEquals(lineLetters.size() + 3, m.steps().get("read-orders").in());
  }

  @Test
  void patientUpdatesReplayWithTheKeyReferenceTheRunWasGiven(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    LocalDate day = PatientUpdateGenerator.DEFAULT_BUSINESS_DATE.minusDays(1);
    new PatientUpdateGenerator().generate(new GenerationRequest(in, 300, 8, 0.1, PatientUpdateGenerator.DEFAULT_BUSINESS_DATE));
    Path key = tmp.resolve("deid.key");
    Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
    Path out = tmp.resolve("out");
    Result first = nightshift("run", PatientRecords.NAME, "--updates=" + in.resolve(PatientUpdateGenerator.DAY1_FILE),
        "--deidKey=file:" + key, "--businessDate=" + day, "--output=" + out);
    assertEquals(0, first.code(), first.err());
    assertEquals("file:" + key, manifest(out).options().get("deidKey"), "a secret only as its reference");
    List<DeadLetter> letters = deadLetters(out);
    Set<String> alone = Set.of(Reasons.MALFORMED_JSON, HealthcareReasons.NOT_A_PATIENT,
        HealthcareReasons.NO_PATIENT_IDENTITY, HealthcareReasons.MISSING_LAST_UPDATED, HealthcareReasons.MALFORMED_PATIENT);
    List<DeadLetter> ownReasons = letters.stream().filter(d -> alone.contains(d.reasonCode())).toList();
    assertTrue(ownReasons.size() >= 3, byReason(letters).toString());

    Result replay = nightshift("replay", out.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    Path replayOut = out.resolve("replay-1");
    RunManifest m = manifest(replayOut);
    assertTrue(m.audit().balanced());
    assertEquals(letters.size(), m.steps().get("read-updates").in());
    // Refused for what they are, they are refused again, for the same reason, on the same line.
    Set<String> again = keys(deadLetters(replayOut));
    assertTrue(again.containsAll(keys(ownReasons)), again.toString());
  }

  @Test
  void billingReplaysLinesAndPaymentsEachIntoItsInput(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    new BillingGenerator().generate(new GenerationRequest(in, 400, 6, 0.1, BillingGenerator.DEFAULT_BUSINESS_DATE));
    Path out = tmp.resolve("out");
    Result first = nightshift("run", Billing.NAME, "--inputDir=" + in, "--output=" + out,
        "--businessDate=" + BillingGenerator.DEFAULT_BUSINESS_DATE);
    assertEquals(0, first.code(), first.err());
    List<DeadLetter> letters = deadLetters(out);
    long payments = letters.stream().filter(d -> d.sourceFile().endsWith(BillingGenerator.PAYMENTS_FILE)
        && !d.reasonCode().startsWith("DUPLICATE_")).count();
    long lines = letters.stream().filter(d -> d.sourceFile().contains("adjudicated_lines")
        && !d.reasonCode().startsWith("DUPLICATE_")).count();
    assertTrue(payments > 0 && lines > 0, byReason(letters).toString());

    Result replay = nightshift("replay", out.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    RunManifest m = manifest(out.resolve("replay-1"));
    assertTrue(m.audit().balanced());
    assertEquals(lines, m.steps().get("read-adjudicated").in());
    assertEquals(payments, m.steps().get("read-payments").in());
    assertTrue(m.audit().checks().contains("read-payments: read-payments/in = " + payments + " (" + payments + " = " + payments + ")"));
  }

  @Test
  void aFolderWithoutAManifestIsRefused(@TempDir Path tmp) {
    Result r = nightshift("replay", tmp.toString());
    assertEquals(Nightshift.INVALID, r.code());
    assertTrue(r.err().contains("no run manifest " + tmp + "/_manifest.json"), r.err());
    assertTrue(r.err().contains("output folder of a finished run"), r.err());

    Result none = nightshift("replay");
    assertEquals(Nightshift.USAGE, none.code());
    assertTrue(none.err().contains("usage: nightshift replay <run output dir>"), none.err());

    Result usage = nightshift("--help");
    assertTrue(usage.out().contains("  replay <run output dir>"), usage.out());
  }

  static DeadLetter withRaw(DeadLetter d, String raw) {
    return new DeadLetter(d.pipeline(), d.step(), d.sourceFile(), d.lineNumber(), raw, d.reasonCode(), d.message());
  }

  static List<String> set(List<String> fields, int i, String value) {
    List<String> copy = new ArrayList<>(fields);
    copy.set(i, value);
    return copy;
  }

  /** RFC 4180 fields of one line, and back, quoting as the generators do. */
  static final class Csv {
    static List<String> split(String line) {
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          fields.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      fields.add(f.toString());
      return fields;
    }

    static String join(List<String> fields) {
      return fields.stream()
          .map(s -> s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s)
          .collect(Collectors.joining(","));
    }
  }

  static Map<String, Long> byReason(List<DeadLetter> letters) {
    return letters.stream().collect(Collectors.groupingBy(DeadLetter::reasonCode, TreeMap::new, Collectors.counting()));
  }
}
