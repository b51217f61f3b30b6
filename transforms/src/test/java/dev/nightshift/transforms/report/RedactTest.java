package dev.nightshift.transforms.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactTest {

  @Test
  void anIbanKeepsItsCountryAndLastFour() {
    assertEquals("NL************4300", Redact.identifier("NL91ABNA0417164300"));
    assertEquals("DE****************3000", Redact.identifier("DE89370400440532013000"));
  }

  @Test
  void otherIdentifiersKeepTheirLastFourAndTheirSeparators() {
    assertEquals("**-***-0042", Redact.identifier("SA-ACC-0042"));
    assertEquals("***-**-6789", Redact.identifier("123-45-6789"));
    assertEquals("**34", Redact.identifier("1234"), "a short id keeps at most half");
    assertEquals("", Redact.identifier(""));
  }

  @Test
  void messagesLoseTheirIdentifiersButKeepDatesNumbersAndLineNumbers() {
    assertEquals("unknown securities account '**-***-0042'",
        Redact.text("unknown securities account 'SA-ACC-0042'"));
    assertEquals("account NL************4300 is closed", Redact.text("account NL91ABNA0417164300 is closed"));
    assertEquals("ssn ***-**-6789 and mail ***@***", Redact.text("ssn 123-45-6789 and mail jane.doe@example.org"));
    assertEquals("member ****0001 unknown", Redact.text("member M0000001 unknown"));
    String kept = "'trade_date' is not an ISO date: '2026-13-45'; price '-3.50'; first seen at in/trades.csv:1234567";
    assertEquals(kept, Redact.text(kept));
    assertEquals("'quantity' is not a number: '**8'", Redact.text("'quantity' is not a number: 'ax8'"));
  }

  @Test
  void htmlEscapingLeavesNoMarkup() {
    String payload = "<script>document.title='x'</script>\"><img src=x onerror=alert(1)>&";
    String escaped = Html.escape(payload);
    assertFalse(escaped.contains("<") || escaped.contains(">") || escaped.contains("\"") || escaped.contains("'"));
    assertTrue(escaped.endsWith("&amp;"));
    assertEquals("", Html.escape(null));
  }
}
