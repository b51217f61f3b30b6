package dev.nightshift.pipelines.healthcare.billing;

/**
 * National Provider Identifier (CMS): 10 digits, the last a Luhn check digit computed over the
 * first nine prefixed with 80840 (the NPI's ISO 7812 issuer prefix). CMS's own example 1234567893
 * is valid.
 */
public final class Npi {
  private Npi() {}

  private static final String PREFIX = "80840";

  public static boolean isValid(String npi) {
    if (npi == null || npi.length() != 10) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (npi.charAt(i) < '0' || npi.charAt(i) > '9') {
        return false;
      }
    }
    return checkDigit(npi.substring(0, 9)) == npi.charAt(9) - '0';
  }

  /** The NPI made of nine digits and their check digit. */
  public static String withCheckDigit(String nineDigits) {
    if (nineDigits.length() != 9 || !nineDigits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("nine digits expected: " + nineDigits);
    }
    return nineDigits + checkDigit(nineDigits);
  }

  /** Luhn: from the right, every second digit (starting with the rightmost) is doubled. */
  static int checkDigit(String nineDigits) {
    String digits = PREFIX + nineDigits;
    int sum = 0;
    boolean twice = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }
}
