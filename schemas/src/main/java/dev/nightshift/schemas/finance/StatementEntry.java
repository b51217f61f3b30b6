package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One booked entry of a bank statement (camt.053 {@code Ntry} or MT940 {@code :61:} with its
 * {@code :86:}). {@code amount} is signed: credit +, debit -. {@code endToEndId} and
 * {@code bankReference} (camt {@code AcctSvcrRef}, MT940 reference after {@code //}) are {@code ""}
 * when absent. {@code details} lists the transactions of a batched camt entry (more than one
 * {@code TxDtls}); it is empty otherwise. The statement is {@code statementId} of the same file.
 */
public record StatementEntry(
    String statementId,
    String account,
    String currency,
    LocalDate bookingDate,
    LocalDate valueDate,
    BigDecimal amount,
    String endToEndId,
    String bankReference,
    String description,
    List<BatchDetail> details,
    SourceRef source)
    implements Sourced, Serializable {

  public StatementEntry {
    details = List.copyOf(details);
  }

  public static final RecordCoder<StatementEntry> CODER =
      RecordCoder.of(
          StatementEntry.class,
          (e, out) -> {
            out.str(e.statementId)
                .str(e.account)
                .str(e.currency)
                .date(e.bookingDate)
                .date(e.valueDate)
                .decimal(e.amount)
                .str(e.endToEndId)
                .str(e.bankReference)
                .str(e.description);
            BatchDetail.writeList(e.details, out);
            e.source.write(out);
          },
          in ->
              new StatementEntry(
                  in.str(),
                  in.str(),
                  in.str(),
                  in.date(),
                  in.date(),
                  in.decimal(),
                  in.str(),
                  in.str(),
                  in.str(),
                  BatchDetail.readList(in),
                  SourceRef.read(in)));
}
