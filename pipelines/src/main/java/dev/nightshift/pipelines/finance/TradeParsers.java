package dev.nightshift.pipelines.finance;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Market;
import dev.nightshift.schemas.finance.MarketHoliday;
import dev.nightshift.schemas.finance.Participant;
import dev.nightshift.schemas.finance.Security;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;

/** CSV parsers for the settlement inputs: types only; business rules live in the validator. */
final class TradeParsers {
  private TradeParsers() {}

  static final CsvRecordParser<Trade> TRADES =
      CsvRecordParser.of(
          Trade.COLUMNS,
          row ->
              new Trade(
                  row.text("trade_id"),
                  row.date("trade_date"),
                  row.time("trade_time"),
                  row.text("isin"),
                  row.quantity("quantity"),
                  row.decimal("price"),
                  row.text("currency"),
                  row.text("buyer_account"),
                  row.text("seller_account"),
                  row.source()));

  static final CsvRecordParser<Security> SECURITIES =
      CsvRecordParser.of(
          Security.COLUMNS,
          row -> {
            String isin = row.text("isin");
            if (!Isin.hasValidFormat(isin)) {
              throw new RecordException(
                  FinanceReasons.INVALID_ISIN_FORMAT, "'" + isin + "' is not an ISIN");
            }
            if (!Isin.hasValidCheckDigit(isin)) {
              throw new RecordException(
                  FinanceReasons.INVALID_ISIN_CHECK_DIGIT, "'" + isin + "' has a wrong check digit");
            }
            return new Security(
                isin, row.text("name"), currency(row), market(row.text("market")), row.source());
          });

  static final CsvRecordParser<Participant> PARTICIPANTS =
      CsvRecordParser.of(
          Participant.COLUMNS,
          row ->
              new Participant(
                  row.text("participant_id"),
                  row.text("name"),
                  row.optText("lei"),
                  row.text("securities_account"),
                  row.text("cash_account"),
                  row.source()));

  static final CsvRecordParser<MarketHoliday> HOLIDAYS =
      CsvRecordParser.of(
          MarketHoliday.COLUMNS,
          row ->
              new MarketHoliday(
                  market(row.text("market")), row.date("date"), row.optText("name"), row.source()));

  static Market market(String mic) throws RecordException {
    return Market.of(mic)
        .orElseThrow(
            () ->
                new RecordException(
                    FinanceReasons.UNKNOWN_MARKET, "market '" + mic + "' is not settled here"));
  }

  static String currency(CsvRow row) throws RecordException {
    String code = row.text("currency");
    try {
      java.util.Currency.getInstance(code);
      return code;
    } catch (IllegalArgumentException e) {
      throw new RecordException(Reasons.INVALID_VALUE, "'" + code + "' is not an ISO 4217 currency");
    }
  }
}
