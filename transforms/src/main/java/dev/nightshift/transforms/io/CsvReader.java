package dev.nightshift.transforms.io;

import dev.nightshift.schemas.Reasons;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 CSV record reader that knows where each record starts. Quoted fields may hold
 * commas, doubled quotes and line breaks; CRLF, LF and lone CR line ends are accepted. A record that
 * cannot be read cleanly is returned with an {@link Record#error()} rather than thrown, so one bad
 * record never costs the rest of the file:
 *
 * <ul>
 *   <li>text after a closing quote ({@code "ab"c}) is malformed;
 *   <li>a broken record that spans several lines (a quote opened and never closed, or closed by a
 *       quote further down and followed by text) costs only its first line: that line is returned
 *       malformed and reading resumes on the next line, so a stray quote does not swallow the good
 *       records after it (the lines it had taken are read again, from memory: at most the limit);
 *   <li>a record longer than {@code maxRecordChars} is reported as too long: if it spans lines, its
 *       first line is refused and reading resumes on the next; if its first line alone is over the
 *       limit, that line is skipped to its line break (quotes no longer count there) without being
 *       held, so a 10 MB line costs no more memory than the limit.
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

  /** Characters of a too-long record kept as its raw text. */
  static final int KEPT_CHARS = 200;

  private final Reader in;
  private final int maxRecordChars;
  private long line = 1;
  private int pushedBack = -2;
  private boolean first = true;
  /** Text read again after a broken multi-line record (its lines after the first), then the input. */
  private String replay = "";
  private int replayAt;
  /** Read ahead in blocks: one call per character to a (synchronized) Reader costs more than the parse. */
  private final char[] buffer = new char[1 << 14];
  private int bufferAt;
  private int bufferEnd;

  public CsvReader(Reader in, int maxRecordChars) {
    this(in, maxRecordChars, 1, true);
  }

  /**
   * A reader of text that starts on line {@code firstLine} of a file; {@code fileStart} says whether
   * that is the file's start (only there is a leading U+FEFF a byte-order mark rather than data).
   */
  public CsvReader(Reader in, int maxRecordChars, long firstLine, boolean fileStart) {
    this.in = in;
    this.maxRecordChars = maxRecordChars;
    this.line = firstLine;
    this.first = fileStart;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    if (replayAt < replay.length()) {
      return replay.charAt(replayAt++);
    }
    int c = readInput();
    if (first) {
      first = false;
      if (c == '\uFEFF') { // a UTF-8 byte-order mark is not data
        c = readInput();
      }
    }
    return c;
  }

  private int readInput() throws IOException {
    if (bufferAt == bufferEnd) {
      int n = in.read(buffer, 0, buffer.length);
      if (n <= 0) {
        return -1; // a Reader returns 0 only for an empty buffer: never here
      }
      bufferAt = 0;
      bufferEnd = n;
    }
    return buffer[bufferAt++];
  }

  /** The next record, or null at the end of the input. Blank lines are skipped. */
  public Record next() throws IOException {
    Record fast = plainPath ? nextPlain() : null;
    return fast != null ? fast : nextAnyway();
  }

  /**
   * The fast path: a record on one line without a quote, wholly in the buffer, read straight from
   * it (a field split at its commas, short values shared: see {@link #shared}). Null, having read
   * nothing but blank lines, when that is not the case: {@link #nextAnyway} reads it then. The
   * records are those {@link #nextAnyway} gives (CsvReaderPathsTest compares them on random text cut into random reads).
   */
  private Record nextPlain() throws IOException {
    if (first || pushedBack != -2 || replayAt < replay.length()) {
      return null;
    }
    // blank lines; a CR that ends the buffer is left to the slow path (an LF may follow it)
    while (bufferAt < bufferEnd && (buffer[bufferAt] == '\n' || buffer[bufferAt] == '\r')) {
      if (buffer[bufferAt] == '\r') {
        if (bufferAt + 1 == bufferEnd) {
          return null;
        }
        if (buffer[bufferAt + 1] == '\n') {
          bufferAt++;
        }
      }
      bufferAt++;
      line++;
    }
    int start = bufferAt;
    int end = start;
    int limit = Math.min(bufferEnd, start + maxRecordChars + 1);
    while (end < limit) {
      char c = buffer[end];
      if (c == '\n' || c == '\r') {
        break;
      }
      if (c == '"') {
        return null;
      }
      end++;
    }
    if (end == limit || end == start) {
      return null; // no line end in the buffer (or the record is too long): the slow path reads it
    }
    List<String> fields = new ArrayList<>(16);
    int from = start;
    for (int i = start; i < end; i++) {
      if (buffer[i] == ',') {
        fields.add(shared(fields.size(), from, i));
        from = i + 1;
      }
    }
    fields.add(shared(fields.size(), from, end));
    Record record = new Record(java.util.Collections.unmodifiableList(fields), line,
        new String(buffer, start, end - start), null, null);
    bufferAt = end + 1;
    lineEnd(buffer[end]);
    return record;
  }

  /** Off in tests only: every record then takes the general path. */
  boolean plainPath = true;

  /** Recently read short values, by a hash of their characters: repeated values share one String. */
  private final String[] values = new String[1 << 12];

  /** Per column (the first 64): values looked up in {@link #values}, and how many were found. */
  private final int[] lookups = new int[64];
  private final int[] found = new int[64];

  /**
   * The text of {@code buffer[from, to)}, field {@code column} of its record: a value of up to 16
   * characters read recently (a date, a currency, an ISIN, an account) is the same String, so the
   * records that carry it share it and maps keyed by it compare by identity first. A column whose
   * values rarely repeat (ids, times, amounts: under a quarter found in its first 4,096) is no
   * longer looked up: the lookups cost more than they save there.
   */
  private String shared(int column, int from, int to) {
    int n = to - from;
    if (n > 16) {
      return new String(buffer, from, n);
    }
    boolean sampling = false;
    if (column < lookups.length) {
      int tries = lookups[column];
      if (tries < 4096) {
        lookups[column] = tries + 1;
        sampling = true;
      } else if (found[column] * 4 < tries) {
        return new String(buffer, from, n);
      }
    }
    int h = n;
    for (int i = from; i < to; i++) {
      h = 31 * h + buffer[i];
    }
    h ^= h >>> 16;
    int slot = h & (values.length - 1);
    String cached = values[slot];
    if (cached != null && cached.length() == n) {
      boolean same = true;
      for (int i = 0; i < n && same; i++) {
        same = cached.charAt(i) == buffer[from + i];
      }
      if (same) {
        if (sampling) {
          found[column]++;
        }
        return cached;
      }
    }
    String value = new String(buffer, from, n);
    values[slot] = value;
    return value;
  }

  /** The general path: any record, character by character (quotes, long records, buffer ends). */
  private Record nextAnyway() throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder raw = new StringBuilder();
    StringBuilder field = new StringBuilder();
    boolean inQuotes = false;
    boolean quotedField = false;
    boolean afterQuote = false;
    String error = null;
    int c = read();
    while (c == '\n' || c == '\r') { // blank lines: the record starts on the next line
      lineEnd(c);
      c = read();
    }
    long start = line;
    if (c == -1) {
      return null;
    }
    while (true) {
      if (c == -1) {
        if (inQuotes) {
          String message = "unterminated quoted field: the file ends inside the quotes opened in this record";
          if (hasLineBreak(raw)) {
            return refuseFirstLine(start, raw, "", Reasons.MALFORMED_CSV, message);
          }
          error = message;
        }
        break;
      }
      raw.append((char) c);
      boolean recordEnd = !inQuotes && (c == '\n' || c == '\r');
      // The line break that ends the record is not part of it and does not count to the limit.
      if (!recordEnd && raw.length() > maxRecordChars) {
        String message = "record longer than " + maxRecordChars + " characters";
        if (hasLineBreak(raw)) {
          return refuseFirstLine(start, raw, "", Reasons.RECORD_TOO_LONG,
              message + " (a quoted field runs on past it: an unclosed quote?); reading resumes on the next line");
        }
        return skipLongLine(start, raw, message);
      }
      if (inQuotes) {
        if (c == '"') {
          int d = read();
          if (d == '"') {
            raw.append('"');
            field.append('"');
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
          field.append((char) c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        quotedField = false;
        afterQuote = false;
      } else if (recordEnd) {
        lineEnd(c);
        raw.setLength(raw.length() - 1);
        break;
      } else if (c == '"' && field.length() == 0 && !quotedField) {
        inQuotes = true;
        quotedField = true;
      } else {
        if (afterQuote && error == null) {
          error = "text after a closing quote in field " + (fields.size() + 1);
        }
        field.append((char) c);
      }
      c = read();
    }
    if (error != null && hasLineBreak(raw)) {
      // the record ended with a line break that raw no longer holds: it is read again too
      return refuseFirstLine(start, raw, "\n", Reasons.MALFORMED_CSV, error + ", in a record that spans lines from here (a quote opened here closes further down)");
    }
    fields.add(field.toString());
    return new Record(List.copyOf(fields), start, raw.toString(), error == null ? null : Reasons.MALFORMED_CSV, error);
  }

  /** Counts a line break outside quotes; a CR followed by LF is one. */
  private void lineEnd(int c) throws IOException {
    if (c == '\r') {
      int d = read();
      if (d != '\n') {
        pushedBack = d;
      }
    }
    line++;
  }

  private static boolean hasLineBreak(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n' || s.charAt(i) == '\r') {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses the first line of a broken record that spans lines, and reads what followed it again
   * (then whatever was pushed back, then the rest of the input).
   */
  private Record refuseFirstLine(long start, StringBuilder raw, String ending, String reason, String message)
      throws IOException {
    int br = 0;
    while (raw.charAt(br) != '\n' && raw.charAt(br) != '\r') {
      br++;
    }
    if (br == raw.length() - 1 && raw.charAt(br) == '\r' && pushedBack == -2 && ending.isEmpty()) {
      // the limit was reached on the CR of a CRLF: its LF belongs to the same line break
      int d = read();
      if (d != '\n') {
        pushedBack = d;
      }
    }
    int next = br + (raw.charAt(br) == '\r' && br + 1 < raw.length() && raw.charAt(br + 1) == '\n' ? 2 : 1);
    String pending = pushedBack >= 0 ? String.valueOf((char) pushedBack) : "";
    pushedBack = -2;
    replay = raw.substring(next) + ending + pending + replay.substring(replayAt);
    replayAt = 0;
    line = start + 1;
    String firstLine = raw.substring(0, br);
    return new Record(List.of(), start, firstLine, reason, message);
  }

  /** A first line over the limit: dropped up to its line break, whatever its quotes. */
  private Record skipLongLine(long start, StringBuilder raw, String message) throws IOException {
    String kept = raw.substring(0, Math.min(raw.length(), KEPT_CHARS)) + "...";
    int c = read();
    while (c != -1 && c != '\n' && c != '\r') {
      c = read();
    }
    if (c != -1) {
      lineEnd(c);
    }
    return new Record(List.of(), start, kept, Reasons.RECORD_TOO_LONG, message);
  }
}
