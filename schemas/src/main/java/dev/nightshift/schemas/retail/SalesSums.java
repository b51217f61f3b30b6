package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Sales totals of a set of order lines. {@code gross} sums SALE and GUEST_PURCHASE amounts,
 * {@code returns} CANCELLATION amounts (negative), {@code nonProduct} NON_PRODUCT amounts (postage,
 * fees, manual lines: reported apart, never in gross or net). Quantities are positive: sold from
 * SALE/GUEST_PURCHASE lines, returned = -quantity of CANCELLATION lines. {@code invoices} and
 * {@code saleInvoices} (invoices with a SALE or GUEST_PURCHASE line) are counted by the second sum,
 * one per (key, invoice) group of the first. Dates are the latest (null: none); {@code label} is
 * the smallest non-empty description seen, so a product with several descriptions gets one,
 * whatever the order. All operations are commutative and associative.
 */
public record SalesSums(
    BigDecimal gross,
    BigDecimal returns,
    BigDecimal nonProduct,
    long soldQuantity,
    long returnedQuantity,
    long nonProductQuantity,
    long lines,
    long saleLines,
    long invoices,
    long saleInvoices,
    LocalDate lastSale,
    LocalDate lastDate,
    String label)
    implements Serializable {

  public static final SalesSums ZERO =
      new SalesSums(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, 0, 0, 0, 0, 0, null,
          null, "");

  /** gross + returns (returns are negative). */
  public BigDecimal net() {
    return gross.add(returns);
  }

  public SalesSums plus(SalesSums o) {
    return new SalesSums(
        gross.add(o.gross),
        returns.add(o.returns),
        nonProduct.add(o.nonProduct),
        soldQuantity + o.soldQuantity,
        returnedQuantity + o.returnedQuantity,
        nonProductQuantity + o.nonProductQuantity,
        lines + o.lines,
        saleLines + o.saleLines,
        invoices + o.invoices,
        saleInvoices + o.saleInvoices,
        max(lastSale, o.lastSale),
        max(lastDate, o.lastDate),
        minLabel(label, o.label));
  }

  /** These sums as one invoice's contribution to the second sum. */
  public SalesSums asInvoice() {
    return new SalesSums(gross, returns, nonProduct, soldQuantity, returnedQuantity,
        nonProductQuantity, lines, saleLines, 1, saleLines > 0 ? 1 : 0, lastSale, lastDate, label);
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private static String minLabel(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a.compareTo(b) <= 0 ? a : b;
  }

  public static final RecordCoder<SalesSums> CODER =
      RecordCoder.of(
          SalesSums.class,
          (s, out) ->
              out.decimal(s.gross)
                  .decimal(s.returns)
                  .decimal(s.nonProduct)
                  .lng(s.soldQuantity)
                  .lng(s.returnedQuantity)
                  .lng(s.nonProductQuantity)
                  .lng(s.lines)
                  .lng(s.saleLines)
                  .lng(s.invoices)
                  .lng(s.saleInvoices)
                  .optDate(s.lastSale)
                  .optDate(s.lastDate)
                  .str(s.label),
          in ->
              new SalesSums(in.decimal(), in.decimal(), in.decimal(), in.lng(), in.lng(), in.lng(),
                  in.lng(), in.lng(), in.lng(), in.lng(), in.optDate(), in.optDate(), in.str()));
}
