package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * One row of the UCI Online Retail CSV
 * ({@code InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country}),
 * typed and validated. {@code customerId} is the digits only ("17850.0" is "17850"), "" for a guest.
 * {@code description} may be empty (UCI has such rows, mostly zero-price adjustments).
 */
public record OrderLine(
    String invoiceNo,
    String stockCode,
    String description,
    long quantity,
    LocalDateTime invoiceTime,
    BigDecimal unitPrice,
    String customerId,
    String country,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID",
    "Country"
  };

  /** A cancellation invoice: its number starts with C. */
  public boolean cancellation() {
    return invoiceNo.startsWith("C");
  }

  public boolean guest() {
    return customerId.isEmpty();
  }

  public static final RecordCoder<OrderLine> CODER =
      RecordCoder.of(
          OrderLine.class,
          (o, out) -> {
            out.str(o.invoiceNo)
                .str(o.stockCode)
                .str(o.description)
                .lng(o.quantity)
                .date(o.invoiceTime.toLocalDate())
                .time(o.invoiceTime.toLocalTime())
                .decimal(o.unitPrice)
                .str(o.customerId)
                .str(o.country);
            o.source.write(out);
          },
          in ->
              new OrderLine(
                  in.str(),
                  in.str(),
                  in.str(),
                  in.lng(),
                  LocalDateTime.of(in.date(), in.time()),
                  in.decimal(),
                  in.str(),
                  in.str(),
                  SourceRef.read(in)));
}
