package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A delivery-versus-payment instruction: the net of all of a participant's trade legs in one
 * security for one settlement date. {@code direction} says what happens to the securities
 * (DELIVER, RECEIVE, or NONE when buys and sells cancel out), {@code paymentDirection} what happens
 * to the cash (PAY, RECEIVE or NONE). Quantities and amounts are absolute values.
 */
public record SettlementInstruction(
    String instructionId,
    String participantId,
    String isin,
    String currency,
    LocalDate settlementDate,
    Direction direction,
    long quantity,
    Direction paymentDirection,
    BigDecimal cashAmount,
    long boughtQuantity,
    long soldQuantity,
    long legs)
    implements Serializable {

  /** Movement of securities or cash from the participant's point of view. */
  public enum Direction {
    DELIVER,
    RECEIVE,
    PAY,
    NONE
  }

  /** Signed net quantity: positive when the participant receives securities. */
  public long netQuantity() {
    return direction == Direction.DELIVER ? -quantity : quantity;
  }

  /** Signed net cash: positive when the participant receives cash. */
  public BigDecimal netCash() {
    return paymentDirection == Direction.PAY ? cashAmount.negate() : cashAmount;
  }

  public static final RecordCoder<SettlementInstruction> CODER =
      RecordCoder.of(
          SettlementInstruction.class,
          (s, out) ->
              out.str(s.instructionId)
                  .str(s.participantId)
                  .str(s.isin)
                  .str(s.currency)
                  .date(s.settlementDate)
                  .enumName(s.direction)
                  .lng(s.quantity)
                  .enumName(s.paymentDirection)
                  .decimal(s.cashAmount)
                  .lng(s.boughtQuantity)
                  .lng(s.soldQuantity)
                  .lng(s.legs),
          in ->
              new SettlementInstruction(
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.date(),
                  in.enumName(Direction.class),
                  in.lng(),
                  in.enumName(Direction.class),
                  in.decimal(),
                  in.lng(),
                  in.lng(),
                  in.lng()));
}
