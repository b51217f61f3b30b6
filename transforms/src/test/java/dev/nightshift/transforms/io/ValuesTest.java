package dev.nightshift.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void decimalsWithinTheBoundsParse() {
    assertEquals(new BigDecimal("12.30"), Values.decimal("12.30"));
    assertEquals(new BigDecimal("-1E+29"), Values.decimal("-1E+29"));
    assertEquals("9".repeat(30) + "." + "9".repeat(30),
        Values.decimal("9".repeat(30) + "." + "9".repeat(30)).toPlainString());
    assertEquals(BigDecimal.ZERO, Values.decimal("0E+50"), "a zero with an exponent is plain zero");
  }

  @Test
  void absurdDecimalsAreRefusedAtOnce() {
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      for (String s : new String[] {"1E+99999999", "1E+31", "1E-31", "0E-31", "1" + "0".repeat(30), "1".repeat(65)}) {
        assertThrows(NumberFormatException.class, () -> Values.decimal(s), s);
      }
    });
    assertThrows(NumberFormatException.class, () -> Values.decimal("ten"));
  }

  @Test
  void quantitiesUpToTenToTheTwelfth() {
    assertEquals(1_000_000_000_000L, Values.quantity("1000000000000"));
    assertEquals(-1_000_000_000_000L, Values.quantity("-1000000000000"));
    assertThrows(NumberFormatException.class, () -> Values.quantity("1000000000001"));
    assertThrows(NumberFormatException.class, () -> Values.quantity("9223372036854775807"));
    assertThrows(NumberFormatException.class, () -> Values.quantity("1.5"));
  }

  @Test
  void datesHaveFourDigitYears() {
    assertEquals(LocalDate.of(2026, 11, 25), Values.isoDate("2026-11-25"));
    assertEquals(LocalDate.of(9999, 12, 31), Values.isoDate("9999-12-31"));
    for (String s : new String[] {"+999999999-12-31", "-999999999-01-01", "99999-01-01", "2026-02-30", "2026-1-5", "20261125"}) {
      assertThrows(DateTimeParseException.class, () -> Values.isoDate(s), s);
    }
  }
}
