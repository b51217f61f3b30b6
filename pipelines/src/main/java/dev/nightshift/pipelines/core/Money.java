package dev.nightshift.pipelines.core;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** Money in outputs: exactly the currency's minor-unit digits (USD 2, JPY 0), never rounded here. */
public final class Money {
  private Money() {}

  /** Throws ArithmeticException if the amount has more digits than the currency: a bug upstream. */
  public static String format(BigDecimal amount, String currency) {
    return amount
        .setScale(Currency.getInstance(currency).getDefaultFractionDigits(), RoundingMode.UNNECESSARY)
        .toPlainString();
  }

  /** A USD amount of a CSV column with at most 2 decimals, normalised to exactly 2; more are refused. */
  public static BigDecimal usd(CsvRow r, String column) throws RecordException {
    BigDecimal v = r.decimal(column);
    try {
      return v.setScale(2, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new RecordException(
          Reasons.INVALID_NUMBER, "'" + column + "' has more than 2 decimals: '" + r.optText(column) + "'");
    }
  }
}
