package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * One executed trade between a buyer's and a seller's securities account, as read from the trades
 * file ({@code trade_id,trade_date,trade_time,isin,quantity,price,currency,buyer_account,seller_account}).
 * Parsed but not yet validated: quantity and price may still be out of range.
 */
public record Trade(
    String tradeId,
    LocalDate tradeDate,
    LocalTime tradeTime,
    String isin,
    long quantity,
    BigDecimal price,
    String currency,
    String buyerAccount,
    String sellerAccount,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "trade_id", "trade_date", "trade_time", "isin", "quantity", "price", "currency",
    "buyer_account", "seller_account"
  };

  public static final RecordCoder<Trade> CODER =
      RecordCoder.of(
          Trade.class,
          (t, out) -> {
            out.str(t.tradeId)
                .date(t.tradeDate)
                .time(t.tradeTime)
                .str(t.isin)
                .lng(t.quantity)
                .decimal(t.price)
                .str(t.currency)
                .str(t.buyerAccount)
                .str(t.sellerAccount);
            t.source.write(out);
          },
          in ->
              new Trade(
                  in.str(),
                  in.date(),
                  in.time(),
                  in.str(),
                  in.lng(),
                  in.decimal(),
                  in.str(),
                  in.str(),
                  in.str(),
                  SourceRef.read(in)));
}
