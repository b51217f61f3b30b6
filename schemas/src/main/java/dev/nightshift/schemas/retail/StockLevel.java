package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One row of an inventory snapshot ({@code snapshot.csv}): the stock of a store x SKU at the end of
 * {@code snapshotDate}, with its reorder point and reorder quantity. {@code onHand} may be negative
 * (more was sold than the books held).
 */
public record StockLevel(
    LocalDate snapshotDate,
    String storeId,
    String sku,
    long onHand,
    long reorderPoint,
    long reorderQuantity,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "snapshot_date", "store_id", "sku", "on_hand", "reorder_point", "reorder_quantity"
  };

  public static final RecordCoder<StockLevel> CODER =
      RecordCoder.of(
          StockLevel.class,
          (s, out) -> {
            out.date(s.snapshotDate).str(s.storeId).str(s.sku).lng(s.onHand).lng(s.reorderPoint)
                .lng(s.reorderQuantity);
            s.source.write(out);
          },
          in -> new StockLevel(in.date(), in.str(), in.str(), in.lng(), in.lng(), in.lng(),
              SourceRef.read(in)));
}
