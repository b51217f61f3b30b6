package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.transforms.io.Values;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWIFT MT940 (customer statement), with or without the FIN envelope ({@code {1:..}{2:..}{4:}
 * ... {@code -}}), one or several statements per file. Each statement starts at {@code :20:}.
 *
 * <p>Tags read: {@code :20:} reference (the statement id is {@code :20:/:28C:} when a
 * {@code :28C:} statement number is present, because many banks repeat the same {@code :20:} in
 * every statement), {@code :25:} account (a trailing currency code equal to the opening balance's
 * currency is removed, so {@code NL68INGB0000012345EUR} is the IBAN), {@code :60F:/:60M:} opening,
 * {@code :61:} entry with its supplementary line, the {@code :86:} right after a {@code :61:} as
 * its description, {@code :62F:/:62M:} closing. An {@code :86:} elsewhere (statement information,
 * e.g. {@code /SUM/}) and {@code :64:/:65:} are not entries and are ignored.
 *
 * <p>{@code :86:} continuation lines are joined without a separator: MT940 wraps at a fixed width,
 * mid-word. The end-to-end id is taken from {@code /EREF/value/} (or {@code EREF+value} of the
 * German structured {@code :86:}); {@code NOTPROVIDED} means none.
 *
 * <p>Marks: C credit (+), D debit (-), RC reversal of a credit (a debit, -), RD reversal of a debit
 * (a credit, +). The optional {@code MMDD} after the value date is the booking date; its year is
 * the one that puts it closest to the value date (a booking on 31 Dec valued 2 Jan).
 */
public final class Mt940Parser {
  private Mt940Parser() {}

  private static final Pattern TAG = Pattern.compile("^:(\\d{2}[A-Z]?):(.*)$");
  private static final Pattern BALANCE =
      Pattern.compile("^([CD])(\\d{6})([A-Z]{3})(\\d+(?:,\\d*)?)\\s*$");
  private static final Pattern LINE61 =
      Pattern.compile("^(\\d{6})(\\d{4})?(RC|RD|C|D)([A-Z])?(\\d+,\\d*)([A-Z][A-Z0-9]{3})(.*)$");
  private static final Pattern EREF = Pattern.compile("/EREF/([^/]*)");
  private static final Pattern EREF_DE = Pattern.compile("EREF\\+([^?]*)");

  public static ParsedFile parse(String sourceFile, byte[] content) throws StatementException {
    return parse(sourceFile, StatementText.decode(content));
  }

  public static ParsedFile parse(String sourceFile, String text) throws StatementException {
    List<String> lines = StatementText.lines(text);
    List<Block> blocks = split(lines);
    if (blocks.isEmpty()) {
      throw new StatementException(FinanceReasons.NOT_MT940, "no MT940 statement (no :20: tag) in the file");
    }
    List<BankStatement> statements = new ArrayList<>();
    List<StatementEntry> entries = new ArrayList<>();
    List<ParsedFile.Failure> failures = new ArrayList<>();
    for (Block b : blocks) {
      try {
        for (long i = b.first; i <= b.last; i++) {
          if (lines.get((int) i - 1).length() > StatementText.MAX_TEXT_CHARS) {
            throw new StatementException(Reasons.RECORD_TOO_LONG,
                "line " + i + " is longer than " + StatementText.MAX_TEXT_CHARS + " characters");
          }
        }
        List<StatementEntry> own = new ArrayList<>();
        statements.add(build(b, sourceFile, lines, own));
        entries.addAll(own);
      } catch (StatementException e) {
        failures.add(
            new ParsedFile.Failure(
                SourceRef.of(sourceFile, b.first, StatementText.raw(lines, b.first, b.last)),
                e.reason(),
                e.getMessage()));
      } catch (RuntimeException e) {
        failures.add(
            new ParsedFile.Failure(
                SourceRef.of(sourceFile, b.first, StatementText.raw(lines, b.first, b.last)),
                FinanceReasons.MALFORMED_STATEMENT,
                "statement does not parse: " + e));
      }
    }
    return new ParsedFile(statements, entries, failures);
  }

  // ---------------------------------------------------------------- splitting

  /** One tag: name, value lines (the first holds what follows the tag), first line number. */
  private static final class Tag {
    final String name;
    final List<String> values = new ArrayList<>();
    final long line;
    long last;

    Tag(String name, String first, long line) {
      this.name = name;
      this.values.add(first);
      this.line = line;
      this.last = line;
    }
  }

