package dev.nightshift.pipelines.finance.recon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nightshift.pipelines.finance.recon.ReconMatcher.BankItem;
import dev.nightshift.pipelines.finance.recon.ReconMatcher.Break;
import dev.nightshift.pipelines.finance.recon.ReconMatcher.Detail;
import dev.nightshift.pipelines.finance.recon.ReconMatcher.LedgerItem;
import dev.nightshift.pipelines.finance.recon.ReconMatcher.Match;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconMatcherTest {
  static final LocalDate D = LocalDate.of(2026, 11, 24);
  final ReconMatcher matcher = new ReconMatcher(2, new BigDecimal("0.00"));

  static BankItem bank(String id, String amount, int day, String e2e, String ref, Detail... details) {
    return new BankItem(id, D.plusDays(day), new BigDecimal(amount), e2e, ref, List.of(details));
  }

  static LedgerItem ledger(String id, String amount, int day, String e2e, String ref) {
    return new LedgerItem(id, D.plusDays(day), new BigDecimal(amount), e2e, ref);
  }

  @Test
  void everyRuleAndEveryBreak() {
    List<BankItem> bank = List.of(
        bank("b1", "100.00", 0, "E1", ""),                  // e2e match
        bank("b2", "-20.50", 0, "", "R2"),                   // reference match
        bank("b3", "33.33", 1, "", ""),                      // amount + date (1 day apart)
        bank("b4", "70.00", 0, "", "", new Detail("E41", new BigDecimal("30.00")),
            new Detail("E42", new BigDecimal("40.00"))),     // batch 1:n
        bank("b5a", "10.00", 0, "E5", ""), bank("b5b", "15.00", 1, "E5", ""), // n:1
        bank("b6", "50.00", 0, "E6", ""),                    // amount differs
        bank("b7", "60.00", 0, "E7", ""),                    // date differs
        bank("b8", "1.23", 0, "", ""));                      // missing in ledger
    List<LedgerItem> ledger = List.of(
        ledger("l1", "100.00", 1, "E1", ""),
        ledger("l2", "-20.50", 0, "", "R2"),
        ledger("l3", "33.33", 0, "", ""),
        ledger("l41", "30.00", 0, "E41", ""), ledger("l42", "40.00", 0, "E42", ""),
        ledger("l5", "25.00", 0, "E5", ""),
        ledger("l6", "55.00", 0, "E6", ""),
        ledger("l7", "60.00", 9, "E7", ""),
        ledger("l9", "9.99", 0, "", ""));                    // missing in bank
    ReconMatcher.Result r = matcher.match(bank, ledger);
    assertEquals(List.of(
        new Match(List.of("b1"), List.of("l1"), ReconMatcher.E2E),
        new Match(List.of("b2"), List.of("l2"), ReconMatcher.REFERENCE),
        new Match(List.of("b3"), List.of("l3"), ReconMatcher.AMOUNT_DATE),
        new Match(List.of("b4"), List.of("l41", "l42"), ReconMatcher.ONE_TO_MANY),
        new Match(List.of("b5a", "b5b"), List.of("l5"), ReconMatcher.MANY_TO_ONE)), r.matches());
    assertEquals(List.of(
        "AMOUNT_DIFFERS b6 l6", "DATE_DIFFERS b7 l7", "MISSING_IN_LEDGER b8 ", "MISSING_IN_BANK  l9"),
        r.breaks().stream().map(b -> b.type() + " " + b.bankId() + " " + b.ledgerId()).toList());
  }

  @Test
  void theResultDoesNotDependOnInputOrder() {
    List<BankItem> bank = new ArrayList<>();
    List<LedgerItem> ledger = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      bank.add(bank("b" + i, "10.00", i % 3, "", ""));         // many equal amounts: ties
      ledger.add(ledger("l" + i, "10.00", (i + 1) % 3, "", ""));
    }
    ReconMatcher.Result first = matcher.match(bank, ledger);
    Collections.reverse(bank);
    Collections.shuffle(ledger, new java.util.Random(3));
    assertEquals(first, matcher.match(bank, ledger));
    assertEquals(50, first.matches().size());
  }

  @Test
  void aBatchWhoseLinesDoNotAddUpIsNotMatched() {
    List<BankItem> bank = List.of(bank("b", "70.00", 0, "", "", new Detail("E1", new BigDecimal("30.00")),
        new Detail("E2", new BigDecimal("40.00"))));
    List<LedgerItem> ledger = List.of(ledger("l1", "30.00", 0, "E1", ""), ledger("l2", "41.00", 0, "E2", ""));
    ReconMatcher.Result r = matcher.match(bank, ledger);
    assertEquals(List.of(), r.matches());
    assertEquals(List.of(ReconMatcher.MISSING_IN_LEDGER, ReconMatcher.MISSING_IN_BANK, ReconMatcher.MISSING_IN_BANK),
        r.breaks().stream().map(Break::type).toList());
  }
}
