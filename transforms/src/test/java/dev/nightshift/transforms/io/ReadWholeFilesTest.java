package dev.nightshift.transforms.io;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.only;
import static dev.nightshift.transforms.TestRuns.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadWholeFilesTest {

  /** A file is "id=qty;id=qty;..."; "END" must close it; a bad qty costs only its record. */
  static final class SemicolonParser implements ReadWholeFiles.Parser<Item> {
    @Override
    public ReadWholeFiles.Parsed<Item> parse(String path, byte[] bytes) throws RecordException {
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      if (!text.endsWith("END")) {
        throw new RecordException(Reasons.INVALID_VALUE, "no END: the file is cut");
      }
      ReadWholeFiles.Parsed<Item> parsed = new ReadWholeFiles.Parsed<>();
      String[] records = text.substring(0, text.length() - 3).split(";");
      for (int i = 0; i < records.length; i++) {
        String[] f = records[i].split("=");
        SourceRef source = SourceRef.of(path, i + 1, records[i]);
        try {
          parsed.add(new Item(f[0], Long.parseLong(f[1]), source));
        } catch (RuntimeException e) {
          parsed.fail(source, Reasons.INVALID_NUMBER, "not a quantity: " + records[i]);
        }
      }
      return parsed;
    }
  }

  @Test
  void recordsOfGoodFilesFlowAndBadFilesAndRecordsAreDeadLetters(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    write(dir.resolve("in/a.txt"), "a=1;b=x;c=3;END");
    Path cut = write(dir.resolve("in/b.txt"), "d=4;e=5");
    NightshiftRun run = TestRuns.run("whole-files", out);
    var items = ReadWholeFiles.read(run, "read-files", "split-files",
        TextFiles.match(run, "read-files", dir.resolve("in/*.txt").toString()), new SemicolonParser(), Item.CODER);
    SortedSink.write(run, "write-items", "items.csv", null, items.output()
        .apply("format", MapElements.into(TypeDescriptors.strings()).via((Item i) -> i.id() + "," + i.source().line())));
    run.audit().link(items.step(), "write-items");
    run.execute();

    assertEquals(List.of("a,1", "c,3"), Files.readAllLines(out.resolve("items.csv")));
    List<DeadLetter> dead = deadLetters(out);
    assertEquals(2, dead.size(), dead.toString());
    DeadLetter record = only(dead, Reasons.INVALID_NUMBER);
    assertEquals("split-files", record.step());
    assertEquals(2, record.lineNumber());
    assertEquals("b=x", record.rawPayload());
    DeadLetter file = only(dead, Reasons.INVALID_VALUE);
    assertEquals("read-files", file.step());
    assertEquals(cut.toString(), file.sourceFile());
    assertEquals(0, file.lineNumber());
    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced(), m.audit().toString());
    assertEquals(2, m.steps().get("read-files").in());
    assertEquals(1, m.steps().get("read-files").dead());
    assertEquals(Map.of(Reasons.INVALID_NUMBER, 1L), m.steps().get("split-files").deadByReason());
    assertEquals(3, m.steps().get("split-files").in());
  }
}
