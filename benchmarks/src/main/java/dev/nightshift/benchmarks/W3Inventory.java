package dev.nightshift.benchmarks;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.inventory.InventoryGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * W3, inventory update: the start-of-day snapshot (one row per store x SKU, at most 1M pairs,
 * size / 10), the day's goods receipts and {@code size} sales lines (movements, 1% defective),
 * validated (business date, quantities, numbers), the snapshot and receipts de-duplicated, summed per
 * store x SKU into the end-of-day stock ({@code snapshot.csv}) and the reorder suggestions
 * ({@code reorders.csv}: order up to reorder point + reorder quantity when below the point).
 */
final class W3Inventory implements Workload {
  static final LocalDate DAY = InventoryGenerator.DEFAULT_BUSINESS_DATE;
  static final long DEFAULT_REORDER_POINT = 10;
  static final long DEFAULT_REORDER_QUANTITY = 50;
  private static final Dialect D = Dialect.DUCKDB;
  private static final Dialect S = Dialect.SPARK;

  @Override
  public String id() {
    return "W3";
  }

  @Override
  public String title() {
    return "inventory update: sum sales, returns and receipts per store x SKU; end-of-day stock and reorders";
  }

  @Override
  public String pipeline() {
    return InventoryUpdate.NAME;
  }

  @Override
  public long defaultSize() {
    return 10_000_000;
  }

  @Override
  public String rowName() {
    return "sales lines";
  }

  @Override
  public List<String> parts() {
    return List.of(InventoryUpdate.SNAPSHOT_FILE, InventoryUpdate.REORDERS_FILE);
  }

  static long pairs(long size) {
    return Math.max(100, Math.min(1_000_000, size / 10));
  }

  @Override
  public long generate(Path dir, long size, long seed, double badRate) throws IOException {
    GenerationReport r = new InventoryGenerator().generate(new GenerationRequest(dir, pairs(size), seed,
        badRate, DAY, Map.of(InventoryGenerator.MOVEMENT_LINES_PARAM, Long.toString(size))));
    return r.rowsPerFile().get(InventoryUpdate.MOVEMENTS_FILE);
  }

  @Override
  public List<String> beamArgs(Path data, Path out) {
    return List.of("--inputDir=" + data.toAbsolutePath(), "--output=" + out.toAbsolutePath(),
        "--businessDate=" + DAY);
  }

  /** The SQL both engines share once the inputs are typed views: {@code levels}, {@code moves}, {@code receipts}. */
  private static String sums(String firstSnapshot, String firstReceipt) {
    return """
        firsts AS (%1$s),
        goods AS (%2$s),
        sums AS (
          SELECT store_id, sku, sum(snap) AS snap, sum(on_hand) AS on_hand, sum(rp) AS rp, sum(rq) AS rq,
                 sum(sold) AS sold, sum(returned) AS returned, sum(received) AS received
          FROM (
            SELECT store_id, sku, 1 AS snap, on_hand, reorder_point AS rp, reorder_quantity AS rq,
                   0 AS sold, 0 AS returned, 0 AS received FROM firsts
            UNION ALL
            SELECT store_id, sku, 0, 0, 0, 0, sold_quantity, returned_quantity, 0 FROM moves
            WHERE business_date = DATE '%3$s' AND sold_quantity >= 0 AND returned_quantity >= 0
            UNION ALL
            SELECT store_id, sku, 0, 0, 0, 0, 0, 0, quantity FROM goods) u
          GROUP BY store_id, sku),
        positions AS (
          SELECT store_id, sku, on_hand - sold + returned + received AS eod,
                 CASE WHEN snap > 0 THEN rp ELSE %4$d END AS rp,
                 CASE WHEN snap > 0 THEN rq ELSE %5$d END AS rq
          FROM sums)
        """.formatted(firstSnapshot, firstReceipt, DAY, DEFAULT_REORDER_POINT, DEFAULT_REORDER_QUANTITY);
  }

  private static final String SNAPSHOT_LINES =
      "SELECT concat_ws(',', '%s', store_id, sku, CAST(eod AS %s), CAST(rp AS %s), CAST(rq AS %s)) AS line"
          + " FROM positions ORDER BY line";
  private static final String REORDER_LINES =
      "SELECT concat_ws(',', store_id, sku, CAST(eod AS %1$s), CAST(rp AS %1$s), CAST(rp + rq - eod AS %1$s)) AS line"
          + " FROM positions WHERE eod < rp ORDER BY line";

