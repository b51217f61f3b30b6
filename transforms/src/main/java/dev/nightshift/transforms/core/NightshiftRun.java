package dev.nightshift.transforms.core;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.ArchiveManifest;
import dev.nightshift.schemas.manifest.ReplayPlan;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.archive.ArchiveException;
import dev.nightshift.transforms.archive.Archiver;
import dev.nightshift.transforms.audit.AuditException;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.report.ReportFigure;
import dev.nightshift.transforms.report.RunReport;
import dev.nightshift.transforms.sink.SortedSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One run of one pipeline: the Beam pipeline, and everything Nightshift keeps around it while it is
 * built (inputs, outputs, dead letters, audit balances) and after it has run (the audit verdict
 * and the manifest).
 *
 * <p>{@link #execute()} writes the dead letters, runs the pipeline to completion, checks the audit
 * against the counters, checksums inputs and outputs, writes {@code _manifest.json}, and throws
 * {@link AuditException} (naming the step) when the counts do not balance. It writes the HTML
 * run report ({@link RunReport}, with the figures the pipeline registered) after the manifest, also
 * when the audit failed. With {@code --archiveTo}, a balanced run then archives its inputs
 * ({@link Archiver}); a run whose audit failed never does. Each run has an id ({@link #runId()}), in
 * the manifest and on every log line of the run ({@link RunLog}); {@link RunListener}s are told when
 * the pipeline starts and ends.
 *
 * <p>The commit protocol of an output folder: it is complete only when it holds
 * {@code _manifest.json}. Before the pipeline runs, the previous run's manifest and run report
 * and any temporary file a killed run left are deleted; every output is written under a temporary
 * name ({@code .<name>.inprogress}) and renamed into place; the manifest is written last, also
 * renamed into place. A run killed at any point leaves no manifest (and no run report claiming
 * success); the next run into the folder replaces every file.
 */
public final class NightshiftRun {
  public static final String DEAD_LETTERS_FILE = "dead_letters.jsonl";
  public static final String DEAD_LETTERS_STEP = "write-dead-letters";

  /** An output file the run writes, and the sink step that counts its records. */
  public record Output(String step, String fileName, boolean header) {}

  /** What a finished run reports; {@code archive} is null unless the run archived its inputs. */
  public record Summary(
      String pipeline,
      String outputDir,
      RunManifest manifest,
      Map<String, Long> counters,
      Duration elapsed,
      ArchiveManifest archive,
      String runReport) {

    public long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }
  }

  private final String name;
  private final NightshiftOptions options;
  private final Pipeline pipeline;
  private final RunAudit audit = new RunAudit();
  /** Static, so the tag (serialized with every DoFn) does not capture the run. */
  private static final TupleTag<DeadLetter> DEAD_TAG = new TupleTag<DeadLetter>() {};

  private final TupleTag<DeadLetter> deadTag = DEAD_TAG;
  private final List<PCollection<DeadLetter>> deadLetters = new ArrayList<>();
  /** Per reading step, what the manifest says of its input (files are checksummed after the run). */
  private final Map<String, Supplier<List<RunManifest.FileEntry>>> inputs = new LinkedHashMap<>();
  /** Reading steps whose input is a table: the rows counted after the run must be the rows read. */
  private final List<String> tableSteps = new ArrayList<>();
  private final List<Output> outputs = new ArrayList<>();
  private final SortedMap<String, String> parameters = new TreeMap<>();
  private final List<ReportFigure> figures = new ArrayList<>();
  private final RunLog log;
  /** The pipeline's own options, for the manifest (what a replay runs again with). */
  private final SortedMap<String, String> recordedOptions;
  /** Set when this run is a {@code nightshift replay}: what it replays. */
  private final ReplayPlan replay;

  private NightshiftRun(String name, NightshiftOptions options, ReplayPlan replay) {
    this.name = name;
    this.options = options;
    this.pipeline = Pipeline.create(options);
    this.log = new RunLog(name, RunLog.newRunId(Instant.now()));
    this.recordedOptions = recordedOptions(options);
    this.replay = replay;
    if (replay != null) {
      parameters.put("replay_of", replay.replayOf() + " (run " + replay.replayOfRunId() + ")");
      for (ReplayPlan.Input input : replay.inputs()) {
        if (input.records() >= 0) {
          audit.expect(
              input.step(),
              "receives every record replayed into " + input.pattern(),
              List.of(RunAudit.term(StepCounters.inName(input.step()))),
              List.of(RunAudit.constant(input.records())));
        }
      }
    }
  }

  public static NightshiftRun create(String name, NightshiftOptions options) {
    if (options.getArchiveTo() != null && !options.getArchiveTo().isBlank()) {
      Archiver.Location.parse(options.getArchiveTo()); // refused before anything runs
    }
    FileSystems.setDefaultPipelineOptions(options);
    ReplayPlan replay = readReplayPlan(options.getReplayPlan());
    if (replay != null && !replay.pipeline().equals(name)) {
      throw new IllegalArgumentException(
          "--replayPlan replays " + replay.pipeline() + ", not " + name + ": " + options.getReplayPlan());
    }
    return new NightshiftRun(name, options, replay);
  }

  private static ReplayPlan readReplayPlan(String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()))) {
      return ReplayPlan.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the replay plan " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * The options the pipeline declares (its {@code Options} interface and the Nightshift interfaces
   * it extends, but not {@link NightshiftOptions}: output, archive, tuning), with their values as
   * the run sees them (defaults included), for the manifest. An option whose name says it holds a
   * secret is recorded only when its value is a {@code file:}/{@code env:} reference.
   */
  static SortedMap<String, String> recordedOptions(NightshiftOptions options) {
    SortedMap<String, String> recorded = new TreeMap<>();
    java.util.Set<Class<?>> seen = new java.util.HashSet<>();
    java.util.Deque<Class<?>> todo = new java.util.ArrayDeque<>(List.of(options.getClass().getInterfaces()));
    while (!todo.isEmpty()) {
      Class<?> type = todo.pop();
      if (!seen.add(type)) {
        continue;
      }
      todo.addAll(List.of(type.getInterfaces()));
      if (!type.getName().startsWith("dev.nightshift.") || type == NightshiftOptions.class) {
        continue;
      }
      for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
        String property = property(m);
        if (property == null) {
          continue;
        }
        Object value;
        try {
          value = m.invoke(options);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue;
        }
        if (value == null) {
          continue;
        }
        String text = value.toString();
        if (property.toLowerCase(java.util.Locale.ROOT).matches(".*(password|secret|token|key).*")
            && !Secrets.isReference(text)) {
          continue;
        }
        recorded.put(property, text);
      }
    }
    return recorded;
  }

  /** {@code getTrades} -> {@code trades}; null for what is not an option getter. */
  private static String property(java.lang.reflect.Method m) {
    if (m.getParameterCount() != 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())
        || m.getReturnType() == void.class) {
      return null;
    }
    String n = m.getName();
    int prefix = n.startsWith("get") ? 3 : n.startsWith("is") && (m.getReturnType() == boolean.class
        || m.getReturnType() == Boolean.class) ? 2 : 0;
    if (prefix == 0 || n.length() == prefix) {
      return null;
    }
    return Character.toLowerCase(n.charAt(prefix)) + n.substring(prefix + 1);
  }

  public String name() {
    return name;
  }

  public NightshiftOptions options() {
    return options;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public RunAudit audit() {
    return audit;
  }

  /** This run's id: in the manifest ({@code run.id}), the run report and every log line of the run. */
  public String runId() {
    return log.runId();
  }

  /** Adds a business figure to the run report, computed from the outputs after the run. */
  public NightshiftRun figure(ReportFigure figure) {
    figures.add(figure);
    return this;
  }

  public TupleTag<DeadLetter> deadTag() {
    return deadTag;
  }

  /** A parameter of the run, recorded in the manifest (never a secret). */
  public NightshiftRun parameter(String key, String value) {
    parameters.put(key, value);
    return this;
  }

  /**
   * Records an input for the manifest, and refuses to build a run whose input matches no file: a
   * missing input is a clear error before anything runs, not an empty result.
   */
  public void registerInput(String step, String filepattern) {
    try {
      MatchResult match = FileSystems.match(filepattern);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new IllegalArgumentException(
            "input of step '" + step + "' matches no file: " + filepattern);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "input of step '" + step + "' cannot be listed: " + filepattern + " (" + e + ")", e);
    }
    Map<String, Long> replayed = replayedRecords(filepattern);
    inputs.put(step, () -> describeFiles(filepattern, replayed));
    log.inputRegistered(step, filepattern);
  }

  /**
   * Records an input that is not a file (a database table, see {@code ReadReference}); the reader
   * has checked that it exists. {@code describe} runs after the pipeline: its entry (location, size,
   * rows, SHA-256 of what it holds) goes into the manifest, and a row count other than the rows the
   * step read fails the audit (the table changed during the run). It must never name a secret.
   */
  public void registerTableInput(String step, Supplier<RunManifest.FileEntry> describe) {
    inputs.put(step, () -> List.of(describe.get()));
    tableSteps.add(step);
  }

  /** Of a replay run: the records replayed into each file of {@code pattern}, by path. */
  private Map<String, Long> replayedRecords(String pattern) {
    Map<String, Long> records = new java.util.HashMap<>();
    if (replay != null) {
      for (ReplayPlan.Input input : replay.inputs()) {
        if (input.pattern().equals(pattern)) {
          for (ReplayPlan.ReplayFile f : input.files()) {
            records.put(f.path(), f.records());
          }
        }
      }
    }
    return records;
  }

  private static List<RunManifest.FileEntry> describeFiles(String pattern, Map<String, Long> replayed) {
    List<RunManifest.FileEntry> entries = new ArrayList<>();
    try {
      // in path order: a local folder lists in no particular order, GCS in name order
      List<MatchResult.Metadata> matched = new ArrayList<>(FileSystems.match(pattern).metadata());
      matched.sort(java.util.Comparator.comparing(m -> m.resourceId().toString()));
      for (MatchResult.Metadata m : matched) {
        RunManifest.FileEntry entry = describe(m.resourceId(), m.resourceId().toString(), false);
        // Input records are counted by the reading step (see steps), not by lines; a replay input
        // holds the records the replay wrote into it (the audit checks that they all arrived).
        entries.add(new RunManifest.FileEntry(entry.path(), entry.bytes(),
            replayed.getOrDefault(entry.path(), -1L), entry.sha256()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list input " + pattern, e);
    }
    return entries;
  }

  public void registerOutput(String step, String fileName, boolean header) {
    outputs.add(new Output(step, fileName, header));
    audit.step(step);
  }

  public void addDeadLetters(PCollection<DeadLetter> letters) {
    deadLetters.add(letters);
  }

  /** Writes every dead letter of the run, sorted, as JSON lines; the audit checks none is lost. */
  private void writeDeadLetters() {
    PCollection<String> lines =
        // empty(pipeline): a run with no step that can dead-letter still writes an empty file.
        PCollectionList.<DeadLetter>empty(pipeline)
            .and(deadLetters)
            .apply("dead-letters/flatten", Flatten.pCollections())
            .setCoder(DeadLetter.CODER)
            .apply(
                "dead-letters/json",
                MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson));
    SortedSink.write(this, DEAD_LETTERS_STEP, DEAD_LETTERS_FILE, null, lines);
    audit.expect(
        DEAD_LETTERS_STEP,
        "writes every dead letter of every step",
        List.of(RunAudit.term(RunAudit.ALL_DEAD)),
        List.of(RunAudit.term(StepCounters.inName(DEAD_LETTERS_STEP))));
  }

  public Summary execute() {
    Instant start = Instant.now();
    try {
      return executeLogged(start);
    } catch (AuditException e) {
      throw e; // logged as the run's end, with its status
    } catch (RuntimeException e) {
      log.runFailed(e);
      throw e;
    }
  }

  private Summary executeLogged(Instant start) {
    writeDeadLetters();
    List<String> flow = RunFlow.of(pipeline);
    log.runStarted(options.getRunner().getSimpleName());
    ResourceId outputDir = FileSystems.matchNewResource(options.getOutput(), true);
    ResourceId manifestId = outputDir.resolve(RunManifest.FILE_NAME, StandardResolveOptions.RESOLVE_FILE);
    try {
      // A failed or killed run must not leave an earlier run's manifest (or its run report) claiming
      // success next to this run's partial outputs: the manifest is what marks a folder complete.
      // Temporary files a killed run left behind go too.
      List<ResourceId> stale = new ArrayList<>(List.of(manifestId, temporary(outputDir, RunManifest.FILE_NAME),
          outputDir.resolve(RunReport.FILE_NAME, StandardResolveOptions.RESOLVE_FILE),
          temporary(outputDir, RunReport.FILE_NAME)));
      for (Output output : outputs) {
        stale.add(temporary(outputDir, output.fileName()));
        stale.addAll(SortedSink.parts(outputDir, output.fileName()));
      }
      FileSystems.delete(stale, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new IllegalStateException("cannot clear " + manifestId, e);
    }
    List<RunnerRework> reworkProbes = RunnerRework.all();
    List<Object> reworkTokens = new ArrayList<>();
    for (RunnerRework probe : reworkProbes) {
      reworkTokens.add(probe.before(options));
    }
    Instant pipelineStart = Instant.now();
    PipelineResult result = pipeline.run();
    PipelineResult.State state;
    RunListener.startedAll(this, result);
    try {
      state = result.waitUntilFinish();
    } finally {
      RunListener.finishedAll(this);
    }
    Instant pipelineEnd = Instant.now();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline '" + name + "' ended in state " + state);
    }
    Map<String, Long> counters = Counters.read(result);
    RunAudit.Verdict verdict = audit.check(counters);
    List<String> failures = new ArrayList<>(verdict.failures());
    List<String> rework = new ArrayList<>();
    for (int i = 0; i < reworkProbes.size(); i++) {
      rework.addAll(reworkProbes.get(i).since(reworkTokens.get(i)));
    }
    if (!rework.isEmpty()) {
      failures.add("the runner ran some work again (" + String.join("; ", rework.subList(0, Math.min(3, rework.size())))
          + (rework.size() > 3 ? "; " + (rework.size() - 3) + " more" : "") + "): its attempted counters count"
          + " that work twice, so they cannot prove that nothing was lost; the outputs are complete, rerun"
          + " the job for counts that balance");
    }
    List<RunManifest.FileEntry> outputEntries = new ArrayList<>();
    for (Output output : outputs) {
      ResourceId file = outputDir.resolve(output.fileName(), StandardResolveOptions.RESOLVE_FILE);
      RunManifest.FileEntry entry = describe(file, output.fileName(), output.header());
      outputEntries.add(entry);
      long written = counters.getOrDefault(StepCounters.outName(output.step()), 0L);
      if (entry.records() != written) {
        failures.add(
            "step '" + output.step() + "' counted " + written + " records written but "
                + output.fileName() + " holds " + entry.records());
      }
    }
    List<RunManifest.FileEntry> inputEntries = new ArrayList<>();
    for (Map.Entry<String, Supplier<List<RunManifest.FileEntry>>> input : inputs.entrySet()) {
      List<RunManifest.FileEntry> entries = input.getValue().get();
      inputEntries.addAll(entries);
      if (tableSteps.contains(input.getKey())) {
        long read = counters.getOrDefault(StepCounters.inName(input.getKey()), 0L);
        long now = entries.get(0).records();
        if (now != read) {
          failures.add("step '" + input.getKey() + "' read " + read + " rows of " + entries.get(0).path()
              + " but it holds " + now + " after the run: the table changed while the run read it");
        }
      }
    }
    Instant finished = Instant.now();
    RunManifest manifest =
        new RunManifest(
            name,
            options.getRunner().getSimpleName(),
            failures.isEmpty() ? "SUCCEEDED" : "AUDIT_FAILED",
            new RunManifest.Run(runId(), millis(start), millis(finished),
                Duration.between(start, finished).toMillis(),
                Duration.between(pipelineStart, pipelineEnd).toMillis(), flow),
            parameters,
            recordedOptions,
            inputEntries,
            outputEntries,
            steps(counters),
            new RunManifest.Audit(failures.isEmpty(), verdict.checks(), failures));
    // Written last, under a temporary name and renamed: a run killed before this point leaves no
    // manifest, and one killed while writing it leaves no half manifest.
    ResourceId manifestTemp = temporary(outputDir, RunManifest.FILE_NAME);
    try {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(manifestTemp, MimeTypes.TEXT))) {
        out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.rename(List.of(manifestTemp), List.of(manifestId));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the manifest " + manifestId, e);
    }
    log.finished(manifest, outputDir.toString());
    String report = writeRunReport(outputDir, manifest);
    if (!failures.isEmpty()) {
      log.runEnded(manifest.status(), Duration.between(start, Instant.now()).toMillis());
      throw new AuditException(name, failures);
    }
    ArchiveManifest archive = null;
    if (options.getArchiveTo() != null && !options.getArchiveTo().isBlank()) {
      archive = Archiver.archive(options, manifest, manifestId.toString(), outputDir.toString(), options.getArchiveTo());
      if (!archive.complete()) {
        throw new ArchiveException(archive);
      }
    }
    Duration elapsed = Duration.between(start, Instant.now());
    log.runEnded(manifest.status(), elapsed.toMillis());
    return new Summary(name, outputDir.toString(), manifest, counters, elapsed, archive, report);
  }

  /** The run report; a report that cannot be written is logged, never fails a run that succeeded. */
  private String writeRunReport(ResourceId outputDir, RunManifest manifest) {
    try {
      ResourceId file = RunReport.write(outputDir, DEAD_LETTERS_FILE, manifest, figures);
      log.outputWritten("run-report", file.toString(), -1);
      return file.toString();
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(NightshiftRun.class).warn("cannot write the run report: {}", e.toString());
      return null;
    }
  }

  /**
   * Where a file of the output folder is written before it is renamed into place
   * ({@code .<name>.inprogress}); a run deletes the ones a killed run left for its outputs.
   */
  public static ResourceId temporary(ResourceId outputDir, String fileName) {
    return outputDir.resolve("." + fileName + ".inprogress", StandardResolveOptions.RESOLVE_FILE);
  }

  private static String millis(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  /** Groups counters named {@code step/what} into per-step counts for the manifest. */
  static SortedMap<String, RunManifest.StepCounts> steps(Map<String, Long> counters) {
    SortedMap<String, long[]> basic = new TreeMap<>();
    SortedMap<String, SortedMap<String, Long>> reasons = new TreeMap<>();
    SortedMap<String, SortedMap<String, Long>> other = new TreeMap<>();
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      String[] parts = e.getKey().split("/", 3);
      if (parts.length < 2) {
        continue;
      }
      String step = parts[0];
      long[] b = basic.computeIfAbsent(step, s -> new long[3]);
      reasons.computeIfAbsent(step, s -> new TreeMap<>());
      other.computeIfAbsent(step, s -> new TreeMap<>());
      if (parts.length == 3 && parts[1].equals("dead")) {
        reasons.get(step).put(parts[2], e.getValue());
      } else if (parts.length == 2 && parts[1].equals("in")) {
        b[0] = e.getValue();
      } else if (parts.length == 2 && parts[1].equals("out")) {
        b[1] = e.getValue();
      } else if (parts.length == 2 && parts[1].equals("dead")) {
        b[2] = e.getValue();
      } else {
        other.get(step).put(e.getKey().substring(step.length() + 1), e.getValue());
      }
    }
    SortedMap<String, RunManifest.StepCounts> steps = new TreeMap<>();
    for (Map.Entry<String, long[]> e : basic.entrySet()) {
      long[] b = e.getValue();
      steps.put(
          e.getKey(),
          new RunManifest.StepCounts(b[0], b[1], b[2], reasons.get(e.getKey()), other.get(e.getKey())));
    }
    return steps;
  }

  /** Size, SHA-256 and line count (less the header) of a file. */
  static RunManifest.FileEntry describe(ResourceId file, String label, boolean header) {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      long bytes = 0;
      long lines = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
        bytes += n;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
      long records = header ? Math.max(0, lines - 1) : lines;
      return new RunManifest.FileEntry(label, bytes, records, HexFormat.of().formatHex(sha.digest()));
    } catch (IOException e) {
      return new RunManifest.FileEntry(label, -1, -1, "unreadable: " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
