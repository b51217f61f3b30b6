package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The running total of one invoice's lines. Customer, country and time are those of the invoice's
 * earliest line (by time, then source file and line), so the sum does not depend on the order in
 * which lines are added. {@link #ZERO} (no lines) is the identity of {@link #plus}.
 */
public record InvoiceTotal(
    String customerId,
    String country,
    LocalDateTime invoiceTime,
    String firstFile,
    long firstLine,
    long lines,
    long productLines,
    long quantity,
    BigDecimal amount)
    implements Serializable {

  public static final InvoiceTotal ZERO =
      new InvoiceTotal("", "", LocalDate.EPOCH.atStartOfDay(), "", 0, 0, 0, 0, BigDecimal.ZERO);

  public static InvoiceTotal of(ClassifiedLine c) {
    OrderLine l = c.line();
    return new InvoiceTotal(l.customerId(), l.country(), l.invoiceTime(), l.source().file(),
        l.source().line(), 1, ClassifiedLine.NON_PRODUCT.equals(c.lineType()) ? 0 : 1,
        l.quantity(), c.amount());
  }

  private boolean before(InvoiceTotal o) {
    int c = invoiceTime.compareTo(o.invoiceTime);
    if (c == 0) {
      c = firstFile.compareTo(o.firstFile);
    }
    return c != 0 ? c < 0 : firstLine <= o.firstLine;
  }

  public InvoiceTotal plus(InvoiceTotal o) {
    if (lines == 0) {
      return o;
    }
    if (o.lines == 0) {
      return this;
    }
    InvoiceTotal first = before(o) ? this : o;
    return new InvoiceTotal(first.customerId, first.country, first.invoiceTime, first.firstFile,
        first.firstLine, lines + o.lines, productLines + o.productLines, quantity + o.quantity,
        amount.add(o.amount));
  }

  public static final RecordCoder<InvoiceTotal> CODER =
      RecordCoder.of(
          InvoiceTotal.class,
          (t, out) ->
              out.str(t.customerId)
                  .str(t.country)
                  .date(t.invoiceTime.toLocalDate())
                  .time(t.invoiceTime.toLocalTime())
                  .str(t.firstFile)
                  .lng(t.firstLine)
                  .lng(t.lines)
                  .lng(t.productLines)
                  .lng(t.quantity)
                  .decimal(t.amount),
          in ->
              new InvoiceTotal(in.str(), in.str(), LocalDateTime.of(in.date(), in.time()), in.str(),
                  in.lng(), in.lng(), in.lng(), in.lng(), in.decimal()));
}
