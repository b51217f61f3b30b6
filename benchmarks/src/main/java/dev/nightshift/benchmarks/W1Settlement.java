package dev.nightshift.benchmarks;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * W1, trade settlement: the day's trades (1% defective, as generated) typed, de-duplicated on the
 * trade id (the first in file order is kept), validated against the securities and participants
 * and the business date, given their settlement date (T+1 US, T+2 EU over each market's business
 * days) and amount (quantity x price, half-even to cents), split into buyer and seller legs and
 * netted per participant x ISIN x settlement date into the lines of {@code instructions.csv}.
 *
 * <p>25 participants and 4,000 securities make 5M trades net into about 500k keys (five settlement
 * dates x 100,000 participant x ISIN pairs). The SQL versions rely on what the generator guarantees
 * of the reference data (valid ISINs, ISO currencies with 2 decimals, unique keys); the trades
 * themselves carry every planted defect, and the queries refuse them as the pipeline does.
 */
final class W1Settlement implements Workload {
  static final LocalDate BUSINESS_DATE = TradeGenerator.DEFAULT_BUSINESS_DATE;
  static final int PARTICIPANTS = 25;
  static final int SECURITIES = 4000;

  @Override
  public String id() {
    return "W1";
  }

  @Override
  public String title() {
    return "trade settlement: validate, settle (T+1/T+2), net legs into DvP instructions";
  }

  @Override
  public String pipeline() {
    return TradeSettlement.NAME;
  }

  @Override
  public long defaultSize() {
    return 5_000_000;
  }

  @Override
  public String rowName() {
    return "trades";
  }

  @Override
  public List<String> parts() {
    return List.of(TradeSettlement.INSTRUCTIONS_FILE);
  }

  @Override
  public long generate(Path dir, long size, long seed, double badRate) throws IOException {
    new TradeGenerator().generate(new GenerationRequest(dir, size, seed, badRate, BUSINESS_DATE,
        Map.of(TradeGenerator.PARTICIPANTS_PARAM, Integer.toString(PARTICIPANTS),
            TradeGenerator.SECURITIES_PARAM, Integer.toString(SECURITIES))));
    return size;
  }

  @Override
  public List<String> beamArgs(Path data, Path out) {
    return List.of("--inputDir=" + data.toAbsolutePath(), "--output=" + out.toAbsolutePath(),
        "--businessDate=" + BUSINESS_DATE);
  }

  // -----------------------------------------------------------------------------------------------
  // DuckDB

  @Override
  public void duckDb(Connection db, Path data, Path out) throws SQLException, IOException {
    String csv = "header=true, all_varchar=true, null_padding=true, auto_detect=false, delim=',', quote='\"', escape='\"'";
    Sql.execute(db,
        // The raw rows in file order (a table keeps insertion order: its rowid is the file position).
        "CREATE TEMP TABLE raw_trade_rows AS SELECT * FROM read_csv(" + Sql.quote(data.resolve("trades.csv")) + ", " + csv
            + ", columns={'trade_id':'VARCHAR','trade_date':'VARCHAR','trade_time':'VARCHAR','isin':'VARCHAR',"
            + "'quantity':'VARCHAR','price':'VARCHAR','currency':'VARCHAR','buyer_account':'VARCHAR','seller_account':'VARCHAR'})",
        "CREATE TEMP VIEW raw_trades AS SELECT rowid AS ord, * FROM raw_trade_rows",
        "CREATE TEMP TABLE securities AS SELECT trim(isin) AS isin, trim(currency) AS currency, trim(market) AS market"
            + " FROM read_csv(" + Sql.quote(data.resolve("securities.csv")) + ", header=true, all_varchar=true)",
        "CREATE TEMP TABLE accounts AS SELECT trim(securities_account) AS account, trim(participant_id) AS participant_id"
            + " FROM read_csv(" + Sql.quote(data.resolve("participants.csv")) + ", header=true, all_varchar=true)",
        "CREATE TEMP TABLE holidays AS SELECT DISTINCT trim(market) AS market, CAST(trim(date) AS DATE) AS d"
            + " FROM read_csv(" + Sql.quote(data.resolve("holidays.csv")) + ", header=true, all_varchar=true)");
    // The valid trades are read three times (calendar bounds, buyer legs, seller legs): kept once.
    Sql.execute(db, "CREATE TEMP TABLE valid AS " + validTrades(Dialect.DUCKDB));
    Sql.writeLines(db, instructions(Dialect.DUCKDB), out.resolve(TradeSettlement.INSTRUCTIONS_FILE));
  }

  // -----------------------------------------------------------------------------------------------
  // Spark SQL

  @Override
  public void sparkSql(SparkSession spark, Path data, Path out) {
    Dataset<Row> trades = spark.read().option("header", "true").option("mode", "PERMISSIVE")
        .schema("trade_id STRING, trade_date STRING, trade_time STRING, isin STRING, quantity STRING,"
            + " price STRING, currency STRING, buyer_account STRING, seller_account STRING")
        .csv(data.resolve("trades.csv").toString());
    // File order: Spark reads a file's splits in offset order and numbers rows within each in order.
    trades.selectExpr("monotonically_increasing_id() AS ord", "*").createOrReplaceTempView("raw_trades");
    spark.read().option("header", "true").csv(data.resolve("securities.csv").toString())
        .selectExpr("trim(isin) AS isin", "trim(currency) AS currency", "trim(market) AS market")
        .createOrReplaceTempView("securities");
    spark.read().option("header", "true").csv(data.resolve("participants.csv").toString())
        .selectExpr("trim(securities_account) AS account", "trim(participant_id) AS participant_id")
        .createOrReplaceTempView("accounts");
    spark.read().option("header", "true").csv(data.resolve("holidays.csv").toString())
        .selectExpr("trim(market) AS market", "CAST(trim(date) AS DATE) AS d").distinct()
        .createOrReplaceTempView("holidays");
    // Cached once, or Spark would type, de-duplicate and join the trades three times over.
    spark.sql(validTrades(Dialect.SPARK)).cache().createOrReplaceTempView("valid");
    Sql.writeLines(spark.sql(instructions(Dialect.SPARK)), out.resolve(TradeSettlement.INSTRUCTIONS_FILE));
  }

