package dev.nightshift.benchmarks;

/**
 * What DuckDB's and Spark's SQL spell differently; the workloads' queries are written once over
 * these. Typing follows the pipelines' parsers: a value that does not parse is NULL, and a row
 * with a NULL required field is dropped (the pipeline dead-letters it).
 */
enum Dialect {
  DUCKDB {
    @Override
    String date(String v) {
      return "try_cast(" + v + " AS DATE)";
    }

    @Override
    String time(String v) {
      return "try_cast(" + v + " AS TIME)";
    }

    @Override
    String whole(String v) {
      return "CASE WHEN regexp_full_match(" + v + ", '[+-]?[0-9]+') THEN try_cast(" + v + " AS BIGINT) END";
    }

    @Override
    String decimal(String v) {
      return "try_cast(" + v + " AS DECIMAL(18,6))";
    }

    @Override
    String roundEven(String v) {
      return "round_even(" + v + ", 2)";
    }

    @Override
    String weekend(String d) {
      return "dayofweek(" + d + ") IN (0, 6)";
    }

    @Override
    String days(String lo, String hi) {
      return "CAST(unnest(generate_series(CAST(" + lo + " AS TIMESTAMP), CAST(" + hi
          + " AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE)";
    }

    @Override
    String plusDays(String d, int n) {
      return "(" + d + " + " + n + ")";
    }

    @Override
    String basicIsoDate(String d) {
      return "strftime(" + d + ", '%Y%m%d')";
    }

    @Override
    String daysBetween(String from, String to) {
      return "datediff('day', " + from + ", " + to + ")";
    }
  },

  SPARK {
    @Override
    String date(String v) {
      return "to_date(" + v + ", 'yyyy-MM-dd')";
    }

    @Override
    String time(String v) {
      return "CASE WHEN " + v + " RLIKE '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' THEN " + v + " END";
    }

    @Override
    String whole(String v) {
      return "CASE WHEN " + v + " RLIKE '^[+-]?[0-9]+$' THEN CAST(" + v + " AS BIGINT) END";
    }

    @Override
    String decimal(String v) {
      return "CAST(" + v + " AS DECIMAL(18,6))";
    }

    @Override
    String roundEven(String v) {
      return "bround(" + v + ", 2)";
    }

    @Override
    String weekend(String d) {
      return "dayofweek(" + d + ") IN (1, 7)";
    }

    @Override
    String days(String lo, String hi) {
      return "explode(sequence(" + lo + ", " + hi + "))";
    }

    @Override
    String plusDays(String d, int n) {
      return "date_add(" + d + ", " + n + ")";
    }

    @Override
    String basicIsoDate(String d) {
      return "date_format(" + d + ", 'yyyyMMdd')";
    }

    @Override
    String daysBetween(String from, String to) {
      return "datediff(" + to + ", " + from + ")";
    }
  };

  /** An ISO date (yyyy-mm-dd), else NULL. */
  abstract String date(String v);

  /** An ISO time (hh:mm:ss), else NULL. */
  abstract String time(String v);

  /** A whole number as Long.parseLong reads it, else NULL (not 2.5, not 5x). */
  abstract String whole(String v);

  /** A decimal, else NULL. */
  abstract String decimal(String v);

  /** Half-even to 2 decimals (cents). */
  abstract String roundEven(String v);

  /** Whether a date is a Saturday or a Sunday. */
  abstract String weekend(String d);

  /** One row per day from lo to hi (a generator in the select list). */
  abstract String days(String lo, String hi);

  abstract String plusDays(String d, int n);

  /** yyyymmdd. */
  abstract String basicIsoDate(String d);

  /** Days from {@code from} to {@code to} (ChronoUnit.DAYS.between). */
  abstract String daysBetween(String from, String to);

  /** A trimmed text value, NULL when empty. */
  String text(String v) {
    return "nullif(trim(" + v + "), '')";
  }

  /** The rows of {@code from} that come first (by {@code ord}) for their {@code key}. */
  String firstBy(String key, String from) {
    return "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY " + key + " ORDER BY ord) AS rn FROM "
        + from + ") WHERE rn = 1";
  }
}
