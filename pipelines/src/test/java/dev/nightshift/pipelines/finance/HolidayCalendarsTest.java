package dev.nightshift.pipelines.finance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.finance.Market;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HolidayCalendarsTest {

  @ParameterizedTest
  @CsvSource({
    "1818, 1818-03-22", // earliest possible Easter
    "1943, 1943-04-25", // latest possible Easter
    "2000, 2000-04-23",
    "2019, 2019-04-21",
    "2024, 2024-03-31",
    "2025, 2025-04-20",
    "2026, 2026-04-05",
    "2027, 2027-03-28",
    "2038, 2038-04-25"
  })
  void easter(int year, LocalDate expected) {
    assertEquals(expected, HolidayCalendars.easterSunday(year));
  }

  @Test
  void nyse2026() {
    assertEquals(
        List.of(
            d("2026-01-01"), d("2026-01-19"), d("2026-02-16"), d("2026-04-03"), d("2026-05-25"),
            d("2026-06-19"), d("2026-07-03"), d("2026-09-07"), d("2026-11-26"), d("2026-12-25")),
        dates(Market.XNYS, 2026));
    assertEquals(dates(Market.XNYS, 2026), dates(Market.XNAS, 2026));
  }

  @Test
  void nyse2027ObservesWeekendHolidays() {
    assertEquals(
        List.of(
            d("2027-01-01"), d("2027-01-18"), d("2027-02-15"), d("2027-03-26"), d("2027-05-31"),
            d("2027-06-18"), d("2027-07-05"), d("2027-09-06"), d("2027-11-25"), d("2027-12-24")),
        dates(Market.XNYS, 2027));
  }

  @Test
  void nyseNewYearOnSaturdayIsNotObservedAndJuneteenthStartsIn2022() {
    List<LocalDate> y2022 = dates(Market.XNYS, 2022);
    assertFalse(y2022.contains(d("2022-01-01")));
    assertFalse(dates(Market.XNYS, 2021).contains(d("2021-12-31")));
    assertTrue(y2022.contains(d("2022-06-20"))); // Juneteenth on a Sunday -> Monday
    assertEquals(9, y2022.size());
    assertEquals(9, dates(Market.XNYS, 2021).size()); // no Juneteenth yet
    assertTrue(dates(Market.XNYS, 2023).contains(d("2023-01-02"))); // Sunday -> Monday
  }

  @Test
  void target2() {
    for (Market m : List.of(Market.XETR, Market.XPAR, Market.XAMS)) {
      assertEquals(
          List.of(d("2026-01-01"), d("2026-04-03"), d("2026-04-06"), d("2026-05-01"), d("2026-12-25")),
          dates(m, 2026)); // 26 Dec 2026 is a Saturday
      assertEquals(
          List.of(d("2027-01-01"), d("2027-03-26"), d("2027-03-29")),
          dates(m, 2027)); // 1 May, 25 and 26 Dec 2027 fall on weekends
    }
  }

  @Test
  void london2026BoxingDayOnSaturdayMovesToMonday() {
    assertEquals(
        List.of(
            d("2026-01-01"), d("2026-04-03"), d("2026-04-06"), d("2026-05-04"), d("2026-05-25"),
            d("2026-08-31"), d("2026-12-25"), d("2026-12-28")),
        dates(Market.XLON, 2026));
  }

  @Test
  void london2027ChristmasOnSaturday() {
    assertEquals(
        List.of(
            d("2027-01-01"), d("2027-03-26"), d("2027-03-29"), d("2027-05-03"), d("2027-05-31"),
            d("2027-08-30"), d("2027-12-27"), d("2027-12-28")),
        dates(Market.XLON, 2027));
  }

  @Test
  void londonChristmasOnSundayAndNewYearOnWeekend() {
    List<LocalDate> y2022 = dates(Market.XLON, 2022);
    assertTrue(y2022.contains(d("2022-01-03"))); // 1 Jan 2022 Saturday -> Monday 3
    assertTrue(y2022.contains(d("2022-12-26"))); // Boxing Day
    assertTrue(y2022.contains(d("2022-12-27"))); // Christmas substitute
    assertTrue(dates(Market.XLON, 2028).contains(d("2028-01-03")));
    assertTrue(dates(Market.XLON, 2023).contains(d("2023-01-02"))); // Sunday -> Monday
  }

  @Test
  void allListedHolidaysAreWeekdaysAndSorted() {
    for (Market m : Market.values()) {
      for (int y = 2000; y <= 2060; y++) {
        List<HolidayCalendars.Holiday> hs = HolidayCalendars.forYear(m, y);
        for (int i = 0; i < hs.size(); i++) {
          HolidayCalendars.Holiday h = hs.get(i);
          assertEquals(m, h.market());
          assertEquals(y, h.date().getYear(), h.toString());
          DayOfWeek dow = h.date().getDayOfWeek();
          assertTrue(dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY, h.toString());
          if (i > 0) assertTrue(hs.get(i - 1).date().isBefore(h.date()), h.toString());
        }
      }
    }
  }

  @Test
  void isHoliday() {
    assertTrue(HolidayCalendars.isHoliday(Market.XNYS, d("2026-11-26")));
    assertFalse(HolidayCalendars.isHoliday(Market.XETR, d("2026-11-26")));
    assertTrue(HolidayCalendars.isHoliday(Market.XLON, d("2026-12-28")));
  }

  private static List<LocalDate> dates(Market m, int year) {
    return HolidayCalendars.forYear(m, year).stream().map(HolidayCalendars.Holiday::date).toList();
  }

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }
}
