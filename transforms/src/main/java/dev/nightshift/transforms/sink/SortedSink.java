package dev.nightshift.transforms.sink;

import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.Runners;
import dev.nightshift.transforms.core.StepCounters;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
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
 *
 * <p>How: lines are spread over {@code shards} by their hash; each shard is sorted in memory and
 * written as a sorted part ({@code .<file>.part-NNNNN.inprogress}); one last step merges the sorted
 * parts into the file (a k-way merge, streaming: its memory is a read buffer per part). No worker
 * ever holds more than one shard, so an output far larger than a worker's heap is written (one
 * group holding the whole file ran a 4 GiB Spark executor out of memory on a 1.8 GB output). The
 * bytes are those of sorting all lines at once, whatever the shard count.
 */
public final class SortedSink {
  private SortedSink() {}

  /** Shards on the Direct Runner (one JVM holds every group anyway; two exercise the merge). */
  static final int DIRECT_SHARDS = 2;
  /** Shards elsewhere: each holds about 1/32 of the file while it is sorted. */
  static final int DISTRIBUTED_SHARDS = 32;

  /** The shard count for a pipeline's runner. */
  public static int shardsFor(PipelineOptions options) {
    return Runners.isDirect(options) ? DIRECT_SHARDS : DISTRIBUTED_SHARDS;
  }

  /** Lines must not contain line breaks; {@code header} may be null. */
  public static void write(
      NightshiftRun run, String step, String fileName, String header, PCollection<String> lines) {
    write(run, step, fileName, header, lines, shardsFor(run.pipeline().getOptions()));
  }

