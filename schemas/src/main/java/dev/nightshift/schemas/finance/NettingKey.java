package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/** The netting key: participant x security x settlement date (the currency follows the security). */
public record NettingKey(String participantId, String isin, String currency, LocalDate settlementDate)
    implements Serializable {

  public static final RecordCoder<NettingKey> CODER =
      RecordCoder.of(
          NettingKey.class,
          (k, out) -> out.str(k.participantId).str(k.isin).str(k.currency).date(k.settlementDate),
          in -> new NettingKey(in.str(), in.str(), in.str(), in.date()));
}
