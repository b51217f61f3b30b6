package dev.nightshift.pipelines.finance;

import dev.nightshift.schemas.finance.Market;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rule-based settlement holiday calendars for the markets Nightshift settles.
 *
 * <ul>
 *   <li>XNYS, XNAS: the NYSE holiday rules (NYSE Rule 7.2). A holiday on a Saturday is observed on
 *       the Friday before, on a Sunday on the Monday after, except New Year's Day, which is not
 *       moved back into the previous year.
 *   <li>XETR, XPAR, XAMS: the TARGET2 closing days of the Eurosystem (1 January, Good Friday,
 *       Easter Monday, 1 May, 25 and 26 December); days falling on a weekend are not moved.
 *   <li>XLON: the England and Wales bank holidays with the usual substitute days. One-off
 *       proclamations (jubilees, coronations, moved Early May holidays as in 2020) are not modelled.
 * </ul>
 *
 * Only weekday holidays are listed: weekends are never settlement days anyway.
 */
public final class HolidayCalendars {
  private HolidayCalendars() {}

  /** One market holiday. */
  public record Holiday(Market market, LocalDate date, String name) {}

  /** First year NYSE closes for Juneteenth National Independence Day. */
  static final int JUNETEENTH_FIRST_YEAR = 2022;

  /** The holidays of {@code market} in {@code year}, sorted by date. */
  public static List<Holiday> forYear(Market market, int year) {
    List<Holiday> out = new ArrayList<>();
    switch (market) {
      case XNYS, XNAS -> nyse(market, year, out);
      case XETR, XPAR, XAMS -> target2(market, year, out);
      case XLON -> london(market, year, out);
      default -> throw new IllegalArgumentException("No calendar for " + market);
    }
    out.sort(Comparator.comparing(Holiday::date));
    return List.copyOf(out);
  }

  /** The holidays of {@code market} from {@code fromYear} to {@code toYear} inclusive, by date. */
  public static List<Holiday> forYears(Market market, int fromYear, int toYear) {
    List<Holiday> out = new ArrayList<>();
    for (int y = fromYear; y <= toYear; y++) {
      out.addAll(forYear(market, y));
    }
    return List.copyOf(out);
  }

  /** Whether {@code date} is a listed holiday of {@code market} (weekends are not listed). */
  public static boolean isHoliday(Market market, LocalDate date) {
    for (Holiday h : forYear(market, date.getYear())) {
      if (h.date().equals(date)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Easter Sunday in the Gregorian calendar, by the anonymous Gregorian algorithm (Meeus, Jones,
   * Butcher).
   */
  public static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate.of(year, month, day);
  }

  private static void nyse(Market m, int year, List<Holiday> out) {
    // New Year's Day: Sunday -> Monday; on a Saturday there is no holiday (NYSE does not close on
    // the Friday 31 December, which belongs to the previous year's books).
    LocalDate newYear = LocalDate.of(year, 1, 1);
    if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
      newYear = newYear.plusDays(1);
    }
    addIfWeekday(out, m, newYear, "New Year's Day");
    add(out, m, nthWeekday(year, Month.JANUARY, DayOfWeek.MONDAY, 3), "Martin Luther King Jr. Day");
    add(out, m, nthWeekday(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3), "Washington's Birthday");
    add(out, m, easterSunday(year).minusDays(2), "Good Friday");
    add(out, m, lastWeekday(year, Month.MAY, DayOfWeek.MONDAY), "Memorial Day");
    if (year >= JUNETEENTH_FIRST_YEAR) {
      add(out, m, observedUs(LocalDate.of(year, 6, 19)), "Juneteenth National Independence Day");
    }
    add(out, m, observedUs(LocalDate.of(year, 7, 4)), "Independence Day");
    add(out, m, nthWeekday(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1), "Labor Day");
    add(out, m, nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4), "Thanksgiving Day");
    add(out, m, observedUs(LocalDate.of(year, 12, 25)), "Christmas Day");
  }

