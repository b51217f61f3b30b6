package dev.nightshift.pipelines.finance;

import java.math.BigInteger;

/**
 * ISO 17442 Legal Entity Identifiers: 18 upper-case alphanumerics followed by two check digits
 * computed with ISO 7064 MOD 97-10 (letters expanded A=10 ... Z=35; the whole number mod 97 is 1).
 */
public final class Lei {
  private Lei() {}

  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  /** Twenty characters, upper-case alphanumeric, the last two digits, and MOD 97-10 holds. */
  public static boolean isValid(String lei) {
    if (lei == null || !lei.matches("[A-Z0-9]{18}[0-9]{2}")) {
      return false;
    }
    return expand(lei).mod(NINETY_SEVEN).intValue() == 1;
  }

  /** {@code first18} followed by its two MOD 97-10 check digits. */
  public static String withCheckDigits(String first18) {
    if (first18 == null || !first18.matches("[A-Z0-9]{18}")) {
      throw new IllegalArgumentException("Not the first 18 characters of an LEI: " + first18);
    }
    int check = 98 - expand(first18 + "00").mod(NINETY_SEVEN).intValue();
    return first18 + (check < 10 ? "0" : "") + check;
  }

  private static BigInteger expand(String s) {
    StringBuilder digits = new StringBuilder(40);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else {
        digits.append(c - 'A' + 10);
      }
    }
    return new BigInteger(digits.toString());
  }
}
