package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A validated trade, enriched for settlement: the participants behind both accounts, the market,
 * the settlement date and the settlement amount (quantity x price, rounded to the currency's minor
 * unit, half-even).
 */
public record SettlementTrade(
    Trade trade,
    Market market,
    LocalDate settlementDate,
    String buyerParticipant,
    String sellerParticipant,
    BigDecimal amount)
    implements Sourced, Serializable {

  public static final RecordCoder<SettlementTrade> CODER =
      RecordCoder.of(
          SettlementTrade.class,
          (s, out) ->
              out.with(Trade.CODER, s.trade)
                  .enumName(s.market)
                  .date(s.settlementDate)
                  .str(s.buyerParticipant)
                  .str(s.sellerParticipant)
                  .decimal(s.amount),
          in ->
              new SettlementTrade(
                  in.with(Trade.CODER),
                  in.enumName(Market.class),
                  in.date(),
                  in.str(),
                  in.str(),
                  in.decimal()));

  @Override
  public SourceRef source() {
    return trade.source();
  }
}
