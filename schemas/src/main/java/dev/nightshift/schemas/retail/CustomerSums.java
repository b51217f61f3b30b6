package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * One customer's order history summed over invoices: first and last invoice time, sale invoices,
 * cancellation invoices, lines, net quantity and net amount. {@link #ZERO} is the identity.
 */
public record CustomerSums(
    LocalDateTime first,
    LocalDateTime last,
    long invoices,
    long cancellations,
    long lines,
    long quantity,
    BigDecimal amount)
    implements Serializable {

  private static final LocalDateTime NONE = LocalDate.EPOCH.atStartOfDay();
  public static final CustomerSums ZERO = new CustomerSums(NONE, NONE, 0, 0, 0, 0, BigDecimal.ZERO);

  public CustomerSums plus(CustomerSums o) {
    if (invoices + cancellations == 0) {
      return o;
    }
    if (o.invoices + o.cancellations == 0) {
      return this;
    }
    return new CustomerSums(
        first.isBefore(o.first) ? first : o.first,
        last.isAfter(o.last) ? last : o.last,
        invoices + o.invoices,
        cancellations + o.cancellations,
        lines + o.lines,
        quantity + o.quantity,
        amount.add(o.amount));
  }

  public static final RecordCoder<CustomerSums> CODER =
      RecordCoder.of(
          CustomerSums.class,
          (s, out) ->
              out.date(s.first.toLocalDate())
                  .time(s.first.toLocalTime())
                  .date(s.last.toLocalDate())
                  .time(s.last.toLocalTime())
                  .lng(s.invoices)
                  .lng(s.cancellations)
                  .lng(s.lines)
                  .lng(s.quantity)
                  .decimal(s.amount),
          in ->
              new CustomerSums(LocalDateTime.of(in.date(), in.time()),
                  LocalDateTime.of(in.date(), in.time()), in.lng(), in.lng(), in.lng(), in.lng(),
                  in.decimal()));
}
