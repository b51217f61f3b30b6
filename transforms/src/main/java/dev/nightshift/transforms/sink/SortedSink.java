package dev.nightshift.transforms.sink;

import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.core.StepCounters;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Writes lines to one file in the run's output directory, sorted, so the same input gives the same
 * bytes on every runner and in every run. The file is written under a temporary name and renamed
 * into place when complete, so a reader never sees a partial file under the final name. An empty
 * input still writes the file (header only). Lines written are counted as
 * {@code <step>/in} (received) and {@code <step>/out} (written).
 */
public final class SortedSink {
  private SortedSink() {}

  /** Lines must not contain line breaks; {@code header} may be null. */
  public static void write(
      NightshiftRun run, String step, String fileName, String header, PCollection<String> lines) {
    run.registerOutput(step, fileName, header != null);
    KvCoder<Integer, String> coder = KvCoder.of(VarIntCoder.of(), NullableCoder.of(StringUtf8Coder.of()));
    PCollection<KV<Integer, String>> keyed =
        lines.apply(step + "/count", ParDo.of(new KeyLineFn(new StepCounters(step)))).setCoder(coder);
    // One null marker makes sure the group exists, and the file is written, when there are no lines.
    PCollection<KV<Integer, String>> marker =
        run.pipeline()
            .apply(step + "/marker", Create.of(KV.of(0, (String) null)).withCoder(coder));
    PCollectionList.of(keyed)
        .and(marker)
        .apply(step + "/flatten", Flatten.pCollections())
        .apply(step + "/gather", BatchedGroupByKey.create())
        .apply(
            step + "/write",
            ParDo.of(new WriteFileFn(run.options().getOutput(), fileName, header, new StepCounters(step))));
  }

  static final class KeyLineFn extends DoFn<String, KV<Integer, String>> {
    private final StepCounters counters;

    KeyLineFn(StepCounters counters) {
      this.counters = counters;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<KV<Integer, String>> out) {
      counters.in();
      out.output(KV.of(0, line));
    }
  }

  static final class WriteFileFn extends DoFn<KV<Integer, Iterable<String>>, Void> {
    private final String outputDir;
    private final String fileName;
    private final String header;
    private final StepCounters counters;

    WriteFileFn(String outputDir, String fileName, String header, StepCounters counters) {
      this.outputDir = outputDir;
      this.fileName = fileName;
      this.header = header;
      this.counters = counters;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> group) throws IOException {
      List<String> lines = new ArrayList<>();
      for (String line : group.getValue()) {
        if (line != null) {
          lines.add(line);
        }
      }
      Collections.sort(lines);
      ResourceId dir = FileSystems.matchNewResource(outputDir, true);
      ResourceId target = dir.resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
      ResourceId temp = dir.resolve("." + fileName + ".inprogress", StandardResolveOptions.RESOLVE_FILE);
      try (Writer w =
          new BufferedWriter(
              new OutputStreamWriter(
                  Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT)),
                  StandardCharsets.UTF_8),
              1 << 16)) {
        if (header != null) {
          w.write(header);
          w.write('\n');
        }
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
      FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      counters.out(lines.size());
    }
  }
}
