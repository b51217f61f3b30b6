package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/** The inventory key: store x SKU. */
public record StockKey(String storeId, String sku) implements Serializable {

  public static final RecordCoder<StockKey> CODER =
      RecordCoder.of(
          StockKey.class,
          (k, out) -> out.str(k.storeId).str(k.sku),
          in -> new StockKey(in.str(), in.str()));
}
