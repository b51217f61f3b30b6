package dev.nightshift.pipelines.batch;

import dev.nightshift.pipelines.Pipelines;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code nightshift batch --date D [--domains ...]}: a business date's batch. See the README
 * section "Nightly batches" for the flags, the layout and the guarantees.
 *
 * <p>Exit codes: 0 every pipeline succeeded; 1 usage; 2 invalid batch arguments, or another batch
 * holds the date; 5 the batch ran but at least one pipeline failed or was skipped (the summary
 * says which and why).
 */
public final class BatchCommand {
  public static final int OK = 0;
  public static final int USAGE = 1;
  public static final int INVALID = 2;
  public static final int INCOMPLETE = 5;

  static final String DEFAULT_LANDING = "nightshift-data/landing";
  static final String DEFAULT_WAREHOUSE = "nightshift-data/warehouse";
  static final String DEFAULT_KEY_FILE = "nightshift-data/secrets/deid.key";
  static final String KEY_ENV = "NIGHTSHIFT_DEID_KEY";

  /** The batch's own flags; any other {@code --flag=value} goes to every pipeline run. */
  private static final List<String> OWN = List.of("date", "domains", "pipelines", "landing", "warehouse",
      "generate", "size", "seed", "badRate", "parallelism", "retries", "backoff", "timeout", "childJavaOpts",
      "deidKey", "logDir", "failAttempts");

  private BatchCommand() {}

  /** The parsed command line. */
  record Args(Map<String, String> own, List<String> childFlags, Map<String, List<String>> pipelineFlags) {
    String get(String flag, String fallback) {
      return own.getOrDefault(flag, fallback);
    }

    List<String> list(String flag) {
      String v = own.get(flag);
      return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::trim)
          .filter(x -> !x.isEmpty()).toList();
    }

