package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One movement read from a trade-settlement output for end-of-day positions: a signed securities
 * quantity of an ISIN (from an instruction: RECEIVE +, DELIVER -) or a signed cash amount in a
 * currency (from a cash position's net), for one participant and settlement date.
 */
public record EodEntry(
    String participantId,
    String assetClass,
    String asset,
    LocalDate settlementDate,
    BigDecimal amount,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String SECURITY = "SECURITY";
  public static final String CASH = "CASH";

  public static final RecordCoder<EodEntry> CODER =
      RecordCoder.of(
          EodEntry.class,
          (e, out) -> {
            out.str(e.participantId).str(e.assetClass).str(e.asset).date(e.settlementDate)
                .decimal(e.amount);
            e.source.write(out);
          },
          in -> new EodEntry(in.str(), in.str(), in.str(), in.date(), in.decimal(), SourceRef.read(in)));
}
