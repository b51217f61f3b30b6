package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.BatchDetail;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.transforms.io.Values;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * ISO 20022 camt.053 (bank to customer statement), any version from camt.053.001.02 upward:
 * elements are matched by local name, the namespace (and so the version) is ignored.
 *
 * <p>Safety: the JDK's own StAX parser (never whatever factory the classpath offers) with DTD
 * support and external entities off, external DTD access disallowed and a resolver that refuses
 * everything. A document with a DOCTYPE is refused ({@code XML_DTD_FORBIDDEN}) before the parser
 * sees it and again if the parser reports one: no entity is ever expanded, no file or URL read.
 *
 * <p>Leniency: files in the wild break the XSD. A balance without CdtDbtInd is read as credit, a
 * missing value or booking date is taken from the other one, an entry that is not booked (Sts
 * PDNG/INFO) is skipped; each such fix is reported in {@link BankStatement#issues()}. A statement
 * lacking what a reconciliation needs (id, account, currency, opening and closing balances, entry
 * amounts, indicators and dates) or holding a value that does not parse is refused alone
 * ({@code MALFORMED_STATEMENT}); other statements of the file are kept.
 */
public final class Camt053Parser {
  private Camt053Parser() {}

  /** A statement nested deeper than this is not a camt.053 (and would only cost memory). */
  private static final int MAX_DEPTH = 64;

  public static ParsedFile parse(String sourceFile, byte[] content) throws StatementException {
    String text = StatementText.decode(content);
    if (declaresDoctype(text)) {
      throw dtdForbidden();
    }
    List<String> lines = StatementText.lines(text);
    List<BankStatement> statements = new ArrayList<>();
    List<StatementEntry> entries = new ArrayList<>();
    List<ParsedFile.Failure> failures = new ArrayList<>();
    XMLStreamReader r = null;
    try {
      r = factory().createXMLStreamReader(new ByteArrayInputStream(content));
      int depth = 0;
      boolean sawStatementList = false;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.DTD) {
          throw dtdForbidden();
        }
        if (event == XMLStreamConstants.END_ELEMENT) {
          depth--;
          continue;
        }
        if (event != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        depth++;
        String name = r.getLocalName();
        if (depth == 1 && !name.equals("Document")) {
          throw new StatementException(
              FinanceReasons.NOT_CAMT053, "the XML root is <" + name + ">, not a camt.053 <Document>");
        } else if (depth == 2) {
          if (name.equals("BkToCstmrStmt")) {
            sawStatementList = true;
          } else {
            throw new StatementException(
                FinanceReasons.NOT_CAMT053,
                "the Document holds <" + name + ">, not a camt.053 <BkToCstmrStmt>");
          }
        } else if (depth == 3) {
          if (name.equals("Stmt")) {
            readStatement(r, sourceFile, lines, statements, entries, failures);
          } else {
            skip(r);
          }
          depth--; // the reader is on the element's end tag
        }
      }
      if (!sawStatementList) {
        throw new StatementException(FinanceReasons.NOT_CAMT053, "no <BkToCstmrStmt> element");
      }
    } catch (XMLStreamException e) {
      // The parser's message names the position and the problem; it never holds entity content.
      throw new StatementException(
          FinanceReasons.MALFORMED_XML, "not well-formed XML: " + oneLine(e.getMessage()));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing to release beyond the in-memory stream
        }
      }
    }
    return new ParsedFile(statements, entries, failures);
  }

  static XMLInputFactory factory() {
    // newDefaultFactory: the JDK implementation, whose safety settings below are known to hold.
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException("external resources are refused");
        });
    return f;
  }

  private static StatementException dtdForbidden() {
    return new StatementException(
        FinanceReasons.XML_DTD_FORBIDDEN,
        "the document declares a DOCTYPE; statements with a DTD are refused unread");
  }

  /** True when the prolog (before the root element) holds a DOCTYPE declaration. */
  static boolean declaresDoctype(String text) {
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith("<?", i)) {
        int end = text.indexOf("?>", i + 2);
        if (end < 0) {
          return false;
        }
        i = end + 2;
      } else if (text.startsWith("<!--", i)) {
        int end = text.indexOf("-->", i + 4);
        if (end < 0) {
          return false;
        }
        i = end + 3;
      } else {
        return text.startsWith("<!DOCTYPE", i);
      }
    }
    return false;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  // ---------------------------------------------------------------- a small element tree

  /** One element: local name, the Ccy attribute if any, text, children, and its line. */
  static final class Node {
    final String name;
    final String ccy;
    final long line;
    final StringBuilder text = new StringBuilder();
    final List<Node> children = new ArrayList<>();
    /** The element's text went past {@link StatementText#MAX_TEXT_CHARS}; only that much is kept. */
    boolean tooLong;

    Node(String name, String ccy, long line) {
      this.name = name;
      this.ccy = ccy;
      this.line = line;
    }

    Node child(String localName) {
      for (Node c : children) {
        if (c.name.equals(localName)) {
          return c;
        }
      }
      return null;
    }

    List<Node> all(String localName) {
      return children.stream().filter(c -> c.name.equals(localName)).collect(Collectors.toList());
    }

    Node path(String... names) {
      Node n = this;
      for (String name : names) {
        n = n.child(name);
        if (n == null) {
          return null;
        }
      }
      return n;
    }

    /** The trimmed text at a path, or null when the element is absent or blank. */
    String text(String... names) {
      Node n = path(names);
      if (n == null) {
        return null;
      }
      String t = n.text.toString().trim();
      return t.isEmpty() ? null : t;
    }
  }

  /** Reads the element the reader is on (a start tag) into a tree; leaves it on the end tag. */
  private static Node readElement(XMLStreamReader r, int depth) throws XMLStreamException {
    if (depth > MAX_DEPTH) {
      throw new XMLStreamException("elements nested deeper than " + MAX_DEPTH);
    }
    Node node = new Node(r.getLocalName(), r.getAttributeValue(null, "Ccy"), r.getLocation().getLineNumber());
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> node.children.add(readElement(r, depth + 1));
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
          int room = StatementText.MAX_TEXT_CHARS - node.text.length();
          int n = r.getTextLength();
          if (n > room) {
            node.tooLong = true;
          }
          node.text.append(r.getTextCharacters(), r.getTextStart(), Math.max(0, Math.min(n, room)));
        }
        case XMLStreamConstants.END_ELEMENT -> {
          return node;
        }
        default -> {
          // comments, processing instructions, whitespace
        }
      }
    }
  }

  private static void skip(XMLStreamReader r) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  // ---------------------------------------------------------------- statements

  /** A Ntry element with the lines it spans. */
  private record RawEntry(Node node, long firstLine, long lastLine) {}

  private static void readStatement(
      XMLStreamReader r,
      String sourceFile,
      List<String> lines,
      List<BankStatement> statements,
      List<StatementEntry> entries,
      List<ParsedFile.Failure> failures)
      throws XMLStreamException {
    long startLine = r.getLocation().getLineNumber();
    Node header = new Node("Stmt", null, startLine);
    List<RawEntry> rawEntries = new ArrayList<>();
    while (true) {
      int event = r.next();
      if (event == XMLStreamConstants.END_ELEMENT) {
        break;
      }
      if (event == XMLStreamConstants.START_ELEMENT) {
        long first = r.getLocation().getLineNumber();
        Node child = readElement(r, 4);
        if (child.name.equals("Ntry")) {
          rawEntries.add(new RawEntry(child, first, r.getLocation().getLineNumber()));
        } else {
          header.children.add(child);
        }
      }
    }
    long endLine = r.getLocation().getLineNumber();
    long headerEnd = rawEntries.isEmpty() ? endLine : rawEntries.get(0).firstLine() - 1;
    SourceRef source = SourceRef.of(sourceFile, startLine, StatementText.raw(lines, startLine, headerEnd));
    try {
      Built built = build(header, rawEntries, source, sourceFile, lines);
      statements.add(built.statement);
      entries.addAll(built.entries);
    } catch (StatementException e) {
      failures.add(
          new ParsedFile.Failure(
              SourceRef.of(sourceFile, startLine, StatementText.raw(lines, startLine, endLine)),
              e.reason(),
              e.getMessage()));
    }
  }

  private record Built(BankStatement statement, List<StatementEntry> entries) {}

  private record Balance(String type, BigDecimal amount, LocalDate date, String ccy) {}

  private static Built build(
      Node stmt, List<RawEntry> rawEntries, SourceRef source, String sourceFile, List<String> lines)
      throws StatementException {
    List<String> issues = new ArrayList<>();
    Node huge = tooLong(stmt);
    for (RawEntry raw : rawEntries) {
      huge = huge != null ? huge : tooLong(raw.node());
    }
    if (huge != null) {
      throw new StatementException(Reasons.RECORD_TOO_LONG, "<" + huge.name + "> on line " + huge.line
          + " holds more than " + StatementText.MAX_TEXT_CHARS + " characters");
    }
    String id = stmt.text("Id");
    if (id == null) {
      throw malformed("the statement has no Id");
    }
    String account = stmt.text("Acct", "Id", "IBAN");
    if (account == null) {
      account = stmt.text("Acct", "Id", "Othr", "Id");
    }
    if (account == null) {
      throw malformed("statement " + id + " has no Acct/Id/IBAN nor Acct/Id/Othr/Id");
    }
    List<Balance> balances = new ArrayList<>();
    for (Node bal : stmt.all("Bal")) {
      balances.add(balance(bal, id, issues));
    }
    Balance opening = first(balances, "OPBD");
    if (opening == null) {
      opening = first(balances, "PRCD");
      if (opening != null) {
        issues.add("no OPBD balance; the PRCD balance is read as the opening balance");
      }
    }
    if (opening == null) {
      throw malformed("statement " + id + " has no opening balance (OPBD or PRCD)");
    }
    Balance closing = first(balances, "CLBD");
    if (closing == null) {
      throw malformed("statement " + id + " has no closing balance (CLBD)");
    }
    String currency = stmt.text("Acct", "Ccy");
    if (currency == null) {
      currency = opening.ccy();
      if (currency == null) {
        throw malformed("statement " + id + " has no Acct/Ccy and no currency on its opening balance");
      }
      issues.add("no Acct/Ccy; the currency " + currency + " is read from the opening balance");
    }
    List<StatementEntry> entries = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    int index = 0;
    for (RawEntry raw : rawEntries) {
      index++;
      String where = "entry " + index + " (line " + raw.firstLine() + ")";
      StatementEntry e =
          entry(raw, id, account, currency, where, issues,
              SourceRef.of(sourceFile, raw.firstLine(), StatementText.raw(lines, raw.firstLine(), raw.lastLine())));
      if (e != null) {
        entries.add(e);
        total = total.add(e.amount());
      }
    }
    BankStatement statement =
        new BankStatement(
            id, account, currency, BankStatement.CAMT053, opening.date(), opening.amount(),
            closing.date(), closing.amount(), entries.size(), total, issues, source);
    return new Built(statement, entries);
  }

  /** The first element of the tree whose text was too long, or null. */
  private static Node tooLong(Node n) {
    if (n.tooLong) {
      return n;
    }
    for (Node c : n.children) {
      Node t = tooLong(c);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  private static Balance first(List<Balance> balances, String type) {
    return balances.stream().filter(b -> type.equals(b.type())).findFirst().orElse(null);
  }

  private static Balance balance(Node bal, String stmtId, List<String> issues) throws StatementException {
    String type = bal.text("Tp", "CdOrPrtry", "Cd");
    if (type == null) {
      type = bal.text("Tp", "CdOrPrtry", "Prtry");
    }
    if (type == null) {
      issues.add("a balance (line " + bal.line + ") has no type code; ignored");
      return new Balance(null, BigDecimal.ZERO, null, null);
    }
    Node amt = bal.child("Amt");
    BigDecimal amount = decimal("balance " + type + " of statement " + stmtId, amt);
    String cdi = bal.text("CdtDbtInd");
    if (cdi == null) {
      issues.add(type + " balance has no CdtDbtInd; read as credit");
    } else if (cdi.equals("DBIT")) {
      amount = amount.negate();
    } else if (!cdi.equals("CRDT")) {
      throw malformed(type + " balance of statement " + stmtId + " has CdtDbtInd '" + cdi + "'");
    }
    LocalDate date = date(bal.child("Dt"));
    if (date == null) {
      throw malformed(type + " balance of statement " + stmtId + " has no date");
    }
    return new Balance(type, amount, date, amt.ccy);
  }

  private static BigDecimal decimal(String what, Node amt) throws StatementException {
    if (amt == null || amt.text.toString().isBlank()) {
      throw malformed(what + " has no Amt");
    }
    String t = amt.text.toString().trim();
    try {
      return Values.decimal(t);
    } catch (NumberFormatException e) {
      throw malformed(what + " has an Amt that is not a number" + bound(e) + ": '" + excerpt(t) + "'");
    }
  }

  /** A date element holding Dt (a date) or DtTm (a date-time: its date as written is taken). */
  private static LocalDate date(Node holder) throws StatementException {
    if (holder == null) {
      return null;
    }
    String t = holder.text("Dt");
    if (t == null) {
      t = holder.text("DtTm");
    }
    if (t == null) {
      return null;
    }
    try {
      return Values.isoDate(t.length() > 10 ? t.substring(0, 10) : t);
    } catch (DateTimeParseException e) {
      throw malformed("'" + excerpt(t) + "' is not an ISO date");
    }
  }

  private static String endToEnd(String id) {
    // NOTPROVIDED is the ISO 20022 placeholder for "the payer gave no end-to-end id".
    return id == null || id.equals("NOTPROVIDED") ? "" : id;
  }

  private static StatementEntry entry(
      RawEntry raw,
      String stmtId,
      String account,
      String currency,
      String where,
      List<String> issues,
      SourceRef source)
      throws StatementException {
    Node n = raw.node();
    String what = where + " of statement " + stmtId;
    String status = n.text("Sts");
    if (status == null) {
      status = n.text("Sts", "Cd"); // camt.053.001.08 and later: Sts/Cd
    }
    if (status != null && !status.equals("BOOK")) {
      // Pending and information-only entries are not on the balance.
      issues.add(where + " has status " + status + ", not BOOK; skipped");
      return null;
    }
    Node amtNode = n.child("Amt");
    BigDecimal amount = decimal(what, amtNode);
    if (amtNode.ccy != null && !amtNode.ccy.equals(currency)) {
      issues.add(where + " is in " + amtNode.ccy + ", the account in " + currency);
    }
    String cdi = n.text("CdtDbtInd");
    if ("DBIT".equals(cdi)) {
      amount = amount.negate();
    } else if (!"CRDT".equals(cdi)) {
      throw malformed(what + " has CdtDbtInd '" + cdi + "' (CRDT or DBIT expected)");
    }
    LocalDate booking = date(n.child("BookgDt"));
    LocalDate value = date(n.child("ValDt"));
    if (booking == null && value == null) {
      throw malformed(what + " has neither a booking nor a value date");
    } else if (booking == null) {
      issues.add(where + " has no BookgDt; the value date is used");
      booking = value;
    } else if (value == null) {
      issues.add(where + " has no ValDt; the booking date is used");
      value = booking;
    }
    String bankRef = n.text("AcctSvcrRef");
    List<Node> txs = new ArrayList<>();
    for (Node details : n.all("NtryDtls")) {
      txs.addAll(details.all("TxDtls"));
    }
    String endToEndId = "";
    String description = null;
    List<BatchDetail> batch = new ArrayList<>();
    if (txs.size() == 1) {
      Node tx = txs.get(0);
      endToEndId = endToEnd(tx.text("Refs", "EndToEndId"));
      if (bankRef == null) {
        bankRef = tx.text("Refs", "AcctSvcrRef");
      }
      description = unstructured(tx);
    } else if (txs.size() > 1) {
      BigDecimal sum = BigDecimal.ZERO;
      int i = 0;
      for (Node tx : txs) {
        i++;
        Node txAmt = tx.child("Amt"); // camt.053.001.04 and later
        if (txAmt == null) {
          txAmt = tx.path("AmtDtls", "TxAmt", "Amt");
        }
        if (txAmt == null) {
          txAmt = tx.path("AmtDtls", "InstdAmt", "Amt");
        }
        if (txAmt == null) {
          issues.add(where + ": transaction " + i + " of the batch has no amount; left out of the details");
          continue;
        }
        BigDecimal txAmount = decimal(what + " transaction " + i, txAmt);
        String txCdi = tx.text("CdtDbtInd");
        boolean debit = txCdi == null ? amount.signum() < 0 : txCdi.equals("DBIT");
        batch.add(new BatchDetail(endToEnd(tx.text("Refs", "EndToEndId")), debit ? txAmount.negate() : txAmount));
        sum = sum.add(debit ? txAmount.negate() : txAmount);
      }
      if (batch.size() == txs.size() && sum.compareTo(amount) != 0) {
        issues.add(where + ": the batch details sum to " + sum.toPlainString() + ", the entry is " + amount.toPlainString());
      }
    }
    if (description == null) {
      description = n.text("AddtlNtryInf");
    }
    return new StatementEntry(
        stmtId, account, currency, booking, value, amount, endToEndId,
        bankRef == null ? "" : bankRef, description == null ? "" : description, batch, source);
  }

  private static String unstructured(Node tx) {
    Node rmt = tx.child("RmtInf");
    if (rmt == null) {
      return null;
    }
    String joined =
        rmt.all("Ustrd").stream()
            .map(u -> u.text.toString().trim())
            .filter(s -> !s.isEmpty())
            .collect(Collectors.joining(" "));
    return joined.isEmpty() ? null : joined;
  }

  /** Why {@link Values#decimal} refused a number, when it was a bound and not the syntax. */
  static String bound(NumberFormatException e) {
    String m = e.getMessage();
    return m != null && (m.startsWith("out of range") || m.startsWith("longer than")) ? " (" + m + ")" : "";
  }

  /** A value quoted in a message, cut to 100 characters. */
  static String excerpt(String value) {
    return value.length() > 100 ? value.substring(0, 100) + "..." : value;
  }

  private static StatementException malformed(String message) {
    return new StatementException(FinanceReasons.MALFORMED_STATEMENT, message);
  }
}
