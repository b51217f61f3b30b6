package dev.nightshift.pipelines.finance.recon;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Matches one account's bank entries against its ledger lines, in three passes, and classifies
 * what is left as breaks. Plain Java, deterministic: inputs are sorted by id first, candidates are
 * chosen by a total order, so every runner and every run gives the same result.
 *
 * <ol>
 *   <li><b>References:</b> one to one on the end-to-end id, else on the bank reference. A pair
 *       found this way whose amounts differ is an {@code AMOUNT_DIFFERS} break; equal amounts
 *       with value dates further apart than the tolerance are a {@code DATE_DIFFERS} break.
 *   <li><b>Amount and value date:</b> one to one on equal amounts (within the amount tolerance)
 *       and value dates within the date tolerance; the closest date wins, then the lowest id.
 *   <li><b>Groups:</b> one to many, a bank entry with batch details (camt TxDtls) whose details
 *       name ledger lines by end-to-end id and add up to the entry; many to one, several bank
 *       entries with one end-to-end id that add up to one ledger line. Bank entries that share
 *       an end-to-end id only ever match as such a group.
 * </ol>
 *
 * Bank entries left are {@code MISSING_IN_LEDGER}, ledger lines left {@code MISSING_IN_BANK}.
 */
public final class ReconMatcher {

  /** A bank statement entry, as the matcher sees it. Amounts are signed (credit +). */
  public record BankItem(
      String id,
      LocalDate valueDate,
      BigDecimal amount,
      String endToEndId,
      String reference,
      List<Detail> details)
      implements Serializable {}

  /** One transaction inside a batched bank entry. */
  public record Detail(String endToEndId, BigDecimal amount) implements Serializable {}

  /** A ledger line, as the matcher sees it. */
  public record LedgerItem(
      String id, LocalDate valueDate, BigDecimal amount, String endToEndId, String reference)
      implements Serializable {}

  /** Matched entries and lines, and the rule that matched them. */
  public record Match(List<String> bankIds, List<String> ledgerIds, String rule) {}

  /** Something that does not reconcile, with both sides where there are two. */
  public record Break(
      String type,
      String bankId,
      String ledgerId,
      BigDecimal bankAmount,
      BigDecimal ledgerAmount,
      LocalDate bankDate,
      LocalDate ledgerDate) {}

  public record Result(List<Match> matches, List<Break> breaks) {}

  public static final String E2E = "END_TO_END_ID";
  public static final String REFERENCE = "BANK_REFERENCE";
  public static final String AMOUNT_DATE = "AMOUNT_AND_DATE";
  public static final String ONE_TO_MANY = "BATCH_ONE_TO_MANY";
  public static final String MANY_TO_ONE = "MANY_TO_ONE";

  public static final String MISSING_IN_BANK = "MISSING_IN_BANK";
  public static final String MISSING_IN_LEDGER = "MISSING_IN_LEDGER";
  public static final String AMOUNT_DIFFERS = "AMOUNT_DIFFERS";
  public static final String DATE_DIFFERS = "DATE_DIFFERS";

  private final int dateToleranceDays;
  private final BigDecimal amountTolerance;

  public ReconMatcher(int dateToleranceDays, BigDecimal amountTolerance) {
    this.dateToleranceDays = dateToleranceDays;
    this.amountTolerance = amountTolerance;
  }