  /** As {@link #write(NightshiftRun, String, String, String, PCollection)}, with a shard count. */
  public static void write(
      NightshiftRun run, String step, String fileName, String header, PCollection<String> lines, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be positive");
    }
    run.registerOutput(step, fileName, header != null);
    KvCoder<Integer, String> coder = KvCoder.of(VarIntCoder.of(), NullableCoder.of(StringUtf8Coder.of()));
    PCollection<KV<Integer, String>> keyed =
        lines.apply(step + "/count", ParDo.of(new KeyLineFn(new StepCounters(step), shards))).setCoder(coder);
    // One null marker makes sure shard 0 exists, and so the file is written, when there are no lines.
    PCollection<KV<Integer, String>> marker =
        run.pipeline()
            .apply(step + "/marker", Create.of(KV.of(0, (String) null)).withCoder(coder));
    String outputDir = run.options().getOutput();
    PCollectionList.of(keyed)
        .and(marker)
        .apply(step + "/flatten", Flatten.pCollections())
        .apply(step + "/gather", BatchedGroupByKey.create())
        .apply(step + "/sort-parts", ParDo.of(new WritePartFn(outputDir, fileName, shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
        .apply(step + "/parts", GroupByKey.create())
        .apply(step + "/write", ParDo.of(new MergeFn(outputDir, fileName, header, new StepCounters(step))));
  }

  /** The temporary sorted part {@code shard} of {@code fileName}. */
  static String partName(String fileName, int shard, int shards) {
    return String.format("." + fileName + ".part-%05d-of-%05d.inprogress", shard, shards);
  }

  /** A glob matching every temporary part of {@code fileName} in a folder. */
  public static String partsGlob(String fileName) {
    return "." + fileName + ".part-*.inprogress";
  }

  /** The sorted parts of {@code fileName} in {@code outputDir} (a killed run's, to delete). */
  public static List<ResourceId> parts(ResourceId outputDir, String fileName) throws IOException {
    String pattern = outputDir.resolve(partsGlob(fileName), StandardResolveOptions.RESOLVE_FILE).toString();
    List<ResourceId> found = new ArrayList<>();
    for (MatchResult m : FileSystems.match(List.of(pattern))) {
      if (m.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata md : m.metadata()) {
          found.add(md.resourceId());
        }
      }
    }
    return found;
  }

  static final class KeyLineFn extends DoFn<String, KV<Integer, String>> {
    private final StepCounters counters;
    private final int shards;

    KeyLineFn(StepCounters counters, int shards) {
      this.counters = counters;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<KV<Integer, String>> out) {
      counters.in();
      // String.hashCode is specified by the language: the same shard on every JVM and runner
      out.output(KV.of(Math.floorMod(line.hashCode(), shards), line));
    }
  }

  /** Sorts one shard and writes it as a part; emits the part's name under the single key 0. */
  static final class WritePartFn extends DoFn<KV<Integer, Iterable<String>>, KV<Integer, String>> {
    private final String outputDir;
    private final String fileName;
    private final int shards;

    WritePartFn(String outputDir, String fileName, int shards) {
      this.outputDir = outputDir;
      this.fileName = fileName;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> group, OutputReceiver<KV<Integer, String>> out)
        throws IOException {
      List<String> lines = new ArrayList<>();
      for (String line : group.getValue()) {
        if (line != null) {
          lines.add(line);
        }
      }
      Collections.sort(lines);
      String name = partName(fileName, group.getKey(), shards);
      ResourceId part = FileSystems.matchNewResource(outputDir, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
      try (Writer w = writer(part)) {
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
      out.output(KV.of(0, name));
    }
  }

  /** Merges the sorted parts into the file, renames it into place and deletes the parts. */
  static final class MergeFn extends DoFn<KV<Integer, Iterable<String>>, Void> {
    private final String outputDir;
    private final String fileName;
    private final String header;
    private final StepCounters counters;

    MergeFn(String outputDir, String fileName, String header, StepCounters counters) {
      this.outputDir = outputDir;
      this.fileName = fileName;
      this.header = header;
      this.counters = counters;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> group) throws IOException {
      ResourceId dir = FileSystems.matchNewResource(outputDir, true);
      List<String> names = new ArrayList<>();
      group.getValue().forEach(names::add);
      Collections.sort(names);
      List<ResourceId> parts = new ArrayList<>();
      for (String name : names) {
        parts.add(dir.resolve(name, StandardResolveOptions.RESOLVE_FILE));
      }
      ResourceId target = dir.resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
      ResourceId temp = NightshiftRun.temporary(dir, fileName);
      long written = 0;
      List<PartReader> readers = new ArrayList<>();
      try {
        PriorityQueue<PartReader> heads = new PriorityQueue<>();
        for (int i = 0; i < parts.size(); i++) {
          PartReader r = new PartReader(i, parts.get(i));
          readers.add(r);
          if (r.advance()) {
            heads.add(r);
          }
        }
        try (Writer w = writer(temp)) {
          if (header != null) {
            w.write(header);
            w.write('\n');
          }
          while (!heads.isEmpty()) {
            PartReader r = heads.poll();
            w.write(r.line);
            w.write('\n');
            written++;
            if (r.advance()) {
              heads.add(r);
            }
          }
        }
      } finally {
        for (PartReader r : readers) {
          r.close();
        }
      }
      FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      FileSystems.delete(parts, StandardMoveOptions.IGNORE_MISSING_FILES);
      counters.out(written);
    }
  }

  private static Writer writer(ResourceId file) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT)), StandardCharsets.UTF_8),
        1 << 16);
  }

  /** Reads a part line by line; lines end at '\n' only (a line may hold a lone '\r'). */
  static final class PartReader implements Comparable<PartReader> {
    private final int index;
    private final Reader in;
    private final char[] buffer = new char[1 << 15];
    private int at;
    private int end;
    private final StringBuilder current = new StringBuilder();
    String line;

    PartReader(int index, ResourceId part) throws IOException {
      this.index = index;
      this.in = new InputStreamReader(Channels.newInputStream(FileSystems.open(part)), StandardCharsets.UTF_8);
    }

    /** Reads the next line into {@link #line}; false at the end of the part. */
    boolean advance() throws IOException {
      current.setLength(0);
      while (true) {
        if (at == end) {
          end = in.read(buffer);
          at = 0;
          if (end <= 0) {
            end = 0;
            if (current.length() > 0) {
              throw new IOException("sorted part ends without a line break");
            }
            line = null;
            return false;
          }
        }
        int start = at;
        while (at < end && buffer[at] != '\n') {
          at++;
        }
        current.append(buffer, start, at - start);
        if (at < end) {
          at++; // the '\n'
          line = current.toString();
          return true;
        }
      }
    }

    void close() throws IOException {
      in.close();
    }

    @Override
    public int compareTo(PartReader o) {
      int c = line.compareTo(o.line);
      return c != 0 ? c : Integer.compare(index, o.index);
    }
  }
}
