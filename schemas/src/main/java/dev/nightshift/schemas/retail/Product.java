package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/** One product of the retail catalog ({@code catalog.csv}: sku,description,unit_price; GBP). */
public record Product(String sku, String description, BigDecimal unitPrice, SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"sku", "description", "unit_price"};

  public static final RecordCoder<Product> CODER =
      RecordCoder.of(
          Product.class,
          (p, out) -> {
            out.str(p.sku).str(p.description).decimal(p.unitPrice);
            p.source.write(out);
          },
          in -> new Product(in.str(), in.str(), in.decimal(), SourceRef.read(in)));
}
