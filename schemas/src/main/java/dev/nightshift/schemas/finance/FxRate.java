package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/** One FX rate of {@code fx_rates.csv}: 1 unit of {@code from} is {@code rate} units of {@code to}. */
public record FxRate(
    LocalDate date, String fromCurrency, String toCurrency, BigDecimal rate, SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"date", "from_currency", "to_currency", "rate"};

  /** The side-input key of a rate: {@code date|from|to}. */
  public static String key(LocalDate date, String from, String to) {
    return date + "|" + from + "|" + to;
  }

  public String key() {
    return key(date, fromCurrency, toCurrency);
  }

  public static final RecordCoder<FxRate> CODER =
      RecordCoder.of(
          FxRate.class,
          (r, out) -> {
            out.date(r.date).str(r.fromCurrency).str(r.toCurrency).decimal(r.rate);
            r.source.write(out);
          },
          in -> new FxRate(in.date(), in.str(), in.str(), in.decimal(), SourceRef.read(in)));
}
