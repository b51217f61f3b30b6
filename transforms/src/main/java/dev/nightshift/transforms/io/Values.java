package dev.nightshift.transforms.io;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * Parsing of the values every reader shares, bounded so that an absurd value is refused at the
 * door instead of costing minutes later: {@code new BigDecimal("1E+99999999")} parses at once, but
 * rounding it to cents and printing it builds a 100-million-digit number (measured here: 52 s for
 * {@code 1E+9999999}, no end in sight for {@code 1E+99999999}).
 */
public final class Values {
  private Values() {}

  /** Longest decimal text read; a longer one is refused unparsed (BigInteger parsing is quadratic). */
  public static final int MAX_DECIMAL_CHARS = 64;
  /** At most this many digits before the decimal point (10^30 is beyond any real amount). */
  public static final int MAX_INTEGER_DIGITS = 30;
  /** At most this many digits after the decimal point. */
  public static final int MAX_FRACTION_DIGITS = 30;

  /**
   * The largest quantity (shares, units) a record may hold: 10^12, beyond any issuer's shares or
   * any store's stock. Quantities are summed in longs; with this bound, nine million of the largest
   * still add up without overflow (an overflow used to crash trade netting, or wrap silently).
   */
  public static final long MAX_QUANTITY = 1_000_000_000_000L;

  /** A whole number of at most {@link #MAX_QUANTITY} either way; throws NumberFormatException. */
  public static long quantity(String text) {
    long n = Long.parseLong(text);
    if (n > MAX_QUANTITY || n < -MAX_QUANTITY) {
      throw new NumberFormatException("out of range: more than " + MAX_QUANTITY + " either way");
    }
    return n;
  }

  /**
   * A decimal number (plain or with an exponent), refused with a {@link NumberFormatException}
   * naming the bound when it is longer than {@value #MAX_DECIMAL_CHARS} characters or has more
   * than {@value #MAX_INTEGER_DIGITS} digits before or {@value #MAX_FRACTION_DIGITS} after the
   * point.
   */
  public static BigDecimal decimal(String text) {
    if (text.length() > MAX_DECIMAL_CHARS) {
      throw new NumberFormatException("longer than " + MAX_DECIMAL_CHARS + " characters");
    }
    BigDecimal d = new BigDecimal(text);
    if (d.scale() > MAX_FRACTION_DIGITS
        || (d.signum() != 0 && (long) d.precision() - d.scale() > MAX_INTEGER_DIGITS)) {
      throw new NumberFormatException(
          "out of range: more than " + MAX_INTEGER_DIGITS + " digits before or "
              + MAX_FRACTION_DIGITS + " after the point");
    }
    return d.signum() == 0 && d.scale() < 0 ? d.setScale(0) : d;
  }

  /**
   * {@code yyyy-mm-dd} with a four-digit year and no sign. {@link LocalDate#parse} also takes
   * {@code +999999999-12-31}, which then overflows date arithmetic and prints as no date reader
   * takes back.
   */
  public static final DateTimeFormatter ISO_DATE =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4)
          .appendLiteral('-')
          .appendValue(ChronoField.MONTH_OF_YEAR, 2)
          .appendLiteral('-')
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT)
          .withChronology(java.time.chrono.IsoChronology.INSTANCE);

  /** Years 0000 to 9999: what {@code yyyy} can say; parsers of other forms check their result with it. */
  public static boolean isFourDigitYear(int year) {
    return year >= 0 && year <= 9999;
  }

  /** A date as {@link #ISO_DATE}; throws {@link java.time.format.DateTimeParseException}. */
  public static LocalDate isoDate(String text) {
    return LocalDate.parse(text, ISO_DATE);
  }
}