  // -----------------------------------------------------------------------------------------------
  // DuckDB

  @Override
  public void duckDb(Connection db, Path data, Path out) throws SQLException, IOException {
    String csv = "header=true, all_varchar=true, null_padding=true, auto_detect=false, delim=',', quote='\"', escape='\"'";
    Sql.execute(db,
        "CREATE TEMP TABLE raw_snapshot AS SELECT * FROM read_csv(" + Sql.quote(data.resolve("snapshot.csv")) + ", " + csv
            + ", columns={'snapshot_date':'VARCHAR','store_id':'VARCHAR','sku':'VARCHAR','on_hand':'VARCHAR',"
            + "'reorder_point':'VARCHAR','reorder_quantity':'VARCHAR'})",
        "CREATE TEMP TABLE raw_receipts AS SELECT * FROM read_csv(" + Sql.quote(data.resolve("receipts.csv")) + ", " + csv
            + ", columns={'receipt_id':'VARCHAR','business_date':'VARCHAR','store_id':'VARCHAR','sku':'VARCHAR','quantity':'VARCHAR'})",
        "CREATE TEMP VIEW moves AS SELECT * FROM (SELECT try_cast(trim(business_date) AS DATE) AS business_date,"
            + " nullif(trim(store_id), '') AS store_id, nullif(trim(sku), '') AS sku,"
            + D.whole("trim(sold_quantity)") + " AS sold_quantity, " + D.whole("trim(returned_quantity)") + " AS returned_quantity"
            + " FROM read_csv(" + Sql.quote(data.resolve("daily_movements.csv")) + ", " + csv
            + ", columns={'business_date':'VARCHAR','store_id':'VARCHAR','sku':'VARCHAR','sold_quantity':'VARCHAR','returned_quantity':'VARCHAR'}))"
            + " WHERE business_date IS NOT NULL AND store_id IS NOT NULL AND sku IS NOT NULL"
            + " AND sold_quantity IS NOT NULL AND returned_quantity IS NOT NULL",
        "CREATE TEMP VIEW levels AS SELECT * FROM (SELECT rowid AS ord, try_cast(trim(snapshot_date) AS DATE) AS snapshot_date,"
            + " nullif(trim(store_id), '') AS store_id, nullif(trim(sku), '') AS sku, " + D.whole("trim(on_hand)") + " AS on_hand, "
            + D.whole("trim(reorder_point)") + " AS reorder_point, " + D.whole("trim(reorder_quantity)") + " AS reorder_quantity FROM raw_snapshot)"
            + " WHERE snapshot_date IS NOT NULL AND store_id IS NOT NULL AND sku IS NOT NULL AND on_hand IS NOT NULL"
            + " AND reorder_point IS NOT NULL AND reorder_quantity IS NOT NULL",
        "CREATE TEMP VIEW receipts AS SELECT * FROM (SELECT rowid AS ord, nullif(trim(receipt_id), '') AS receipt_id,"
            + " try_cast(trim(business_date) AS DATE) AS business_date, nullif(trim(store_id), '') AS store_id,"
            + " nullif(trim(sku), '') AS sku, " + D.whole("trim(quantity)") + " AS quantity FROM raw_receipts)"
            + " WHERE receipt_id IS NOT NULL AND business_date IS NOT NULL AND store_id IS NOT NULL AND sku IS NOT NULL"
            + " AND quantity IS NOT NULL");
    String with = "WITH " + sums(
        D.firstBy("store_id, sku", "(SELECT * FROM levels WHERE reorder_point >= 0 AND reorder_quantity >= 0)"),
        D.firstBy("receipt_id", "(SELECT * FROM receipts WHERE business_date = DATE '" + DAY + "' AND quantity > 0)"));
    Sql.execute(db, "CREATE TEMP TABLE positions AS " + with + " SELECT * FROM positions");
    Sql.writeLines(db, SNAPSHOT_LINES.formatted(DAY, "VARCHAR", "VARCHAR", "VARCHAR"),
        out.resolve(InventoryUpdate.SNAPSHOT_FILE));
    Sql.writeLines(db, REORDER_LINES.formatted("VARCHAR"), out.resolve(InventoryUpdate.REORDERS_FILE));
  }

