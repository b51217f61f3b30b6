package dev.nightshift.transforms.io;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.only;
import static dev.nightshift.transforms.TestRuns.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
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

class ReadJsonLinesTest {

  static final class ItemParser implements JsonRecordParser<Item> {
    @Override
    public Item parse(JsonNode node, SourceRef source) throws RecordException {
      JsonNode id = node.get("id");
      JsonNode qty = node.get("qty");
      if (id == null || !id.isTextual()) {
        throw new RecordException(Reasons.MISSING_FIELD, "'id' is missing");
      }
      if (qty == null || !qty.canConvertToLong()) {
        throw new RecordException(Reasons.INVALID_NUMBER, "'qty' is not a whole number");
      }
      return new Item(id.asText(), qty.asLong(), source);
    }
  }

  private static Checked<Item> read(NightshiftRun run, String pattern) {
    return ReadJsonLines.read(run, "read-json", pattern, new ItemParser(), Item.CODER);
  }

  private static void writeItems(Checked<Item> items) {
    SortedSink.write(
        items.run(),
        "write-items",
        "items.csv",
        null,
        items
            .output()
            .apply(
                "format",
                MapElements.into(TypeDescriptors.strings())
                    .via((Item i) -> i.id() + "," + i.qty() + "," + i.source().line())));
  }

  @Test
  void goodObjectsFlowAndBadLinesAreDeadLetters(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in");
    Path out = dir.resolve("out");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(
        ("\uFEFF{\"id\":\"a\",\"qty\":1}\n" // 1: good, after a byte-order mark
                + "{\"id\":\"b\",\"qty\":\n" // 2: malformed
                + "[1,2,3]\n" // 3: an array, not an object
                + "\n" // 4: blank, skipped
                + "   \r\n" // 5: blank, skipped
                + "{\"id\":\"c\",\"qty\":\"x\"}\n" // 6: refused by the parser
                + "{\"id\":\"d\",\"qty\":4}\r\n" // 7: good, CRLF
                + "{\"id\":\"e")
            .getBytes(UTF_8));
    bytes.write(0xC3); // 8: invalid UTF-8
    bytes.write(0x28);
    bytes.writeBytes(
        ("\",\"qty\":5}\n"
                + "null\n" // 9: JSON, but not an object
                + "{\"id\":\"f\",\"qty\":6}") // 10: good, no line end
            .getBytes(UTF_8));
    Path data = write(in.resolve("items.jsonl"), bytes.toByteArray());
    NightshiftRun run = TestRuns.run("json-test", out);
    writeItems(read(run, data.toString()));
    run.execute();

    assertEquals(List.of("a,1,1", "d,4,7", "f,6,10"), Files.readAllLines(out.resolve("items.csv")));
    List<DeadLetter> dead = deadLetters(out);
    assertEquals(5, dead.size(), dead.toString());
    for (DeadLetter d : dead) {
      assertEquals("json-test", d.pipeline());
      assertEquals("read-json", d.step());
      assertEquals(data.toString(), d.sourceFile());
    }
    List<DeadLetter> malformed =
        dead.stream().filter(d -> d.reasonCode().equals(Reasons.MALFORMED_JSON)).toList();
    assertEquals(List.of(2L, 3L, 9L), malformed.stream().map(DeadLetter::lineNumber).sorted().toList());
    assertTrue(malformed.stream().anyMatch(d -> d.rawPayload().equals("[1,2,3]")));
    assertTrue(malformed.stream().anyMatch(d -> d.rawPayload().equals("{\"id\":\"b\",\"qty\":")));
    DeadLetter refused = only(dead, Reasons.INVALID_NUMBER);
    assertEquals(6, refused.lineNumber());
    assertEquals("{\"id\":\"c\",\"qty\":\"x\"}", refused.rawPayload());
    DeadLetter encoding = only(dead, Reasons.INVALID_ENCODING);
    assertEquals(8, encoding.lineNumber());
    assertEquals("{\"id\":\"e\uFFFD(\",\"qty\":5}", encoding.rawPayload());

    RunManifest m = manifest(out);
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().toString());
    RunManifest.StepCounts read = m.steps().get("read-json");
    assertEquals(8, read.in());
    assertEquals(3, read.out());
    assertEquals(5, read.dead());
    assertEquals(
        Map.of(Reasons.MALFORMED_JSON, 3L, Reasons.INVALID_NUMBER, 1L, Reasons.INVALID_ENCODING, 1L),
        read.deadByReason());
  }

  @Test
  void trailingTextAfterAnObjectIsMalformed(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path data =
        write(
            dir.resolve("in/two.jsonl"),
            "{\"id\":\"a\",\"qty\":1} {\"id\":\"b\",\"qty\":2}\n{\"id\":\"c\",\"qty\":3} trailing\n");
    NightshiftRun run = TestRuns.run("json-trailing", out);
    writeItems(read(run, data.toString()));
    run.execute();

    assertEquals(List.of(), Files.readAllLines(out.resolve("items.csv")));
    List<DeadLetter> dead = deadLetters(out);
    assertEquals(2, dead.size(), dead.toString());
    assertTrue(dead.stream().allMatch(d -> d.reasonCode().equals(Reasons.MALFORMED_JSON)), dead.toString());
  }

  @Test
  void emptyFileIsOneDeadLetterAndNoMatchIsRefused(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path empty = write(dir.resolve("in/empty.jsonl"), new byte[0]);
    NightshiftRun refused = TestRuns.run("json-none", out);
    assertThrows(
        IllegalArgumentException.class, () -> read(refused, dir.resolve("in/*.json").toString()));

    NightshiftRun run = TestRuns.run("json-empty", out);
    writeItems(read(run, dir.resolve("in/*.jsonl").toString()));
    run.execute();
    DeadLetter d = only(deadLetters(out), Reasons.EMPTY_FILE);
    assertEquals(empty.toString(), d.sourceFile());
    assertEquals(0, d.lineNumber());
    assertEquals(1, deadLetters(out).size());
    RunManifest.StepCounts read = manifest(out).steps().get("read-json");
    assertEquals(1, read.in());
    assertEquals(1, read.dead());
  }
}
