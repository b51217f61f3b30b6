package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/** One goods receipt ({@code receipts.csv}): {@code receipt_id,business_date,store_id,sku,quantity}. */
public record GoodsReceipt(
    String receiptId,
    LocalDate businessDate,
    String storeId,
    String sku,
    long quantity,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"receipt_id", "business_date", "store_id", "sku", "quantity"};

  public static final RecordCoder<GoodsReceipt> CODER =
      RecordCoder.of(
          GoodsReceipt.class,
          (r, out) -> {
            out.str(r.receiptId).date(r.businessDate).str(r.storeId).str(r.sku).lng(r.quantity);
            r.source.write(out);
          },
          in -> new GoodsReceipt(in.str(), in.date(), in.str(), in.str(), in.lng(), SourceRef.read(in)));
}