  // -----------------------------------------------------------------------------------------------
  // Spark SQL

  @Override
  public void sparkSql(SparkSession spark, Path data, Path out) {
    spark.read().option("header", "true")
        .schema("snapshot_date STRING, store_id STRING, sku STRING, on_hand STRING, reorder_point STRING, reorder_quantity STRING")
        .csv(data.resolve("snapshot.csv").toString())
        .selectExpr("monotonically_increasing_id() AS ord", "*").createOrReplaceTempView("raw_snapshot");
    spark.read().option("header", "true")
        .schema("receipt_id STRING, business_date STRING, store_id STRING, sku STRING, quantity STRING")
        .csv(data.resolve("receipts.csv").toString())
        .selectExpr("monotonically_increasing_id() AS ord", "*").createOrReplaceTempView("raw_receipts");
    spark.read().option("header", "true")
        .schema("business_date STRING, store_id STRING, sku STRING, sold_quantity STRING, returned_quantity STRING")
        .csv(data.resolve("daily_movements.csv").toString()).createOrReplaceTempView("raw_moves");
    spark.sql("SELECT * FROM (SELECT to_date(trim(business_date), 'yyyy-MM-dd') AS business_date,"
            + " nullif(trim(store_id), '') AS store_id, nullif(trim(sku), '') AS sku,"
            + S.whole("trim(sold_quantity)") + " AS sold_quantity, " + S.whole("trim(returned_quantity)") + " AS returned_quantity"
            + " FROM raw_moves) WHERE business_date IS NOT NULL AND store_id IS NOT NULL AND sku IS NOT NULL"
            + " AND sold_quantity IS NOT NULL AND returned_quantity IS NOT NULL")
        .createOrReplaceTempView("moves");
    spark.sql("SELECT * FROM (SELECT ord, to_date(trim(snapshot_date), 'yyyy-MM-dd') AS snapshot_date,"
            + " nullif(trim(store_id), '') AS store_id, nullif(trim(sku), '') AS sku, " + S.whole("trim(on_hand)") + " AS on_hand, "
            + S.whole("trim(reorder_point)") + " AS reorder_point, " + S.whole("trim(reorder_quantity)") + " AS reorder_quantity"
            + " FROM raw_snapshot) WHERE snapshot_date IS NOT NULL AND store_id IS NOT NULL AND sku IS NOT NULL"
            + " AND on_hand IS NOT NULL AND reorder_point IS NOT NULL AND reorder_quantity IS NOT NULL")
        .createOrReplaceTempView("levels");
    spark.sql("SELECT * FROM (SELECT ord, nullif(trim(receipt_id), '') AS receipt_id,"
            + " to_date(trim(business_date), 'yyyy-MM-dd') AS business_date, nullif(trim(store_id), '') AS store_id,"
            + " nullif(trim(sku), '') AS sku, " + S.whole("trim(quantity)") + " AS quantity FROM raw_receipts)"
            + " WHERE receipt_id IS NOT NULL AND business_date IS NOT NULL AND store_id IS NOT NULL AND sku IS NOT NULL"
            + " AND quantity IS NOT NULL")
        .createOrReplaceTempView("receipts");
    String with = "WITH " + sums(
        S.firstBy("store_id, sku", "(SELECT * FROM levels WHERE reorder_point >= 0 AND reorder_quantity >= 0)"),
        S.firstBy("receipt_id", "(SELECT * FROM receipts WHERE business_date = DATE '" + DAY + "' AND quantity > 0)"));
    spark.sql(with + " SELECT * FROM positions").cache().createOrReplaceTempView("positions");
    Sql.writeLines(spark.sql(SNAPSHOT_LINES.formatted(DAY, "STRING", "STRING", "STRING")),
        out.resolve(InventoryUpdate.SNAPSHOT_FILE));
    Sql.writeLines(spark.sql(REORDER_LINES.formatted("STRING")), out.resolve(InventoryUpdate.REORDERS_FILE));
  }
}
