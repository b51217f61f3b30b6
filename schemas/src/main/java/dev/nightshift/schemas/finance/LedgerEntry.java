package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A line of the internal cash ledger, reconciled against bank statements
 * ({@code ledger_id,account,currency,booking_date,value_date,amount,end_to_end_id,reference,description};
 * amount signed, credit positive, as on the statement).
 */
public record LedgerEntry(
    String ledgerId,
    String account,
    String currency,
    LocalDate bookingDate,
    LocalDate valueDate,
    BigDecimal amount,
    String endToEndId,
    String reference,
    String description,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "ledger_id", "account", "currency", "booking_date", "value_date", "amount", "end_to_end_id",
    "reference", "description"
  };

  public static final RecordCoder<LedgerEntry> CODER =
      RecordCoder.of(
          LedgerEntry.class,
          (l, out) -> {
            out.str(l.ledgerId)
                .str(l.account)
                .str(l.currency)
                .date(l.bookingDate)
                .date(l.valueDate)
                .decimal(l.amount)
                .str(l.endToEndId)
                .str(l.reference)
                .str(l.description);
            l.source.write(out);
          },
          in ->
              new LedgerEntry(
                  in.str(), in.str(), in.str(), in.date(), in.date(), in.decimal(), in.str(),
                  in.str(), in.str(), SourceRef.read(in)));
}
