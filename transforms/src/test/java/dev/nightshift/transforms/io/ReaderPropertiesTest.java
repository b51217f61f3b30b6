package dev.nightshift.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.sink.SortedSink;
import dev.nightshift.transforms.testing.Mutations;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests of the shared readers: valid records, randomly mutated (bytes deleted, inserted,
 * replaced; truncation; lines duplicated, deleted, swapped; fields swapped; quotes, delimiters,
 * NULs, invalid UTF-8 and byte-order marks injected), read as the readers read them. Nothing may
 * throw, and nothing may be lost: every line is in exactly one record or is blank, every record is
 * one output or one dead letter. Seeded ({@link Mutations}): a failure prints its seed.
 */
class ReaderPropertiesTest {

  /** Valid CSV: a header and rows whose fields are plain, or quoted with commas, quotes, line ends. */
  static byte[] csv(Random r) {
    int columns = 1 + r.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      sb.append(c == 0 ? "" : ",").append("c").append(c);
    }
    sb.append(r.nextBoolean() ? "\n" : "\r\n");
    for (int row = 0, rows = r.nextInt(12); row < rows; row++) {
      for (int c = 0; c < columns; c++) {
        sb.append(c == 0 ? "" : ",").append(field(r));
      }
      sb.append(r.nextInt(5) == 0 ? "\r\n" : "\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String field(Random r) {
    String plain = "abcdefé€1.5-9 ".substring(r.nextInt(8), 8 + r.nextInt(7));
    switch (r.nextInt(4)) {
      case 0:
        return "\"" + plain + ",\"\"x\"\"\"";
      case 1:
        return "\"" + plain + (r.nextBoolean() ? "\n" : "\r\n") + "y\"";
      default:
        return plain.trim();
    }
  }

  /** Decoded exactly as {@link TextFiles#utf8} decodes a file. */
  static String decode(byte[] bytes) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE))) {
      char[] buf = new char[4096];
      for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
        sb.append(buf, 0, n);
      }
    }
    return sb.toString();
  }

  /** Physical lines as the readers count them (CRLF, LF, lone CR), without the BOM of line 1. */
  static List<String> physicalLines(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return lines;
  }

  /** Line breaks in a record's raw text (CRLF counts once). */
  static int breaks(String raw) {
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= raw.length() || raw.charAt(i + 1) != '\n'))) {
        n++;
      }
    }
    return n;
  }

  @Test
  void csvRecordsPartitionTheLines() {
    Mutations.forAll("CsvReader: every line is in exactly one record or blank", 3000, 6,
        ReaderPropertiesTest::csv,
        (input, r) -> {
          int limit = 10 + r.nextInt(120);
          String text = decode(input);
          List<String> lines = physicalLines(text);
          CsvReader reader = new CsvReader(new StringReader(text), limit);
          long next = 1; // the first line no record has covered yet
          for (CsvReader.Record rec = reader.next(); rec != null; rec = reader.next()) {
            assertTrue(rec.line() >= next, "records start after the previous one ends: " + rec);
            for (long l = next; l < rec.line(); l++) {
              assertEquals("", lines.get((int) l - 1), "a line no record holds is blank (line " + l + ")");
            }
            assertTrue(rec.raw().length() <= limit + CsvReader.KEPT_CHARS + 3, "raw is bounded: " + rec.raw().length());
            assertTrue(rec.ok() || (rec.reason() != null && !rec.error().isBlank()), "a refusal says why");
            next = rec.line() + breaks(rec.raw()) + 1;
            assertTrue(next - 1 <= Math.max(1, lines.size()), "a record ends within the file: " + rec);
          }
          for (long l = next; l <= lines.size(); l++) {
            assertEquals("", lines.get((int) l - 1), "a trailing line no record holds is blank (line " + l + ")");
          }
        });
  }

  @Test
  void boundedLinesAreReadLinesCutAtTheLimit() {
    Mutations.forAll("BoundedLineReader = BufferedReader.readLine, bounded", 3000, 8,
        r -> (r.nextBoolean() ? "{\"id\":\"a\"}\n" : "8=FIX.4.4|9=5|35=0|10=000|\r\n").repeat(1 + r.nextInt(6))
            .getBytes(StandardCharsets.UTF_8),
        (input, r) -> {
          int limit = 5 + r.nextInt(60);
          String text = decode(input);
          List<String> expected = new ArrayList<>();
          try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
              expected.add(line);
            }
          }
          BoundedLineReader reader = new BoundedLineReader(new StringReader(text), limit);
          List<BoundedLineReader.Line> got = new ArrayList<>();
          for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
            got.add(line);
          }
          assertEquals(expected.size(), got.size(), "as many lines as readLine");
          for (int i = 0; i < got.size(); i++) {
            String want = expected.get(i);
            if (want.length() <= limit) {
              assertFalse(got.get(i).tooLong());
              assertEquals(want, got.get(i).text());
            } else {
              assertTrue(got.get(i).tooLong());
              assertEquals(want.substring(0, Math.min(want.length(), BoundedLineReader.KEPT_CHARS)), got.get(i).text());
            }
          }
        });
  }

  // ------------------------------------------------------------------ the readers in real runs

  static final CsvRecordParser<String> ROWS =
      CsvRecordParser.of(new String[] {"id", "amount"}, row -> {
        String id = row.text("id");
        if (id.chars().anyMatch(Character::isISOControl)) {
          throw new RecordException(Reasons.INVALID_VALUE, "control character in the id");
        }
        return id + "=" + row.decimal("amount").toPlainString();
      });

  static final JsonRecordParser<String> OBJECTS = (node, source) -> {
    String id = node.path("id").asText("");
    if (id.isBlank() || id.chars().anyMatch(Character::isISOControl)) {
      throw new RecordException(Reasons.MISSING_FIELD, "no id");
    }
    return id;
  };

  /** Many mutated records in one file, so that one run checks many mutations. */
  static byte[] manyRecords(Random r, boolean json, int records) {
    StringBuilder sb = new StringBuilder(json ? "" : "id,amount\n");
    for (int i = 0; i < records; i++) {
      String line = json ? "{\"id\":\"r" + i + "\",\"amount\":\"" + i + ".5\"}\n" : "r" + i + "," + i + ".5\n";
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      for (int m = r.nextInt(3); m > 0; m--) {
        b = Mutations.mutate(b, r);
      }
      sb.append(new String(b, StandardCharsets.ISO_8859_1));
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void readCsvAndReadJsonLinesLoseNothingInARun(@TempDir Path tmp) {
    int[] run = {0};
    Mutations.forAll("ReadCsv and ReadJsonLines: in = out + dead, all written", 3, 0,
        r -> manyRecords(r, false, 400),
        (csv, r) -> {
          Path dir = tmp.resolve("run" + run[0]++);
          byte[] json = manyRecords(r, true, 400);
          TestRuns.write(dir.resolve("in/a.csv"), csv);
          TestRuns.write(dir.resolve("in/b.jsonl"), json);
          NightshiftRun nr = TestRuns.run("reader-properties", dir.resolve("out"));
          var rows = ReadCsv.read(nr, "read-csv", dir.resolve("in/a.csv").toString(), ROWS, StringUtf8Coder.of());
          var objects = ReadJsonLines.read(nr, "read-json", dir.resolve("in/b.jsonl").toString(), OBJECTS, StringUtf8Coder.of());
          SortedSink.write(nr, "write-csv", "csv.txt", null, rows.output());
          SortedSink.write(nr, "write-json", "json.txt", null, objects.output());
          nr.audit().link("read-csv", "write-csv").link("read-json", "write-json");
          NightshiftRun.Summary s = nr.execute(); // throws when the audit does not balance
          // every non-blank line of the JSON file is one record in (an independent count)
          List<String> lines = physicalLines(decode(json));
          long nonBlank = lines.stream().filter(l -> !l.isBlank()).count();
          assertEquals(lines.isEmpty() ? 1 : nonBlank, s.counter("read-json/in"), "JSON lines in (an empty file is one)");
          List<DeadLetter> dead = TestRuns.deadLetters(dir.resolve("out"));
          assertEquals(s.counter("read-csv/dead") + s.counter("read-json/dead"), dead.size());
          assertTrue(dead.stream().noneMatch(d -> d.reasonCode().equals(Reasons.INTERNAL_ERROR)), "nothing unforeseen: " + dead);
          assertEquals(s.counter("read-csv/out"), Files.readAllLines(dir.resolve("out/csv.txt")).size());
          assertEquals(s.counter("read-json/out"), Files.readAllLines(dir.resolve("out/json.txt")).size());
          assertTrue(s.counter("read-csv/out") > 0 && s.counter("read-json/out") > 0, "good records flow");
        });
  }
}
