package dev.nightshift.pipelines.finance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsinTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "US0378331005", // Apple
        "DE0007164600", // SAP
        "GB0002634946", // BAE Systems
        "FR0000120271", // TotalEnergies
        "NL0010273215", // ASML
        "US5949181045", // Microsoft
        "AU0000XVGZA3", // letters in the national code
      })
  void realIsinsAreValid(String isin) {
    assertTrue(Isin.hasValidFormat(isin));
    assertTrue(Isin.hasValidCheckDigit(isin), isin);
    assertEquals(isin, Isin.withCheckDigit(isin.substring(0, 11)));
  }

  @Test
  void everyOtherCheckDigitIsRejected() {
    String first11 = "US037833100";
    for (int d = 0; d <= 9; d++) {
      assertEquals(d == 5, Isin.hasValidCheckDigit(first11 + d), "check digit " + d);
    }
  }

  @Test
  void transposedDigitsAreRejected() {
    assertFalse(Isin.hasValidCheckDigit("US0387331005"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "US037833100", "US03783310055", "us0378331005", "U10378331005", "US037833100X",
        "US03783310a5", "US-378331005"
      })
  void malformedIsinsAreRejected(String isin) {
    assertFalse(Isin.hasValidFormat(isin));
    assertFalse(Isin.hasValidCheckDigit(isin));
  }

  @Test
  void nullIsRejected() {
    assertFalse(Isin.hasValidFormat(null));
    assertFalse(Isin.hasValidCheckDigit(null));
  }

  @Test
  void withCheckDigitRejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Isin.withCheckDigit("US03783310"));
    assertThrows(IllegalArgumentException.class, () -> Isin.withCheckDigit("us0378331000"));
  }

  @Test
  void leiCheckDigits() {
    // Apple Inc. and Deutsche Bank AG, from the GLEIF register.
    assertTrue(Lei.isValid("HWUPKR0MPOU8FGXBT394"));
    assertTrue(Lei.isValid("7LTWFZYICNSX8D621K86"));
    assertEquals("HWUPKR0MPOU8FGXBT394", Lei.withCheckDigits("HWUPKR0MPOU8FGXBT3"));
    assertFalse(Lei.isValid("HWUPKR0MPOU8FGXBT395"));
    assertFalse(Lei.isValid("hwupkr0mpou8fgxbt394"));
  }
}