  // -----------------------------------------------------------------------------------------------
  // The query, once for both engines. Inputs: raw_trades (strings, with ord = file position),
  // securities, accounts, holidays.

  /** Typed (unparsable rows dropped), first of each trade id, validated and joined to the reference data. */
  static String validTrades(Dialect d) {
    return """
        WITH typed AS (
          SELECT ord, %1$s AS trade_id, %2$s AS trade_date, %3$s AS trade_time, %4$s AS isin,
                 %5$s AS quantity, %6$s AS price, %7$s AS currency, %8$s AS buyer_account, %9$s AS seller_account
          FROM raw_trades),
        parsed AS (
          SELECT * FROM typed
          WHERE trade_id IS NOT NULL AND trade_date IS NOT NULL AND trade_time IS NOT NULL AND isin IS NOT NULL
            AND quantity IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL
            AND buyer_account IS NOT NULL AND seller_account IS NOT NULL),
        firsts AS (%10$s)
        SELECT t.isin, t.currency, t.trade_date, t.quantity, s.market,
               b.participant_id AS buyer, x.participant_id AS seller,
               %11$s AS amount
        FROM firsts t
        JOIN securities s ON s.isin = t.isin
        JOIN accounts b ON b.account = t.buyer_account
        JOIN accounts x ON x.account = t.seller_account
        WHERE t.buyer_account <> t.seller_account AND t.quantity > 0 AND t.price > 0
          AND t.currency = s.currency AND t.trade_date <= DATE '%12$s'
        """.formatted(d.text("trade_id"), d.date("trim(trade_date)"), d.time("trim(trade_time)"), d.text("isin"),
            d.whole("trim(quantity)"), d.decimal("trim(price)"), d.text("currency"), d.text("buyer_account"),
            d.text("seller_account"), d.firstBy("trade_id", "parsed"), d.roundEven("t.quantity * t.price"),
            BUSINESS_DATE);
  }

  /**
   * Settlement dates from a business-day calendar per market (k = business days up to a date; the
   * settlement date is the business day with k + 1 (US) or k + 2 (EU)), two legs per trade, netted
   * into the lines of instructions.csv.
   */
  static String instructions(Dialect d) {
    return """
        WITH bounds AS (SELECT min(trade_date) AS lo, %1$s AS hi FROM valid),
        days AS (
          SELECT m.market, %2$s AS d
          FROM (SELECT DISTINCT market FROM securities) m CROSS JOIN bounds),
        calendar AS (
          SELECT d.market, d.d,
                 NOT (%3$s) AND h.d IS NULL AS business,
                 sum(CASE WHEN NOT (%3$s) AND h.d IS NULL THEN 1 ELSE 0 END)
                   OVER (PARTITION BY d.market ORDER BY d.d) AS k
          FROM days d LEFT JOIN holidays h ON h.market = d.market AND h.d = d.d),
        settlement AS (
          SELECT a.market, a.d AS trade_date, b.d AS settlement_date
          FROM calendar a JOIN calendar b ON b.market = a.market AND b.business
           AND b.k = a.k + CASE WHEN a.market IN ('XNYS', 'XNAS') THEN 1 ELSE 2 END),
        legs AS (
          SELECT v.buyer AS participant_id, v.isin, v.currency, s.settlement_date,
                 v.quantity AS bought, CAST(0 AS BIGINT) AS sold, v.amount AS paid, CAST(0 AS DECIMAL(38,2)) AS received
          FROM valid v JOIN settlement s ON s.market = v.market AND s.trade_date = v.trade_date
          UNION ALL
          SELECT v.seller, v.isin, v.currency, s.settlement_date, CAST(0 AS BIGINT), v.quantity, CAST(0 AS DECIMAL(38,2)), v.amount
          FROM valid v JOIN settlement s ON s.market = v.market AND s.trade_date = v.trade_date),
        net AS (
          SELECT participant_id, isin, currency, settlement_date, sum(bought) AS b, sum(sold) AS s,
                 sum(paid) AS paid, sum(received) AS received, count(*) AS legs
          FROM legs GROUP BY participant_id, isin, currency, settlement_date)
        SELECT concat_ws(',',
                 'SI-' || %4$s || '-' || participant_id || '-' || isin,
                 participant_id, isin, CAST(settlement_date AS STRING),
                 CASE WHEN b > s THEN 'RECEIVE' WHEN b < s THEN 'DELIVER' ELSE 'NONE' END,
                 CAST(abs(b - s) AS STRING), currency,
                 CASE WHEN received > paid THEN 'RECEIVE' WHEN received < paid THEN 'PAY' ELSE 'NONE' END,
                 CAST(CAST(abs(received - paid) AS DECIMAL(38,2)) AS STRING),
                 CAST(b AS STRING), CAST(s AS STRING), CAST(legs AS STRING)) AS line
        FROM net ORDER BY line
        """.formatted(d.plusDays("max(trade_date)", 20), d.days("lo", "hi"), d.weekend("d.d"),
            d.basicIsoDate("settlement_date"));
  }
}
