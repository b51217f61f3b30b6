package dev.nightshift.transforms.report;

/**
 * HTML escaping for every page Nightshift writes (the run report, the sales report): text from
 * input data is never markup. Escapes {@code & < > " '}, so the result is safe both as element text
 * and inside a quoted attribute value. A {@code null} is the empty string.
 */
public final class Html {
  private Html() {}

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
