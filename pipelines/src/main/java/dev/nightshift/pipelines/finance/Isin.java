package dev.nightshift.pipelines.finance;

/**
 * ISO 6166 International Securities Identification Numbers: a two-letter country prefix, a nine
 * character alphanumeric national code and one check digit.
 *
 * <p>The check digit is the Luhn (mod 10, "double-add-double") check digit over the string with
 * every letter expanded to two digits (A=10 ... Z=35) and digits kept as they are.
 */
public final class Isin {
  private Isin() {}

  /** Two upper-case letters, nine upper-case letters or digits, one digit; nothing else. */
  public static boolean hasValidFormat(String isin) {
    if (isin == null || isin.length() != 12) {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      char c = isin.charAt(i);
      boolean ok =
          i < 2 ? isUpper(c) : i < 11 ? isUpper(c) || isDigit(c) : isDigit(c);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether the format is valid and the last digit is the Luhn check digit of the first 11. */
  public static boolean hasValidCheckDigit(String isin) {
    return hasValidFormat(isin) && isin.charAt(11) - '0' == checkDigit(isin.substring(0, 11));
  }

  /** {@code first11} followed by its check digit. */
  public static String withCheckDigit(String first11) {
    if (first11 == null || first11.length() != 11 || !hasValidFormat(first11 + "0")) {
      throw new IllegalArgumentException("Not the first 11 characters of an ISIN: " + first11);
    }
    return first11 + checkDigit(first11);
  }

  /** The check digit (0-9) of the first 11 characters of an ISIN, assumed well formed. */
  static int checkDigit(String first11) {
    // Expand letters to their two-digit values, then apply Luhn: from the rightmost digit of the
    // expansion (which sits next to the check digit), double every second digit starting with it.
    StringBuilder digits = new StringBuilder(22);
    for (int i = 0; i < first11.length(); i++) {
      char c = first11.charAt(i);
      if (isDigit(c)) {
        digits.append(c);
      } else {
        digits.append(c - 'A' + 10);
      }
    }
    int sum = 0;
    boolean doubleIt = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