  private static void target2(Market m, int year, List<Holiday> out) {
    LocalDate easter = easterSunday(year);
    addIfWeekday(out, m, LocalDate.of(year, 1, 1), "New Year's Day");
    add(out, m, easter.minusDays(2), "Good Friday");
    add(out, m, easter.plusDays(1), "Easter Monday");
    addIfWeekday(out, m, LocalDate.of(year, 5, 1), "Labour Day");
    addIfWeekday(out, m, LocalDate.of(year, 12, 25), "Christmas Day");
    addIfWeekday(out, m, LocalDate.of(year, 12, 26), "Christmas Holiday");
  }

  private static void london(Market m, int year, List<Holiday> out) {
    LocalDate easter = easterSunday(year);
    LocalDate newYear = LocalDate.of(year, 1, 1);
    add(out, m, nextMondayIfWeekend(newYear), isWeekend(newYear) ? "New Year's Day (substitute day)" : "New Year's Day");
    add(out, m, easter.minusDays(2), "Good Friday");
    add(out, m, easter.plusDays(1), "Easter Monday");
    add(out, m, nthWeekday(year, Month.MAY, DayOfWeek.MONDAY, 1), "Early May Bank Holiday");
    add(out, m, lastWeekday(year, Month.MAY, DayOfWeek.MONDAY), "Spring Bank Holiday");
    add(out, m, lastWeekday(year, Month.AUGUST, DayOfWeek.MONDAY), "Summer Bank Holiday");
    // Christmas and Boxing Day: a day on a weekend moves to the next weekday not already taken.
    //   Christmas Fri: Boxing Day Sat -> Mon 28.
    //   Christmas Sat: Christmas -> Mon 27, Boxing Day -> Tue 28.
    //   Christmas Sun: Boxing Day Mon 26 stays, Christmas -> Tue 27.
    LocalDate christmas = LocalDate.of(year, 12, 25);
    switch (christmas.getDayOfWeek()) {
      case FRIDAY -> {
        add(out, m, christmas, "Christmas Day");
        add(out, m, LocalDate.of(year, 12, 28), "Boxing Day (substitute day)");
      }
      case SATURDAY -> {
        add(out, m, LocalDate.of(year, 12, 27), "Christmas Day (substitute day)");
        add(out, m, LocalDate.of(year, 12, 28), "Boxing Day (substitute day)");
      }
      case SUNDAY -> {
        add(out, m, LocalDate.of(year, 12, 26), "Boxing Day");
        add(out, m, LocalDate.of(year, 12, 27), "Christmas Day (substitute day)");
      }
      default -> {
        add(out, m, christmas, "Christmas Day");
        add(out, m, LocalDate.of(year, 12, 26), "Boxing Day");
      }
    }
  }

  /** US federal observance: Saturday -> the Friday before, Sunday -> the Monday after. */
  private static LocalDate observedUs(LocalDate d) {
    return switch (d.getDayOfWeek()) {
      case SATURDAY -> d.minusDays(1);
      case SUNDAY -> d.plusDays(1);
      default -> d;
    };
  }

  private static LocalDate nextMondayIfWeekend(LocalDate d) {
    return isWeekend(d) ? d.with(TemporalAdjusters.next(DayOfWeek.MONDAY)) : d;
  }

  private static LocalDate nthWeekday(int year, Month month, DayOfWeek dow, int n) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
  }

  private static LocalDate lastWeekday(int year, Month month, DayOfWeek dow) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.lastInMonth(dow));
  }

  static boolean isWeekend(LocalDate d) {
    return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
  }

  private static void addIfWeekday(List<Holiday> out, Market m, LocalDate d, String name) {
    if (!isWeekend(d)) {
      out.add(new Holiday(m, d, name));
    }
  }

  private static void add(List<Holiday> out, Market m, LocalDate d, String name) {
    out.add(new Holiday(m, d, name));
  }
}
