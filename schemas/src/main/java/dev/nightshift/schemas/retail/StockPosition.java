package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * The end of day of one store x SKU: start of day, the day's sales, returns and receipts, and
 * {@code onHandEod = onHandSod - sold + returned + received} (negative when more was sold than
 * held). {@code known} is false for a pair that had no start-of-day snapshot row.
 */
public record StockPosition(
    String storeId,
    String sku,
    boolean known,
    long onHandSod,
    long sold,
    long returned,
    long received,
    long onHandEod,
    long reorderPoint,
    long reorderQuantity)
    implements Serializable {

  public static final RecordCoder<StockPosition> CODER =
      RecordCoder.of(
          StockPosition.class,
          (p, out) ->
              out.str(p.storeId).str(p.sku).bool(p.known).lng(p.onHandSod).lng(p.sold)
                  .lng(p.returned).lng(p.received).lng(p.onHandEod).lng(p.reorderPoint)
                  .lng(p.reorderQuantity),
          in -> new StockPosition(in.str(), in.str(), in.bool(), in.lng(), in.lng(), in.lng(),
              in.lng(), in.lng(), in.lng(), in.lng()));
}
