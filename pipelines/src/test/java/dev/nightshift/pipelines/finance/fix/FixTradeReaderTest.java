package dev.nightshift.pipelines.finance.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.pipelines.finance.fix.FixTradeReader.Kind;
import dev.nightshift.pipelines.finance.fix.FixTradeReader.Result;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class FixTradeReaderTest {
  static final String SOH = "\u0001";

  /** A message with a correct BodyLength and CheckSum; body fields given '|'-delimited from 35. */
  static String fix(String version, String body) {
    String b = body.replace("|", SOH) + SOH;
    String head = "8=" + version + SOH + "9=" + b.length() + SOH;
    return head + b + "10=" + FixTradeReader.checksum(head + b) + SOH;
  }

  static Result read(String line) {
    return FixTradeReader.read("session.log", 7, line);
  }

  static final String ER44_FILL =
      "35=8|34=12|49=BROKER|52=20261125-09:30:01.120|56=FIRM|1=SA-P0001|6=101.25|11=ORD-1|14=300"
          + "|15=EUR|17=EX-44-1|22=4|31=101.25|32=300|37=B-1|38=300|39=2|48=DE0005140008|54=1"
          + "|55=DBK|60=20261125-09:30:01.118|75=20261125|150=F|151=0"
          + "|453=2|448=SA-P0001|447=D|452=1|448=SA-P0002|447=D|452=17";

  static final String ER42_PARTIAL =
      "35=8|34=9|49=BROKER|52=20261124-15:02:03|56=FIRM|1=SA-P0003|6=12.5|11=ORD-9|14=100"
          + "|15=USD|17=EX-42-9|20=0|22=4|31=12.50|32=100|37=B-9|38=400|39=1|48=US0378331005|54=2"
          + "|55=AAPL|60=20261124-15:02:03|150=1|151=300|382=1|375=SA-P0004";

  @Test
  void aFix44FillWithSohAndLogTimestampIsATrade() {
    String line = "20261125-09:30:01.123: " + fix("FIX.4.4", ER44_FILL);
    Result r = read(line);
    assertEquals(Kind.TRADE, r.kind(), String.valueOf(r));
    Trade t = r.trade();
    assertEquals("EX-44-1", t.tradeId());
    assertEquals("DE0005140008", t.isin());
    assertEquals(300, t.quantity());
    assertEquals(new BigDecimal("101.25"), t.price());
    assertEquals("EUR", t.currency());
    assertEquals(LocalDate.of(2026, 11, 25), t.tradeDate());
    assertEquals(LocalTime.of(9, 30, 1, 118_000_000), t.tradeTime());
    // Side 1: the reporting account bought from the contra firm (PartyRole 17)
    assertEquals("SA-P0001", t.buyerAccount());
    assertEquals("SA-P0002", t.sellerAccount());
    assertEquals(line, t.source().raw());
    assertEquals(7, t.source().line());
    assertFalse(r.badChecksum());
    assertFalse(r.badBodyLength());
  }

  @Test
  void aFix42PartialFillWithPipesIsATradeDatedByTransactTime() {
    String line = "20261124-15:02:03.001: " + fix("FIX.4.2", ER42_PARTIAL).replace(SOH, "|");
    Result r = read(line);
    assertEquals(Kind.TRADE, r.kind(), String.valueOf(r));
    Trade t = r.trade();
    assertEquals("EX-42-9", t.tradeId());
    assertEquals(new BigDecimal("12.50"), t.price());
    assertEquals(LocalDate.of(2026, 11, 24), t.tradeDate());
    assertEquals(LocalTime.of(15, 2, 3), t.tradeTime());
    // Side 2: the reporting account sold to the contra broker
    assertEquals("SA-P0004", t.buyerAccount());
    assertEquals("SA-P0003", t.sellerAccount());
    assertFalse(r.badChecksum());
    assertFalse(r.badBodyLength());
  }

  @Test
  void fix42WithoutExecTypeFallsBackToOrdStatus() {
    String filled = ER42_PARTIAL.replace("|150=1", "").replace("39=1", "39=2");
    assertEquals(Kind.TRADE, read(fix("FIX.4.2", filled)).kind());
    String pending = ER42_PARTIAL.replace("|150=1", "").replace("39=1", "39=0");
    assertEquals(Kind.SKIPPED, read(fix("FIX.4.2", pending)).kind());
    // a correction of an earlier fill restates it: not a new trade
    assertEquals(Kind.SKIPPED, read(fix("FIX.4.2", ER42_PARTIAL.replace("20=0", "20=2"))).kind());
  }

  @Test
  void newAndCanceledExecutionReportsAndSessionMessagesAreSkippedByType() {
    Result neu = read(fix("FIX.4.4", ER44_FILL.replace("150=F", "150=0").replace("39=2", "39=0")));
    assertEquals(Kind.SKIPPED, neu.kind());
    assertEquals("8", neu.msgType());
    Result cancel = read(fix("FIX.4.4", ER44_FILL.replace("150=F", "150=4").replace("39=2", "39=4")));
    assertEquals(Kind.SKIPPED, cancel.kind());
    // 4.4 partial fills are ExecType F too; 150=1 is not a 4.4 trade
    assertEquals(Kind.SKIPPED, read(fix("FIX.4.4", ER44_FILL.replace("150=F", "150=1"))).kind());
    Result logon = read(fix("FIX.4.4", "35=A|34=1|49=BROKER|52=20261125-08:00:00|56=FIRM|98=0|108=30"));
    assertEquals(Kind.SKIPPED, logon.kind());
    assertEquals("A", logon.msgType());
    Result heartbeat = read("20261125-08:00:30.000: "
        + fix("FIX.4.2", "35=0|34=2|49=BROKER|52=20261125-08:00:30|56=FIRM").replace(SOH, "|"));
    assertEquals("0", heartbeat.msgType());
    Result order = read(fix("FIX.4.4",
        "35=D|34=3|49=FIRM|52=20261125-09:00:00|56=BROKER|11=ORD-1|21=1|38=300|40=1|54=1|55=DBK"
            + "|60=20261125-09:00:00"));
    assertEquals(Kind.SKIPPED, order.kind());
    assertEquals("D", order.msgType());
  }

  @Test
  void aBadChecksumOrBodyLengthIsAcceptedAndFlagged() {
    String good = fix("FIX.4.4", ER44_FILL);
    String badSum = good.replaceFirst("10=\\d{3}", "10=" + (good.contains("10=000") ? "001" : "000"));
    Result r = read(badSum);
    assertEquals(Kind.TRADE, r.kind(), String.valueOf(r));
    assertTrue(r.badChecksum());
    assertFalse(r.badBodyLength());
    String badLength = good.replaceFirst("9=\\d+", "9=5");
    Result l = read(badLength.replace(SOH, "|"));
    assertEquals(Kind.TRADE, l.kind(), String.valueOf(l));
    assertTrue(l.badBodyLength());
    // the checksum was computed over the declared length "9=5": it no longer matches either
    assertTrue(l.badChecksum());
  }

  @Test
  void junkIsRefusedAsMalformedFix() {
    for (String junk : new String[] {
        "20261125-09:30:01.123: connection reset by peer",
        "8=FIX.4.4|9=12|35=8|garbage without trailer",
        "8=FIX.4.4|35=8|10=000|",
        "8=FIX.4.1|9=5|35=0|10=000|",
        "8=FIX.4.4|9=10|35=8|=oops|10=000|"}) {
      Result r = read(junk);
      assertEquals(Kind.REFUSED, r.kind(), junk);
      assertEquals(FinanceReasons.MALFORMED_FIX, r.reason(), junk);
      assertFalse(r.message().isBlank());
    }
  }

  @Test
  void aFillWhoseSecurityIsNotAnIsinIsRefused() {
    Result cusip = read(fix("FIX.4.2", ER42_PARTIAL.replace("22=4|31", "22=1|31").replace("48=US0378331005", "48=037833100")));
    assertEquals(Kind.REFUSED, cusip.kind());
    assertEquals(FinanceReasons.FIX_SECURITY_NOT_ISIN, cusip.reason());
    Result none = read(fix("FIX.4.4", ER44_FILL.replace("|22=4", "")));
    assertEquals(FinanceReasons.FIX_SECURITY_NOT_ISIN, none.reason());
    assertNull(none.trade());
  }

  @Test
  void aFillWithoutContraPartyIsRefused() {
    Result r = read(fix("FIX.4.4", ER44_FILL.replace("452=17", "452=3")));
    assertEquals(Kind.REFUSED, r.kind());
    assertEquals(Reasons.MISSING_FIELD, r.reason());
    Result q = read(fix("FIX.4.4", ER44_FILL.replace("32=300", "32=12.5")));
    assertEquals(Reasons.INVALID_NUMBER, q.reason());
  }
}
