package dev.nightshift.pipelines.finance;

import dev.nightshift.schemas.finance.Market;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Market holidays by market, and settlement-date arithmetic: the settlement date is the
 * {@code n}-th business day after the trade date, where n is the market's cycle (T+1 US, T+2 EU)
 * and business days skip weekends and that market's holidays.
 */
public final class SettlementCalendar implements Serializable {
  private final EnumMap<Market, TreeSet<LocalDate>> holidays = new EnumMap<>(Market.class);

  public SettlementCalendar add(Market market, LocalDate date) {
    holidays.computeIfAbsent(market, m -> new TreeSet<>()).add(date);
    return this;
  }

  public SettlementCalendar addAll(SettlementCalendar other) {
    for (Map.Entry<Market, TreeSet<LocalDate>> e : other.holidays.entrySet()) {
      holidays.computeIfAbsent(e.getKey(), m -> new TreeSet<>()).addAll(e.getValue());
    }
    return this;
  }

  public boolean isBusinessDay(Market market, LocalDate date) {
    DayOfWeek d = date.getDayOfWeek();
    if (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY) {
      return false;
    }
    Set<LocalDate> closed = holidays.get(market);
    return closed == null || !closed.contains(date);
  }

  public LocalDate settlementDate(Market market, LocalDate tradeDate) {
    LocalDate date = tradeDate;
    for (int left = market.settlementDays(); left > 0; ) {
      date = date.plusDays(1);
      if (isBusinessDay(market, date)) {
        left--;
      }
    }
    return date;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SettlementCalendar && ((SettlementCalendar) o).holidays.equals(holidays);
  }

  @Override
  public int hashCode() {
    return holidays.hashCode();
  }

  public int size() {
    return holidays.values().stream().mapToInt(Set::size).sum();
  }
}
