package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * One classified order line, as written by {@code order-processing} to {@code order_lines.csv}
 * (see the retail file contract). {@code customerId} is empty for guests; {@code amount} is signed
 * (cancellations negative).
 */
public record SalesLine(
    String invoiceNo,
    long lineNo,
    String stockCode,
    String description,
    long quantity,
    BigDecimal unitPrice,
    BigDecimal amount,
    LocalDateTime invoiceTime,
    String customerId,
    String country,
    String lineType,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String SALE = "SALE";
  public static final String CANCELLATION = "CANCELLATION";
  public static final String NON_PRODUCT = "NON_PRODUCT";
  public static final String GUEST_PURCHASE = "GUEST_PURCHASE";

  public static final String[] COLUMNS = {
    "invoice_no", "line_no", "stock_code", "description", "quantity", "unit_price", "amount",
    "invoice_time", "customer_id", "country", "line_type"
  };

  public boolean isGuest() {
    return customerId.isEmpty();
  }

  public LocalDate invoiceDate() {
    return invoiceTime.toLocalDate();
  }

  public static final RecordCoder<SalesLine> CODER =
      RecordCoder.of(
          SalesLine.class,
          (l, out) -> {
            out.str(l.invoiceNo)
                .lng(l.lineNo)
                .str(l.stockCode)
                .str(l.description)
                .lng(l.quantity)
                .decimal(l.unitPrice)
                .decimal(l.amount)
                .date(l.invoiceTime.toLocalDate())
                .time(l.invoiceTime.toLocalTime())
                .str(l.customerId)
                .str(l.country)
                .str(l.lineType);
            l.source.write(out);
          },
          in -> {
            String invoiceNo = in.str();
            long lineNo = in.lng();
            String stockCode = in.str();
            String description = in.str();
            long quantity = in.lng();
            BigDecimal unitPrice = in.decimal();
            BigDecimal amount = in.decimal();
            LocalDate date = in.date();
            LocalTime time = in.time();
            return new SalesLine(invoiceNo, lineNo, stockCode, description, quantity, unitPrice,
                amount, LocalDateTime.of(date, time), in.str(), in.str(), in.str(), SourceRef.read(in));
          });
}