  public Result match(List<BankItem> bankIn, List<LedgerItem> ledgerIn) {
    Map<String, BankItem> bank = new LinkedHashMap<>();
    bankIn.stream().sorted(Comparator.comparing(BankItem::id)).forEach(b -> bank.put(b.id(), b));
    Map<String, LedgerItem> ledger = new LinkedHashMap<>();
    ledgerIn.stream().sorted(Comparator.comparing(LedgerItem::id)).forEach(l -> ledger.put(l.id(), l));
    List<Match> matches = new ArrayList<>();
    List<Break> breaks = new ArrayList<>();

    // Bank entries that share an end-to-end id form a group: they only match together (pass 3b).
    Map<String, Integer> e2eCount = new HashMap<>();
    bank.values().forEach(b -> {
      if (!b.endToEndId().isEmpty()) {
        e2eCount.merge(b.endToEndId(), 1, Integer::sum);
      }
    });
    java.util.function.Predicate<BankItem> single =
        b -> b.details().isEmpty() && e2eCount.getOrDefault(b.endToEndId(), 0) < 2;

    // Pass 1: references.
    Map<String, List<LedgerItem>> byE2e = index(ledger, LedgerItem::endToEndId);
    Map<String, List<LedgerItem>> byRef = index(ledger, LedgerItem::reference);
    for (BankItem b : List.copyOf(bank.values())) {
      if (!single.test(b)) {
        continue;
      }
      String rule = E2E;
      LedgerItem l = firstOpen(byE2e.get(b.endToEndId()), ledger);
      if (l == null) {
        rule = REFERENCE;
        l = firstOpen(byRef.get(b.reference()), ledger);
      }
      if (l == null) {
        continue;
      }
      bank.remove(b.id());
      ledger.remove(l.id());
      if (!sameAmount(b.amount(), l.amount())) {
        breaks.add(pair(AMOUNT_DIFFERS, b, l));
      } else if (days(b.valueDate(), l.valueDate()) > dateToleranceDays) {
        breaks.add(pair(DATE_DIFFERS, b, l));
      } else {
        matches.add(new Match(List.of(b.id()), List.of(l.id()), rule));
      }
    }

    // Pass 2: amount and value date.
    for (BankItem b : List.copyOf(bank.values())) {
      if (!single.test(b)) {
        continue;
      }
      LedgerItem best = null;
      for (LedgerItem l : ledger.values()) {
        if (sameAmount(b.amount(), l.amount())
            && days(b.valueDate(), l.valueDate()) <= dateToleranceDays
            && (best == null
                || days(b.valueDate(), l.valueDate()) < days(b.valueDate(), best.valueDate()))) {
          best = l;
        }
      }
      if (best != null) {
        bank.remove(b.id());
        ledger.remove(best.id());
        matches.add(new Match(List.of(b.id()), List.of(best.id()), AMOUNT_DATE));
      }
    }

    // Pass 3a: one bank entry with batch details = several ledger lines.
    byE2e = index(ledger, LedgerItem::endToEndId);
    for (BankItem b : List.copyOf(bank.values())) {
      if (b.details().isEmpty()) {
        continue;
      }
      List<LedgerItem> lines = new ArrayList<>();
      BigDecimal sum = BigDecimal.ZERO;
      for (Detail d : b.details()) {
        LedgerItem l = firstOpenExcept(byE2e.get(d.endToEndId()), ledger, lines);
        if (l == null) {
          lines = null;
          break;
        }
        lines.add(l);
        sum = sum.add(l.amount());
      }
      if (lines != null && sameAmount(sum, b.amount())) {
        bank.remove(b.id());
        lines.forEach(l -> ledger.remove(l.id()));
        matches.add(new Match(List.of(b.id()), lines.stream().map(LedgerItem::id).toList(), ONE_TO_MANY));
      }
    }

    // Pass 3b: several bank entries with one end-to-end id = one ledger line.
    Map<String, List<BankItem>> bankByE2e = new TreeMap<>();
    for (BankItem b : bank.values()) {
      if (!b.endToEndId().isEmpty() && b.details().isEmpty()) {
        bankByE2e.computeIfAbsent(b.endToEndId(), k -> new ArrayList<>()).add(b);
      }
    }
    for (LedgerItem l : List.copyOf(ledger.values())) {
      List<BankItem> group = bankByE2e.get(l.endToEndId());
      if (group == null || group.size() < 2) {
        continue;
      }
      BigDecimal sum = group.stream().map(BankItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
      if (sameAmount(sum, l.amount())) {
        group.forEach(b -> bank.remove(b.id()));
        ledger.remove(l.id());
        bankByE2e.remove(l.endToEndId());
        matches.add(new Match(group.stream().map(BankItem::id).toList(), List.of(l.id()), MANY_TO_ONE));
      }
    }

    for (BankItem b : bank.values()) {
      breaks.add(new Break(MISSING_IN_LEDGER, b.id(), "", b.amount(), null, b.valueDate(), null));
    }
    for (LedgerItem l : ledger.values()) {
      breaks.add(new Break(MISSING_IN_BANK, "", l.id(), null, l.amount(), null, l.valueDate()));
    }
    return new Result(matches, breaks);
  }

  private boolean sameAmount(BigDecimal a, BigDecimal b) {
    return a.subtract(b).abs().compareTo(amountTolerance) <= 0;
  }

  private static long days(LocalDate a, LocalDate b) {
    return Math.abs(ChronoUnit.DAYS.between(a, b));
  }

  private static Break pair(String type, BankItem b, LedgerItem l) {
    return new Break(type, b.id(), l.id(), b.amount(), l.amount(), b.valueDate(), l.valueDate());
  }

  private static Map<String, List<LedgerItem>> index(
      Map<String, LedgerItem> ledger, java.util.function.Function<LedgerItem, String> key) {
    Map<String, List<LedgerItem>> index = new HashMap<>();
    for (LedgerItem l : ledger.values()) {
      String k = key.apply(l);
      if (k != null && !k.isEmpty()) {
        index.computeIfAbsent(k, x -> new ArrayList<>()).add(l);
      }
    }
    return index;
  }

  private static LedgerItem firstOpen(List<LedgerItem> candidates, Map<String, LedgerItem> open) {
    return firstOpenExcept(candidates, open, List.of());
  }

  private static LedgerItem firstOpenExcept(
      List<LedgerItem> candidates, Map<String, LedgerItem> open, List<LedgerItem> taken) {
    if (candidates == null) {
      return null;
    }
    for (LedgerItem l : candidates) {
      if (open.containsKey(l.id()) && !taken.contains(l)) {
        return l;
      }
    }
    return null;
  }
}
