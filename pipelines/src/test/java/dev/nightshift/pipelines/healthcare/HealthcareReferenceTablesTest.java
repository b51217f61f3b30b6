package dev.nightshift.pipelines.healthcare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.testing.PostgresServer;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import dev.nightshift.transforms.io.ReadReference;
import dev.nightshift.transforms.io.ReferenceDbOptions;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference data of claims-adjudication (members, plans, fee schedule; columns of the healthcare
 * README) loads into PostgreSQL with {@code nightshift db load}'s DDL and comes back through
 * {@link ReadReference} as exactly the values its CSV gives: dates ISO, open coverage empty, money
 * and rates with their scale. So {@code --members=jdbc:members} etc. are a drop-in for the files.
 */
@ExtendWith(PostgresServer.class)
class HealthcareReferenceTablesTest {

  public interface Options extends NightshiftOptions, ReferenceDbOptions {}

  static final String MEMBERS = """
      member_id,plan_id,coverage_start,coverage_end,birth_date,gender
      M0000002,PLAN-SILVER,2025-01-01,2025-12-31,1975-11-02,male
      M0000001,PLAN-GOLD,2026-01-01,,1980-05-17,female
      M0000002,PLAN-BRONZE,2026-01-01,,1975-11-02,male
      M0000003,PLAN-BRONZE,2026-03-01,2026-12-31,2001-02-28,unknown
      """;
  static final String PLANS = """
      plan_id,deductible,coinsurance_rate,copay,oop_max,timely_filing_days
      PLAN-BRONZE,1500.00,0.40,40.00,8000.00,90
      PLAN-SILVER,750.00,0.20,25.00,5000.00,180
      PLAN-GOLD,250.00,0.10,15.00,2000.00,365
      """;
  static final String FEES = """
      procedure_code,description,allowed_amount,covered
      99213,"Office visit, established patient",92.50,Y
      99214,"Office visit, established, \"\"moderate\"\"",131.00,Y
      97110,Therapeutic exercise,31.75,N
      """;

  /** Typed as claims-adjudication types them; rendered back with '|' so every value is compared. */
  static final CsvRecordParser<String> MEMBER = CsvRecordParser.of(
      new String[] {"member_id", "plan_id", "coverage_start", "coverage_end", "birth_date", "gender"},
      r -> String.join("|", r.text("member_id"), r.text("plan_id"), r.date("coverage_start").toString(),
          r.optText("coverage_end").isEmpty() ? "open" : r.date("coverage_end").toString(),
          r.date("birth_date").toString(), r.text("gender")));
  static final CsvRecordParser<String> PLAN = CsvRecordParser.of(
      new String[] {"plan_id", "deductible", "coinsurance_rate", "copay", "oop_max", "timely_filing_days"},
      r -> String.join("|", r.text("plan_id"), r.decimal("deductible").toPlainString(),
          r.decimal("coinsurance_rate").toPlainString(), r.decimal("copay").toPlainString(),
          r.decimal("oop_max").toPlainString(), Long.toString(r.lng("timely_filing_days"))));
  static final CsvRecordParser<String> FEE = CsvRecordParser.of(
      new String[] {"procedure_code", "description", "allowed_amount", "covered"},
      r -> String.join("|", r.text("procedure_code"), r.text("description"),
          r.decimal("allowed_amount").toPlainString(), covered(r)));

  static String covered(CsvRow r) throws dev.nightshift.transforms.core.RecordException {
    String c = r.text("covered");
    if (!c.equals("Y") && !c.equals("N")) {
      throw new dev.nightshift.transforms.core.RecordException(Reasons.INVALID_VALUE, "covered is Y or N: " + c);
    }
    return c;
  }

  @Test
  void membersPlansAndFeesReadFromTablesAsFromFiles(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("members.csv"), MEMBERS);
    Files.writeString(in.resolve("plans.csv"), PLANS);
    Files.writeString(in.resolve("fee_schedule.csv"), FEES);
    PostgresServer.Db db = PostgresServer.database("healthcare");
    assertEquals(4, db.load("members", in.resolve("members.csv")));
    assertEquals(3, db.load("plans", in.resolve("plans.csv")));
    assertEquals(3, db.load("fee_schedule", in.resolve("fee_schedule.csv")));

