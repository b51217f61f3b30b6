package dev.nightshift.transforms.io;

import static dev.nightshift.transforms.TestRuns.deadLetters;
import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read in byte ranges ({@link FileRange}) gives exactly what one read of the whole file
 * gives: the same records with the same line numbers, the same dead letters with the same reasons,
 * lines and raw text, and the same counts. The ranges here are cut as small as they go (after
 * every line), around every line ending, blank lines, a byte-order mark, invalid UTF-8, a
 * mid-file U+FEFF, a too-long line and a late quote.
 */
class ReadCsvRangesTest {

  /** A file with every case; the header is preceded by blank lines in {@code lateHeader}. */
  private static byte[] tricky(boolean lateHeader) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes((lateHeader ? "\n\r\n" : "\uFEFF").getBytes(UTF_8));
    b.writeBytes("id,qty\r\na,1\r\nb,2\n\nc,3\rd,x\ne,4,extra\n\uFEFFf,5\ng".getBytes(UTF_8));
    b.write(0xC3); // not followed by a continuation byte: invalid UTF-8, just before the cut
    b.writeBytes(",6\nrefused-1,7\n".getBytes(UTF_8));
    b.writeBytes(("z".repeat(ReadCsv.MAX_RECORD_CHARS + 10) + ",8\n").getBytes(UTF_8));
    b.writeBytes("h,9\r\n\r\n\r\ri,10\n".getBytes(UTF_8));
    for (int i = 0; i < 40; i++) {
      b.writeBytes(("j" + i + "," + i + (i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r")).getBytes(UTF_8));
    }
    // from the first quote on, the rest of the file is one range
    b.writeBytes("\"k,k\",11\nl,12\n\"m\nm\",13\n\"n\"x,14\no,15\np,\"16\n".getBytes(UTF_8));
    return b.toByteArray();
  }

  private record Result(List<String> items, List<String> dead, RunManifest.StepCounts read) {}

  /**
   * How many ranges {@link FileRange#cuts} makes of {@code dir/in/*.csv}; the pipeline's planning
   * step is checked to plan exactly those.
   */
  private static long plannedRanges(Path dir, long minSplitFile, long splitBytes) throws Exception {
    long expected = 0;
    try (var files = Files.newDirectoryStream(dir.resolve("in"), "*.csv")) {
      for (Path f : files) {
        if (Files.size(f) < minSplitFile) {
          expected++;
        } else {
          try (var channel = Files.newByteChannel(f)) {
            expected += FileRange.cuts(channel, FileRange.targetBytes(Files.size(f), splitBytes)).size();
          }
        }
      }
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<Long> count =
        p.apply(FileIO.match().filepattern(dir.resolve("in").resolve("*.csv").toString()))
            .apply(FileIO.readMatches())
            .apply(ParDo.of(new ReadCsv.PlanFn(minSplitFile, splitBytes)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), FileRange.RangeCoder.of()))
            .apply(Count.globally());
    PAssert.thatSingleton(count).isEqualTo(expected);
    p.run().waitUntilFinish();
    return expected;
  }

  private static Result run(Path dir, String name, long minSplitFile, long splitBytes) throws Exception {
    Path out = dir.resolve(name);
    NightshiftRun run = TestRuns.run("csv-ranges", out);
    SortedSink.write(
        run,
        "write-items",
        "items.csv",
        "id,qty,line",
        ReadCsv.read(
                run,
                "read-items",
                dir.resolve("in").resolve("*.csv").toString(),
                new ReadCsvTest.ItemParser(),
                Item.CODER,
                minSplitFile,
                splitBytes)
            .output()
            .apply(
                "format",
                MapElements.into(TypeDescriptors.strings())
                    .via((Item i) -> i.id() + "," + i.qty() + "," + i.source().line())));
    run.execute();
    List<String> dead =
        deadLetters(out).stream()
            .map(
                (DeadLetter d) ->
                    String.join(
                        "|", d.sourceFile(), String.valueOf(d.lineNumber()), d.reasonCode(), d.rawPayload(), d.message()))
            .sorted()
            .toList();
    RunManifest m = manifest(out);
    assertTrue(m.audit().balanced(), m.audit().toString());
    return new Result(
        Files.readAllLines(out.resolve("items.csv"), UTF_8),
        dead,
        m.steps().get("read-items"));
  }

  @Test
  void rangesReadExactlyWhatTheWholeFileReads(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in");
    write(in.resolve("a-tricky.csv"), tricky(false));
    write(in.resolve("b-late-header.csv"), tricky(true));
    write(in.resolve("c-no-qty.csv"), "id,amount\nx,1\ny,2\nz,3\n".repeat(20));
    write(in.resolve("d-empty.csv"), new byte[0]);
    write(in.resolve("e-quote-first.csv"), "\"id\",qty\na,1\nb,2\nc,3\n");

    Result whole = run(dir, "whole", FileRange.MIN_SPLIT_FILE, FileRange.SPLIT_BYTES);
    Result everyLine = run(dir, "every-line", 0, 1);
    Result some = run(dir, "some", 0, 40);

    assertEquals(5, plannedRanges(dir, FileRange.MIN_SPLIT_FILE, FileRange.SPLIT_BYTES), "small files are read whole");
    // a-tricky and b-late-header: a range per line up to the quote; c-no-qty: a range per line
    long everyLineRanges = plannedRanges(dir, 0, 1);
    long someRanges = plannedRanges(dir, 0, 40);
    assertTrue(everyLineRanges > 120, "ranges: " + everyLineRanges);
    assertTrue(someRanges > 10 && someRanges < everyLineRanges, "ranges: " + someRanges);

    assertTrue(whole.items().contains("\uFEFFf,5,8"), whole.items().toString());
    assertTrue(whole.items().contains("a,1,2"), whole.items().toString());
    assertTrue(whole.items().contains("i,10,16"), whole.items().toString());
    assertTrue(whole.items().contains("o,15,62"), whole.items().toString());
    for (String reason :
        List.of(
            Reasons.INVALID_NUMBER,
            Reasons.WRONG_FIELD_COUNT,
            Reasons.INVALID_ENCODING,
            Reasons.INVALID_VALUE,
            Reasons.RECORD_TOO_LONG,
            Reasons.MALFORMED_CSV,
            Reasons.MISSING_COLUMN,
            Reasons.EMPTY_FILE)) {
      assertTrue(whole.dead().stream().anyMatch(d -> d.contains("|" + reason + "|")), reason + " in " + whole.dead());
    }

    for (Result split : List.of(everyLine, some)) {
      assertEquals(whole.items(), split.items());
      assertEquals(whole.dead(), split.dead());
      assertEquals(whole.read().in(), split.read().in());
      assertEquals(whole.read().out(), split.read().out());
      assertEquals(whole.read().deadByReason(), split.read().deadByReason());
    }
  }
}
