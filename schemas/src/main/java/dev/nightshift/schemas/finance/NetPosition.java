package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Gross sums of trade legs for one netting key: quantity bought and sold, cash paid and received,
 * and the number of legs. A single leg is a NetPosition with legs = 1; netting adds them up.
 */
public record NetPosition(long bought, long sold, BigDecimal paid, BigDecimal received, long legs)
    implements Serializable {

  public static final NetPosition ZERO = new NetPosition(0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0);

  public static NetPosition buy(long quantity, BigDecimal amount) {
    return new NetPosition(quantity, 0, amount, BigDecimal.ZERO, 1);
  }

  public static NetPosition sell(long quantity, BigDecimal amount) {
    return new NetPosition(0, quantity, BigDecimal.ZERO, amount, 1);
  }

  public NetPosition plus(NetPosition o) {
    return new NetPosition(
        Math.addExact(bought, o.bought),
        Math.addExact(sold, o.sold),
        paid.add(o.paid),
        received.add(o.received),
        legs + o.legs);
  }

  public static final RecordCoder<NetPosition> CODER =
      RecordCoder.of(
          NetPosition.class,
          (n, out) -> out.lng(n.bought).lng(n.sold).decimal(n.paid).decimal(n.received).lng(n.legs),
          in -> new NetPosition(in.lng(), in.lng(), in.decimal(), in.decimal(), in.lng()));
}
