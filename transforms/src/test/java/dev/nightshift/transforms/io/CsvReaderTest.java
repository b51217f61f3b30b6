package dev.nightshift.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.Reasons;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  private static List<CsvReader.Record> readAll(String text, int max) throws IOException {
    CsvReader reader = new CsvReader(new StringReader(text), max);
    List<CsvReader.Record> records = new ArrayList<>();
    for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
      records.add(r);
    }
    assertNull(reader.next(), "stays at the end");
    return records;
  }

  private static List<CsvReader.Record> readAll(String text) throws IOException {
    return readAll(text, 1 << 20);
  }

  @Test
  void lineBreaksInsideQuotesCountInEveryStyle() throws IOException {
    // LF, CRLF and a lone CR (old Mac) inside quoted fields each start a new line
    List<CsvReader.Record> r = readAll("a,b\n\"x\ny\",1\n\"p\r\nq\",2\n\"m\rn\",3\nlast,4\n");
    assertEquals(List.of(1L, 2L, 4L, 6L, 8L), r.stream().map(CsvReader.Record::line).toList());
    assertEquals(List.of("m\rn", "3"), r.get(3).fields());
  }

  @Test
  void plainRecordsWithExactLineNumbers() throws IOException {
    List<CsvReader.Record> r = readAll("a,b,c\n1,2,3\n4,,6\n");
    assertEquals(3, r.size());
    assertEquals(List.of("a", "b", "c"), r.get(0).fields());
    assertEquals(List.of("4", "", "6"), r.get(2).fields());
    assertEquals(List.of(1L, 2L, 3L), r.stream().map(CsvReader.Record::line).toList());
    assertEquals("1,2,3", r.get(1).raw());
    assertTrue(r.stream().allMatch(CsvReader.Record::ok));
  }

  @Test
  void lastRecordWithoutLineEnd() throws IOException {
    List<CsvReader.Record> r = readAll("a,b\n1,2");
    assertEquals(2, r.size());
    assertEquals(List.of("1", "2"), r.get(1).fields());
    assertEquals(2, r.get(1).line());
  }

  @Test
  void quotedCommasAndDoubledQuotes() throws IOException {
    List<CsvReader.Record> r = readAll("\"a,b\",\"say \"\"hi\"\"\",\"\",x\n");
    assertEquals(1, r.size());
    assertTrue(r.get(0).ok());
    assertEquals(List.of("a,b", "say \"hi\"", "", "x"), r.get(0).fields());
    assertEquals("\"a,b\",\"say \"\"hi\"\"\",\"\",x", r.get(0).raw());
  }

  @Test
  void quotedLineBreakKeepsLineNumbersRight() throws IOException {
    List<CsvReader.Record> r = readAll("h1,h2\n1,\"two\nlines\"\n2,\"three\r\nmore\nlines\"\n3,x\n");
    assertEquals(4, r.size());
    assertEquals(List.of("1", "two\nlines"), r.get(1).fields());
    assertEquals(2, r.get(1).line());
    assertEquals(List.of("2", "three\r\nmore\nlines"), r.get(2).fields());
    assertEquals(4, r.get(2).line());
    assertEquals(List.of("3", "x"), r.get(3).fields());
    assertEquals(7, r.get(3).line());
    assertEquals("1,\"two\nlines\"", r.get(1).raw());
  }

  @Test
  void crlfLineEnds() throws IOException {
    List<CsvReader.Record> r = readAll("a,b\r\n1,2\r\n\r\n3,4\r\n");
    assertEquals(3, r.size());
    assertEquals(List.of("a", "b"), r.get(0).fields());
    assertEquals(List.of("1", "2"), r.get(1).fields());
    assertEquals("1,2", r.get(1).raw());
    assertEquals(List.of("3", "4"), r.get(2).fields());
    assertEquals(4, r.get(2).line());
  }

  @Test
  void byteOrderMarkIsStripped() throws IOException {
    List<CsvReader.Record> r = readAll("\uFEFFid,qty\n1,2\n");
    assertEquals(List.of("id", "qty"), r.get(0).fields());
    assertEquals("id,qty", r.get(0).raw());
    assertEquals(1, r.get(0).line());
    assertEquals(2, r.get(1).line());
  }

  @Test
  void blankLinesAreSkippedAndCounted() throws IOException {
    List<CsvReader.Record> r = readAll("\n\na,b\n\n\n1,2\n\n");
    assertEquals(2, r.size());
    assertEquals(3, r.get(0).line());
    assertEquals(6, r.get(1).line());
    assertEquals(List.of("1", "2"), r.get(1).fields());
  }

  @Test
  void onlyBlankLinesIsNoRecord() throws IOException {
    assertTrue(readAll("\n\r\n\n").isEmpty());
    assertTrue(readAll("").isEmpty());
  }

  @Test
  void unterminatedQuoteCostsOnlyItsLine() throws IOException {
    List<CsvReader.Record> r = readAll("a,b\n1,\"open\n2,3\r\n4,5\n");
    assertEquals(4, r.size());
    CsvReader.Record bad = r.get(1);
    assertFalse(bad.ok());
    assertEquals(Reasons.MALFORMED_CSV, bad.reason());
    assertEquals(2, bad.line());
    assertEquals("1,\"open", bad.raw());
    assertEquals(List.of("2", "3"), r.get(2).fields());
    assertEquals(3, r.get(2).line());
    assertEquals(List.of("4", "5"), r.get(3).fields());
    assertEquals(4, r.get(3).line());
  }

  @Test
  void strayQuoteClosedFurtherDownCostsOnlyItsLine() throws IOException {
    // the quote opened on line 2 is closed by the one on line 4, followed by text: lines 3 and 4 are
    // read again as records of their own
    List<CsvReader.Record> r = readAll("a,b\n1,\"x\n2,3\n\"y\"z,4\n5,6\n");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), r.stream().map(CsvReader.Record::line).toList());
    assertEquals("1,\"x", r.get(1).raw());
    assertEquals(Reasons.MALFORMED_CSV, r.get(1).reason());
    assertEquals(List.of("2", "3"), r.get(2).fields());
    assertEquals(Reasons.MALFORMED_CSV, r.get(3).reason(), "text after the closing quote, on one line");
    assertEquals(List.of("5", "6"), r.get(4).fields());
  }

  @Test
  void quotedFieldPastTheLimitAcrossLinesCostsItsFirstLine() throws IOException {
    String text = "a,b\n1,\"open\r\n" + "2,3\n".repeat(40) + "9,9\n";
    List<CsvReader.Record> r = readAll(text, 50);
    assertEquals(Reasons.RECORD_TOO_LONG, r.get(1).reason());
    assertEquals("1,\"open", r.get(1).raw());
    assertEquals(43, r.size());
    assertTrue(r.subList(2, 43).stream().allMatch(CsvReader.Record::ok));
    assertEquals(43, r.get(42).line());
  }

  @Test
  void textAfterClosingQuoteIsMalformedAndNextRecordIsFine() throws IOException {
    List<CsvReader.Record> r = readAll("\"ab\"c,d\n\"ok\",e\n");
    assertEquals(2, r.size());
    assertFalse(r.get(0).ok());
    assertEquals(Reasons.MALFORMED_CSV, r.get(0).reason());
    assertEquals(1, r.get(0).line());
    assertTrue(r.get(1).ok());
    assertEquals(List.of("ok", "e"), r.get(1).fields());
    assertEquals(2, r.get(1).line());
  }

  @Test
  void recordTooLongIsReportedAndNextRecordIsRead() throws IOException {
    String longField = "x".repeat(500);
    List<CsvReader.Record> r =
        readAll("a,b\n1," + longField + "\n2,\"q," + longField + "\nz\"\n3,ok\n", 100);
    assertEquals(5, r.size());
    CsvReader.Record tooLong = r.get(1);
    assertFalse(tooLong.ok());
    assertEquals(Reasons.RECORD_TOO_LONG, tooLong.reason());
    assertEquals(2, tooLong.line());
    assertTrue(tooLong.raw().length() < 300, "raw is truncated: " + tooLong.raw().length());
    // a first line over the limit ends at its line break, whatever its quotes
    assertEquals(Reasons.RECORD_TOO_LONG, r.get(2).reason());
    assertEquals(3, r.get(2).line());
    assertEquals(List.of("z\""), r.get(3).fields());
    assertEquals(4, r.get(3).line());
    assertTrue(r.get(4).ok());
    assertEquals(List.of("3", "ok"), r.get(4).fields());
    assertEquals(5, r.get(4).line());
  }

  @Test
  void tenMegabyteLineInOpenQuotesDoesNotSwallowTheFile() throws IOException {
    List<CsvReader.Record> r = readAll("a,b\n1,\"" + "y".repeat(10 << 20) + "\n2,3\n", 1 << 20);
    assertEquals(3, r.size());
    assertEquals(Reasons.RECORD_TOO_LONG, r.get(1).reason());
    assertTrue(r.get(1).raw().length() <= CsvReader.KEPT_CHARS + 3);
    assertEquals(List.of("2", "3"), r.get(2).fields());
    assertEquals(3, r.get(2).line());
  }

  @Test
  void recordAtTheLimitIsFine() throws IOException {
    String exact = "y".repeat(10);
    List<CsvReader.Record> r = readAll(exact + "\n" + exact + "\r\n" + exact + "z\n" + exact, 10);
    assertEquals(4, r.size());
    assertTrue(r.get(0).ok(), "LF does not count to the limit");
    assertEquals(List.of(exact), r.get(0).fields());
    assertTrue(r.get(1).ok(), "CRLF does not count to the limit");
    assertEquals(Reasons.RECORD_TOO_LONG, r.get(2).reason());
    assertTrue(r.get(3).ok(), "no line end at the end of the file");
    assertEquals(4, r.get(3).line());
  }
}
