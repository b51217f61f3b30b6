package dev.nightshift.pipelines.finance.statements;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.BatchDetail;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.StatementEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.Coder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementParsersTest {

  static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(0, d(expected).compareTo(actual), "expected " + expected + " but was " + actual);
  }

  // ------------------------------------------------------------------ camt.053 sample

  @Test
  void camtSampleAsItIs() throws Exception {
    byte[] bytes = Files.readAllBytes(Samples.finance(Samples.CAMT));
    assertEquals(BankStatement.CAMT053, StatementParsers.detect(bytes));
    ParsedFile f = StatementParsers.parse("camt.xml", bytes);
    assertEquals(List.of(), f.failures());
    assertEquals(2, f.statements().size());
    assertEquals(2, f.entries().size());
    BankStatement s1 = f.statements().get(0);
    BankStatement s2 = f.statements().get(1);
    assertEquals("253EURNL26VAYB8060476890", s1.statementId());
    assertEquals("254EURNL26VAYB8060476890", s2.statementId());
    for (BankStatement s : f.statements()) {
      assertEquals("NL26VAYB8060476890", s.account());
      assertEquals("EUR", s.currency());
      assertEquals(BankStatement.CAMT053, s.format());
      assertEquals(1, s.entries());
      assertTrue(BalanceProof.balances(s), s.toString());
      assertEquals(List.of(), s.issues());
    }
    assertAmount("18.15", s1.opening());
    assertAmount("8.85", s1.entriesTotal());
    assertAmount("27.00", s1.closing());
    assertAmount("27.00", s2.opening());
    assertAmount("-7.00", s2.entriesTotal());
    assertAmount("20.00", s2.closing());
    assertEquals(LocalDate.of(2014, 12, 30), s1.openingDate());
    assertEquals(LocalDate.of(2014, 12, 31), s1.closingDate());
    assertEquals(0, s2.opening().compareTo(s1.closing()));
    List<BankStatement> chain = new ArrayList<>(f.statements());
    chain.sort(BalanceProof.CHAIN_ORDER);
    assertEquals(List.of(), BalanceProof.gaps(chain));

    StatementEntry e1 = f.entries().get(0);
    assertEquals("253EURNL26VAYB8060476890", e1.statementId());
    assertAmount("8.85", e1.amount());
    assertEquals(LocalDate.of(2014, 12, 31), e1.bookingDate());
    assertEquals(LocalDate.of(2015, 1, 2), e1.valueDate());
    assertEquals("000000001", e1.endToEndId());
    assertEquals("", e1.bankReference());
    assertEquals("Transaction Description 1", e1.description());
    assertEquals(List.of(), e1.details());
    assertEquals("camt.xml", e1.source().file());
    assertTrue(e1.source().raw().contains("<Amt Ccy=\"EUR\">8.85</Amt>"), e1.source().raw());
    StatementEntry e2 = f.entries().get(1);
    assertAmount("-7.00", e2.amount());
    assertEquals("000000002", e2.endToEndId());
    assertEquals("254EURNL26VAYB8060476890", e2.statementId());
  }

  @Test
  void camtVersion08NamespaceStillParses() throws Exception {
    String xml = Files.readString(Samples.finance(Samples.CAMT), UTF_8)
        .replace("camt.053.001.02", "camt.053.001.08");
    assertTrue(xml.contains("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"));
    ParsedFile f = Camt053Parser.parse("v08.xml", xml.getBytes(UTF_8));
    assertEquals(2, f.statements().size());
    assertEquals(2, f.entries().size());
    assertTrue(f.statements().stream().allMatch(BalanceProof::balances));
  }

  static String camt(String statements) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\"><BkToCstmrStmt>\n"
        + statements
        + "</BkToCstmrStmt></Document>\n";
  }

  static String bal(String code, String amount, String cdi, String date) {
    return "<Bal><Tp><CdOrPrtry><Cd>" + code + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">" + amount
        + "</Amt>" + (cdi == null ? "" : "<CdtDbtInd>" + cdi + "</CdtDbtInd>")
        + "<Dt><Dt>" + date + "</Dt></Dt></Bal>\n";
  }

  @Test
  void camtBatchedEntryLenientBalanceAndOneBadStatement() throws Exception {
    String good =
        "<Stmt><Id>S1</Id><Acct><Id><Othr><Id>ACC-1</Id></Othr></Id></Acct>\n"
            + bal("OPBD", "100.00", null, "2024-03-01")
            + bal("CLBD", "50.00", "DBIT", "2024-03-02")
            + "<Ntry><Amt Ccy=\"EUR\">150.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\n"
            + "<BookgDt><DtTm>2024-03-02T10:00:00+01:00</DtTm></BookgDt>\n"
            + "<AcctSvcrRef>BANKREF-9</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>\n"
            + "<TxDtls><Refs><EndToEndId>E2E-A</EndToEndId></Refs><Amt Ccy=\"EUR\">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls>\n"
            + "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">50.00</Amt></TxAmt></AmtDtls></TxDtls>\n"
            + "</NtryDtls><AddtlNtryInf>SEPA batch</AddtlNtryInf></Ntry>\n"
            + "<Ntry><Amt Ccy=\"EUR\">9.99</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts><BookgDt><Dt>2024-03-02</Dt></BookgDt></Ntry>\n"
            + "</Stmt>\n";
    String bad =
        "<Stmt><Id>S2</Id><Acct><Id><IBAN>NL26VAYB8060476890</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
            + bal("OPBD", "1.00", "CRDT", "2024-03-01")
            + "<Ntry><Amt Ccy=\"EUR\">abc</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>\n"
            + "</Stmt>\n";
    ParsedFile f = Camt053Parser.parse("batch.xml", camt(good + bad).getBytes(UTF_8));
    assertEquals(1, f.statements().size());
    BankStatement s = f.statements().get(0);
    assertEquals("ACC-1", s.account());
    assertEquals("EUR", s.currency());
    assertAmount("100.00", s.opening());
    assertAmount("-50.00", s.closing());
    assertEquals(1, s.entries());
    assertTrue(BalanceProof.balances(s));
    assertTrue(s.issues().contains("OPBD balance has no CdtDbtInd; read as credit"), s.issues().toString());
    assertTrue(s.issues().stream().anyMatch(i -> i.contains("no Acct/Ccy")), s.issues().toString());
    assertTrue(s.issues().stream().anyMatch(i -> i.contains("PDNG")), s.issues().toString());
    assertTrue(s.issues().stream().anyMatch(i -> i.contains("no ValDt")), s.issues().toString());
    StatementEntry e = f.entries().get(0);
    assertEquals("", e.endToEndId());
    assertEquals("BANKREF-9", e.bankReference());
    assertEquals("SEPA batch", e.description());
    assertEquals(LocalDate.of(2024, 3, 2), e.bookingDate());
    assertEquals(
        List.of(new BatchDetail("E2E-A", d("-100.00")), new BatchDetail("", d("-50.00"))), e.details());
    assertEquals(1, f.failures().size());
    ParsedFile.Failure failure = f.failures().get(0);
    assertEquals(FinanceReasons.MALFORMED_STATEMENT, failure.reason());
    assertTrue(failure.source().raw().contains("<Id>S2</Id>"), failure.source().raw());
    assertTrue(failure.source().line() > 1);
  }

  @Test
  void notCamtAndNotXml() {
    StatementException notCamt =
        assertThrows(StatementException.class,
            () -> Camt053Parser.parse("x.xml", "<html><body/></html>".getBytes(UTF_8)));
    assertEquals(FinanceReasons.NOT_CAMT053, notCamt.reason());
    StatementException broken =
        assertThrows(StatementException.class,
            () -> Camt053Parser.parse("x.xml", camt("<Stmt><Id>1</Id>").getBytes(UTF_8)));
    assertEquals(FinanceReasons.MALFORMED_XML, broken.reason());
  }

  // ------------------------------------------------------------------ XML safety

  @Test
  void externalEntitiesAreRefusedWithoutAnyFileOrNetworkRead(@TempDir Path dir) throws Exception {
    String secret = "TOP-SECRET-" + System.nanoTime();
    Path secretFile = Files.writeString(dir.resolve("secret.txt"), secret);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(1500);
      AtomicInteger connections = new AtomicInteger();
      Thread listener =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  connections.incrementAndGet();
                } catch (SocketTimeoutException expected) {
                  // nobody connected
                } catch (Exception e) {
                  connections.addAndGet(1000);
                }
              });
      listener.start();
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/x";
      String xml =
          "<?xml version=\"1.0\"?>\n"
              + "<!DOCTYPE Document [\n"
              + "  <!ENTITY secret SYSTEM \"" + secretFile.toUri() + "\">\n"
              + "  <!ENTITY remote SYSTEM \"" + url + "\">\n"
              + "  <!ENTITY % dtd SYSTEM \"" + url + "\">\n"
              + "  %dtd;\n"
              + "]>\n"
              + camt(
                      "<Stmt><Id>&secret;&remote;</Id><Acct><Id><IBAN>&secret;</IBAN></Id><Ccy>EUR</Ccy></Acct>"
                          + bal("OPBD", "1.00", "CRDT", "2024-01-01")
                          + bal("CLBD", "1.00", "CRDT", "2024-01-01")
                          + "</Stmt>")
                  .replaceFirst("<\\?xml[^>]*>\n", "");
      StatementException e =
          assertThrows(StatementException.class, () -> Camt053Parser.parse("xxe.xml", xml.getBytes(UTF_8)));
      assertEquals(FinanceReasons.XML_DTD_FORBIDDEN, e.reason());
      assertFalse(String.valueOf(e.getMessage()).contains(secret));
      assertFalse(stackText(e).contains(secret));
      // also through the dispatching entry point
      StatementException again =
          assertThrows(StatementException.class, () -> StatementParsers.parse("xxe.xml", xml.getBytes(UTF_8)));
      assertEquals(FinanceReasons.XML_DTD_FORBIDDEN, again.reason());
      // and the StAX layer alone refuses it too (defence in depth behind the prolog check)
      var r = Camt053Parser.factory().createXMLStreamReader(new ByteArrayInputStream(xml.getBytes(UTF_8)));
      boolean sawDtd = false;
      while (r.hasNext() && !sawDtd) {
        sawDtd = r.next() == javax.xml.stream.XMLStreamConstants.DTD;
      }
      assertTrue(sawDtd);
      r.close();
      listener.join();
      assertEquals(0, connections.get(), "the parser connected to the entity URL");
    }
  }

  private static String stackText(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  @Test
  void billionLaughsIsRefusedUnexpanded() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      dtd.append(" <!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        dtd.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
      }
      dtd.append("\">\n");
    }
    dtd.append("]>\n<Document><BkToCstmrStmt><Stmt><Id>&lol9;</Id></Stmt></BkToCstmrStmt></Document>\n");
    StatementException e =
        assertThrows(StatementException.class,
            () -> Camt053Parser.parse("lol.xml", dtd.toString().getBytes(UTF_8)));
    assertEquals(FinanceReasons.XML_DTD_FORBIDDEN, e.reason());
    assertFalse(e.getMessage().contains("lollol"));
  }

  // ------------------------------------------------------------------ MT940

  @Test
  void mt940SampleAsItIs() throws Exception {
    byte[] bytes = Files.readAllBytes(Samples.finance(Samples.MT940));
    assertEquals(BankStatement.MT940, StatementParsers.detect(bytes));
    ParsedFile f = StatementParsers.parse("ing.txt", bytes);
    assertEquals(List.of(), f.failures());
    assertEquals(1, f.statements().size());
    assertEquals(21, f.entries().size());
    BankStatement s = f.statements().get(0);
    assertEquals("P123456000000001/00000", s.statementId());
    assertEquals("NL68INGB0000012345", s.account());
    assertEquals("EUR", s.currency());
    assertEquals(BankStatement.MT940, s.format());
    assertAmount("436.90", s.opening());
    assertAmount("246.45", s.closing());
    assertEquals(LocalDate.of(2014, 7, 31), s.openingDate());
    assertEquals(LocalDate.of(2014, 8, 25), s.closingDate());
    assertEquals(21, s.entries());
    assertAmount("-190.45", s.entriesTotal());
    assertTrue(BalanceProof.balances(s));
    // the file's own /SUM/ line: 18 debits of 14830.45, 3 credits of 14640.00
    assertAmount("-14830.45", sum(f.entries(), -1));
    assertAmount("14640.00", sum(f.entries(), 1));

    StatementEntry first = f.entries().get(0);
    assertAmount("-192.36", first.amount());
    assertEquals(LocalDate.of(2014, 8, 25), first.valueDate());
    assertEquals(LocalDate.of(2014, 8, 25), first.bookingDate());
    assertEquals("14237654096217", first.bankReference());
    assertEquals("", first.endToEndId());
    assertEquals("/CNTP/NL57ABNA0876543211/ABNANL2A/B Bert///REMI/USTD//22-08-2014 Omschrijving/",
        first.description());
    assertEquals(":61:1408250825D192,36NTRFNONREF//14237654096217", first.source().raw().lines().findFirst().get());
    StatementEntry kpn =
        f.entries().stream().filter(e -> e.bankReference().equals("12345678909876")).findFirst().get();
    assertEquals("02164810730000043", kpn.endToEndId());
    assertAmount("-73.62", kpn.amount());
  }

  private static BigDecimal sum(List<StatementEntry> entries, int sign) {
    return entries.stream().map(StatementEntry::amount).filter(a -> a.signum() == sign)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  static final String PLAIN =
      ":20:STARTUMS\r\n"
          + ":25:10020030/1234567\r\n"
          + ":28C:1/1\r\n"
          + ":60F:C231229EUR100,00\r\n"
          + ":61:2312291230CR50,NMSCREF1//B1\r\n"
          + "SUPPLEMENTARY 1\r\n"
          + ":61:231229D25,5NTRFNONREF\r\n"
          + ":86:/EREF/E2E-77/REMI/Rent\r\n"
          + " January/\r\n"
          + ":62F:C231229EUR124,50\r\n"
          + "-\r\n"
          + ":20:STARTUMS\r\n"
          + ":25:10020030/1234567\r\n"
          + ":28C:2/1\r\n"
          + ":60F:C231229EUR124,50\r\n"
          + ":61:2401020102RC200,00NTRFX//B2\r\n"
          + ":61:2401020102RD0,50NCHGX//B3\r\n"
          + ":62F:D240102EUR75,00\r\n"
          + "-\r\n";

  @Test
  void mt940WithoutEnvelopeSeveralStatementsAndDebitClosing() throws Exception {
    ParsedFile f = Mt940Parser.parse("plain.sta", PLAIN.getBytes(UTF_8));
    assertEquals(List.of(), f.failures());
    assertEquals(2, f.statements().size());
    assertEquals(4, f.entries().size());
    BankStatement s1 = f.statements().get(0);
    BankStatement s2 = f.statements().get(1);
    assertEquals("STARTUMS/1/1", s1.statementId());
    assertEquals("STARTUMS/2/1", s2.statementId());
    assertEquals("10020030/1234567", s1.account());
    assertAmount("-75.00", s2.closing());
    assertTrue(BalanceProof.balances(s1), s1.toString());
    assertTrue(BalanceProof.balances(s2), s2.toString());
    assertEquals(List.of(), BalanceProof.gaps(List.of(s1, s2)));

    StatementEntry credit = f.entries().get(0);
    assertAmount("50", credit.amount()); // funds code R after the mark C
    assertEquals(LocalDate.of(2023, 12, 29), credit.valueDate());
    assertEquals(LocalDate.of(2023, 12, 30), credit.bookingDate());
    assertEquals("B1", credit.bankReference());
    assertEquals("SUPPLEMENTARY 1", credit.description());
    StatementEntry rent = f.entries().get(1);
    assertAmount("-25.5", rent.amount());
    assertEquals("", rent.bankReference());
    assertEquals("E2E-77", rent.endToEndId());
    assertEquals("/EREF/E2E-77/REMI/Rent January/", rent.description());
    assertAmount("-200.00", f.entries().get(2).amount()); // RC: reversal of a credit
    assertAmount("0.50", f.entries().get(3).amount()); // RD: reversal of a debit
    assertEquals(LocalDate.of(2024, 1, 2), f.entries().get(2).bookingDate());
  }

  @Test
  void oneBrokenMt940StatementCostsOnlyItself() throws Exception {
    String text = PLAIN.replace(":62F:D240102EUR75,00\r\n", "");
    ParsedFile f = Mt940Parser.parse("broken.sta", text);
    assertEquals(1, f.statements().size());
    assertEquals(2, f.entries().size());
    assertEquals(1, f.failures().size());
    ParsedFile.Failure failure = f.failures().get(0);
    assertEquals(FinanceReasons.MALFORMED_STATEMENT, failure.reason());
    assertEquals(12, failure.source().line());
    assertTrue(failure.message().contains(":62F:"), failure.message());
    assertTrue(failure.source().raw().startsWith(":20:STARTUMS\n:25:"), failure.source().raw());
  }

  @Test
  void junkIsNotMt940() {
    StatementException junk =
        assertThrows(StatementException.class,
            () -> Mt940Parser.parse("junk.txt", "hello\nthis is not a statement\n"));
    assertEquals(FinanceReasons.NOT_MT940, junk.reason());
    StatementException unknown =
        assertThrows(StatementException.class,
            () -> StatementParsers.parse("junk.bin", "PK\u0003\u0004garbage".getBytes(UTF_8)));
    assertEquals(FinanceReasons.UNKNOWN_STATEMENT_FORMAT, unknown.reason());
    StatementException empty =
        assertThrows(StatementException.class, () -> StatementParsers.parse("e", " \n".getBytes(UTF_8)));
    assertEquals(Reasons.EMPTY_FILE, empty.reason());
  }

  // ------------------------------------------------------------------ proof and coders

  @Test
  void balanceProofReportsGaps() throws Exception {
    ParsedFile f = Mt940Parser.parse("plain.sta", PLAIN.replace(":60F:C231229EUR124,50", ":60F:C231229EUR120,50"));
    BankStatement s2 = f.statements().get(1);
    assertFalse(BalanceProof.balances(s2));
    assertAmount("-4.00", BalanceProof.difference(s2));
    List<BalanceProof.Gap> gaps = BalanceProof.gaps(f.statements());
    assertEquals(1, gaps.size());
    assertEquals("STARTUMS/1/1", gaps.get(0).previousStatementId());
    assertEquals("STARTUMS/2/1", gaps.get(0).statementId());
    assertAmount("-4.00", gaps.get(0).difference());
  }

  @Test
  void recordsRoundTripThroughTheirCoders() throws Exception {
    ParsedFile camt = Camt053Parser.parse("a.xml", camt(
        "<Stmt><Id>S1</Id><Acct><Id><IBAN>X</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            + bal("OPBD", "0", null, "2024-01-01") + bal("CLBD", "3", "CRDT", "2024-01-01")
            + "<Ntry><Amt>3</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-01</Dt></BookgDt><NtryDtls>"
            + "<TxDtls><Amt>1</Amt></TxDtls><TxDtls><Amt>2</Amt></TxDtls></NtryDtls></Ntry></Stmt>").getBytes(UTF_8));
    assertEquals(2, camt.entries().get(0).details().size());
    for (BankStatement s : camt.statements()) {
      assertEquals(s, roundTrip(BankStatement.CODER, s));
    }
    for (StatementEntry e : camt.entries()) {
      assertEquals(e, roundTrip(StatementEntry.CODER, e));
    }
  }

  private static <T> T roundTrip(Coder<T> coder, T value) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(value, out);
    return coder.decode(new ByteArrayInputStream(out.toByteArray()));
  }
}
