package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/** Units sold and returned (both positive) of one SKU, and the order lines they came from, summed; {@link #ZERO} is the identity. */
public record StockMovement(long sold, long returned, long lines) implements Serializable {

  public static final StockMovement ZERO = new StockMovement(0, 0, 0);

  public StockMovement plus(StockMovement o) {
    return new StockMovement(sold + o.sold, returned + o.returned, lines + o.lines);
  }

  public static final RecordCoder<StockMovement> CODER =
      RecordCoder.of(
          StockMovement.class,
          (m, out) -> out.lng(m.sold).lng(m.returned).lng(m.lines),
          in -> new StockMovement(in.lng(), in.lng(), in.lng()));
}
