package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/** Revenue and expenses (reporting currency) of a set of P&L lines, and how many lines they sum. */
public record PnlSums(BigDecimal revenue, BigDecimal expenses, long lines) implements Serializable {

  public static final PnlSums ZERO = new PnlSums(BigDecimal.ZERO, BigDecimal.ZERO, 0);

  public PnlSums plus(PnlSums o) {
    return new PnlSums(revenue.add(o.revenue), expenses.add(o.expenses), lines + o.lines);
  }

  public BigDecimal pnl() {
    return revenue.subtract(expenses);
  }

  public static final RecordCoder<PnlSums> CODER =
      RecordCoder.of(
          PnlSums.class,
          (s, out) -> out.decimal(s.revenue).decimal(s.expenses).lng(s.lines),
          in -> new PnlSums(in.decimal(), in.decimal(), in.lng()));
}
