package dev.nightshift.transforms.report;

import static dev.nightshift.transforms.TestRuns.manifest;
import static dev.nightshift.transforms.TestRuns.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.Item;
import dev.nightshift.transforms.TestRuns;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
  static final String SCRIPT = "<script>document.title='pwned'</script>";
  static final String IBAN = "NL91ABNA0417164300";

  /** Refuses items with a quantity of 10 or more, quoting the id in the message as pipelines do. */
  static final class Check extends FailsafeFn<Item, Item> {
    @Override
    protected Item apply(Item input, ProcessContext context) throws RecordException {
      if (input.qty() >= 10) {
        throw new RecordException(Reasons.INVALID_VALUE, "unknown account '" + input.id() + "'");
      }
      return input;
    }
  }

  NightshiftRun.Summary run(Path dir, ReportFigure... figures) {
    write(dir.resolve("in/items.csv"), "id,qty\n<b>bold</b>,1\nplain,2\nplain,3\n\"" + SCRIPT + "\",10\n"
        + IBAN + ",11\n" + IBAN + "x,zz\n");
    NightshiftRun run = TestRuns.run("report-test", dir.resolve("out"));
    Checked<Item> kept =
        ReadCsv.read(run, "read-items", dir.resolve("in/items.csv").toString(), new Item.Parser(), Item.CODER)
            .then("check-items", new Check(), Item.CODER);
    SortedSink.write(run, "write-items", "items.csv", "id,qty",
        kept.output().apply(MapElements.into(TypeDescriptors.strings()).via(i -> "\"" + i.id() + "\"," + i.qty())));
    for (ReportFigure f : figures) {
      run.figure(f);
    }
    return run.execute();
  }

  @Test
  void everyRunWritesASelfContainedEscapedMaskedReport(@TempDir Path dir) throws IOException {
    NightshiftRun.Summary summary = run(dir,
        ReportFigure.sumBy("Quantity by item", "items.csv", r -> r.get("id"), "qty", Chart.Style.BARS),
        ReportFigure.countBy("Items", "items.csv", "id", Chart.Style.COLUMNS));
    Path report = dir.resolve("out").resolve(RunReport.FILE_NAME);
    assertEquals(report.toUri().toString().replace("file:///", "/").replaceFirst("^file:", ""),
        summary.runReport().replaceFirst("^file:", ""));
    String html = Files.readString(report);
    RunManifest m = manifest(dir.resolve("out"));

    // the run, its id and the flow in pipeline order
    assertNotNull(m.run());
    assertEquals(m.run().id(), summary.manifest().run().id());
    assertTrue(m.run().id().matches("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}"), m.run().id());
    assertTrue(html.contains(m.run().id()));
    assertEquals(List.of("read-items", "check-items", "write-items", "write-dead-letters"),
        m.run().flow().stream().filter(m.steps()::containsKey).toList());
    assertTrue(html.indexOf(">read-items<") < html.indexOf(">check-items<"));
    assertTrue(html.contains("6 &#8594; 5 / 1"), "read-items in, out, dead");

    // no markup from the input, no script, nothing fetched
    assertFalse(html.toLowerCase().contains("<script"), "no script element");
    assertFalse(html.contains("<b>"));
    assertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "a figure label, escaped");
    assertTrue(html.contains("unknown account &#39;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&#39;"),
        "a dead-letter message, escaped");
    assertFalse(Pattern.compile("(src|href)=\"", Pattern.CASE_INSENSITIVE).matcher(html).find(), "nothing to fetch");

    // the IBAN of a dead letter is masked in the report; it stays whole in the dead letters (replay)
    assertFalse(html.contains(IBAN), "the full IBAN");
    assertTrue(html.contains("NL************4300"), html);
    assertTrue(Files.readString(dir.resolve("out/dead_letters.jsonl")).contains(IBAN));

    // the figures: one svg each, a bar per distinct item with its summed value
    assertEquals(2, count(html, "<figure class=\"chart business\""));
    Matcher quantity = Pattern.compile("<figcaption>Quantity by item</figcaption>\\n<svg.*?</svg>", Pattern.DOTALL).matcher(html);
    assertTrue(quantity.find(), html);
    assertEquals(2, count(quantity.group(), "<rect class=\"bar\""));
    assertTrue(quantity.group().contains(">5</text>"), "plain: 2 + 3");
    // dead letters by reason
    assertTrue(html.contains(">INVALID_VALUE<") && html.contains(">INVALID_NUMBER<"), html);
  }

  @Test
  void aFigureThatFailsIsShownAndTheRunStillSucceeds(@TempDir Path dir) throws IOException {
    NightshiftRun.Summary summary = run(dir, outputs -> {
      throw new IOException("no such output");
    });
    assertEquals("SUCCEEDED", summary.manifest().status());
    String html = Files.readString(dir.resolve("out").resolve(RunReport.FILE_NAME));
    assertTrue(html.contains("A figure could not be computed: IOException: no such output"), html);
  }

  static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
