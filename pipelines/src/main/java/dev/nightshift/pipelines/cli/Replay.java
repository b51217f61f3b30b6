package dev.nightshift.pipelines.cli;

import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.ReplayPlan;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * {@code nightshift replay <run output> [--output OUT] [--deadLetters FILE] [--include-duplicates]
 * [runner flags, option overrides]}: sends a finished run's (corrected) dead letters back through
 * its pipeline.
 *
 * <p>The run's {@code _manifest.json} gives the pipeline and the options it ran with. Each dead
 * letter of a record input (see {@link #SPECS}) is written back, its raw text as it is now in the
 * dead-letter file (which the user has corrected), into a replay file named after its origin, on
 * the line it had there (CSV files start with the origin's header; the lines between records are
 * blank, and the readers skip blank lines). The pipeline then runs with the replay files as its
 * record inputs and the same reference inputs and options, into {@code <run>/replay-<n>} or
 * {@code --output}. The replay run reads {@code replay-input/replay.json} ({@code --replayPlan}):
 * its manifest counts the records of every replay file and names the run replayed
 * ({@code replay_of}), and its audit checks that the reading step received each one; the records
 * then balance as in any run, each into an output or, still bad, a dead letter with its reason.
 *
 * <p>Not replayed, each listed in {@code replay.json} with why: dead letters of reference inputs
 * (securities, snapshot, master...: correct the file and run the pipeline again), duplicates
 * ({@code DUPLICATE_*}: alone they would be accepted; {@code --include-duplicates} replays them),
 * records cut short when refused ({@code RECORD_TOO_LONG}), claims from FHIR bundles and X12 files
 * (their raw text is part of a file), and files refused whole that are gone. A file refused whole
 * that exists now is replayed as it is.
 */
final class Replay {
  private Replay() {}

  /** How a record input's records are laid out: CSV with a header line, or one record a line. */
  enum Format { CSV, LINES }

  /**
   * A record input of a pipeline: its option, the file or glob it defaults to under
   * {@code --inputDir} (null: none), the step that reads it, its format, whether the pipeline needs
   * it (an empty CSV with the header is given when nothing is replayed into it), and which of its
   * files hold records that can be replayed line by line.
   */
  record RecordInput(String option, String defaultFile, String step, Format format, boolean required,
      Pattern lineBasedFiles, String notLineBased) {
    static RecordInput of(String option, String defaultFile, String step, Format format, boolean required) {
      return new RecordInput(option, defaultFile, step, format, required, null, null);
    }
  }

  /** A reference input given by {@code --inputDir} unless set: made explicit for the replay run. */
  record Reference(String option, String defaultFile) {}

  /** What replay knows of a pipeline. */
  record Spec(List<RecordInput> records, List<Reference> references) {}

  static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put(TradeSettlement.NAME, new Spec(
        List.of(RecordInput.of("trades", "trades.csv", "read-trades", Format.CSV, false),
            RecordInput.of("fixLogs", null, "read-fix-trades", Format.LINES, false)),
        List.of(new Reference("securities", "securities.csv"),
            new Reference("participants", "participants.csv"),
            new Reference("holidays", "holidays.csv"))));
    SPECS.put(OrderProcessing.NAME, new Spec(
        List.of(RecordInput.of("input", "online_retail*.csv", "read-orders", Format.CSV, true)),
        List.of()));
    SPECS.put(InventoryUpdate.NAME, new Spec(
        List.of(RecordInput.of("movements", InventoryUpdate.MOVEMENTS_FILE, "read-movements", Format.CSV, true),
            RecordInput.of("receipts", InventoryUpdate.RECEIPTS_FILE, "read-receipts", Format.CSV, false)),
        List.of(new Reference("snapshot", InventoryUpdate.SNAPSHOT_FILE))));
    SPECS.put(ClaimsAdjudication.NAME, new Spec(
        List.of(new RecordInput("claims", ClaimsAdjudication.CLAIMS_GLOB, "read-ndjson", Format.LINES, true,
            Pattern.compile("(?i).*\\.ndjson(\\.gz)?"),
            "claims from FHIR bundles and X12 837P files are not replayed record by record (a claim's"
                + " raw text is part of its file): correct the file and run claims-adjudication on it")),
        List.of(new Reference("members", ClaimsAdjudication.MEMBERS_FILE),
            new Reference("plans", ClaimsAdjudication.PLANS_FILE),
            new Reference("feeSchedule", ClaimsAdjudication.FEES_FILE))));
    SPECS.put(Billing.NAME, new Spec(
        List.of(RecordInput.of("adjudicated", Billing.ADJUDICATED_GLOB, "read-adjudicated", Format.CSV, true),
            RecordInput.of("payments", Billing.PAYMENTS_FILE, "read-payments", Format.CSV, false)),
        List.of()));
    SPECS.put(PatientRecords.NAME, new Spec(
        List.of(RecordInput.of("updates", null, "read-updates", Format.LINES, true)),
        List.of()));
  }

  static final String REPLAY_INPUT = "replay-input";

  static void usage(PrintStream out) {
    out.println("usage: nightshift replay <run output dir> [--output OUT] [--deadLetters FILE]"
        + " [--include-duplicates] [runner flags] [--option=value overrides]");
    out.println("  sends the run's dead letters (raw_payload as corrected in <dir>/dead_letters.jsonl,"
        + " or --deadLetters) back through its pipeline, with the options of its _manifest.json,"
        + " into OUT (default <dir>/replay-<n>)");
    out.println("  pipelines: " + String.join(", ", SPECS.keySet()));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].startsWith("--")) {
      if (args.length == 0 || !args[0].equals("--help")) {
        err.println("nightshift replay: name the output folder of a finished run");
        usage(err);
        return Nightshift.USAGE;
      }
      usage(out);
      return Nightshift.OK;
    }
    String dir = trimSlash(args[0]);
    String output = null;
    String deadLetters = null;
    boolean duplicates = false;
    List<String> passOn = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "--output", "--deadLetters" -> {
          String value = kv.length == 2 ? kv[1] : (i + 1 < args.length ? args[++i] : null);
          if (value == null || value.isEmpty()) {
            err.println("nightshift replay: " + kv[0] + " needs a value");
            return Nightshift.USAGE;
          }
          if (kv[0].equals("--output")) {
            output = trimSlash(value);
          } else {
            deadLetters = value;
          }
        }
        case "--include-duplicates" -> duplicates = true;
        default -> {
          if (!a.startsWith("--")) {
            err.println("nightshift replay: unexpected argument '" + a + "'");
            usage(err);
            return Nightshift.USAGE;
          }
          passOn.add(a);
        }
      }
    }
    RunManifest manifest = readManifest(dir);
    Spec spec = SPECS.get(manifest.pipeline());
    if (spec == null) {
      throw new IllegalArgumentException("nightshift replay does not replay " + manifest.pipeline()
          + " (its record inputs are not line-based, or a record's dead letter is not the record alone);"
          + " it replays " + String.join(", ", SPECS.keySet())
          + ". Correct the input files and run the pipeline again.");
    }
    if (output == null) {
      output = nextReplayDir(dir);
    } else if (isLocal(output)) {
      output = Path.of(output).toAbsolutePath().normalize().toString();
    }
    String letters = deadLetters != null ? deadLetters : dir + "/" + NightshiftRun.DEAD_LETTERS_FILE;
    ReplayPlan plan = plan(manifest, spec, dir, readDeadLetters(letters), letters, output, duplicates);
    String planPath = output + "/" + REPLAY_INPUT + "/" + ReplayPlan.FILE_NAME;
    write(planPath, plan.toJson());

    out.printf(Locale.ROOT, "Replaying %,d dead letters of %s (%s, run %s) into %s%n", plan.records(),
        dir, manifest.pipeline(), manifest.run() == null ? "?" : manifest.run().id(), output);
    for (ReplayPlan.Input input : plan.inputs()) {
      out.printf(Locale.ROOT, "  --%s=%s: %s%n", input.option(), input.pattern(),
          input.records() < 0 ? "a file replayed whole" : String.format(Locale.ROOT, "%,d records", input.records()));
    }
    if (!plan.skipped().isEmpty()) {
      Map<String, Long> why = new TreeMap<>();
      plan.skipped().forEach(s -> why.merge(s.why(), 1L, Long::sum));
      out.printf(Locale.ROOT, "  not replayed: %,d (listed in %s)%n", plan.skipped().size(), planPath);
      why.forEach((w, n) -> out.printf(Locale.ROOT, "    %,d: %s%n", n, w));
    }
    if (plan.inputs().stream().noneMatch(i -> !i.files().isEmpty() && i.records() != 0)) {
      err.println("nightshift replay: nothing to replay in " + letters);
      return Nightshift.INVALID;
    }
    List<String> pipelineArgs = new ArrayList<>();
    pipelineArgs.add(manifest.pipeline());
    pipelineArgs.addAll(replayOptions(manifest, spec, plan, output, planPath, passOn));
    int code = Nightshift.runPipeline(pipelineArgs.toArray(new String[0]), out, err);
    if (code == Nightshift.OK) {
      printOutcome(plan, output, out);
    }
    return code;
  }

  /** What became of the replayed records: written (the audit balanced), and dead again by reason. */
  private static void printOutcome(ReplayPlan plan, String output, PrintStream out) {
    Map<String, Long> again = new TreeMap<>();
    try {
      for (DeadLetter d : readDeadLetters(output + "/" + NightshiftRun.DEAD_LETTERS_FILE)) {
        again.merge(d.reasonCode(), 1L, Long::sum);
      }
    } catch (IllegalArgumentException e) {
      return;
    }
    long dead = again.values().stream().mapToLong(Long::longValue).sum();
    out.printf(Locale.ROOT, "Replayed %,d records: %,d dead letters again%s; their positions are their"
        + " origins' (see %s)%n", plan.records(), dead, again.isEmpty() ? "" : " " + again,
        output + "/" + REPLAY_INPUT + "/" + ReplayPlan.FILE_NAME);
  }

  static RunManifest readManifest(String dir) {
    String path = dir + "/" + RunManifest.FILE_NAME;
    Optional<String> text = readIfExists(path);
    if (text.isEmpty()) {
      throw new IllegalArgumentException("replay: no run manifest " + path + ": give the output folder of a"
          + " finished run (the folder holding _manifest.json and dead_letters.jsonl)");
    }
    RunManifest manifest;
    try {
      manifest = RunManifest.fromJson(text.get());
    } catch (IOException e) {
      throw new IllegalArgumentException("replay: " + path + " is not a run manifest: " + e.getMessage(), e);
    }
    if (!"SUCCEEDED".equals(manifest.status())) {
      throw new IllegalArgumentException("replay: the run in " + dir + " is " + manifest.status()
          + ", not SUCCEEDED: its dead letters may not be all of them; fix the run first");
    }
    if (manifest.options() == null) {
      throw new IllegalArgumentException("replay: " + path + " does not record the run's options (it was"
          + " written before replay existed): run the pipeline again, then replay that run");
    }
    return manifest;
  }

  static List<DeadLetter> readDeadLetters(String path) {
    String text = readIfExists(path).orElseThrow(() ->
        new IllegalArgumentException("replay: no dead-letter file " + path));
    List<DeadLetter> letters = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        letters.add(DeadLetter.fromJson(lines[i]));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("replay: line " + (i + 1) + " of " + path
            + " is not a dead letter (one JSON object a line): " + e.getOriginalMessage(), e);
      }
    }
    return letters;
  }

  /** Sorts the dead letters into replay files (written here) and skipped ones. */
  static ReplayPlan plan(RunManifest manifest, Spec spec, String dir, List<DeadLetter> letters,
      String lettersPath, String output, boolean duplicates) {
    Map<String, String> options = manifest.options();
    List<ReplayPlan.Skipped> skipped = new ArrayList<>();
    // per record input, per origin file, the dead letters to replay (in line order)
    Map<RecordInput, Map<String, List<DeadLetter>>> grouped = new LinkedHashMap<>();
    List<Map.Entry<RecordInput, Pattern>> patterns = new ArrayList<>();
    for (RecordInput input : spec.records()) {
      grouped.put(input, new TreeMap<>());
      String pattern = originalPattern(options, input.option(), input.defaultFile());
      if (pattern != null) {
        patterns.add(Map.entry(input, globRegex(absolute(pattern))));
      }
    }
    for (DeadLetter d : letters) {
      String source = d.sourceFile() == null ? "" : absolute(d.sourceFile());
      RecordInput input = patterns.stream().filter(e -> e.getValue().matcher(source).matches())
          .map(Map.Entry::getKey).findFirst().orElse(null);
      String why = null;
      if (!manifest.pipeline().equals(d.pipeline())) {
        why = "a dead letter of another pipeline (" + d.pipeline() + ")";
      } else if (input == null) {
        why = "not from a record input of " + manifest.pipeline()
            + " (reference data, or an input replay does not know): correct that input and run the pipeline again";
      } else if (d.reasonCode() != null && d.reasonCode().startsWith("DUPLICATE_") && !duplicates) {
        why = "a duplicate of a record the run kept: alone it would be accepted (--include-duplicates replays it)";
      } else if ("RECORD_TOO_LONG".equals(d.reasonCode())) {
        why = "RECORD_TOO_LONG: only the start of the record was kept; correct the origin file and run again";
      } else if (input.lineBasedFiles() != null && !input.lineBasedFiles().matcher(source).matches()) {
        why = input.notLineBased();
      } else if (d.lineNumber() <= 0 && !exists(d.sourceFile())) {
        why = "the file was refused whole and is not there (or cannot be read) now";
      } else if (d.rawPayload() == null) {
        why = "the dead letter holds no raw record";
      }
      if (why != null) {
        skipped.add(new ReplayPlan.Skipped(d.sourceFile(), d.lineNumber(), d.step(), d.reasonCode(), why));
      } else {
        grouped.get(input).computeIfAbsent(d.sourceFile(), s -> new ArrayList<>()).add(d);
      }
    }

    List<ReplayPlan.Input> inputs = new ArrayList<>();
    for (Map.Entry<RecordInput, Map<String, List<DeadLetter>>> e : grouped.entrySet()) {
      RecordInput input = e.getKey();
      if (e.getValue().isEmpty() && !input.required()) {
        continue;
      }
      String folder = output + "/" + REPLAY_INPUT + "/" + input.option();
      List<ReplayPlan.ReplayFile> files = new ArrayList<>();
      Map<String, Integer> names = new TreeMap<>();
      for (Map.Entry<String, List<DeadLetter>> origin : e.getValue().entrySet()) {
        String name = baseName(origin.getKey());
        int seen = names.merge(name, 1, Integer::sum);
        String path = folder + "/" + (seen == 1 ? name : seen + "-" + name);
        List<DeadLetter> records = new ArrayList<>(origin.getValue());
        records.sort(Comparator.comparingLong(DeadLetter::lineNumber));
        if (records.stream().anyMatch(d -> d.lineNumber() <= 0)) {
          // refused whole: replayed as the file is now (with the records of its line letters, if any)
          copy(origin.getKey(), path);
          files.add(new ReplayPlan.ReplayFile(path, origin.getKey(), -1, true));
          continue;
        }
        StringBuilder text = new StringBuilder();
        long line = 1;
        if (input.format() == Format.CSV) {
          String header = header(origin.getKey(), options, input);
          text.append(header).append('\n');
          line = 2;
        }
        for (DeadLetter d : records) {
          for (; line < d.lineNumber(); line++) {
            text.append('\n');
          }
          String raw = stripLineEnd(d.rawPayload());
          text.append(raw).append('\n');
          line += 1 + raw.chars().filter(c -> c == '\n').count();
        }
        write(path, text.toString());
        files.add(new ReplayPlan.ReplayFile(path, origin.getKey(), records.size(), false));
      }
      if (files.isEmpty()) {
        if (input.format() != Format.CSV) {
          continue; // cannot happen: a required line input is the pipeline's only record input
        }
        String path = folder + "/empty-" + input.option() + ".csv";
        write(path, header(null, options, input) + "\n");
        files.add(new ReplayPlan.ReplayFile(path, "(none: nothing replayed into --" + input.option() + ")", 0, false));
      }
      long records = files.stream().anyMatch(ReplayPlan.ReplayFile::wholeFile)
          ? -1 : files.stream().mapToLong(ReplayPlan.ReplayFile::records).sum();
      inputs.add(new ReplayPlan.Input(input.option(), input.step(), folder + "/*", records, files));
    }
    return new ReplayPlan(manifest.pipeline(), dir, manifest.run() == null ? null : manifest.run().id(),
        lettersPath, inputs, skipped);
  }

  /**
   * The replay run's flags: the original options, with {@code --inputDir} resolved into the
   * reference inputs it gave, the record inputs replaced by the replay files (or left out), the
   * output and the plan, then the user's flags (runner flags, overrides), which win.
   */
  static List<String> replayOptions(RunManifest manifest, Spec spec, ReplayPlan plan, String output,
      String planPath, List<String> userFlags) {
    Map<String, String> flags = new TreeMap<>(manifest.options());
    String inputDir = flags.remove("inputDir");
    for (Reference r : spec.references()) {
      String explicit = flags.get(r.option());
      if ((explicit == null || explicit.isEmpty()) && inputDir != null && !inputDir.isEmpty()) {
        flags.put(r.option(), trimSlash(inputDir) + "/" + r.defaultFile());
      }
    }
    for (RecordInput input : spec.records()) {
      flags.remove(input.option());
    }
    for (ReplayPlan.Input input : plan.inputs()) {
      flags.put(input.option(), input.pattern());
    }
    flags.put("output", output);
    flags.put("replayPlan", planPath);
    for (String f : userFlags) {
      String[] kv = f.substring(2).split("=", 2);
      flags.remove(kv[0]);
    }
    List<String> args = new ArrayList<>();
    flags.forEach((k, v) -> args.add("--" + k + "=" + v));
    args.addAll(userFlags);
    return args;
  }

  /** The pattern a record input was read from in the original run, or null when it was not given. */
  static String originalPattern(Map<String, String> options, String option, String defaultFile) {
    String explicit = options.get(option);
    if (explicit != null && !explicit.isEmpty()) {
      return explicit;
    }
    String inputDir = options.get("inputDir");
    if (defaultFile == null || inputDir == null || inputDir.isEmpty()) {
      return null;
    }
    return trimSlash(inputDir) + "/" + defaultFile;
  }

  /**
   * The header line of a CSV record input: the origin's first line, or, when it cannot be read
   * (archived, moved), the first line of another file of the input's original pattern.
   */
  static String header(String origin, Map<String, String> options, RecordInput input) {
    List<String> candidates = new ArrayList<>();
    if (origin != null) {
      candidates.add(origin);
    }
    String pattern = originalPattern(options, input.option(), input.defaultFile());
    if (pattern != null) {
      try {
        MatchResult m = FileSystems.match(pattern);
        if (m.status() == MatchResult.Status.OK) {
          m.metadata().stream().map(md -> md.resourceId().toString()).sorted().forEach(candidates::add);
        }
      } catch (IOException e) {
        // no other candidate
      }
    }
    for (String file : candidates) {
      Optional<String> first = firstLine(file);
      if (first.isPresent()) {
        return first.get();
      }
    }
    throw new IllegalArgumentException("replay: cannot read the header of --" + input.option() + " ("
        + (origin != null ? origin : pattern) + ") to write its replay file");
  }

  private static Optional<String> firstLine(String file) {
    try (InputStream raw = open(file);
        BufferedReader r = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      if (line == null || line.isBlank()) {
        return Optional.empty();
      }
      return Optional.of(line.startsWith("\uFEFF") ? line.substring(1) : line);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static InputStream open(String file) throws IOException {
    InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId()));
    return file.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  static Optional<String> readIfExists(String file) {
    if (file == null || file.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = open(file)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static boolean exists(String file) {
    try (InputStream in = open(file)) {
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A file refused whole, copied as it is now (decompressed) into the replay input. */
  static void copy(String from, String to) {
    try (InputStream in = open(from)) {
      if (isLocal(to)) {
        Path p = Path.of(to);
        Files.createDirectories(p.toAbsolutePath().getParent());
        Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      try (OutputStream out = Channels.newOutputStream(
          FileSystems.create(FileSystems.matchNewResource(to, false), MimeTypes.TEXT))) {
        in.transferTo(out);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("replay: cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  static void write(String file, String text) {
    try {
      if (isLocal(file)) {
        Path p = Path.of(file);
        Files.createDirectories(p.toAbsolutePath().getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return;
      }
      try (OutputStream out = Channels.newOutputStream(
          FileSystems.create(FileSystems.matchNewResource(file, false), MimeTypes.TEXT))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("replay: cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code <dir>/replay-<n>}, n one more than the replays already there. */
  static String nextReplayDir(String dir) {
    int n = 0;
    try {
      MatchResult m = FileSystems.match(dir + "/replay-*/" + REPLAY_INPUT + "/" + ReplayPlan.FILE_NAME);
      if (m.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata md : m.metadata()) {
          String s = md.resourceId().toString();
          String part = s.substring(0, s.indexOf("/" + REPLAY_INPUT + "/"));
          part = part.substring(part.lastIndexOf("/replay-") + "/replay-".length());
          if (part.matches("\\d+")) {
            n = Math.max(n, Integer.parseInt(part));
          }
        }
      }
    } catch (IOException e) {
      // none yet
    }
    String base = isLocal(dir) ? Path.of(dir).toAbsolutePath().normalize().toString() : dir;
    return base + "/replay-" + (n + 1);
  }

  private static boolean isLocal(String path) {
    return !path.contains("://");
  }

  /** A local path made absolute (dead letters name files by absolute path); others unchanged. */
  static String absolute(String path) {
    if (!isLocal(path) || path.startsWith("/")) {
      return path;
    }
    return Path.of("").toAbsolutePath().resolve(path).normalize().toString();
  }

  private static String trimSlash(String s) {
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String stripLineEnd(String raw) {
    String s = raw;
    while (s.endsWith("\n") || s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** The file name of a path, without a {@code .gz} ending (replay files are written plain). */
  static String baseName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  /** A Beam/Java glob ({@code *} within a folder, {@code **} across, {@code ?} one character). */
  static Pattern globRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
