package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/** Debit and credit totals of a set of posted journal lines, and how many lines they sum. */
public record LedgerSums(BigDecimal debit, BigDecimal credit, long lines) implements Serializable {

  public static final LedgerSums ZERO = new LedgerSums(BigDecimal.ZERO, BigDecimal.ZERO, 0);

  public LedgerSums plus(LedgerSums o) {
    return new LedgerSums(debit.add(o.debit), credit.add(o.credit), lines + o.lines);
  }

  /** Debit minus credit: positive is a debit balance. */
  public BigDecimal balance() {
    return debit.subtract(credit);
  }

  public static final RecordCoder<LedgerSums> CODER =
      RecordCoder.of(
          LedgerSums.class,
          (s, out) -> out.decimal(s.debit).decimal(s.credit).lng(s.lines),
          in -> new LedgerSums(in.decimal(), in.decimal(), in.lng()));
}