    Path files = read(tmp.resolve("files"), List.of(), in.resolve("members.csv").toString(),
        in.resolve("plans.csv").toString(), in.resolve("fee_schedule.csv").toString());
    Path tables = read(tmp.resolve("tables"), db.flags(), "jdbc:members", "jdbc:plans", "jdbc:fee_schedule");
    assertEquals(List.of(
            "M0000001|PLAN-GOLD|2026-01-01|open|1980-05-17|female",
            "M0000002|PLAN-BRONZE|2026-01-01|open|1975-11-02|male",
            "M0000002|PLAN-SILVER|2025-01-01|2025-12-31|1975-11-02|male",
            "M0000003|PLAN-BRONZE|2026-03-01|2026-12-31|2001-02-28|unknown"),
        Files.readAllLines(tables.resolve("members.txt")));
    assertEquals(List.of(
            "PLAN-BRONZE|1500.00|0.40|40.00|8000.00|90",
            "PLAN-GOLD|250.00|0.10|15.00|2000.00|365",
            "PLAN-SILVER|750.00|0.20|25.00|5000.00|180"),
        Files.readAllLines(tables.resolve("plans.txt")));
    assertEquals(List.of(
            "97110|Therapeutic exercise|31.75|N",
            "99213|Office visit, established patient|92.50|Y",
            "99214|Office visit, established, \"moderate\"|131.00|Y"),
        Files.readAllLines(tables.resolve("fee_schedule.txt")));
    for (String f : List.of("members.txt", "plans.txt", "fee_schedule.txt")) {
      assertArrayEquals(Files.readAllBytes(files.resolve(f)), Files.readAllBytes(tables.resolve(f)), f);
    }

    // a bad row of the table: the parser's dead letter, with the table, the row and its key
    db.sql("INSERT INTO plans VALUES ('PLAN-AAA', 100, NULL, 10, 1000, 30)",
        "INSERT INTO fee_schedule VALUES ('00100', 'Anesthesia', 10.00, 'maybe')");
    Path bad = read(tmp.resolve("bad"), db.flags(), "jdbc:members", "jdbc:plans", "jdbc:fee_schedule");
    List<DeadLetter> letters = new ArrayList<>();
    for (String json : Files.readAllLines(bad.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      letters.add(DeadLetter.fromJson(json));
    }
    assertEquals(2, letters.size(), letters.toString());
    Map<String, DeadLetter> bySource = Map.of(letters.get(0).sourceFile(), letters.get(0),
        letters.get(1).sourceFile(), letters.get(1));
    DeadLetter plan = bySource.get("jdbc:plans");
    assertEquals(Reasons.MISSING_FIELD, plan.reasonCode());
    assertEquals(1, plan.lineNumber(), "PLAN-AAA is the first plan in key order");
    assertEquals("PLAN-AAA,100,,10,1000,30", plan.rawPayload());
    assertTrue(plan.message().endsWith("key plan_id=PLAN-AAA)"), plan.message());
    DeadLetter fee = bySource.get("jdbc:fee_schedule");
    assertEquals(Reasons.INVALID_VALUE, fee.reasonCode());
    assertEquals(1, fee.lineNumber());
  }

  /** One run reading the three inputs and writing their typed values, sorted. */
  static Path read(Path out, List<String> flags, String members, String plans, String fees) {
    List<String> args = new ArrayList<>(flags);
    args.add("--output=" + out);
    args.add("--runner=DirectRunner");
    NightshiftRun run = NightshiftRun.create("healthcare-reference-test",
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(Options.class));
    write(run, "members", ReadReference.read(run, "read-members", members, MEMBER, StringUtf8Coder.of()).output());
    write(run, "plans", ReadReference.read(run, "read-plans", plans, PLAN, StringUtf8Coder.of()).output());
    write(run, "fee_schedule", ReadReference.read(run, "read-fee-schedule", fees, FEE, StringUtf8Coder.of()).output());
    assertTrue(run.execute().manifest().audit().balanced());
    return out;
  }

  static void write(NightshiftRun run, String name, org.apache.beam.sdk.values.PCollection<String> lines) {
    SortedSink.write(run, "write-" + name, name + ".txt", null, lines);
    run.audit().link("read-" + name.replace('_', '-'), "write-" + name);
  }
}
