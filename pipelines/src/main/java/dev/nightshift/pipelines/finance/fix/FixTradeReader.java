package dev.nightshift.pipelines.finance.fix;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.transforms.io.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import quickfix.ConfigError;
import quickfix.DataDictionary;
import quickfix.FieldMap;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.InvalidMessage;
import quickfix.Message;

/**
 * Turns one line of a FIX 4.2 or 4.4 session log into a trade, a skipped message, or a refusal.
 *
 * <p>A line holds one message, possibly after a QuickFIX/J FileLog timestamp
 * ({@code 20261125-09:30:01.123: 8=FIX.4.4|9=...}); fields are delimited by SOH or by {@code |}.
 * The message starts at {@code 8=FIX} and is parsed by QuickFIX/J against the version's data
 * dictionary, validation off: a log is a record of what was received, so a wrong checksum (10) or
 * body length (9) is flagged and counted, not refused.
 *
 * <p>Only fills become trades: ExecutionReports (35=8) with ExecType 150=F (4.4 Trade) or
 * 150=1/2 (4.2 partial fill / fill), or, in 4.2 without 150, OrdStatus 39=1/2. A 4.2 report whose
 * ExecTransType (20) is a cancel or correction (1/2) or status (3) restates an earlier fill and is
 * skipped, so that a fill is never settled twice.
 *
 * <p>Counterparty convention: the reporting firm's securities account is Account (1); the contra
 * side's securities account is, in FIX 4.4, the PartyID (448) of the Parties group (453) entry with
 * PartyRole (452) = 17 (Contra Firm), and in FIX 4.2 the first ContraBroker (375) of the
 * NoContraBrokers group (382). Side (54) 1 = the reporting firm bought, 2 = it sold.
 */
public final class FixTradeReader {
  private FixTradeReader() {}

  public static final String FIX42 = "FIX.4.2";
  public static final String FIX44 = "FIX.4.4";

  /** What one log line is. */
  public enum Kind { TRADE, SKIPPED, REFUSED }

  /**
   * The reading of one line: a trade, a skipped message of {@code msgType}, or a refusal with its
   * reason. The checksum and body-length flags are set for any message that could be framed.
   */
  public record Result(
      Kind kind,
      Trade trade,
      String msgType,
      String reason,
      String message,
      boolean badChecksum,
      boolean badBodyLength) {

    static Result refused(String reason, String message, Framed f) {
      return new Result(Kind.REFUSED, null, null, reason, message,
          f != null && f.badChecksum, f != null && f.badBodyLength);
    }
  }

  private static final char SOH = '\u0001';
  private static final DateTimeFormatter FIX_DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter FIX_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");

  /** Data dictionaries are large and immutable once loaded: one per JVM and version. */
  private static final class Dictionaries {
    static final DataDictionary FIX42_DD = load("FIX42.xml");
    static final DataDictionary FIX44_DD = load("FIX44.xml");

    private static DataDictionary load(String resource) {
      try {
        return new DataDictionary(resource);
      } catch (ConfigError e) {
        throw new IllegalStateException("cannot load the FIX data dictionary " + resource, e);
      }
    }
  }

  /** A message cut out of its line, normalised to SOH, with its framing checked. */
  record Framed(String message, String beginString, boolean badChecksum, boolean badBodyLength) {}

  public static Result read(String file, long line, String raw) {
    Framed framed;
    try {
      framed = frame(raw);
    } catch (IllegalArgumentException e) {
      return Result.refused(FinanceReasons.MALFORMED_FIX, e.getMessage(), null);
    }
    DataDictionary dd;
    if (framed.beginString.equals(FIX42)) {
      dd = Dictionaries.FIX42_DD;
    } else if (framed.beginString.equals(FIX44)) {
      dd = Dictionaries.FIX44_DD;
    } else {
      return Result.refused(FinanceReasons.MALFORMED_FIX,
          "unsupported FIX version '" + framed.beginString + "' (FIX.4.2 and FIX.4.4 are read)", framed);
    }
    Message m = new Message();
    try {
      m.fromString(framed.message, dd, false);
    } catch (InvalidMessage | RuntimeException e) {
      return Result.refused(FinanceReasons.MALFORMED_FIX, "QuickFIX/J cannot parse it: " + e.getMessage(), framed);
    }
    String msgType = m.getHeader().isSetField(35) ? str(m.getHeader(), 35) : "";
    if (msgType.isEmpty()) {
      return Result.refused(FinanceReasons.MALFORMED_FIX, "no MsgType (35)", framed);
    }
    if (!msgType.equals("8") || !isFill(m, framed.beginString)) {
      return new Result(Kind.SKIPPED, null, msgType, null, null, framed.badChecksum, framed.badBodyLength);
    }
    try {
      Trade trade = trade(m, framed.beginString, SourceRef.of(file, line, raw));
      return new Result(Kind.TRADE, trade, msgType, null, null, framed.badChecksum, framed.badBodyLength);
    } catch (Refusal r) {
      return Result.refused(r.reason, r.getMessage(), framed);
    }
  }

