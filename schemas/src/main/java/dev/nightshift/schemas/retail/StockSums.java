package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * What one store x SKU gathers in a day, summed from its snapshot row (at most one: the snapshot is
 * de-duplicated on store x SKU before), its movement rows and its receipt rows. The row counts let
 * the audit prove every input row was consumed exactly once.
 */
public record StockSums(
    long snapshotRows,
    long onHand,
    long reorderPoint,
    long reorderQuantity,
    long sold,
    long returned,
    long received,
    long movementRows,
    long receiptRows)
    implements Serializable {

  public static final StockSums ZERO = new StockSums(0, 0, 0, 0, 0, 0, 0, 0, 0);

  public static StockSums snapshot(long onHand, long reorderPoint, long reorderQuantity) {
    return new StockSums(1, onHand, reorderPoint, reorderQuantity, 0, 0, 0, 0, 0);
  }

  public static StockSums movement(long sold, long returned) {
    return new StockSums(0, 0, 0, 0, sold, returned, 0, 1, 0);
  }

  public static StockSums receipt(long quantity) {
    return new StockSums(0, 0, 0, 0, 0, 0, quantity, 0, 1);
  }

  public StockSums plus(StockSums o) {
    return new StockSums(
        snapshotRows + o.snapshotRows,
        onHand + o.onHand,
        reorderPoint + o.reorderPoint,
        reorderQuantity + o.reorderQuantity,
        sold + o.sold,
        returned + o.returned,
        received + o.received,
        movementRows + o.movementRows,
        receiptRows + o.receiptRows);
  }

  public static final RecordCoder<StockSums> CODER =
      RecordCoder.of(
          StockSums.class,
          (s, out) ->
              out.lng(s.snapshotRows).lng(s.onHand).lng(s.reorderPoint).lng(s.reorderQuantity)
                  .lng(s.sold).lng(s.returned).lng(s.received).lng(s.movementRows).lng(s.receiptRows),
          in -> new StockSums(in.lng(), in.lng(), in.lng(), in.lng(), in.lng(), in.lng(), in.lng(),
              in.lng(), in.lng()));
}
