package dev.nightshift.pipelines.finance.statements;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Text helpers shared by the statement parsers: decoding, lines, raw excerpts. */
final class StatementText {
  private StatementText() {}

  /** Raw text kept with a record or dead letter is capped, so a huge statement stays a small letter. */
  static final int MAX_RAW_CHARS = 20_000;

  /**
   * Longest text of one XML element or one MT940 line, as the other readers' record limit: a
   * statement holding a longer one is refused ({@code RECORD_TOO_LONG}), the rest of the file is
   * read.
   */
  static final int MAX_TEXT_CHARS = dev.nightshift.transforms.io.ReadCsv.MAX_RECORD_CHARS;

  /**
   * UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (older MT940 exports are Latin-1); a
   * leading byte-order mark is dropped.
   */
  static String decode(byte[] content) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      text = new String(content, StandardCharsets.ISO_8859_1);
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  static List<String> lines(String text) {
    return List.of(text.split("\r\n|\r|\n", -1));
  }

  /** Lines {@code from..to} (1-based, inclusive) joined with '\n', capped. */
  static String raw(List<String> lines, long from, long to) {
    StringBuilder sb = new StringBuilder();
    for (long i = Math.max(1, from); i <= Math.min(to, lines.size()); i++) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(lines.get((int) i - 1));
      if (sb.length() > MAX_RAW_CHARS) {
        return sb.substring(0, MAX_RAW_CHARS) + "...";
      }
    }
    return sb.toString();
  }
}
