package dev.nightshift.pipelines.finance.fix;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.Trade;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import quickfix.Group;
import quickfix.Message;

/**
 * Writes a FIX 4.4 and a FIX 4.2 session log, seeded, over the reference data written by
 * {@code TradeGenerator} ({@code securities.csv}, {@code participants.csv}): logons, heartbeats,
 * new orders, cancel requests, non-fill execution reports, partial fills and fills, a few junk
 * lines, a few fills with a non-ISIN security, and a few messages with a wrong CheckSum or
 * BodyLength. Messages are built with the QuickFIX/J message classes, which compute BodyLength
 * and CheckSum; the wrong ones are tampered with afterwards.
 *
 * <p>The 4.4 log is SOH-delimited, every line with a FileLog timestamp; the 4.2 log is
 * {@code |}-delimited, half of its lines without timestamp, and half of its fills without
 * TradeDate (75) or without ExecType (150). Counterparties follow {@link FixTradeReader}'s
 * convention (4.4 PartyRole 17, 4.2 ContraBroker 375).
 */
public final class FixLogGenerator {
  private FixLogGenerator() {}

  public static final String FIX44_LOG = "session-fix44.log";
  public static final String FIX42_LOG = "session-fix42.log";

  /** What the logs hold, as the reader must find it. */
  public record Expected(
      List<Trade> trades,
      long lines,
      SortedMap<String, Long> skippedByMsgType,
      SortedMap<String, Long> deadByReason,
      long badChecksums,
      long badBodyLengths) {

    public long skipped() {
      return skippedByMsgType.values().stream().mapToLong(Long::longValue).sum();
    }

    public long dead() {
      return deadByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Writes the expected trades as a trades.csv (the same trades, as the CSV reader takes them). */
    public void writeTradesCsv(Path file) throws IOException {
      try (BufferedWriter w = writer(file)) {
        w.write(String.join(",", Trade.COLUMNS));
        w.write('\n');
        for (Trade t : trades) {
          w.write(String.join(",", t.tradeId(), t.tradeDate().toString(), t.tradeTime().toString(),
              t.isin(), Long.toString(t.quantity()), t.price().toPlainString(), t.currency(),
              t.buyerAccount(), t.sellerAccount()));
          w.write('\n');
        }
      }
    }
  }

  private record Sec(String isin, String currency) {}

  /**
   * Generates {@code orders} orders, split between the two logs, into {@code outDir}, over the
   * reference data in {@code referenceDir}, all traded on {@code businessDate}.
   */
  public static Expected generate(
      Path referenceDir, Path outDir, long seed, int orders, LocalDate businessDate) throws IOException {
    List<Sec> securities = new ArrayList<>();
    for (String line : dataLines(referenceDir.resolve("securities.csv"))) {
      // isin,name,currency,market: the name may be quoted and hold commas, the others cannot.
      String[] tail = line.substring(line.lastIndexOf(',', line.lastIndexOf(',') - 1) + 1).split(",");
      securities.add(new Sec(line.substring(0, line.indexOf(',')), tail[0]));
    }
    List<String> accounts = new ArrayList<>();
    for (String line : dataLines(referenceDir.resolve("participants.csv"))) {
      // participant_id,name,lei,securities_account,cash_account
      String[] tail = line.substring(line.lastIndexOf(',', line.lastIndexOf(',') - 1) + 1).split(",");
      accounts.add(tail[0]);
    }
    if (securities.isEmpty() || accounts.size() < 2) {
      throw new IllegalArgumentException("reference data in " + referenceDir + " is too small");
    }
    Files.createDirectories(outDir);
    Counts counts = new Counts();
    SplittableRandom root = new SplittableRandom(seed);
    new SessionWriter(FixTradeReader.FIX44, root.split(), securities, accounts, businessDate, counts)
        .write(outDir.resolve(FIX44_LOG), orders - orders / 2);
    new SessionWriter(FixTradeReader.FIX42, root.split(), securities, accounts, businessDate, counts)
        .write(outDir.resolve(FIX42_LOG), orders / 2);
    return new Expected(List.copyOf(counts.trades), counts.lines, counts.skipped, counts.dead,
        counts.badChecksums, counts.badBodyLengths);
  }

  private static final class Counts {
    final List<Trade> trades = new ArrayList<>();
    final SortedMap<String, Long> skipped = new TreeMap<>();
    final SortedMap<String, Long> dead = new TreeMap<>();
    long lines;
    long badChecksums;
    long badBodyLengths;
    long fills;
    long messages;
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS", Locale.ROOT);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss", Locale.ROOT);

  /** One session's log. */
  private static final class SessionWriter {
    private final String version;
    private final boolean v44;
    private final SplittableRandom rnd;
    private final List<Sec> securities;
    private final List<String> accounts;
    private final LocalDate businessDate;
    private final Counts counts;
    private final String prefix;
    private LocalDateTime clock;
    private int seqNum;
    private BufferedWriter w;

    SessionWriter(String version, SplittableRandom rnd, List<Sec> securities, List<String> accounts,
        LocalDate businessDate, Counts counts) {
      this.version = version;
      this.v44 = version.equals(FixTradeReader.FIX44);
      this.rnd = rnd;
      this.securities = securities;
      this.accounts = accounts;
      this.businessDate = businessDate;
      this.counts = counts;
      this.prefix = v44 ? "X44" : "X42";
      this.clock = LocalDateTime.of(businessDate, LocalTime.of(8, 0));
    }

    void write(Path file, int orders) throws IOException {
      try (BufferedWriter out = writer(file)) {
        w = out;
        Message logon = v44 ? new quickfix.fix44.Logon() : new quickfix.fix42.Logon();
        logon.setString(98, "0");
        logon.setString(108, "30");
        session(logon, "A");
        junk("Session " + version + ":FIRM->BROKER schedule is active");
        for (int o = 1; o <= orders; o++) {
          if (o % 4 == 0) {
            session(v44 ? new quickfix.fix44.Heartbeat() : new quickfix.fix42.Heartbeat(), "0");
          }
          if (o % 9 == 0) {
            junk(o % 18 == 0
                ? "Disconnecting: Socket exception (/127.0.0.1:9876): Connection reset by peer"
                // a message cut short: it has 8=FIX but no trailer
                : "8=FIX" + (v44 ? ".4.4" : ".4.2") + "\u00019=148\u000135=8\u000134=" + (seqNum + 1) + "\u000149=BRO");
          }
          order(o);
        }
        session(v44 ? new quickfix.fix44.Logout() : new quickfix.fix42.Logout(), "5");
      }
    }

    private void order(int o) throws IOException {
      Sec sec = securities.get(rnd.nextInt(securities.size()));
      int a = rnd.nextInt(accounts.size());
      int b = (a + 1 + rnd.nextInt(accounts.size() - 1)) % accounts.size();
      String account = accounts.get(a);
      String contra = accounts.get(b);
      String side = rnd.nextBoolean() ? "1" : "2";
      long qty = 100L * (1 + rnd.nextInt(50));
      String clOrdId = prefix + "-ORD-" + o;
      String orderId = prefix + "-B-" + o;

      Message nos = v44 ? new quickfix.fix44.NewOrderSingle() : new quickfix.fix42.NewOrderSingle();
      nos.setString(1, account);
      nos.setString(11, clOrdId);
      nos.setString(21, "1");
      nos.setString(38, Long.toString(qty));
      nos.setString(40, "1");
      nos.setString(54, side);
      nos.setString(48, sec.isin());
      nos.setString(22, "4");
      nos.setString(55, "S" + o);
      nos.setString(60, clock.format(STAMP));
      session(nos, "D");

      Message ack = report(sec, account, clOrdId, orderId, side, qty, 0, 0);
      ack.setString(150, "0");
      ack.setString(39, "0");
      session(ack, "8");

      if (rnd.nextInt(7) == 0) {
        Message cancel = v44 ? new quickfix.fix44.OrderCancelRequest() : new quickfix.fix42.OrderCancelRequest();
        cancel.setString(11, clOrdId + "-C");
        cancel.setString(41, clOrdId);
        cancel.setString(54, side);
        cancel.setString(55, "S" + o);
        cancel.setString(60, clock.format(STAMP));
        if (v44) {
          cancel.setString(38, Long.toString(qty));
        }
        session(cancel, "F");
        Message canceled = report(sec, account, clOrdId, orderId, side, qty, 0, 0);
        canceled.setString(150, "4");
        canceled.setString(39, "4");
        session(canceled, "8");
        return;
      }
      long lots = qty / 100;
      int fills = (int) Math.min(lots, 1 + rnd.nextInt(3));
      long done = 0;
      long priceCents = 1000 + rnd.nextInt(40_000);
      for (int f = 1; f <= fills; f++) {
        long left = lots - done / 100;
        // at least one lot left for each fill still to come; the last fill completes the order
        long lastQty = 100 * (f == fills ? left : 1 + rnd.nextLong(left - (fills - f)));
        done += lastQty;
        boolean last = done == qty;
        String px = cents(priceCents + rnd.nextInt(21) - 10);
        counts.fills++;
        boolean nonIsin = counts.fills % 17 == 0;
        String execId = prefix + "-EX-" + o + "-" + f;
        Message fill = report(sec, account, clOrdId, orderId, side, qty, done, lastQty);
        fill.setString(17, execId);
        fill.setString(31, px);
        fill.setString(6, px); // AvgPx: close enough for a log nobody settles on
        fill.setString(32, Long.toString(lastQty));
        fill.setString(39, last ? "2" : "1");
        if (v44) {
          fill.setString(150, "F");
        } else if (counts.fills % 2 == 0) {
          fill.setString(150, last ? "2" : "1");
        }
        boolean tradeDate = v44 || counts.fills % 3 != 0;
        if (tradeDate) {
          fill.setString(75, businessDate.format(DateTimeFormatter.BASIC_ISO_DATE));
        }
        if (v44) {
          Group exec = new quickfix.fix44.ExecutionReport.NoPartyIDs();
          exec.setString(448, "BROKERX");
          exec.setString(447, "D");
          exec.setString(452, "1");
          fill.addGroup(exec);
          Group contraFirm = new quickfix.fix44.ExecutionReport.NoPartyIDs();
          contraFirm.setString(448, contra);
          contraFirm.setString(447, "D");
          contraFirm.setString(452, "17");
          fill.addGroup(contraFirm);
        } else {
          Group contraBroker = new quickfix.fix42.ExecutionReport.NoContraBrokers();
          contraBroker.setString(375, contra);
          contraBroker.setString(337, "TRADER" + b);
          fill.addGroup(contraBroker);
        }
        if (nonIsin) {
          // a CUSIP-identified security: the fill cannot be settled by ISIN
          fill.setString(48, sec.isin().substring(2, 11));
          fill.setString(22, "1");
          counts.dead.merge(FinanceReasons.FIX_SECURITY_NOT_ISIN, 1L, Long::sum);
        }
        LocalDateTime transact = emit(fill, "8", true);
        if (!nonIsin) {
          String buyer = side.equals("1") ? account : contra;
          String seller = side.equals("1") ? contra : account;
          counts.trades.add(new Trade(execId, businessDate, transact.toLocalTime(), sec.isin(), lastQty,
              new BigDecimal(px), sec.currency(), buyer, seller, SourceRef.of("", 0, "")));
        }
      }
    }

    /** An execution report of the order, its cumulative quantities set. */
    private Message report(Sec sec, String account, String clOrdId, String orderId, String side,
        long qty, long cum, long last) {
      Message er = v44 ? new quickfix.fix44.ExecutionReport() : new quickfix.fix42.ExecutionReport();
      er.setString(1, account);
      er.setString(6, cum == 0 ? "0" : "1");
      er.setString(11, clOrdId);
      er.setString(14, Long.toString(cum));
      er.setString(15, sec.currency());
      er.setString(17, orderId + "-" + (seqNum + 1));
      er.setString(22, "4");
      er.setString(37, orderId);
      er.setString(38, Long.toString(qty));
      er.setString(48, sec.isin());
      er.setString(54, side);
      er.setString(55, sec.isin().substring(2, 6));
      er.setString(151, Long.toString(qty - cum));
      if (!v44) {
        er.setString(20, "0");
        er.setString(31, "0");
        er.setString(32, "0");
      }
      return er;
    }

    private void session(Message m, String msgType) throws IOException {
      counts.skipped.merge(msgType, 1L, Long::sum);
      emit(m, msgType, false);
    }

    /** Writes the message; returns its TransactTime (as written: 4.2 has whole seconds). */
    private LocalDateTime emit(Message m, String msgType, boolean fill) throws IOException {
      clock = clock.plusNanos((1 + rnd.nextInt(5000)) * 1_000_000L);
      seqNum++;
      m.getHeader().setString(34, Integer.toString(seqNum));
      boolean fromFirm = msgType.equals("D") || msgType.equals("F");
      m.getHeader().setString(49, fromFirm ? "FIRM" : "BROKER");
      m.getHeader().setString(56, fromFirm ? "BROKER" : "FIRM");
      m.getHeader().setString(52, clock.format(v44 ? STAMP : SECONDS));
      LocalDateTime transact = v44 ? clock : clock.withNano(0);
      if (fill) {
        m.setString(60, transact.format(v44 ? STAMP : SECONDS));
      }
      String text = m.toString();
      counts.messages++;
      // Every 23rd message a wrong CheckSum, every 29th (otherwise) a wrong BodyLength.
      if (counts.messages % 23 == 0) {
        text = badChecksum(text);
        counts.badChecksums++;
      } else if (counts.messages % 29 == 0) {
        text = badBodyLength(text);
        counts.badBodyLengths++;
      }
      line(v44 ? text : text.replace('\u0001', '|'), v44 || seqNum % 2 == 0);
      return transact;
    }

    private void junk(String text) throws IOException {
      counts.dead.merge(FinanceReasons.MALFORMED_FIX, 1L, Long::sum);
      line(text, true);
    }

    private void line(String text, boolean stamped) throws IOException {
      counts.lines++;
      if (stamped) {
        w.write(clock.format(STAMP));
        w.write(": ");
      }
      w.write(text);
      w.write('\n');
    }
  }

  /** The same message with its CheckSum off by one. */
  static String badChecksum(String msg) {
    int at = msg.lastIndexOf("\u000110=") + 4;
    int sum = Integer.parseInt(msg.substring(at, at + 3));
    return msg.substring(0, at) + String.format(Locale.ROOT, "%03d", (sum + 1) % 256) + msg.substring(at + 3);
  }

  /** The same message with a BodyLength three too long, and a CheckSum that is right for it. */
  static String badBodyLength(String msg) {
    int start = msg.indexOf("\u00019=") + 3;
    int end = msg.indexOf('\u0001', start);
    long length = Long.parseLong(msg.substring(start, end));
    String head = msg.substring(0, start) + (length + 3) + msg.substring(end, msg.lastIndexOf("\u000110=") + 1);
    return head + "10=" + FixTradeReader.checksum(head) + "\u0001";
  }

  static String cents(long cents) {
    long frac = cents % 100;
    return cents / 100 + (frac < 10 ? ".0" : ".") + frac;
  }

  private static List<String> dataLines(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
  }
}
