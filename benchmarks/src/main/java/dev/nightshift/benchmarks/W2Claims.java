package dev.nightshift.benchmarks;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * W2, claims adjudication: {@code size} claim lines as Bulk FHIR NDJSON Claims ({@code
 * nightshift generate healthcare-claims --formats ndjson}: every planted defect, the claims of
 * every member in NDJSON), joined to the members' coverage periods, the plans and the fee schedule,
 * and adjudicated line by line as {@code claims-adjudication}'s Adjudicator does: CARC 16 (missing
 * information), 31 (unknown member), 27 (no coverage on the service date), 18 (duplicate of an
 * earlier line), 29 (timely filing), 96 (not in the fee schedule or not covered), else paid: the
 * allowed amount from the fee schedule, copay once per claim, deductible, coinsurance and the
 * out-of-pocket cap accumulated per member and plan year in service-date order, plan paid and
 * patient responsibility. Canonical: {@code adjudicated_lines.csv} (every column),
 * {@code member_accumulators.csv} and {@code claims_summary.csv}.
 *
 * <p>The accumulation is a fold, not a running sum: a line's deductible is capped by what the
 * member's earlier lines left of it after their own out-of-pocket cuts, and the plan (so the caps)
 * can change within a year. DuckDB folds with a recursive CTE (one iteration per line of a member
 * year); Spark SQL with {@code aggregate} over each member year's lines sorted in service order.
 * Both apply the same step ({@link #STEP_DOC}).
 */
final class W2Claims implements Workload {
  static final LocalDate DAY = ClaimsGenerator.DEFAULT_BUSINESS_DATE;
  private static final Dialect D = Dialect.DUCKDB;
  private static final Dialect S = Dialect.SPARK;

  /** The step of the fold, for one paid line in service order (Adjudicator's arithmetic). */
  static final String STEP_DOC = """
      x = allowed - k0 (k0: copay, on the claim's first paid line, min(plan copay, allowed));
      d0 = min(x, max(0, deductible - deductible_met)); c0 = round_half_up((x - d0) * rate, 2);
      ex = max(0, k0 + d0 + c0 - max(0, oop_max - oop_met));
      coinsurance = max(0, c0 - ex); copay = max(0, k0 - max(0, ex - c0));
      deductible = max(0, d0 - max(0, ex - c0 - k0)); patient = copay + deductible + coinsurance""";

  @Override
  public String id() {
    return "W2";
  }

  @Override
  public String title() {
    return "claims adjudication: CARC 16/31/27/18/29/96, fee schedule, copay, deductible, coinsurance, out-of-pocket";
  }

  @Override
  public String pipeline() {
    return ClaimsAdjudication.NAME;
  }

  @Override
  public long defaultSize() {
    return 1_000_000;
  }

  @Override
  public String rowName() {
    return "claim lines";
  }

  @Override
  public List<String> parts() {
    return List.of(ClaimsAdjudication.LINES_FILE, ClaimsAdjudication.ACCUMULATORS_FILE, ClaimsAdjudication.SUMMARY_FILE);
  }

  @Override
  public long generate(Path dir, long size, long seed, double badRate) throws IOException {
    GenerationReport r = new ClaimsGenerator().generate(new GenerationRequest(dir, size, seed, badRate, DAY,
        Map.of(ClaimsGenerator.FORMATS_PARAM, "ndjson")));
    return r.rowsPerFile().get("claim lines");
  }

  @Override
  public List<String> beamArgs(Path data, Path out) {
    return List.of("--inputDir=" + data.toAbsolutePath(), "--output=" + out.toAbsolutePath(),
        "--businessDate=" + DAY);
  }

  // -----------------------------------------------------------------------------------------------
  // What both engines share, once the claims are lines (view "claim_lines": file, ord, claim_id,
  // line_no, member_id, patient_id, provider_id, payer_id, service_date, received_date,
  // procedure_code, units, charge) and the reference data typed views (coverage, plans, fees).

  /** Lines with their plan on the service date, whether the member is known, and the first CARC of 16/31/27. */
  static String decided(Dialect d) {
    return """
        SELECT l.*, coalesce(p.plan_id, '') AS plan_id, p.deductible, p.rate, p.copay, p.oop_max, p.timely,
               CASE WHEN missing <> '' THEN '16'
                    WHEN NOT known THEN '31'
                    WHEN p.plan_id IS NULL THEN '27' END AS carc1,
               CASE WHEN missing <> '' THEN 'missing ' || missing
                    WHEN NOT known THEN 'member ' || l.member_id || ' is not our insured'
                    WHEN p.plan_id IS NULL THEN 'member ' || l.member_id || ' has no coverage on ' || CAST(l.service_date AS %1$s)
               END AS reason1
        FROM (SELECT l.*, concat_ws(', ',
                  CASE WHEN l.member_id = '' THEN 'member id' END,
                  CASE WHEN l.received_date IS NULL THEN 'received date' END,
                  CASE WHEN l.service_date IS NULL THEN 'service date' END,
                  CASE WHEN l.procedure_code = '' THEN 'procedure code' END,
                  CASE WHEN l.charge IS NULL THEN 'charge' END) AS missing,
                  l.member_id IN (SELECT member_id FROM coverage) AS known
              FROM claim_lines l) l
        LEFT JOIN (
          SELECT claim_id, line_no, plan_id, deductible, rate, copay, oop_max, timely FROM (
            SELECT l.claim_id, l.line_no, c.plan_id, row_number() OVER (PARTITION BY l.claim_id, l.line_no
                   ORDER BY c.coverage_start DESC, c.ord DESC) AS rn
            FROM claim_lines l JOIN coverage c ON c.member_id = l.member_id AND c.coverage_start <= l.service_date
                 AND (c.coverage_end IS NULL OR l.service_date <= c.coverage_end)) o
          JOIN plans USING (plan_id) WHERE rn = 1) p
          ON p.claim_id = l.claim_id AND p.line_no = l.line_no
        """.formatted(d == D ? "VARCHAR" : "STRING");
  }

  /** After 16/31/27: duplicates (18), timely filing (29), the fee schedule (96); paid lines get allowed and k0. */
  static String adjudicated(Dialect d) {
    String str = d == D ? "VARCHAR" : "STRING";
    return """
        SELECT a.*,
               CASE WHEN carc2 = '' AND first_paid = 1 THEN CAST(least(copay, allowed) AS DECIMAL(18,2))
                    ELSE CAST(0 AS DECIMAL(18,2)) END AS k0
        FROM (
          SELECT a.*, CASE WHEN carc2 = '' THEN row_number() OVER (PARTITION BY claim_id, carc2
                 ORDER BY service_date, received_date, line_no) END AS first_paid
          FROM (
            SELECT a.*,
                   CASE WHEN carc1 IS NOT NULL THEN carc1
                        WHEN dup_rn > 1 THEN '18'
                        WHEN %2$s > timely THEN '29'
                        WHEN f.procedure_code IS NULL OR NOT f.covered THEN '96'
                        ELSE '' END AS carc2,
                   CASE WHEN carc1 IS NOT NULL THEN reason1
                        WHEN dup_rn > 1 THEN 'duplicate of claim ' || dup_claim || ' line ' || CAST(dup_line AS %1$s)
                        WHEN %2$s > timely THEN 'received ' || CAST(%2$s AS %1$s) || ' days after the service; '
                             || plan_id || ' allows ' || CAST(timely AS %1$s)
                        WHEN f.procedure_code IS NULL THEN 'procedure ' || a.procedure_code || ' is not in the fee schedule'
                        WHEN NOT f.covered THEN 'procedure ' || a.procedure_code || ' is not covered'
                        ELSE '' END AS reason2,
                   CASE WHEN carc1 IS NULL AND dup_rn = 1 AND %2$s <= timely AND f.covered
                        THEN CAST(round(least(a.charge, f.allowed_amount * a.units), 2) AS DECIMAL(18,2)) END AS allowed
            FROM (
              SELECT l.*,
                     CASE WHEN carc1 IS NULL THEN row_number() OVER w END AS dup_rn,
                     CASE WHEN carc1 IS NULL THEN first_value(claim_id) OVER w END AS dup_claim,
                     CASE WHEN carc1 IS NULL THEN first_value(line_no) OVER w END AS dup_line
              FROM decided l
              WINDOW w AS (PARTITION BY carc1 IS NULL, member_id, provider_id, service_date, procedure_code, charge
                           ORDER BY received_date, claim_id, line_no, file, ord)) a
            LEFT JOIN fees f ON f.procedure_code = a.procedure_code) a) a
        """.formatted(str, d.daysBetween("service_date", "received_date"));
  }

  /** The rows a fold runs over: each member year's paid lines, numbered in service order. */
  static final String PAID = """
      SELECT member_id, year(service_date) AS yr, claim_id, line_no,
             row_number() OVER (PARTITION BY member_id, year(service_date)
                                ORDER BY service_date, received_date, claim_id, line_no, file, ord) AS rn,
             CAST(allowed - k0 AS DECIMAL(18,2)) AS x, k0, deductible, rate, oop_max, service_date, received_date, file, ord
      FROM adjudicated WHERE carc2 = ''
      """;

  /** The three canonical results, from "adjudicated" joined with the fold's "shares". */
  static String linesQuery(Dialect d) {
    String str = d == D ? "VARCHAR" : "STRING";
    return """
        SELECT concat_ws(',', a.claim_id, CAST(a.line_no AS %1$s), a.member_id, a.patient_id, a.provider_id, a.payer_id,
                 a.plan_id, coalesce(CAST(a.service_date AS %1$s), ''), coalesce(CAST(a.received_date AS %1$s), ''),
                 '%2$s', a.procedure_code, %3$s,
                 CAST(coalesce(a.charge, CAST(0 AS DECIMAL(18,2))) AS %1$s),
                 CAST(coalesce(a.allowed, CAST(0 AS DECIMAL(18,2))) AS %1$s),
                 CAST(coalesce(s.d, CAST(0 AS DECIMAL(18,2))) AS %1$s),
                 CAST(coalesce(s.c, CAST(0 AS DECIMAL(18,2))) AS %1$s),
                 CAST(coalesce(s.k, CAST(0 AS DECIMAL(18,2))) AS %1$s),
                 CAST(CAST(coalesce(a.allowed - s.k - s.d - s.c, 0) AS DECIMAL(18,2)) AS %1$s),
                 CAST(CAST(coalesce(s.k + s.d + s.c, 0) AS DECIMAL(18,2)) AS %1$s),
                 CASE WHEN a.carc2 = '' THEN 'PAID' ELSE 'DENIED' END, a.carc2,
                 CASE WHEN a.reason2 LIKE '%%,%%' OR a.reason2 LIKE '%%"%%'
                      THEN '"' || replace(a.reason2, '"', '""') || '"' ELSE a.reason2 END) AS line
        FROM adjudicated a LEFT JOIN shares s ON s.claim_id = a.claim_id AND s.line_no = a.line_no
        """.formatted(str, DAY, units("a.units", d));
  }

  static String units(String u, Dialect d) {
    String str = d == D ? "VARCHAR" : "STRING";
    return "CASE WHEN " + u + " = CAST(" + u + " AS BIGINT) THEN CAST(CAST(" + u + " AS BIGINT) AS " + str + ")"
        + " ELSE rtrim(rtrim(CAST(" + u + " AS " + str + "), '0'), '.') END";
  }

  static String accumulatorsQuery(Dialect d) {
    String str = d == D ? "VARCHAR" : "STRING";
    return """
        SELECT concat_ws(',', member_id, CAST(yr AS %1$s), CAST(CAST(sum(d) AS DECIMAL(18,2)) AS %1$s),
                 CAST(CAST(sum(k + d + c) AS DECIMAL(18,2)) AS %1$s)) AS line
        FROM shares GROUP BY member_id, yr
        """.formatted(str);
  }

  static String summaryQuery(Dialect d) {
    String str = d == D ? "VARCHAR" : "STRING";
    String sums = """
        count(DISTINCT claim_id) AS claims, count(*) AS lines, sum(charge) AS charge, sum(allowed) AS allowed,
        sum(d) AS deductible, sum(c) AS coinsurance, sum(k) AS copay, sum(allowed - k - d - c) AS plan_paid,
        sum(k + d + c) AS patient""";
    return """
        WITH v AS (
          SELECT a.claim_id, CASE WHEN a.carc2 = '' THEN 'PAID' ELSE 'DENIED' END AS status, a.carc2 AS carc,
                 coalesce(a.charge, CAST(0 AS DECIMAL(18,2))) AS charge, coalesce(a.allowed, CAST(0 AS DECIMAL(18,2))) AS allowed,
                 coalesce(s.d, CAST(0 AS DECIMAL(18,2))) AS d, coalesce(s.c, CAST(0 AS DECIMAL(18,2))) AS c,
                 coalesce(s.k, CAST(0 AS DECIMAL(18,2))) AS k
          FROM adjudicated a LEFT JOIN shares s ON s.claim_id = a.claim_id AND s.line_no = a.line_no),
        t AS (
          SELECT status, carc, %2$s FROM v GROUP BY status, carc
          UNION ALL
          SELECT 'ALL' AS status, '' AS carc, %2$s FROM v)
        SELECT concat_ws(',', status, carc, CAST(claims AS %1$s), CAST(lines AS %1$s),
                 CAST(CAST(charge AS DECIMAL(18,2)) AS %1$s), CAST(CAST(allowed AS DECIMAL(18,2)) AS %1$s),
                 CAST(CAST(deductible AS DECIMAL(18,2)) AS %1$s), CAST(CAST(coinsurance AS DECIMAL(18,2)) AS %1$s),
                 CAST(CAST(copay AS DECIMAL(18,2)) AS %1$s), CAST(CAST(plan_paid AS DECIMAL(18,2)) AS %1$s),
                 CAST(CAST(patient AS DECIMAL(18,2)) AS %1$s)) AS line
        FROM t
        """.formatted(str, sums);
  }

  /** The reference data typed from raw_members, raw_plans, raw_fees (all text), de-duplicated as the pipeline does. */
  static String[] reference(Dialect d) {
    return new String[] {
      "SELECT plan_id, deductible, rate, copay, oop_max, timely FROM (SELECT *, row_number() OVER (PARTITION BY plan_id ORDER BY ord) AS rn"
          + " FROM (SELECT ord, " + d.text("plan_id") + " AS plan_id, CAST(" + d.decimal("trim(deductible)") + " AS DECIMAL(18,2)) AS deductible,"
          + " " + d.decimal("trim(coinsurance_rate)") + " AS rate, CAST(" + d.decimal("trim(copay)") + " AS DECIMAL(18,2)) AS copay,"
          + " CAST(" + d.decimal("trim(oop_max)") + " AS DECIMAL(18,2)) AS oop_max, " + d.whole("trim(timely_filing_days)") + " AS timely"
          + " FROM raw_plans) p WHERE plan_id IS NOT NULL AND deductible IS NOT NULL AND rate IS NOT NULL AND copay IS NOT NULL"
          + " AND oop_max IS NOT NULL AND timely IS NOT NULL) p WHERE rn = 1",
      "SELECT procedure_code, allowed_amount, covered FROM (SELECT *, row_number() OVER (PARTITION BY procedure_code ORDER BY ord) AS rn"
          + " FROM (SELECT ord, " + d.text("procedure_code") + " AS procedure_code, " + d.decimal("trim(allowed_amount)") + " AS allowed_amount,"
          + " upper(trim(covered)) = 'Y' AS covered, upper(trim(covered)) IN ('Y', 'N') AS yn FROM raw_fees) f"
          + " WHERE procedure_code IS NOT NULL AND allowed_amount IS NOT NULL AND yn) f WHERE rn = 1",
      "SELECT ord, member_id, plan_id, coverage_start, coverage_end FROM (SELECT *, row_number() OVER (PARTITION BY member_id, coverage_start ORDER BY ord) AS rn"
          + " FROM (SELECT ord, " + d.text("member_id") + " AS member_id, " + d.text("plan_id") + " AS plan_id, "
          + d.date("trim(coverage_start)") + " AS coverage_start, " + d.date("trim(coverage_end)") + " AS coverage_end,"
          + " " + d.text("coverage_end") + " IS NULL AS open_end FROM raw_members) m"
          + " WHERE member_id IS NOT NULL AND plan_id IS NOT NULL AND coverage_start IS NOT NULL"
          + " AND (open_end OR coverage_end IS NOT NULL)) m WHERE rn = 1 AND plan_id IN (SELECT plan_id FROM plans)"
    };
  }

  /**
   * The claims' lines from {@code raw_claims} (ord, file, line text): JSON Claims only (a line that
   * is not JSON, another resource or a Claim with an invalid date is a dead letter), the first of
   * each claim id in file and line order.
   */
  /** The valid claims' lines of {@code items} (either dialect), the member and patient taken from the reference. */
  static String parsedLines(String items) {
    return "SELECT file, ord, claim_id, line_no,"
        + " CASE WHEN patient = '' THEN '' ELSE regexp_replace(patient, '^.*/', '') END AS member_id,"
        + " CASE WHEN patient = '' THEN '' ELSE regexp_replace(patient, '^.*/', '') END AS patient_id,"
        + " provider_id, payer_id, service_date, received_date, code AS procedure_code, units, charge"
        + " FROM (" + items + ") i WHERE claim_ok";
  }

  static String claimLines(Dialect d, String parsed) {
    return """
        SELECT * FROM (
          SELECT l.*, dense_rank() OVER (PARTITION BY claim_id ORDER BY file, ord) AS copy
          FROM (%s) l) l WHERE copy = 1
        """.formatted(parsed);
  }

  // -----------------------------------------------------------------------------------------------
  // DuckDB

  private static final String DUCK_CLAIM = "{\"resourceType\":\"VARCHAR\",\"id\":\"VARCHAR\",\"patient\":{\"reference\":\"VARCHAR\"},"
      + "\"billablePeriod\":{\"start\":\"VARCHAR\"},\"created\":\"VARCHAR\",\"provider\":{\"identifier\":{\"value\":\"VARCHAR\"}},"
      + "\"insurance\":[{\"focal\":\"BOOLEAN\",\"coverage\":{\"display\":\"VARCHAR\"}}],"
      + "\"item\":[{\"sequence\":\"BIGINT\",\"productOrService\":{\"coding\":[{\"code\":\"VARCHAR\"}]},"
      + "\"servicedDate\":\"VARCHAR\",\"quantity\":{\"value\":\"VARCHAR\"},\"net\":{\"value\":\"VARCHAR\",\"currency\":\"VARCHAR\"}}]}";

  @Override
  public void duckDb(Connection db, Path data, Path out) throws SQLException, IOException {
    String csv = "header=true, all_varchar=true, null_padding=true, auto_detect=false, delim=',', quote='\"', escape='\"'";
    Sql.execute(db,
        "CREATE TEMP TABLE raw_claims AS SELECT filename AS file, j FROM read_csv("
            + Sql.quote(data.resolve("claims")) + " || '/*.ndjson', columns={'j':'VARCHAR'}, header=false, delim=chr(1),"
            + " quote='', escape='', auto_detect=false, filename=true)",
        "CREATE TEMP TABLE raw0_members AS SELECT * FROM read_csv(" + Sql.quote(data.resolve(ClaimsAdjudication.MEMBERS_FILE))
            + ", " + csv + ", columns={'member_id':'VARCHAR','plan_id':'VARCHAR','coverage_start':'VARCHAR','coverage_end':'VARCHAR',"
            + "'birth_date':'VARCHAR','gender':'VARCHAR'})",
        "CREATE TEMP TABLE raw0_plans AS SELECT * FROM read_csv(" + Sql.quote(data.resolve(ClaimsAdjudication.PLANS_FILE))
            + ", " + csv + ", columns={'plan_id':'VARCHAR','deductible':'VARCHAR','coinsurance_rate':'VARCHAR','copay':'VARCHAR',"
            + "'oop_max':'VARCHAR','timely_filing_days':'VARCHAR'})",
        "CREATE TEMP TABLE raw0_fees AS SELECT * FROM read_csv(" + Sql.quote(data.resolve(ClaimsAdjudication.FEES_FILE))
            + ", " + csv + ", columns={'procedure_code':'VARCHAR','description':'VARCHAR','allowed_amount':'VARCHAR','covered':'VARCHAR'})");
    String[] ref = reference(D);
    Sql.execute(db, "CREATE TEMP VIEW raw_members AS SELECT rowid AS ord, * FROM raw0_members",
        "CREATE TEMP VIEW raw_plans AS SELECT rowid AS ord, * FROM raw0_plans",
        "CREATE TEMP VIEW raw_fees AS SELECT rowid AS ord, * FROM raw0_fees");
    Sql.execute(db, "CREATE TEMP TABLE plans AS " + ref[0], "CREATE TEMP TABLE fees AS " + ref[1],
        "CREATE TEMP TABLE coverage AS " + ref[2]);
    // One row per item of each JSON Claim; a claim with an invalid value is left out whole.
    String items = """
        SELECT * FROM (
          SELECT *, bool_and(ok AND copies = 1) OVER (PARTITION BY ord) AS claim_ok
          FROM (SELECT *, count(*) OVER (PARTITION BY ord, line_no) AS copies FROM (
            SELECT ord, file, c.id AS claim_id, coalesce(c.patient.reference, '') AS patient,
                   coalesce(trim(c.provider.identifier.value), '') AS provider_id,
                   coalesce(trim(list_filter(c.insurance, ins -> ins.focal)[1].coverage.display), trim(c.insurance[1].coverage.display), '') AS payer_id,
                   try_cast(substr(c.created, 1, 10) AS DATE) AS received_date,
                   coalesce(it.sequence, i) AS line_no,
                   coalesce(try_cast(substr(it.servicedDate, 1, 10) AS DATE), try_cast(substr(c.billablePeriod.start, 1, 10) AS DATE)) AS service_date,
                   coalesce(trim(list_filter(it.productOrService.coding, cd -> trim(cd.code) <> '')[1].code), '') AS code,
                   coalesce(try_cast(it.quantity.value AS DECIMAL(18,6)), 1) AS units,
                   CAST(round(try_cast(it.net.value AS DECIMAL(18,6)), 2) AS DECIMAL(18,2)) AS charge,
                   coalesce(regexp_full_match(c.id, '[A-Za-z0-9.-]{1,38}')
                     AND (c.created IS NULL OR try_cast(substr(c.created, 1, 10) AS DATE) IS NOT NULL)
                     AND (it.servicedDate IS NULL OR try_cast(substr(it.servicedDate, 1, 10) AS DATE) IS NOT NULL)
                     AND (c.billablePeriod.start IS NULL OR try_cast(substr(c.billablePeriod.start, 1, 10) AS DATE) IS NOT NULL)
                     AND coalesce(it.sequence, i) >= 1 AND coalesce(try_cast(it.quantity.value AS DECIMAL(18,6)), 1) > 0
                     AND coalesce(it.net.currency, 'USD') = 'USD' AND coalesce(try_cast(it.net.value AS DECIMAL(18,6)), 0) >= 0,
                     false) AS ok
            FROM (SELECT ord, file, c, unnest(c.item) AS it, generate_subscripts(c.item, 1) AS i
                  FROM (SELECT rowid AS ord, file, from_json(j, '%s') AS c FROM raw_claims WHERE json_valid(j)) x
                  WHERE c.resourceType = 'Claim' AND len(c.item) > 0) y) z) w) v
        """.formatted(DUCK_CLAIM);
    String parsed = parsedLines(items);
    Sql.execute(db, "CREATE TEMP TABLE claim_lines AS " + claimLines(D, parsed),
        "CREATE TEMP TABLE decided AS " + decided(D),
        "CREATE TEMP TABLE adjudicated AS " + adjudicated(D),
        "CREATE TEMP TABLE paid AS " + PAID,
        "CREATE TEMP TABLE shares AS WITH RECURSIVE fold AS ("
            + duckStep("SELECT member_id, yr, rn, claim_id, line_no, x, k0, deductible, rate, oop_max,"
                + " CAST(0 AS DECIMAL(18,2)) AS dm_in, CAST(0 AS DECIMAL(18,2)) AS om_in FROM paid WHERE rn = 1")
            + " UNION ALL "
            + duckStep("SELECT p.member_id, p.yr, p.rn, p.claim_id, p.line_no, p.x, p.k0, p.deductible, p.rate, p.oop_max,"
                + " f.dm AS dm_in, f.om AS om_in FROM fold f JOIN paid p ON p.member_id = f.member_id AND p.yr = f.yr AND p.rn = f.rn + 1")
            + ") SELECT member_id, yr, claim_id, line_no, d, c, k FROM fold");
    Sql.writeLines(db, linesQuery(D), out.resolve(ClaimsAdjudication.LINES_FILE));
    Sql.writeLines(db, accumulatorsQuery(D), out.resolve(ClaimsAdjudication.ACCUMULATORS_FILE));
    Sql.writeLines(db, summaryQuery(D), out.resolve(ClaimsAdjudication.SUMMARY_FILE));
  }

  /** One step of the fold over {@code src} (its dm_in, om_in: what the member year had met before the line). */
  static String duckStep(String src) {
    String z = "CAST(0 AS DECIMAL(18,2))";
    return "SELECT member_id, yr, rn, claim_id, line_no, x, k0, deductible, rate, oop_max, dm_in, om_in, d0, c0, ex, c, k, d,"
        + " CAST(dm_in + d AS DECIMAL(18,2)) AS dm, CAST(om_in + k + d + c AS DECIMAL(18,2)) AS om FROM ("
        + " SELECT *, CAST(greatest(" + z + ", c0 - ex) AS DECIMAL(18,2)) AS c,"
        + " CAST(greatest(" + z + ", k0 - greatest(" + z + ", ex - c0)) AS DECIMAL(18,2)) AS k,"
        + " CAST(greatest(" + z + ", d0 - greatest(" + z + ", ex - c0 - k0)) AS DECIMAL(18,2)) AS d FROM ("
        + " SELECT *, CAST(greatest(" + z + ", k0 + d0 + c0 - greatest(" + z + ", oop_max - om_in)) AS DECIMAL(18,2)) AS ex FROM ("
        + " SELECT *, CAST(round((x - d0) * rate, 2) AS DECIMAL(18,2)) AS c0 FROM ("
        + " SELECT *, CAST(least(x, greatest(" + z + ", deductible - dm_in)) AS DECIMAL(18,2)) AS d0 FROM (" + src
        + ") s0) s1) s2) s3) s4";
  }

  /** For tests: the number of rows of a query. */
  static long count(Connection db, String query) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + query + ") q")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Spark SQL

  private static final String SPARK_CLAIM = "resourceType STRING, id STRING, patient STRUCT<reference: STRING>,"
      + " billablePeriod STRUCT<start: STRING>, created STRING, provider STRUCT<identifier: STRUCT<value: STRING>>,"
      + " insurance ARRAY<STRUCT<focal: BOOLEAN, coverage: STRUCT<display: STRING>>>,"
      + " item ARRAY<STRUCT<sequence: BIGINT, productOrService: STRUCT<coding: ARRAY<STRUCT<code: STRING>>>,"
      + " servicedDate STRING, quantity: STRUCT<value: STRING>, net: STRUCT<value: STRING, currency: STRING>>>";

  @Override
  public void sparkSql(SparkSession spark, Path data, Path out) {
    // File order: Spark reads a file's splits in offset order and numbers rows within each in order.
    spark.read().text(data.resolve("claims").toString() + "/*.ndjson")
        .selectExpr("input_file_name() AS file", "monotonically_increasing_id() AS ord", "value AS j")
        .createOrReplaceTempView("raw_claims");
    csv(spark, data.resolve(ClaimsAdjudication.MEMBERS_FILE),
        "member_id STRING, plan_id STRING, coverage_start STRING, coverage_end STRING, birth_date STRING, gender STRING",
        "raw_members");
    csv(spark, data.resolve(ClaimsAdjudication.PLANS_FILE),
        "plan_id STRING, deductible STRING, coinsurance_rate STRING, copay STRING, oop_max STRING, timely_filing_days STRING",
        "raw_plans");
    csv(spark, data.resolve(ClaimsAdjudication.FEES_FILE),
        "procedure_code STRING, description STRING, allowed_amount STRING, covered STRING", "raw_fees");
    String[] ref = reference(S);
    spark.sql(ref[0]).cache().createOrReplaceTempView("plans");
    spark.sql(ref[1]).cache().createOrReplaceTempView("fees");
    spark.sql(ref[2]).cache().createOrReplaceTempView("coverage");
    String date = "to_date(substr(%s, 1, 10), 'yyyy-MM-dd')";
    String created = date.formatted("c.created");
    String served = date.formatted("it.servicedDate");
    String billed = date.formatted("c.billablePeriod.start");
    String items = """
        SELECT * FROM (
          SELECT *, bool_and(ok AND copies = 1) OVER (PARTITION BY ord) AS claim_ok
          FROM (SELECT *, count(*) OVER (PARTITION BY ord, line_no) AS copies FROM (
            SELECT ord, file, c.id AS claim_id, coalesce(c.patient.reference, '') AS patient,
                   coalesce(trim(c.provider.identifier.value), '') AS provider_id, payer_id,
                   %2$s AS received_date,
                   coalesce(it.sequence, i + 1) AS line_no,
                   coalesce(%3$s, %4$s) AS service_date,
                   coalesce(trim(filter(it.productOrService.coding, cd -> trim(cd.code) <> '')[0].code), '') AS code,
                   coalesce(CAST(it.quantity.value AS DECIMAL(18,6)), 1) AS units,
                   CAST(round(CAST(it.net.value AS DECIMAL(18,6)), 2) AS DECIMAL(18,2)) AS charge,
                   coalesce(c.id RLIKE '^[A-Za-z0-9.-]{1,38}$'
                     AND (c.created IS NULL OR %2$s IS NOT NULL)
                     AND (it.servicedDate IS NULL OR %3$s IS NOT NULL)
                     AND (c.billablePeriod.start IS NULL OR %4$s IS NOT NULL)
                     AND coalesce(it.sequence, i + 1) >= 1 AND coalesce(CAST(it.quantity.value AS DECIMAL(18,6)), 1) > 0
                     AND coalesce(it.net.currency, 'USD') = 'USD' AND coalesce(CAST(it.net.value AS DECIMAL(18,6)), 0) >= 0,
                     false) AS ok
            FROM (SELECT ord, file, c, payer_id, posexplode(c.item) AS (i, it)
                  FROM (SELECT ord, file, c, coalesce(trim(filter(c.insurance, ins -> ins.focal)[0].coverage.display),
                               trim(c.insurance[0].coverage.display), '') AS payer_id
                        FROM (SELECT ord, file, from_json(j, '%1$s') AS c FROM raw_claims) x0) x
                  WHERE c.resourceType = 'Claim' AND size(c.item) > 0) y) z) w) v
        """.formatted(SPARK_CLAIM, created, served, billed);
    String parsed = parsedLines(items);
    spark.sql(claimLines(S, parsed)).createOrReplaceTempView("claim_lines");
    spark.sql(decided(S)).createOrReplaceTempView("decided");
    // Read by the fold and by all three results: computed once.
    spark.sql(adjudicated(S)).cache().createOrReplaceTempView("adjudicated");
    spark.sql(PAID).createOrReplaceTempView("paid");
    spark.sql(sparkFold()).cache().createOrReplaceTempView("shares");
    Sql.writeLines(spark.sql(linesQuery(S)), out.resolve(ClaimsAdjudication.LINES_FILE));
    Sql.writeLines(spark.sql(accumulatorsQuery(S)), out.resolve(ClaimsAdjudication.ACCUMULATORS_FILE));
    Sql.writeLines(spark.sql(summaryQuery(S)), out.resolve(ClaimsAdjudication.SUMMARY_FILE));
  }

  private static void csv(SparkSession spark, Path file, String schema, String view) {
    spark.read().option("header", "true").option("mode", "PERMISSIVE").option("quote", "\"").option("escape", "\"")
        .schema(schema).csv(file.toString())
        .selectExpr("monotonically_increasing_id() AS ord", "*").createOrReplaceTempView(view);
  }

  /**
   * The fold on Spark: each member year's paid lines, sorted by rn, folded by {@code aggregate}
   * with (deductible met, out of pocket met, the lines' shares so far) as the state; the same step
   * as {@link #duckStep} ({@link #STEP_DOC}), its terms written out in place.
   */
  static String sparkFold() {
    String z = "CAST(0 AS DECIMAL(18,2))";
    String d0 = "CAST(least(p.x, greatest(" + z + ", p.deductible - acc.dm)) AS DECIMAL(18,2))";
    String c0 = "CAST(round((p.x - " + d0 + ") * p.rate, 2) AS DECIMAL(18,2))";
    String ex = "CAST(greatest(" + z + ", p.k0 + " + d0 + " + " + c0 + " - greatest(" + z + ", p.oop_max - acc.om)) AS DECIMAL(18,2))";
    String c = "CAST(greatest(" + z + ", " + c0 + " - " + ex + ") AS DECIMAL(18,2))";
    String k = "CAST(greatest(" + z + ", p.k0 - greatest(" + z + ", " + ex + " - " + c0 + ")) AS DECIMAL(18,2))";
    String d = "CAST(greatest(" + z + ", " + d0 + " - greatest(" + z + ", " + ex + " - " + c0 + " - p.k0)) AS DECIMAL(18,2))";
    String share = "STRUCT<claim_id: STRING, line_no: BIGINT, d: DECIMAL(18,2), c: DECIMAL(18,2), k: DECIMAL(18,2)>";
    return """
        SELECT member_id, yr, o.claim_id, o.line_no, o.d, o.c, o.k FROM (
          SELECT member_id, yr, explode(aggregate(ps,
                   named_struct('dm', %1$s, 'om', %1$s, 'out', CAST(array() AS ARRAY<%2$s>)),
                   (acc, p) -> named_struct(
                     'dm', CAST(acc.dm + %5$s AS DECIMAL(18,2)),
                     'om', CAST(acc.om + %4$s + %5$s + %3$s AS DECIMAL(18,2)),
                     'out', concat(acc.out, array(CAST(named_struct('claim_id', p.claim_id, 'line_no', p.line_no,
                                  'd', %5$s, 'c', %3$s, 'k', %4$s) AS %2$s))))).out) AS o
          FROM (SELECT member_id, yr, array_sort(collect_list(struct(rn, claim_id, CAST(line_no AS BIGINT) AS line_no,
                       x, k0, deductible, rate, oop_max))) AS ps
                FROM paid GROUP BY member_id, yr) g) f
        """.formatted(z, share, c, k, d);
  }
}
