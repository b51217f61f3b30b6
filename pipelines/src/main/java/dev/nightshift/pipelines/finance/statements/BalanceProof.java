package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.schemas.finance.BankStatement;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The two checks a statement's balances allow, without any other data: a statement adds up
 * (opening + sum of entries = closing), and consecutive statements of an account chain (each
 * opening equals the previous closing; a difference means a statement is missing or wrong).
 * Amounts are compared by value, so 27.0 equals 27.00.
 */
public final class BalanceProof {
  private BalanceProof() {}

  /** Order for {@link #gaps}: opening date, closing date, then statement id. */
  public static final Comparator<BankStatement> CHAIN_ORDER =
      Comparator.comparing(BankStatement::openingDate)
          .thenComparing(BankStatement::closingDate)
          .thenComparing(BankStatement::statementId);

  /** opening + entriesTotal - closing: zero when the statement adds up. */
  public static BigDecimal difference(BankStatement s) {
    return s.opening().add(s.entriesTotal()).subtract(s.closing());
  }

  public static boolean balances(BankStatement s) {
    return difference(s).signum() == 0;
  }

  /** Two consecutive statements whose opening is not the previous closing. */
  public record Gap(
      String account,
      String currency,
      String previousStatementId,
      LocalDate previousClosingDate,
      BigDecimal previousClosing,
      String statementId,
      LocalDate openingDate,
      BigDecimal opening)
      implements Serializable {

    /** opening - previous closing: what the missing or wrong statements would have to explain. */
    public BigDecimal difference() {
      return opening.subtract(previousClosing);
    }
  }

  /**
   * The gaps in a list of statements of one account and currency, already in
   * {@link #CHAIN_ORDER}; empty when every opening equals the previous closing.
   *
   * @throws IllegalArgumentException when the statements mix accounts or currencies
   */
  public static List<Gap> gaps(List<BankStatement> sorted) {
    List<Gap> gaps = new ArrayList<>();
    BankStatement previous = null;
    for (BankStatement s : sorted) {
      if (previous != null) {
        if (!s.account().equals(previous.account()) || !s.currency().equals(previous.currency())) {
          throw new IllegalArgumentException(
              "statements of several accounts: " + previous.account() + " " + previous.currency()
                  + " and " + s.account() + " " + s.currency());
        }
        if (s.opening().compareTo(previous.closing()) != 0) {
          gaps.add(
              new Gap(
                  s.account(), s.currency(), previous.statementId(), previous.closingDate(),
                  previous.closing(), s.statementId(), s.openingDate(), s.opening()));
        }
      }
      previous = s;
    }
    return gaps;
  }
}
