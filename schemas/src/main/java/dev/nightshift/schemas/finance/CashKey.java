package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/** The cash netting key: participant x currency x settlement date. */
public record CashKey(String participantId, String currency, LocalDate settlementDate)
    implements Serializable {

  public static final RecordCoder<CashKey> CODER =
      RecordCoder.of(
          CashKey.class,
          (k, out) -> out.str(k.participantId).str(k.currency).date(k.settlementDate),
          in -> new CashKey(in.str(), in.str(), in.date()));
}
