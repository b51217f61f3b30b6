package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A participant's net cash in one currency for one settlement date: what it pays, what it
 * receives, the signed net (positive: the participant receives) and how many instructions it nets.
 */
public record CashPosition(
    String participantId,
    String currency,
    LocalDate settlementDate,
    BigDecimal payable,
    BigDecimal receivable,
    BigDecimal net,
    long instructions)
    implements Serializable {

  public static final RecordCoder<CashPosition> CODER =
      RecordCoder.of(
          CashPosition.class,
          (c, out) ->
              out.str(c.participantId)
                  .str(c.currency)
                  .date(c.settlementDate)
                  .decimal(c.payable)
                  .decimal(c.receivable)
                  .decimal(c.net)
                  .lng(c.instructions),
          in ->
              new CashPosition(
                  in.str(), in.str(), in.date(), in.decimal(), in.decimal(), in.decimal(), in.lng()));
}
