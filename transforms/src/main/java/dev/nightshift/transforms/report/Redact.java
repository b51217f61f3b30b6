package dev.nightshift.transforms.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masking of identifiers on human-facing surfaces: reports, the HTML run report and logs. Data
 * contracts that other systems act on (settlement instructions, the patient master, dead letters
 * for replay) keep full identifiers; see the README's Security section for which file is which.
 *
 * <ul>
 *   <li>{@link #identifier(String)}: an account number or id shown as its last four letters or
 *       digits, the others replaced by {@code *} (separators kept); an IBAN also keeps its country
 *       code: {@code NL91ABNA0417164300} becomes {@code NL**************4300}.
 *   <li>{@link #text(String)}: free text (a dead letter's message) with every identifier-like
 *       token masked: IBANs, US social security numbers, e-mail addresses, runs of six or more
 *       digits (not a line number after {@code :}), and every quoted value ({@code '...'}) that
 *       holds a digit and is not a date, time or number: that is how the pipelines quote input
 *       values in their messages.
 * </ul>
 */
public final class Redact {
  private Redact() {}

  /** Letters and digits shown at the end of a masked identifier. */
  public static final int KEPT = 4;

  static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}\\b");
  static final Pattern SSN = Pattern.compile("\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b");
  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  static final Pattern QUOTED = Pattern.compile("'([^'\\n]*[0-9][^'\\n]*)'");
  /** Six or more digits in a token, not a line number ({@code file:123456}) or decimals ({@code 1.234567}). */
  static final Pattern DIGITS = Pattern.compile("(?<![A-Za-z0-9_:.-])[A-Za-z0-9_-]*[0-9]{6,}[A-Za-z0-9_-]*");
  /** Dates, times and numbers: quoted, they are values, not identifiers. */
  static final Pattern PLAIN = Pattern.compile("[-+]?[0-9][0-9 .,:/T+-]*Z?");

  /** The identifier with all but its last four letters or digits masked (an IBAN keeps its country). */
  public static String identifier(String id) {
    if (id == null || id.isEmpty()) {
      return id;
    }
    boolean iban = IBAN.matcher(id).matches();
    int alnum = 0;
    for (int i = 0; i < id.length(); i++) {
      alnum += Character.isLetterOrDigit(id.charAt(i)) ? 1 : 0;
    }
    int keepFrom = alnum - Math.min(KEPT, alnum / 2); // a short id keeps at most half of itself
    StringBuilder b = new StringBuilder(id.length());
    int seen = 0;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        b.append(c);
        continue;
      }
      b.append(seen >= keepFrom || (iban && seen < 2) ? c : '*');
      seen++;
    }
    return b.toString();
  }

  /** Free text with every identifier-like token masked (see the class comment). */
  public static String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = replace(QUOTED, text,
        m -> PLAIN.matcher(m.group(1)).matches() ? m.group() : "'" + identifier(m.group(1)) + "'");
    s = replace(IBAN, s, m -> identifier(m.group()));
    s = replace(SSN, s, m -> identifier(m.group()));
    s = replace(EMAIL, s, m -> "***@***");
    return replace(DIGITS, s, m -> identifier(m.group()));
  }

  private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder b = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(f.apply(m)));
    }
    m.appendTail(b);
    return b.toString();
  }
}
