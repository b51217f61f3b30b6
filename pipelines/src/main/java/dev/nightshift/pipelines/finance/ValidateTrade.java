package dev.nightshift.pipelines.finance;

import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Participant;
import dev.nightshift.schemas.finance.Security;
import dev.nightshift.schemas.finance.SettlementTrade;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.RecordException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Validates a trade against the reference data and the business date, and prepares it for
 * settlement. The checks run in a fixed order and the first failure is the dead letter's reason:
 * ISIN format, ISIN check digit, known security, known accounts, distinct accounts, positive
 * quantity, positive price, the security's currency, trade date not after the business date.
 */
final class ValidateTrade extends FailsafeFn<Trade, SettlementTrade> {
  private final LocalDate businessDate;
  private final PCollectionView<Map<String, Security>> securities;
  private final PCollectionView<Map<String, Participant>> accounts;
  private final PCollectionView<SettlementCalendar> calendar;

  ValidateTrade(
      LocalDate businessDate,
      PCollectionView<Map<String, Security>> securities,
      PCollectionView<Map<String, Participant>> accounts,
      PCollectionView<SettlementCalendar> calendar) {
    this.businessDate = businessDate;
    this.securities = securities;
    this.accounts = accounts;
    this.calendar = calendar;
  }

  // Side inputs, read once per bundle: every lookup through the runner's side-input reader can
  // rebuild the map (the Direct Runner re-indexes it on each call).
  private transient Map<String, Security> securityByIsin;
  private transient Map<String, Participant> participantByAccount;
  private transient SettlementCalendar settlementCalendar;

  @Override
  protected void bundleStarted() {
    securityByIsin = null;
    participantByAccount = null;
    settlementCalendar = null;
  }

  @Override
  protected SettlementTrade apply(Trade t, ProcessContext c) throws RecordException {
    if (securityByIsin == null) {
      securityByIsin = c.sideInput(securities);
      participantByAccount = c.sideInput(accounts);
      settlementCalendar = c.sideInput(calendar);
    }
    if (!Isin.hasValidFormat(t.isin())) {
      throw new RecordException(
          FinanceReasons.INVALID_ISIN_FORMAT,
          "'" + t.isin() + "' is not an ISIN (2 letters, 9 alphanumerics, 1 digit)");
    }
    if (!Isin.hasValidCheckDigit(t.isin())) {
      throw new RecordException(
          FinanceReasons.INVALID_ISIN_CHECK_DIGIT, "'" + t.isin() + "' has a wrong check digit");
    }
    Security security = securityByIsin.get(t.isin());
    if (security == null) {
      throw new RecordException(
          FinanceReasons.UNKNOWN_SECURITY, "'" + t.isin() + "' is not in the securities reference");
    }
    Map<String, Participant> byAccount = participantByAccount;
    Participant buyer = byAccount.get(t.buyerAccount());
    Participant seller = byAccount.get(t.sellerAccount());
    if (buyer == null || seller == null) {
      throw new RecordException(
          FinanceReasons.UNKNOWN_ACCOUNT,
          "unknown securities account '" + (buyer == null ? t.buyerAccount() : t.sellerAccount()) + "'");
    }
    if (t.buyerAccount().equals(t.sellerAccount())) {
      throw new RecordException(
          FinanceReasons.SELF_TRADE, "buyer and seller are the same account '" + t.buyerAccount() + "'");
    }
    if (t.quantity() <= 0) {
      throw new RecordException(
          FinanceReasons.NON_POSITIVE_QUANTITY, "quantity " + t.quantity() + " is not positive");
    }
    if (t.price().signum() <= 0) {
      throw new RecordException(
          FinanceReasons.NON_POSITIVE_PRICE, "price " + t.price().toPlainString() + " is not positive");
    }
    if (!t.currency().equals(security.currency())) {
      throw new RecordException(
          FinanceReasons.CURRENCY_MISMATCH,
          "trade currency " + t.currency() + " but " + t.isin() + " trades in " + security.currency());
    }
    if (t.tradeDate().isAfter(businessDate)) {
      throw new RecordException(
          FinanceReasons.TRADE_DATE_AFTER_BUSINESS_DATE,
          "trade date " + t.tradeDate() + " is after the business date " + businessDate);
    }
    LocalDate settlementDate = settlementCalendar.settlementDate(security.market(), t.tradeDate());
    return new SettlementTrade(
        t,
        security.market(),
        settlementDate,
        buyer.participantId(),
        seller.participantId(),
        amount(t.quantity(), t.price(), t.currency()));
  }

  /** quantity x price, rounded half-even to the currency's minor unit. */
  static BigDecimal amount(long quantity, BigDecimal price, String currency) {
    return price
        .multiply(BigDecimal.valueOf(quantity))
        .setScale(Currency.getInstance(currency).getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
  }
}
