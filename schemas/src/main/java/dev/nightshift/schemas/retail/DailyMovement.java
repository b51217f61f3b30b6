package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One row of {@code daily_movements.csv} (written by order-processing):
 * {@code business_date,store_id,sku,sold_quantity,returned_quantity}.
 */
public record DailyMovement(
    LocalDate businessDate,
    String storeId,
    String sku,
    long soldQuantity,
    long returnedQuantity,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "business_date", "store_id", "sku", "sold_quantity", "returned_quantity"
  };

  public static final RecordCoder<DailyMovement> CODER =
      RecordCoder.of(
          DailyMovement.class,
          (m, out) -> {
            out.date(m.businessDate).str(m.storeId).str(m.sku).lng(m.soldQuantity)
                .lng(m.returnedQuantity);
            m.source.write(out);
          },
          in -> new DailyMovement(in.date(), in.str(), in.str(), in.lng(), in.lng(),
              SourceRef.read(in)));
}
