package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadCsv;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What an X12 file's bytes need before StAEDI reads them, so that a bad segment costs only its
 * claim instead of the whole file (StAEDI refuses a file with bytes that are not UTF-8, or with a
 * segment longer than its buffer, whole):
 *
 * <ul>
 *   <li>a UTF-8 byte-order mark before {@code ISA} is dropped;
 *   <li>the segments are split on the segment terminator the ISA header declares (the byte after
 *       ISA16, the 106th of the file): a segment longer than {@link #MAX_SEGMENT_BYTES} bytes (1 MiB)
 *       is cut to its tag ({@code RECORD_TOO_LONG}), one whose bytes are not UTF-8 has them
 *       replaced by U+FFFD ({@code INVALID_ENCODING}). The segment keeps its place, so StAEDI's
 *       segment positions are the ones counted here; the reader refuses the claim (or the
 *       transaction) holding it, by its position.
 * </ul>
 *
 * Each further ISA in the file brings its own separators. An envelope segment (ISA, GS, ST, SE,
 * GE, IEA) so refused, or one without a readable tag, refuses the file. A file whose ISA header is
 * not the fixed 106 characters is left to StAEDI.
 */
final class X12Prescan {
  private X12Prescan() {}

  /** The longest segment read: the longest record of the line readers. */
  static final int MAX_SEGMENT_BYTES = ReadCsv.MAX_RECORD_CHARS;

  /** The positions (0-based from ISA) of the element separators in the fixed-length ISA header. */
  private static final int[] ISA_SEPARATORS = {3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103};

  private static final int ISA_LENGTH = 106;

  /** Why a segment is not read: the reason and message of the claim's dead letter. */
  record Issue(String reason, String message) {}

  /** The bytes for StAEDI ({@code bytes[offset, offset + length)}), and the segments refused by position. */
  record Result(byte[] bytes, int offset, int length, Map<Integer, Issue> issues) {}

  static Result scan(byte[] in) throws RecordException {
    int off = in.length >= 3 && (in[0] & 0xff) == 0xef && (in[1] & 0xff) == 0xbb && (in[2] & 0xff) == 0xbf ? 3 : 0;
    Map<Integer, Issue> issues = new HashMap<>();
    if (!isaHeader(in, off)) {
      return new Result(in, off, in.length - off, issues);
    }
    byte element = in[off + 3];
    byte terminator = in[off + ISA_LENGTH - 1];
    ByteArrayOutputStream out = null;
    int copied = off; // in[off, copied) is in out (when out is not null)
    int position = 1;
    int start = off;
    for (int i = off; i < in.length; i++) {
      if (in[i] != terminator) {
        continue;
      }
      Issue issue = null;
      byte[] replacement = null;
      int length = i - start;
      if (length > MAX_SEGMENT_BYTES) {
        String tag = tag(in, start, i, element);
        issue = new Issue(Reasons.RECORD_TOO_LONG, "segment " + position + " (" + (tag.isEmpty() ? "no tag" : tag)
            + ") is longer than " + MAX_SEGMENT_BYTES + " bytes: cut to its tag");
        refuseEnvelope(tag, issue);
        replacement = tag.getBytes(StandardCharsets.US_ASCII);
      } else if (!isUtf8(in, start, length)) {
        String tag = tag(in, start, i, element);
        issue = new Issue(Reasons.INVALID_ENCODING, "segment " + position + " (" + (tag.isEmpty() ? "no tag" : tag)
            + ") holds bytes that are not UTF-8");
        refuseEnvelope(tag, issue);
        replacement = new String(in, start, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      }
      if (issue != null) {
        if (out == null) {
          out = new ByteArrayOutputStream(in.length - off);
        }
        out.write(in, copied, start - copied);
        out.write(replacement, 0, replacement.length);
        copied = i; // the terminator on
        issues.put(position, issue);
      }
      position++;
      start = i + 1;
      int next = start;
      while (next < in.length && (in[next] == ' ' || in[next] == '\r' || in[next] == '\n' || in[next] == '\t')) {
        next++;
      }
      if (next < in.length && in[next] == 'I' && isaHeader(in, next)) { // another interchange: its separators
        element = in[next + 3];
        terminator = in[next + ISA_LENGTH - 1];
      }
    }
    if (out == null) {
      return new Result(in, off, in.length - off, issues);
    }
    out.write(in, copied, in.length - copied);
    byte[] bytes = out.toByteArray();
    return new Result(bytes, 0, bytes.length, issues);
  }

  /** ISA at {@code off}, its element separator at each of the fixed places, a terminator after ISA16. */
  private static boolean isaHeader(byte[] in, int off) {
    if (in.length - off < ISA_LENGTH || in[off] != 'I' || in[off + 1] != 'S' || in[off + 2] != 'A') {
      return false;
    }
    byte element = in[off + 3];
    for (int p : ISA_SEPARATORS) {
      if (in[off + p] != element) {
        return false;
      }
    }
    byte terminator = in[off + ISA_LENGTH - 1];
    return terminator != element && !Character.isLetterOrDigit(terminator) && terminator != ' ';
  }

  /** The segment's tag: after any white space, up to three letters or digits; "" when there are not two. */
  private static String tag(byte[] in, int start, int end, byte element) {
    int i = start;
    while (i < end && (in[i] == ' ' || in[i] == '\r' || in[i] == '\n' || in[i] == '\t')) {
      i++;
    }
    StringBuilder tag = new StringBuilder();
    while (i < end && tag.length() < 4 && in[i] != element) {
      char c = (char) in[i];
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return "";
      }
      tag.append(c);
      i++;
    }
    return tag.length() >= 2 && tag.length() <= 3 ? tag.toString() : "";
  }

  private static void refuseEnvelope(String tag, Issue issue) throws RecordException {
    if (tag.isEmpty() || tag.equals("ISA") || tag.equals("GS") || tag.equals("ST") || tag.equals("SE")
        || tag.equals("GE") || tag.equals("IEA")) {
      throw new RecordException(issue.reason(), "the file cannot be read: " + issue.message());
    }
  }

  private static boolean isUtf8(byte[] in, int start, int length) {
    boolean ascii = true;
    for (int i = start; i < start + length && ascii; i++) {
      ascii = in[i] >= 0;
    }
    if (ascii) {
      return true;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in, start, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
