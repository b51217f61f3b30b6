package dev.nightshift.transforms.io;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.only;
import static dev.nightshift.transforms.TestRuns.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadCsvTest {

  /** id and qty are required; an id starting with "refused" is refused by the parser. */
  static final class ItemParser implements CsvRecordParser<Item> {
    @Override
    public List<String> requiredColumns() {
      return List.of("id", "qty");
    }

    @Override
    public Item parse(CsvRow row) throws RecordException {
      String id = row.text("id");
      if (id.startsWith("refused")) {
        throw new RecordException(Reasons.INVALID_VALUE, "id '" + id + "' is refused");
      }
      return new Item(id, row.lng("qty"), row.source());
    }
  }

  private static Checked<Item> read(NightshiftRun run, String pattern) {
    return ReadCsv.read(run, "read-items", pattern, new ItemParser(), Item.CODER);
  }

  private static void writeItems(Checked<Item> items) {
    SortedSink.write(
        items.run(),
        "write-items",
        "items.csv",
        "id,qty,line",
        items
            .output()
            .apply(
                "format",
                MapElements.into(TypeDescriptors.strings())
                    .via((Item i) -> i.id() + "," + i.qty() + "," + i.source().line())));
  }

  @Test
  void goodRecordsFlowAndEachBadOneIsADeadLetter(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in");
    Path out = dir.resolve("out");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(("id,qty\n" + "a,1\n" + "b,2,extra\n" + "c,notanumber\n" + "d").getBytes(UTF_8));
    bytes.write(0xC3); // not followed by a continuation byte: invalid UTF-8
    bytes.write(0x28);
    bytes.writeBytes(
        (",4\n" + "refused-1,5\n" + "\"e,e\",6\n" + "\n" + "g,\"7\"\n" + "\"h\"x,1\n").getBytes(UTF_8));
    Path data = write(in.resolve("items.csv"), bytes.toByteArray());
    NightshiftRun run = TestRuns.run("csv-test", out);
    writeItems(read(run, in.resolve("*.csv").toString()));
    NightshiftRun.Summary summary = run.execute();

    assertEquals(
        List.of("id,qty,line", "a,1,2", "e,e,6,7", "g,7,9"), Files.readAllLines(out.resolve("items.csv")));

    List<DeadLetter> dead = deadLetters(out);
    assertEquals(5, dead.size(), dead.toString());
    for (DeadLetter d : dead) {
      assertEquals("csv-test", d.pipeline());
      assertEquals("read-items", d.step());
      assertEquals(data.toString(), d.sourceFile());
    }
    DeadLetter wrongCount = only(dead, Reasons.WRONG_FIELD_COUNT);
    assertEquals(3, wrongCount.lineNumber());
    assertEquals("b,2,extra", wrongCount.rawPayload());
    DeadLetter number = only(dead, Reasons.INVALID_NUMBER);
    assertEquals(4, number.lineNumber());
    assertEquals("c,notanumber", number.rawPayload());
    DeadLetter encoding = only(dead, Reasons.INVALID_ENCODING);
    assertEquals(5, encoding.lineNumber());
    assertEquals("d\uFFFD(,4", encoding.rawPayload());
    DeadLetter refused = only(dead, Reasons.INVALID_VALUE);
    assertEquals(6, refused.lineNumber());
    assertEquals("refused-1,5", refused.rawPayload());
    assertEquals("id 'refused-1' is refused", refused.message());
    DeadLetter malformed = only(dead, Reasons.MALFORMED_CSV);
    assertEquals(10, malformed.lineNumber());
    assertEquals("\"h\"x,1", malformed.rawPayload());

    RunManifest m = manifest(out);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().toString());
    RunManifest.StepCounts read = m.steps().get("read-items");
    assertEquals(8, read.in());
    assertEquals(3, read.out());
    assertEquals(5, read.dead());
    assertEquals(
        Map.of(
            Reasons.WRONG_FIELD_COUNT, 1L,
            Reasons.INVALID_NUMBER, 1L,
            Reasons.INVALID_ENCODING, 1L,
            Reasons.INVALID_VALUE, 1L,
            Reasons.MALFORMED_CSV, 1L),
        read.deadByReason());
    assertEquals(3, summary.counter("write-items/out"));
    assertEquals(5, m.steps().get(NightshiftRun.DEAD_LETTERS_STEP).in());
    assertEquals(5, m.steps().get(NightshiftRun.DEAD_LETTERS_STEP).out());
    assertEquals(1, m.inputs().size());
    assertEquals(data.toString(), m.inputs().get(0).path());
    assertEquals(Files.size(data), m.inputs().get(0).bytes());
    RunManifest.FileEntry deadFile =
        m.outputs().stream().filter(f -> f.path().equals(NightshiftRun.DEAD_LETTERS_FILE)).findFirst().orElseThrow();
    assertEquals(5, deadFile.records());
  }

  @Test
  void missingColumnAndEmptyFileAreOneDeadLetterEach(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in");
    Path out = dir.resolve("out");
    Path noQty = write(in.resolve("a-no-qty.csv"), "id,amount\nx,1\ny,2\nz,3\n");
    Path empty = write(in.resolve("b-empty.csv"), new byte[0]);
    write(in.resolve("c-good.csv"), "\uFEFFqty , id\r\n5,k\r\n");
    NightshiftRun run = TestRuns.run("csv-files", out);
    writeItems(read(run, in.resolve("*.csv").toString()));
    run.execute();

    assertEquals(List.of("id,qty,line", "k,5,2"), Files.readAllLines(out.resolve("items.csv")));
    List<DeadLetter> dead = deadLetters(out);
    assertEquals(2, dead.size(), dead.toString());
    DeadLetter missing = only(dead, Reasons.MISSING_COLUMN);
    assertEquals(noQty.toString(), missing.sourceFile());
    assertEquals(0, missing.lineNumber());
    assertTrue(missing.message().contains("qty"), missing.message());
    DeadLetter emptyFile = only(dead, Reasons.EMPTY_FILE);
    assertEquals(empty.toString(), emptyFile.sourceFile());
    assertEquals("read-items", emptyFile.step());

    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced(), m.audit().toString());
    RunManifest.StepCounts read = m.steps().get("read-items");
    assertEquals(3, read.in());
    assertEquals(1, read.out());
    assertEquals(2, read.dead());
    assertEquals(Map.of(Reasons.MISSING_COLUMN, 1L, Reasons.EMPTY_FILE, 1L), read.deadByReason());
    assertEquals(3, m.inputs().size());
  }

  @Test
  void aPatternMatchingNoFileIsRefusedBeforeRunning(@TempDir Path dir) {
    NightshiftRun run = TestRuns.run("csv-none", dir.resolve("out"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(run, dir.resolve("nothing-*.csv").toString()));
    assertTrue(e.getMessage().contains("read-items"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing-*.csv"), e.getMessage());
    IllegalArgumentException missingFile =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(run, dir.resolve("absent.csv").toString()));
    assertTrue(missingFile.getMessage().contains("absent.csv"), missingFile.getMessage());
    assertTrue(Files.notExists(dir.resolve("out")), "nothing ran, nothing was written");
  }
}