    int integer(String flag, int fallback) {
      try {
        return own.containsKey(flag) ? Integer.parseInt(own.get(flag)) : fallback;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + flag + " takes a whole number, not '" + own.get(flag) + "'");
      }
    }
  }

  /**
   * {@code --flag=value} or {@code --flag value} for the batch's own flags ({@code --generate}
   * alone); {@code --<pipeline>.<flag>=value} for one pipeline; any other {@code --flag=value}
   * (runner flags) for every pipeline.
   */
  static Args parse(String[] args) {
    Map<String, String> own = new LinkedHashMap<>();
    List<String> child = new ArrayList<>();
    Map<String, List<String>> perPipeline = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      int eq = a.indexOf('=');
      String name = a.substring(2, eq > 0 ? eq : a.length());
      int dot = name.indexOf('.');
      if (dot > 0 && Pipelines.ALL.stream().anyMatch(s -> s.name().equals(name.substring(0, dot)))) {
        perPipeline.computeIfAbsent(name.substring(0, dot), k -> new ArrayList<>())
            .add("--" + a.substring(3 + dot));
      } else if (OWN.contains(name)) {
        if (eq > 0) {
          own.put(name, a.substring(eq + 1));
        } else if (name.equals("generate")) {
          own.put(name, "true");
        } else if (i + 1 < args.length) {
          own.put(name, args[++i]);
        } else {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
      } else {
        child.add(a);
      }
    }
    return new Args(own, child, perPipeline);
  }

  /** {@code pipeline:n,pipeline:n}: the first n attempts of each named pipeline fail. */
  static Map<String, Integer> failAttempts(String spec) {
    Map<String, Integer> out = new TreeMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split(":");
      try {
        out.put(kv[0], Integer.parseInt(kv[1]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--failAttempts takes pipeline:n[,pipeline:n], not '" + spec + "'");
      }
    }
    return out;
  }

  static void usage(PrintStream out) {
    out.println("usage: nightshift batch --date yyyy-mm-dd [flags] [runner flags]");
    out.println("  --domains finance,retail,healthcare   the domains to run (default: all three)");
    out.println("  --pipelines a,b                       only these pipelines (their dependencies' partitions are read as they are)");
    out.println("  --landing DIR|gs://...                the inputs, <landing>/<date>/<domain>/ (default " + DEFAULT_LANDING + ")");
    out.println("  --warehouse DIR|gs://...              the outputs, <warehouse>/<pipeline>/business_date=<date>/ (default "
        + DEFAULT_WAREHOUSE + ")");
    out.println("  --generate [--size 1000 --seed 1 --badRate 0.02]   first write the date's inputs with the generators");
    out.println("  --parallelism 2   --retries 1   --backoff 5s   --timeout 2h (per attempt; 0 = none)");
    out.println("  --deidKey file:PATH|env:VAR          patient-records' key (default env:" + KEY_ENV + " if set, else file:"
        + DEFAULT_KEY_FILE + "; --generate creates that file)");
    out.println("  --childJavaOpts '-Xmx2g'              JVM options added to every pipeline's JVM");
    out.println("  --<pipeline>.<flag>=value             a flag for one pipeline, e.g. --financial-reports.reportingCurrency=USD");
    out.println("Any other --flag=value (--runner=SparkRunner --sparkMaster=local[2]) goes to every pipeline.");
    out.println("Exit codes: 0 all succeeded, 1 usage, 2 invalid arguments or the date is locked, 5 a pipeline failed or was skipped.");
  }

  public static int run(String[] argv, PrintStream out, PrintStream err) {
    if (Arrays.asList(argv).contains("--help")) {
      usage(out);
      return OK;
    }
    Args args;
    LocalDate date;
    try {
      args = parse(argv);
      String d = args.get("date", null);
      if (d == null) {
        err.println("nightshift batch: --date yyyy-mm-dd is required");
        usage(err);
        return USAGE;
      }
      date = LocalDate.parse(d);
    } catch (DateTimeParseException e) {
      err.println("nightshift batch: --date must be yyyy-mm-dd: " + e.getParsedString());
      return INVALID;
    } catch (IllegalArgumentException e) {
      err.println("nightshift batch: " + e.getMessage());
      return INVALID;
    }
    // Beam file systems (gs:// and others) configured from the same flags the pipelines get.
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(args.childFlags().toArray(new String[0])).withoutStrictParsing().create());
    String landing = absolute(args.get("landing", DEFAULT_LANDING));
    String warehouse = absolute(args.get("warehouse", DEFAULT_WAREHOUSE));
    for (String place : List.of(landing, warehouse)) {
      try {
        FileSystems.matchNewResource(place, true);
      } catch (IllegalArgumentException e) {
        err.println("nightshift batch: cannot use " + place + ": " + e.getMessage());
        return INVALID;
      }
    }
    BatchPlan plan;
    BatchRunner.Settings settings;
    String deidKey;
    try {
      plan = BatchPlan.standard().select(args.list("domains"), args.list("pipelines"));
      String logBase = args.get("logDir", Storage.isLocal(warehouse)
          ? Storage.join(warehouse, "_batches", date.toString(), "logs")
          : Storage.join("nightshift-data", "batch-logs", date.toString()));
      settings = new BatchRunner.Settings(
          args.integer("parallelism", 2),
          args.integer("retries", 1),
          Durations.parse(args.get("backoff", "5s"), "backoff"),
          Durations.parse(args.get("timeout", "2h"), "timeout"),
          args.childFlags(),
          args.pipelineFlags(),
          failAttempts(args.get("failAttempts", null)),
          Path.of(logBase).toAbsolutePath());
      deidKey = args.get("deidKey", System.getenv(KEY_ENV) != null ? "env:" + KEY_ENV
          : "file:" + Path.of(DEFAULT_KEY_FILE).toAbsolutePath());
    } catch (IllegalArgumentException e) {
      err.println("nightshift batch: " + e.getMessage());
      return INVALID;
    }
    BatchPlan.Context context = new BatchPlan.Context(date, landing, Partitions.of(warehouse), deidKey);
    try (DateLock lock = DateLock.take(context)) {
      if (lock == null) {
        err.println("nightshift batch: another batch is running for " + date + " (lock "
            + Storage.join(context.batchDir(), DateLock.FILE) + ")");
        return INVALID;
      }
      if (args.own().containsKey("generate")) {
        long size;
        long seed;
        double badRate;
        try {
          size = Long.parseLong(args.get("size", "1000").replace("_", ""));
          seed = Long.parseLong(args.get("seed", "1"));
          badRate = Double.parseDouble(args.get("badRate", "0.02"));
        } catch (NumberFormatException e) {
          err.println("nightshift batch: --size, --seed and --badRate take numbers: " + e.getMessage());
          return INVALID;
        }
        out.println("Generating the landing area " + Storage.join(landing, date.toString()) + " ...");
        BatchLanding.generate(context, plan.domains(), size, seed, badRate, out);
        if (plan.step(dev.nightshift.pipelines.healthcare.patients.PatientRecords.NAME).isPresent()) {
          createKeyIfMissing(deidKey, out);
        }
      }
      if (Storage.children(Storage.join(landing, date.toString())).isEmpty()) {
        out.println("warning: there is no landing area for " + date + " at " + Storage.join(landing, date.toString())
            + " (--generate writes one)");
      }
      out.println("Batch for " + date + ": " + String.join(", ", plan.steps().stream().map(BatchPlan.Step::pipeline).toList())
          + " (parallelism " + settings.parallelism() + ", retries " + settings.retries() + ")");
      BatchRunner runner = new BatchRunner(plan, context, settings,
          ChildJvm.likeThisJvm(splitOptions(args.get("childJavaOpts", "")), BatchAttempt.class), out);
      Map<String, String> shown = new LinkedHashMap<>();
      shown.put("domains", String.join(",", plan.domains()));
      shown.put("landing", landing);
      shown.put("warehouse", warehouse);
      shown.put("parallelism", Integer.toString(settings.parallelism()));
      shown.put("retries", Integer.toString(settings.retries()));
      shown.put("backoff", settings.backoff().toString());
      shown.put("timeout", settings.timeout().toString());
      shown.put("pipeline_flags", String.join(" ", args.childFlags()));
      shown.put("logs", settings.logDir().resolve(runner.batchId()).toString());
      BatchReport report = runner.run(shown);
      report.print(out);
      String summary = Storage.join(context.batchDir(), BatchReport.FILE_NAME);
      Storage.writeString(summary, report.toJson());
      out.println("Summary: " + summary);
      return report.succeeded() ? OK : INCOMPLETE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("nightshift batch: interrupted");
      return INCOMPLETE;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> splitOptions(String options) {
    return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
  }

  /** Local paths absolute (children and Spark executors resolve them alike); URLs as they are. */
  static String absolute(String path) {
    return Storage.isLocal(path) ? Storage.local(path).toAbsolutePath().normalize().toString() : path;
  }

  /**
   * {@code --generate} on a fresh machine: a random de-identification key in the default key file
   * (owner-only), so patient-records can run; an existing key is never replaced.
   */
  static void createKeyIfMissing(String deidKey, PrintStream out) throws IOException {
    if (!deidKey.startsWith("file:")) {
      return;
    }
    Path key = Path.of(deidKey.substring("file:".length()));
    if (Files.exists(key)) {
      return;
    }
    Files.createDirectories(key.toAbsolutePath().getParent());
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, HexFormat.of().formatHex(bytes) + "\n");
    out.println("  created a random de-identification key in " + key + " (keep it: it keys the patient ids)");
  }

  /**
   * One batch per date at a time (local warehouses): an OS file lock in the date's batch folder,
   * released when the batch ends or its JVM dies. On an object store there is no lock.
   */
  static final class DateLock implements AutoCloseable {
    static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private DateLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    /** The lock, or null when another batch holds it. */
    static DateLock take(BatchPlan.Context context) throws IOException {
      if (!Storage.isLocal(context.batchDir())) {
        return new DateLock(null, null);
      }
      Path dir = Storage.local(context.batchDir());
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock l = ch.tryLock();
        if (l == null) {
          ch.close();
          return null;
        }
        return new DateLock(ch, l);
      } catch (OverlappingFileLockException e) {
        ch.close();
        return null;
      }
    }

    @Override
    public void close() throws IOException {
      if (lock != null) {
        lock.release();
        channel.close();
      }
    }
  }
}
