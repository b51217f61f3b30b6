package dev.nightshift.transforms.io;

import dev.nightshift.schemas.Reasons;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A streaming RFC 4180 CSV record reader that knows where each record starts. Quoted fields may hold
 * commas, doubled quotes and line breaks; CRLF and LF line ends are accepted. A record that cannot
 * be read cleanly is returned with an {@link Record#error()} rather than thrown, so one bad record
 * never costs the rest of the file:
 *
 * <ul>
 *   <li>a quote that is never closed runs to the end of the file (RFC 4180 allows line breaks inside
 *       quotes) and is reported as one malformed record;
 *   <li>text after a closing quote ({@code "ab"c}) is malformed;
 *   <li>a record longer than {@code maxRecordChars} is skipped to its end and reported, so a 10 MB
 *       line costs no more memory than the limit.
 * </ul>
 */
public final class CsvReader {

  /**
   * One record: its fields, the 1-based line it starts on, its raw text, and, when it could not be
   * read cleanly, a reason code and message.
   */
  public record Record(List<String> fields, long line, String raw, String reason, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final Reader in;
  private final int maxRecordChars;
  private long line = 1;
  private int pushedBack = -2;
  private boolean first = true;
  // Our own buffer: Reader.read() per character takes a lock each time (BufferedReader), which
  // cost more than the parsing. Builders are reused from record to record.
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int limit;
  private final StringBuilder raw = new StringBuilder(256);
  private final StringBuilder field = new StringBuilder(64);
  private final ArrayList<String> fields = new ArrayList<>();
  // Recent short field values, direct-mapped by content: repeated values (dates, currencies,
  // codes, accounts) share one String instead of one per row, which on millions of rows held in
  // memory (the Direct Runner keeps whole bundles) is most of the fields' footprint.
  private static final int CACHE_SLOTS = 4096;
  private static final int CACHE_MAX_CHARS = 16;
  private final String[] cache = new String[CACHE_SLOTS];
  private final int[] cacheHash = new int[CACHE_SLOTS];
  private int fieldHash; // String.hashCode of the field so far, kept as characters are appended

  public CsvReader(Reader in, int maxRecordChars) {
    this.in = in;
    this.maxRecordChars = maxRecordChars;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    if (pos == limit) {
      int n = in.read(buf, 0, buf.length);
      while (n == 0) {
        n = in.read(buf, 0, buf.length);
      }
      if (n < 0) {
        return -1;
      }
      pos = 0;
      limit = n;
    }
    int c = buf[pos++];
    if (first) {
      first = false;
      if (c == '\uFEFF') { // a UTF-8 byte-order mark is not data
        c = read();
      }
    }
    return c;
  }

  private void append(char c) {
    field.append(c);
    fieldHash = 31 * fieldHash + c;
  }

  /** The current field as a String (the field is then cleared), shared with an equal recent value when it is short. */
  private String fieldValue() {
    int n = field.length();
    int h = fieldHash;
    fieldHash = 0;
    if (n == 0) {
      return "";
    }
    if (n > CACHE_MAX_CHARS) {
      return field.toString();
    }
    int slot = (h ^ (h >>> 12)) & (CACHE_SLOTS - 1);
    String cached = cache[slot];
    if (cached != null && cacheHash[slot] == h && cached.length() == n && cached.contentEquals(field)) {
      return cached;
    }
    String value = field.toString();
    cache[slot] = value;
    cacheHash[slot] = h;
    return value;
  }

  /** The next record, or null at the end of the input. Blank lines are skipped. */
  public Record next() throws IOException {
    fields.clear();
    raw.setLength(0);
    field.setLength(0);
    fieldHash = 0;
    long start = line;
    boolean inQuotes = false;
    boolean quotedField = false;
    boolean afterQuote = false;
    String error = null;
    String reason = Reasons.MALFORMED_CSV;
    boolean tooLong = false;
    int c = read();
    if (c == -1) {
      return null;
    }
    while (true) {
      if (c == -1) {
        if (inQuotes) {
          error = "unterminated quoted field starting in this record";
        }
        break;
      }
      if (!tooLong) {
        raw.append((char) c);
        // The line break that ends the record is not part of it and does not count to the limit.
        boolean recordEnd = !inQuotes && (c == '\n' || c == '\r');
        if (!recordEnd && raw.length() > maxRecordChars) {
          tooLong = true;
          raw.setLength(Math.min(raw.length(), 200));
          raw.append("...");
          field.setLength(0);
          fieldHash = 0;
        }
      }
      if (inQuotes) {
        if (c == '"') {
          int d = read();
          if (d == '"') {
            if (!tooLong) {
              raw.append('"');
              append('"');
            }
          } else {
            inQuotes = false;
            afterQuote = true;
            pushedBack = d;
          }
        } else {
          if (c == '\n') {
            line++;
          } else if (c == '\r') { // a lone CR (old Mac line end) inside quotes is a line break too
            int d = read();
            if (d != '\n') {
              line++;
            }
            pushedBack = d;
          }
          if (!tooLong) {
            append((char) c);
          }
        }
      } else if (c == ',') {
        fields.add(fieldValue());
        field.setLength(0);
        quotedField = false;
        afterQuote = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r') {
          int d = read();
          if (d != '\n') {
            pushedBack = d;
          }
        }
        line++;
        if (!tooLong) {
          raw.setLength(raw.length() - 1);
        }
        if (fields.isEmpty() && field.length() == 0 && !quotedField && raw.length() == 0) {
          // a blank line: skip it and start the record on the next line
          start = line;
          c = read();
          if (c == -1) {
            return null;
          }
          continue;
        }
        break;
      } else if (c == '"' && field.length() == 0 && !quotedField) {
        inQuotes = true;
        quotedField = true;
      } else {
        if (afterQuote && error == null) {
          error = "text after a closing quote in field " + (fields.size() + 1);
        }
        if (!tooLong) {
          append((char) c);
        }
      }
      c = read();
    }
    fields.add(fieldValue());
    if (tooLong) {
      reason = Reasons.RECORD_TOO_LONG;
      error = "record longer than " + maxRecordChars + " characters";
    }
    return new Record(
        Collections.unmodifiableList(Arrays.asList(fields.toArray(new String[0]))),
        start,
        raw.toString(),
        error == null ? null : reason,
        error);
  }
}
