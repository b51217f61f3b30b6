package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/** A signed position and the number of movements it sums. */
public record PositionSum(BigDecimal amount, long entries) implements Serializable {

  public static final PositionSum ZERO = new PositionSum(BigDecimal.ZERO, 0);

  public PositionSum plus(PositionSum o) {
    return new PositionSum(amount.add(o.amount), entries + o.entries);
  }

  public static final RecordCoder<PositionSum> CODER =
      RecordCoder.of(
          PositionSum.class,
          (s, out) -> out.decimal(s.amount).lng(s.entries),
          in -> new PositionSum(in.decimal(), in.lng()));
}
