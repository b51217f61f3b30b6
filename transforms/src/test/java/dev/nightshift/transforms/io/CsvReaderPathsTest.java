package dev.nightshift.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader's fast path (a quote-free line in the buffer, split at its commas) gives exactly the
 * records of the general path, character by character: random text of every kind (quotes, doubled
 * quotes, CR, LF, CRLF, blank lines, a BOM, long lines, non-ASCII), read through a Reader that
 * returns a random handful of characters per call, so that lines and CRLFs straddle buffer ends.
 */
class CsvReaderPathsTest {

  /** Returns at most a random 1..max characters per read. */
  static final class Trickle extends Reader {
    private final String text;
    private final Random random;
    private final int max;
    private int at;

    Trickle(String text, long seed, int max) {
      this.text = text;
      this.random = new Random(seed);
      this.max = max;
    }

    @Override
    public int read(char[] buf, int off, int len) {
      if (at == text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(max)), text.length() - at);
      text.getChars(at, at + n, buf, off);
      at += n;
      return n;
    }

    @Override
    public void close() {}
  }

  private static String randomCsv(Random r) {
    String[] pieces = {"a", "bb", "12.50", "2026-12-07", "US0378331005", "é", "x y", ",", ",", ",",
        "\n", "\n", "\r\n", "\r", "\"", "\"q,\"", "\"\"", "\n\n", "   "};
    StringBuilder b = new StringBuilder(r.nextBoolean() ? "\uFEFF" : "");
    int n = 200 + r.nextInt(3000);
    for (int i = 0; i < n; i++) {
      if (r.nextInt(200) == 0) {
        b.append("z".repeat(30 + r.nextInt(60))); // over the limit of 64 below
      } else {
        b.append(pieces[r.nextInt(pieces.length)]);
      }
    }
    return b.toString();
  }

  private static List<CsvReader.Record> read(String text, long seed, int maxRead, boolean plain) throws IOException {
    CsvReader reader = new CsvReader(new Trickle(text, seed, maxRead), 64);
    reader.plainPath = plain;
    List<CsvReader.Record> records = new ArrayList<>();
    for (CsvReader.Record rec = reader.next(); rec != null; rec = reader.next()) {
      records.add(rec);
    }
    return records;
  }

  @Test
  void bothPathsReadTheSameRecords() throws IOException {
    Random r = new Random(20261207);
    long plainRecords = 0;
    for (int i = 0; i < 400; i++) {
      String text = randomCsv(r);
      int maxRead = 1 + r.nextInt(i % 2 == 0 ? 8 : 40000);
      List<CsvReader.Record> general = read(text, i, maxRead, false);
      List<CsvReader.Record> fast = read(text, i, maxRead, true);
      assertEquals(general, fast, "case " + i + ": " + text.replace("\r", "\\r").replace("\n", "\\n"));
      plainRecords += general.stream().filter(rec -> rec.ok() && !rec.raw().contains("\"")).count();
    }
    assertTrue(plainRecords > 10_000, "the fast path had work: " + plainRecords);
  }
}
