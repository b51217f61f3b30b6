package dev.nightshift.transforms.io;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines as {@link java.io.BufferedReader#readLine} splits them ({@code \n}, {@code \r\n} or a lone
 * {@code \r} ends a line), but a line longer than the limit is not held: only its first
 * {@link #KEPT_CHARS} characters are kept and the rest is counted and dropped. {@code readLine}
 * would build the whole line first, so one 50 MB line without a line break costs 100 MB and more of
 * heap before a reader can refuse it.
 */
final class BoundedLineReader {
  /** Characters kept of a line that is too long (for the dead letter's raw payload). */
  static final int KEPT_CHARS = 200;

  /** One line: its text (cut to {@link #KEPT_CHARS} when too long) and whether it was too long. */
  record Line(String text, boolean tooLong) {}

  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[1 << 16];
  private int pos;
  private int end;
  private boolean skipLf;

  BoundedLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    pos = 0;
    end = n;
    return true;
  }

  /** The next line, or null at the end of the input. */
  Line next() throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    boolean any = false;
    while (true) {
      if (pos >= end && !fill()) {
        return any ? done(line, length) : null;
      }
      if (skipLf) {
        skipLf = false;
        if (buffer[pos] == '\n') {
          pos++;
          continue;
        }
      }
      any = true;
      int start = pos;
      while (pos < end && buffer[pos] != '\n' && buffer[pos] != '\r') {
        pos++;
      }
      int n = pos - start;
      if (length + n <= maxChars) {
        line.append(buffer, start, n);
      } else if (line.length() < KEPT_CHARS) {
        line.append(buffer, start, (int) Math.min(n, KEPT_CHARS - line.length()));
      }
      length += n;
      if (length > maxChars && line.length() > KEPT_CHARS) {
        line.setLength(KEPT_CHARS);
        line.trimToSize();
      }
      if (pos < end) {
        skipLf = buffer[pos] == '\r';
        pos++;
        return done(line, length);
      }
    }
  }

  private Line done(StringBuilder line, long length) {
    return length > maxChars ? new Line(line.toString(), true) : new Line(line.toString(), false);
  }
}
