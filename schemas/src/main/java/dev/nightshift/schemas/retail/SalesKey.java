package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * Aggregation key of the sales report: a dimension (day, hour, country, product, ...), its value,
 * and the invoice number in the first of the two sums (which counts distinct invoices); the
 * invoice is empty in the second.
 */
public record SalesKey(String dimension, String value, String invoice) implements Serializable {

  public SalesKey withoutInvoice() {
    return new SalesKey(dimension, value, "");
  }

  public static final RecordCoder<SalesKey> CODER =
      RecordCoder.of(
          SalesKey.class,
          (k, out) -> out.str(k.dimension).str(k.value).str(k.invoice),
          in -> new SalesKey(in.str(), in.str(), in.str()));
}