  static boolean isFill(Message m, String version) {
    String execType = m.isSetField(150) ? str(m, 150) : null;
    if (version.equals(FIX44)) {
      return "F".equals(execType);
    }
    String execTransType = m.isSetField(20) ? str(m, 20) : "0";
    if (!execTransType.equals("0")) {
      return false;
    }
    if (execType != null) {
      return execType.equals("1") || execType.equals("2");
    }
    String ordStatus = m.isSetField(39) ? str(m, 39) : "";
    return ordStatus.equals("1") || ordStatus.equals("2");
  }

  private static final class Refusal extends Exception {
    final String reason;

    Refusal(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  static Trade trade(Message m, String version, SourceRef source) throws Refusal {
    String execId = required(m, 17, "ExecID");
    String securityId = required(m, 48, "SecurityID");
    String idSource = m.isSetField(22) ? str(m, 22) : "";
    if (!idSource.equals("4")) {
      throw new Refusal(FinanceReasons.FIX_SECURITY_NOT_ISIN,
          "SecurityID " + securityId + " is not an ISIN (22=" + (idSource.isEmpty() ? "absent" : idSource) + ")");
    }
    String lastQty = required(m, 32, version.equals(FIX44) ? "LastQty" : "LastShares");
    long quantity;
    try {
      quantity = Values.decimal(lastQty).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new Refusal(Reasons.INVALID_NUMBER, "LastQty (32) '" + lastQty + "' is not a whole number");
    }
    if (Math.abs(quantity) > Values.MAX_QUANTITY) {
      throw new Refusal(Reasons.INVALID_NUMBER,
          "LastQty (32) '" + lastQty + "' is out of range: more than " + Values.MAX_QUANTITY);
    }
    String lastPx = required(m, 31, "LastPx");
    BigDecimal price;
    try {
      price = Values.decimal(lastPx);
    } catch (NumberFormatException e) {
      throw new Refusal(Reasons.INVALID_NUMBER, "LastPx (31) '" + lastPx + "' is not a number"
          + (e.getMessage() != null && e.getMessage().startsWith("out of range") ? " (" + e.getMessage() + ")" : ""));
    }
    String currency = required(m, 15, "Currency");
    String transact = required(m, 60, "TransactTime");
    LocalDateTime transactTime;
    try {
      transactTime = LocalDateTime.parse(transact, FIX_TIMESTAMP);
    } catch (DateTimeParseException e) {
      throw new Refusal(Reasons.INVALID_DATE, "TransactTime (60) '" + transact + "' is not yyyyMMdd-HH:mm:ss[.sss]");
    }
    LocalDate tradeDate = transactTime.toLocalDate();
    if (m.isSetField(75)) {
      String td = str(m, 75);
      try {
        tradeDate = LocalDate.parse(td, FIX_DATE);
      } catch (DateTimeParseException e) {
        throw new Refusal(Reasons.INVALID_DATE, "TradeDate (75) '" + td + "' is not yyyyMMdd");
      }
    }
    LocalTime tradeTime = transactTime.toLocalTime();
    String account = required(m, 1, "Account");
    String contra = version.equals(FIX44) ? contraFirm44(m) : contraBroker42(m);
    String side = required(m, 54, "Side");
    String buyer;
    String seller;
    switch (side) {
      case "1" -> {
        buyer = account;
        seller = contra;
      }
      case "2" -> {
        buyer = contra;
        seller = account;
      }
      default -> throw new Refusal(Reasons.INVALID_VALUE, "Side (54) '" + side + "' is neither 1 (buy) nor 2 (sell)");
    }
    return new Trade(execId, tradeDate, tradeTime, securityId, quantity, price, currency, buyer, seller, source);
  }

  /** FIX 4.4: the Parties entry with PartyRole 17 (Contra Firm). */
  private static String contraFirm44(Message m) throws Refusal {
    for (Group g : m.getGroups(453)) {
      if (g.isSetField(452) && str(g, 452).equals("17") && g.isSetField(448)) {
        return str(g, 448);
      }
    }
    throw new Refusal(Reasons.MISSING_FIELD, "no Parties (453) entry with PartyRole (452) 17 = contra firm");
  }

  /** FIX 4.2: the first ContraBroker of the NoContraBrokers group. */
  private static String contraBroker42(Message m) throws Refusal {
    for (Group g : m.getGroups(382)) {
      if (g.isSetField(375) && !str(g, 375).isEmpty()) {
        return str(g, 375);
      }
    }
    throw new Refusal(Reasons.MISSING_FIELD, "no ContraBroker (375) in NoContraBrokers (382)");
  }

  private static String required(FieldMap m, int tag, String name) throws Refusal {
    if (!m.isSetField(tag) || str(m, tag).isEmpty()) {
      throw new Refusal(Reasons.MISSING_FIELD, name + " (" + tag + ") is missing");
    }
    return str(m, tag);
  }

  private static String str(FieldMap m, int tag) {
    try {
      return m.getString(tag);
    } catch (FieldNotFound e) {
      throw new IllegalStateException("tag " + tag + " vanished", e);
    }
  }

  /**
   * Cuts the message out of its line, turns a {@code |} delimiter into SOH, and checks BodyLength
   * and CheckSum on the SOH form (the bytes that went over the wire).
   */
  static Framed frame(String raw) {
    int start = raw.indexOf("8=FIX");
    if (start < 0) {
      throw new IllegalArgumentException("no FIX message (8=FIX) on the line");
    }
    String msg = raw.substring(start).stripTrailing();
    if (msg.indexOf(SOH) < 0) {
      msg = msg.replace('|', SOH);
    }
    if (!msg.isEmpty() && msg.charAt(msg.length() - 1) != SOH) {
      msg = msg + SOH;
    }
    int firstSoh = msg.indexOf(SOH);
    String beginString = msg.substring(2, firstSoh);
    if (!msg.startsWith("9=", firstSoh + 1)) {
      throw new IllegalArgumentException("BodyLength (9) does not follow BeginString (8)");
    }
    int secondSoh = msg.indexOf(SOH, firstSoh + 1);
    int trailer = msg.lastIndexOf(SOH + "10=");
    if (secondSoh < 0 || trailer < secondSoh) {
      throw new IllegalArgumentException("no CheckSum (10) trailer");
    }
    byte[] bytes = msg.getBytes(StandardCharsets.ISO_8859_1);
    // Body: from after "9=n<SOH>" up to and including the SOH before "10=".
    long bodyLength = trailer + 1 - (secondSoh + 1);
    int sum = 0;
    for (int i = 0; i <= trailer; i++) {
      sum += bytes[i] & 0xFF;
    }
    String declaredLength = msg.substring(firstSoh + 3, secondSoh);
    String declaredSum = msg.substring(trailer + 4, msg.length() - 1);
    boolean badLength;
    try {
      badLength = Long.parseLong(declaredLength) != bodyLength;
    } catch (NumberFormatException e) {
      badLength = true;
    }
    boolean badSum;
    try {
      badSum = declaredSum.length() != 3 || Integer.parseInt(declaredSum) != (sum & 0xFF);
    } catch (NumberFormatException e) {
      badSum = true;
    }
    return new Framed(msg, beginString, badSum, badLength);
  }

  /** The three-digit checksum of everything before the CheckSum field (for writers and tests). */
  public static String checksum(String upToTrailer) {
    int sum = 0;
    for (byte b : upToTrailer.getBytes(StandardCharsets.ISO_8859_1)) {
      sum += b & 0xFF;
    }
    return String.format(java.util.Locale.ROOT, "%03d", sum & 0xFF);
  }
}