  /** One statement's tags and the lines it spans. */
  private static final class Block {
    final List<Tag> tags = new ArrayList<>();
    final long first;
    long last;

    Block(long first) {
      this.first = first;
      this.last = first;
    }
  }

  private static List<Block> split(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    Block current = null;
    Tag tag = null;
    for (int i = 0; i < lines.size(); i++) {
      long lineNo = i + 1;
      String line = stripEnvelope(lines.get(i));
      if (line == null) {
        continue;
      }
      String trimmed = line.strip();
      if (trimmed.startsWith("-}") || trimmed.equals("-")) {
        // end of a FIN message text block, or the separator of envelope-less exports
        current = null;
        tag = null;
        continue;
      }
      Matcher m = TAG.matcher(line);
      if (m.matches()) {
        if (m.group(1).equals("20") || current == null) {
          current = new Block(lineNo);
          blocks.add(current);
        }
        tag = new Tag(m.group(1), m.group(2), lineNo);
        current.tags.add(tag);
        current.last = lineNo;
      } else if (tag != null && !trimmed.isEmpty()) {
        tag.values.add(line);
        tag.last = lineNo;
        current.last = lineNo;
      }
      // text outside any statement (bank headers, blank lines) is not part of a statement
    }
    return blocks;
  }

  /**
   * The line without leading FIN blocks {@code {1:..}{2:..}{3:{..}}} and the opening {@code {4:};
   * null when nothing is left.
   */
  private static String stripEnvelope(String line) {
    String s = line;
    while (s.startsWith("{")) {
      if (s.startsWith("{4:")) {
        s = s.substring(3);
        break;
      }
      int depth = 0;
      int end = -1;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        return null; // an unterminated block header: nothing of a statement on this line
      }
      s = s.substring(end + 1);
    }
    return s.isBlank() && !line.isBlank() ? null : s;
  }

  // ---------------------------------------------------------------- building

  private record Bal(BigDecimal amount, LocalDate date, String currency) {}

  private static BankStatement build(Block b, String sourceFile, List<String> lines, List<StatementEntry> out)
      throws StatementException {
    List<String> issues = new ArrayList<>();
    String reference = null;
    String number = null;
    String account = null;
    Bal opening = null;
    Bal closing = null;
    List<Tag> entryTags = new ArrayList<>();
    List<Tag> infoTags = new ArrayList<>();
    long headerEnd = b.last;
    for (int i = 0; i < b.tags.size(); i++) {
      Tag t = b.tags.get(i);
      String v = t.values.get(0).strip();
      switch (t.name) {
        case "20" -> reference = v;
        case "25" -> account = v;
        case "28C", "28" -> number = v;
        case "60F", "60M" -> opening = balance(t, v);
        case "62F", "62M" -> closing = balance(t, v);
        case "61" -> {
          if (entryTags.isEmpty()) {
            headerEnd = t.line - 1;
          }
          Tag next = i + 1 < b.tags.size() ? b.tags.get(i + 1) : null;
          boolean described = next != null && next.name.equals("86");
          entryTags.add(t);
          infoTags.add(described ? next : null);
          if (described) {
            i++;
          }
        }
        default -> {
          // :21:, :64:, :65:, statement-level :86:, bank-specific tags
        }
      }
    }
    if (reference == null || reference.isEmpty()) {
      throw malformed("the statement starting on line " + b.first + " has no :20: reference");
    }
    String id = number == null || number.isEmpty() ? reference : reference + "/" + number;
    if (account == null || account.isEmpty()) {
      throw malformed("statement " + id + " has no :25: account");
    }
    if (opening == null) {
      throw malformed("statement " + id + " has no :60F:/:60M: opening balance");
    }
    if (closing == null) {
      throw malformed("statement " + id + " has no :62F:/:62M: closing balance");
    }
    String currency = opening.currency();
    if (!closing.currency().equals(currency)) {
      throw malformed("statement " + id + " opens in " + currency + " and closes in " + closing.currency());
    }
    if (account.length() > 3 && account.endsWith(currency)) {
      account = account.substring(0, account.length() - 3); // IBAN + currency (ING and others)
    }
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < entryTags.size(); i++) {
      Tag t = entryTags.get(i);
      Tag info = infoTags.get(i);
      long last = info == null ? t.last : info.last;
      SourceRef source = SourceRef.of(sourceFile, t.line, StatementText.raw(lines, t.line, last));
      StatementEntry e = entry(t, info, id, account, currency, source);
      total = total.add(e.amount());
      out.add(e);
    }
    SourceRef source =
        SourceRef.of(sourceFile, b.first, StatementText.raw(lines, b.first, Math.max(b.first, headerEnd)));
    return new BankStatement(
        id, account, currency, BankStatement.MT940, opening.date(), opening.amount(), closing.date(),
        closing.amount(), out.size(), total, issues, source);
  }

  private static Bal balance(Tag t, String v) throws StatementException {
    Matcher m = BALANCE.matcher(v);
    if (!m.matches()) {
      throw malformed(":" + t.name + ": on line " + t.line + " is not D/C, YYMMDD, currency, amount: '" + v + "'");
    }
    BigDecimal amount = amount(m.group(4), t);
    return new Bal(m.group(1).equals("D") ? amount.negate() : amount, yymmdd(m.group(2), t), m.group(3));
  }

  private static StatementEntry entry(
      Tag t, Tag info, String id, String account, String currency, SourceRef source)
      throws StatementException {
    String first = t.values.get(0).strip();
    Matcher m = LINE61.matcher(first);
    if (!m.matches()) {
      throw malformed(":61: on line " + t.line + " does not parse: '" + first + "'");
    }
    LocalDate value = yymmdd(m.group(1), t);
    LocalDate booking = m.group(2) == null ? value : nearest(value, m.group(2), t);
    String mark = m.group(3);
    BigDecimal amount = amount(m.group(5), t);
    // C and RD (reversal of a debit) raise the balance; D and RC lower it.
    if (mark.equals("D") || mark.equals("RC")) {
      amount = amount.negate();
    }
    String rest = m.group(7);
    int slashes = rest.indexOf("//");
    String bankRef = slashes < 0 ? "" : rest.substring(slashes + 2).strip();
    String description;
    String endToEndId = "";
    if (info != null) {
      StringBuilder sb = new StringBuilder();
      for (String s : info.values) {
        sb.append(s);
      }
      description = sb.toString().strip();
      Matcher e = EREF.matcher(description);
      Matcher de = EREF_DE.matcher(description);
      if (e.find()) {
        endToEndId = e.group(1).strip();
      } else if (de.find()) {
        endToEndId = de.group(1).strip();
      }
      if (endToEndId.equals("NOTPROVIDED")) {
        endToEndId = "";
      }
    } else {
      description = t.values.size() > 1 ? t.values.get(1).strip() : "";
    }
    return new StatementEntry(
        id, account, currency, booking, value, amount, endToEndId, bankRef, description, List.of(), source);
  }

  private static BigDecimal amount(String text, Tag t) throws StatementException {
    String s = text.replace(',', '.');
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return Values.decimal(s);
    } catch (NumberFormatException e) {
      throw malformed(":" + t.name + ": on line " + t.line + " has an amount that is not a number"
          + Camt053Parser.bound(e) + ": '" + Camt053Parser.excerpt(text) + "'");
    }
  }

  private static LocalDate yymmdd(String s, Tag t) throws StatementException {
    int yy = Integer.parseInt(s.substring(0, 2));
    // SWIFT years are two digits; 80-99 are taken as 19xx (statements older than 1980 do not exist).
    int year = yy >= 80 ? 1900 + yy : 2000 + yy;
    try {
      return LocalDate.of(year, Integer.parseInt(s.substring(2, 4)), Integer.parseInt(s.substring(4, 6)));
    } catch (DateTimeException e) {
      throw malformed(":" + t.name + ": on line " + t.line + " has an invalid date '" + s + "'");
    }
  }

  /** The booking date MMDD in the year that puts it closest to the value date. */
  private static LocalDate nearest(LocalDate value, String mmdd, Tag t) throws StatementException {
    int month = Integer.parseInt(mmdd.substring(0, 2));
    int day = Integer.parseInt(mmdd.substring(2, 4));
    LocalDate best = null;
    for (int year = value.getYear() - 1; year <= value.getYear() + 1; year++) {
      try {
        LocalDate d = LocalDate.of(year, month, day);
        if (best == null || Math.abs(d.toEpochDay() - value.toEpochDay()) < Math.abs(best.toEpochDay() - value.toEpochDay())) {
          best = d;
        }
      } catch (DateTimeException e) {
        // 29 Feb in a year without it
      }
    }
    if (best == null) {
      throw malformed(":61: on line " + t.line + " has an invalid booking date '" + mmdd + "'");
    }
    return best;
  }

  private static StatementException malformed(String message) {
    return new StatementException(FinanceReasons.MALFORMED_STATEMENT, message);
  }
}
