package dev.nightshift.pipelines.core;

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
}
