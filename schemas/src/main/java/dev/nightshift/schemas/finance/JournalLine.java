package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One general-ledger journal posting line, as read from {@code journals.csv}. A line whose fields
 * do not parse is still a record (its journal must be refused whole, so the line has to reach its
 * journal): the unparsed fields are {@code null} and {@code errorReason}/{@code errorMessage} say
 * why. Only a line without a journal id is refused by the reader alone.
 */
public record JournalLine(
    String journalId,
    String lineNo,
    String legalEntity,
    String account,
    String desk,
    LocalDate postingDate,
    String currency,
    BigDecimal debit,
    BigDecimal credit,
    String description,
    String errorReason,
    String errorMessage,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "journal_id", "line_no", "legal_entity", "account", "desk", "posting_date", "currency",
    "debit", "credit", "description"
  };

  public boolean parsed() {
    return errorReason == null;
  }

  public static final RecordCoder<JournalLine> CODER =
      RecordCoder.of(
          JournalLine.class,
          (l, out) -> {
            out.str(l.journalId)
                .str(l.lineNo)
                .str(l.legalEntity)
                .str(l.account)
                .str(l.desk)
                .optDate(l.postingDate)
                .str(l.currency)
                .optDecimal(l.debit)
                .optDecimal(l.credit)
                .str(l.description)
                .optStr(l.errorReason)
                .optStr(l.errorMessage);
            l.source.write(out);
          },
          in ->
              new JournalLine(
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.optDate(),
                  in.str(),
                  in.optDecimal(),
                  in.optDecimal(),
                  in.str(),
                  in.optStr(),
                  in.optStr(),
                  SourceRef.read(in)));
}
