package dev.nightshift.pipelines.cli;

import dev.nightshift.pipelines.Pipelines;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.pipelines.retail.OpeningStock;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.transforms.audit.AuditException;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The {@code nightshift} command line: {@code list}, {@code run}, {@code generate},
 * {@code demo}, {@code replay} ({@link Replay}) and the batch, cluster, archive and db commands. The runner is chosen by Beam's flags alone ({@code --runner=SparkRunner
 * --sparkMaster=local[2]}); the Direct Runner is the default.
 *
 * <p>Exit codes: 0 success, 1 usage, 2 invalid options or input, 3 the run audit failed, 4 the
 * pipeline failed.
 */
public final class Nightshift {
  private Nightshift() {}

  static final int OK = 0;
  static final int USAGE = 1;
  static final int INVALID = 2;
  static final int AUDIT_FAILED = 3;
  static final int FAILED = 4;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      usage(out);
      return args.length == 0 ? USAGE : OK;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "list":
          return list(out);
        case "run":
          return runPipeline(rest, out, err);
        case "generate":
          return generate(rest, out, err);
        case "demo":
          return demo(rest, out, err);
        case "cluster":
          return cluster(rest, out, err);
        case "batch":
          return dev.nightshift.pipelines.batch.BatchCommand.run(rest, out, err);
        case "archive":
          return Archive.run(rest, out, err);
        case "replay":
          return Replay.run(rest, out, err);
        case "db":
          return ReferenceDbCommand.run(rest, out, err);
        default:
          err.println("nightshift: unknown command '" + args[0] + "'");
          usage(err);
          return USAGE;
      }
    } catch (AuditException e) {
      err.println("nightshift: " + e.getMessage());
      return AUDIT_FAILED;
    } catch (IllegalArgumentException e) {
      err.println("nightshift: " + e.getMessage());
      for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
        err.println("  caused by: " + c);
      }
      return INVALID;
    } catch (RuntimeException e) {
      err.println("nightshift: the pipeline failed: " + rootMessage(e));
      e.printStackTrace(err);
      return FAILED;
    }
  }

  static void usage(PrintStream out) {
    out.println("usage: nightshift <command> [arguments]");
    out.println();
    out.println("  list                                 the pipelines, one line each");
    out.println("  run <pipeline> [flags]               run a pipeline; --help lists its options");
    out.println("  generate <dataset> --size N --out DIR [--seed S] [--bad-rate R] [--business-date D] [knobs]");
    out.println("                                       write a seeded dataset (datasets: "
        + String.join(", ", Pipelines.GENERATORS.stream().map(DatasetGenerator::name).toList()) + ")");
    out.println("  demo [flags]                         generate small datasets and run the finance, retail and healthcare pipelines");
    out.println("  batch --date D [--domains finance,retail,healthcare] [--generate] [--parallelism 2] [--retries 1]");
    out.println("                                       a business date's batch: every pipeline, in dependency order (batch --help)");
    out.println("  cluster start|stop|status [--home DIR] [--port 7077] [--cores N] [--memory 6g]");
    out.println("                                       a local Spark standalone cluster on 127.0.0.1");
    out.println("  archive --manifest <run output>/_manifest.json --to gs://bucket/prefix   move a run's inputs to ARCHIVE class");
    out.println("  replay <run output dir> [--output OUT] [--deadLetters FILE] [--include-duplicates] [runner flags]");
    out.println("                                       send a run's corrected dead letters back through its pipeline"
        + " (into <dir>/replay-<n>)");
    out.println("  db load --table T --csv FILE [--referenceDb=URL --referenceDbUser=U --referenceDbPassword=env:V|file:P]");
    out.println("                                       create a reference table and load a CSV file into it");
    out.println("  db start|stop|status [--home DIR] [--port 5432]  a local PostgreSQL server on 127.0.0.1");
    out.println();
    out.println("Runner flags: --runner=DirectRunner (default) or --runner=SparkRunner --sparkMaster=local[2]");
    out.println("Progress: --progress (on by default at a terminal), --progress=false, --progressInterval=SECONDS (5)");
  }

  /** {@code cluster start|stop|status}: a real Spark standalone master and worker on 127.0.0.1. */
  static int cluster(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("nightshift cluster: start, stop or status");
      return USAGE;
    }
    Path home = Path.of("nightshift-data", "spark-cluster");
    int port = LocalCluster.DEFAULT_PORT;
    int cores = Runtime.getRuntime().availableProcessors();
    String memory = "6g";
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      String value = kv.length == 2 ? kv[1] : (i + 1 < args.length ? args[++i] : "");
      switch (kv[0]) {
        case "--home" -> home = Path.of(value);
        case "--port" -> port = Integer.parseInt(value);
        case "--cores" -> cores = Integer.parseInt(value);
        case "--memory" -> memory = value;
        default -> {
          err.println("nightshift cluster: unknown flag " + args[i]);
          return USAGE;
        }
      }
    }
    try {
      switch (args[0]) {
        case "start" -> {
          LocalCluster c =
              LocalCluster.start(
                  LocalCluster.Config.of(home, LocalCluster.currentClasspath())
                      .withPort(port).withCores(cores).withWorkerMemory(memory));
          out.println("nightshift cluster: master " + c.masterUrl() + " (pid " + c.masterPid()
              + ", web UI http://127.0.0.1:" + c.masterUiPort() + "), worker pid " + c.workerPid()
              + ", home " + c.home());
          out.println("run a pipeline on it: nightshift run <pipeline> --runner=SparkRunner --sparkMaster="
              + c.masterUrl() + " ...");
          return OK;
        }
        case "status" -> {
          var c = LocalCluster.status(home);
          if (c.isEmpty()) {
            out.println("nightshift cluster: not running (home " + home.toAbsolutePath() + ")");
            return FAILED;
          }
          out.println("nightshift cluster: running at " + c.get().masterUrl() + ", master pid "
              + c.get().masterPid() + ", worker pid " + c.get().workerPid() + ", executors "
              + c.get().executors().size());
          return OK;
        }
        case "stop" -> {
          out.println(LocalCluster.stop(home) ? "nightshift cluster: stopped" : "nightshift cluster: was not running");
          return OK;
        }
        default -> {
          err.println("nightshift cluster: start, stop or status, not " + args[0]);
          return USAGE;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    } catch (IllegalStateException e) {
      err.println("nightshift cluster: " + e.getMessage());
      return FAILED;
    }
  }

  static int list(PrintStream out) {
    for (Pipelines.Spec spec : Pipelines.ALL) {
      out.printf(Locale.ROOT, "%-22s %s%n", spec.name(), spec.description());
    }
    return OK;
  }

  static int runPipeline(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("nightshift run: name a pipeline (nightshift list)");
      return USAGE;
    }
    Pipelines.Spec spec = Pipelines.pipeline(args[0]).orElse(null);
    if (spec == null) {
      err.println("nightshift run: no pipeline '" + args[0] + "' (nightshift list)");
      return USAGE;
    }
    String[] flags = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(flags).contains("--help")) {
      out.println(spec.name() + ": " + spec.description());
      PipelineOptionsFactory.register(spec.options());
      PipelineOptionsFactory.printHelp(out, spec.options());
      return OK;
    }
    PipelineOptionsFactory.register(spec.options());
    ProgressFlags progress = ProgressFlags.of(flags, System.console() != null);
    NightshiftOptions options =
        PipelineOptionsFactory.fromArgs(withRunDefaults(progress.pipelineFlags())).withValidation().as(spec.options());
    out.println("Running " + spec.name() + " on " + options.getRunner().getSimpleName() + " ...");
    NightshiftRun.Summary summary;
    try (Progress shown = progress.enabled() ? Progress.install(err, progress.every()) : null) {
      summary = spec.run().apply(options);
    }
    printSummary(summary, out);
    return OK;
  }

  /**
   * On the Direct Runner, the launcher turns off the runner's test-time checks (it encodes and
   * compares every element to catch DoFns that mutate their inputs) unless the user sets them:
   * they multiply time and memory on production-size inputs. Tests keep them on.
   */
  /**
   * {@code --flag=value} with {@code value} made absolute when it is a relative local path: the
   * output folder, or a value whose first path element exists in the current folder (a file, a
   * folder, or the folder of a glob). Values with a scheme ({@code gs://}) are left alone.
   */
  static String absoluteLocalPath(String flag) {
    if (!flag.startsWith("--") || !flag.contains("=")) {
      return flag;
    }
    String name = flag.substring(2, flag.indexOf('='));
    String value = flag.substring(flag.indexOf('=') + 1);
    if (value.isEmpty() || value.contains("://") || value.startsWith("/") || name.equals("sparkMaster")
        || name.equals("runner")) {
      return flag;
    }
    String first = value.split("/", 2)[0];
    boolean looksLocal =
        name.equals("output") || (!first.contains("*") && !first.isEmpty() && java.nio.file.Files.exists(Path.of(first)));
    return looksLocal ? "--" + name + "=" + Path.of(value).toAbsolutePath().normalize() : flag;
  }

  static String[] withRunDefaults(String[] flags) {
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    boolean direct = all.stream().noneMatch(f -> f.startsWith("--runner=") && !f.endsWith("=DirectRunner"));
    if (direct) {
      for (String check : List.of("enforceImmutability", "enforceEncodability")) {
        if (all.stream().noneMatch(f -> f.startsWith("--" + check))) {
          all.add("--" + check + "=false");
        }
      }
    }
    boolean spark = all.stream().anyMatch(f -> f.equals("--runner=SparkRunner"));
    if (spark && all.stream().noneMatch(f -> f.startsWith("--storageLevel"))) {
      // The Spark Runner caches every PCollection it reads twice (each multi-output step: records
      // and dead letters). Its default, MEMORY_ONLY, drops blocks that do not fit and recomputes
      // them, which counts their records twice (the audit then fails) and spends a tenth of the run
      // estimating object sizes; MEMORY_AND_DISK_SER builds each block in memory first, and a file
      // read as one partition (5M rows) ran out of a 4 GiB heap. DISK_ONLY streams each block
      // through the records' coders to local disk (the OS page cache keeps it warm): bounded
      // memory, every block computed once.
      all.add("--storageLevel=DISK_ONLY");
    }
    if (all.stream().anyMatch(f -> f.startsWith("--sparkMaster=spark://"))) {
      // Executors of a standalone cluster run in their own work folders: a relative local path would
      // resolve there, not where the user typed it. Such paths are made absolute here.
      for (int i = 0; i < all.size(); i++) {
        all.set(i, absoluteLocalPath(all.get(i)));
      }
    }
    if (all.stream().anyMatch(f -> f.startsWith("--sparkMaster=spark://" + LocalCluster.HOST))) {
      // The local cluster's executors call the driver back on loopback, not on the host's name.
      System.setProperty("spark.driver.host", System.getProperty("spark.driver.host", LocalCluster.HOST));
      System.setProperty("spark.driver.bindAddress", System.getProperty("spark.driver.bindAddress", LocalCluster.HOST));
    }
    return all.toArray(new String[0]);
  }

  static int generate(String[] args, PrintStream out, PrintStream err) throws IllegalArgumentException {
    if (args.length == 0) {
      err.println("nightshift generate: name a dataset");
      return USAGE;
    }
    DatasetGenerator generator = Pipelines.generator(args[0]).orElse(null);
    if (generator == null) {
      err.println("nightshift generate: no dataset '" + args[0] + "'");
      return USAGE;
    }
    Map<String, String> flags = flags(Arrays.copyOfRange(args, 1, args.length));
    if (!flags.containsKey("size") || !flags.containsKey("out")) {
      err.println("nightshift generate: --size N and --out DIR are required");
      return USAGE;
    }
    GenerationRequest request = request(flags);
    GenerationReport report = generateQuietly(generator, request);
    out.printf(Locale.ROOT, "Wrote %s to %s:%n", generator.name(), request.outDir());
    report.rowsPerFile().forEach((file, rows) -> out.printf(Locale.ROOT, "  %-20s %,12d rows%n", file, rows));
    out.printf(Locale.ROOT, "  planted bad records: %,d %s%n", report.totalPlanted(), report.planted());
    return OK;
  }

  static GenerationRequest request(Map<String, String> flags) {
    try {
      return new GenerationRequest(
          Path.of(flags.get("out")),
          Long.parseLong(flags.get("size").replace("_", "")),
          Long.parseLong(flags.getOrDefault("seed", "1")),
          Double.parseDouble(flags.getOrDefault("bad-rate", "0.01")),
          flags.containsKey("business-date") ? LocalDate.parse(flags.get("business-date")) : null,
          generatorParams(flags));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad generate arguments: " + e.getMessage(), e);
    }
  }

  /** Flags other than the common ones are the generator's own knobs (e.g. --participants). */
  static Map<String, String> generatorParams(Map<String, String> flags) {
    Map<String, String> params = new TreeMap<>(flags);
    for (String common : List.of("out", "size", "seed", "bad-rate", "business-date")) {
      params.remove(common);
    }
    return params;
  }

  static GenerationReport generateQuietly(DatasetGenerator generator, GenerationRequest request) {
    try {
      return generator.generate(request);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot write " + request.outDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Generates small datasets and runs the finance pipelines on them, in dependency order: trade
   * settlement, account reconciliation, then financial reports (whose end-of-day positions read
   * the settlement outputs); then retail ({@link #retailDemo}) and healthcare ({@link
   * #healthcareDemo}). Extra flags (a runner) go to every run.
   */
  static int demo(String[] args, PrintStream out, PrintStream err) {
    Path base = Path.of("nightshift-data", "demo").toAbsolutePath();
    List<String> extra = Arrays.asList(args);

    Path trades = base.resolve("input/trades");
    out.println("Generating 10,000 trades (2% planted errors) into " + trades);
    GenerationReport t = generateQuietly(new TradeGenerator(),
        new GenerationRequest(trades, 10_000, 42, 0.02, TradeGenerator.DEFAULT_BUSINESS_DATE));
    Path settlement = base.resolve("output/trade-settlement");
    int code = runDemo(TradeSettlement.NAME, extra, out, err, "--inputDir=" + trades,
        "--output=" + settlement, "--businessDate=" + t.businessDate());
    if (code != OK) {
      return code;
    }
    out.printf(Locale.ROOT, "The generator planted %,d bad trades; every one is a dead letter above.%n%n",
        t.totalPlanted());

    Path statements = base.resolve("input/statements");
    out.println("Generating bank statements (camt.053 and MT940) and a ledger into " + statements);
    GenerationReport s = generateQuietly(new StatementGenerator(),
        new GenerationRequest(statements, 1_200, 42, 0.03, StatementGenerator.DEFAULT_BUSINESS_DATE));
    code = runDemo(AccountReconciliation.NAME, extra, out, err, "--inputDir=" + statements,
        "--output=" + base.resolve("output/account-reconciliation"));
    if (code != OK) {
      return code;
    }
    out.printf(Locale.ROOT, "The generator planted %s breaks; see breaks.csv.%n%n", s.planted());

    Path journals = base.resolve("input/journals");
    out.println("Generating general-ledger journals and FX rates into " + journals);
    GenerationReport j = generateQuietly(new JournalGenerator(),
        new GenerationRequest(journals, 2_000, 42, 0.02, JournalGenerator.DEFAULT_BUSINESS_DATE));
    code = runDemo(FinancialReports.NAME, extra, out, err, "--inputDir=" + journals,
        "--output=" + base.resolve("output/financial-reports"), "--businessDate=" + j.businessDate(),
        "--settlementDir=" + settlement);
    if (code != OK) {
      return code;
    }
    out.printf(Locale.ROOT, "The generator planted %s bad journal lines.%n%n", j.planted());
    code = retailDemo(base, extra, out, err);
    return code != OK ? code : healthcareDemo(base, extra, out, err);
  }

  /**
   * Retail: three generated days of UCI-format orders, each processed and its stock movements
   * applied to the previous day's end-of-day inventory (day 1 starts from a seeded opening stock),
   * then the sales report over all three days.
   */
  static int retailDemo(Path base, List<String> extra, PrintStream out, PrintStream err) {
    Path orders = base.resolve("input/retail-orders");
    out.println("Generating three days of UCI-format orders into " + orders);
    GenerationReport g = generateQuietly(new RetailOrderGenerator(),
        new GenerationRequest(orders, 1_500, 42, 0.02, RetailOrderGenerator.DEFAULT_BUSINESS_DATE));
    LocalDate first = g.businessDate().minusDays(2);
    Path snapshot;
    try {
      snapshot = OpeningStock.write(base.resolve("input/opening-stock"), first.minusDays(1), 42);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot write the opening stock: " + e.getMessage(), e);
    }
    List<String> dayOutputs = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(g.businessDate()); day = day.plusDays(1)) {
      Path processed = base.resolve("output/order-processing/" + day);
      int code = runDemo(OrderProcessing.NAME, extra, out, err,
          "--input=" + orders.resolve("online_retail_" + day + ".csv"), "--output=" + processed);
      if (code != OK) {
        return code;
      }
      dayOutputs.add(processed.resolve("order_lines.csv").toString());
      Path inventory = base.resolve("output/inventory-update/" + day);
      code = runDemo(InventoryUpdate.NAME, extra, out, err, "--snapshot=" + snapshot,
          "--movements=" + processed.resolve("daily_movements.csv"), "--businessDate=" + day,
          "--output=" + inventory);
      if (code != OK) {
        return code;
      }
      snapshot = inventory.resolve("snapshot.csv");
    }
    return runDemo(SalesReport.NAME, extra, out, err,
        "--orderLines=" + base.resolve("output/order-processing/*/order_lines.csv"),
        "--output=" + base.resolve("output/sales-report"));
  }

  /**
   * Healthcare: generated claims (FHIR NDJSON, Synthea-style bundles, X12 837P) adjudicated, the
   * adjudicated lines remitted by billing (835) with generated patient payments applied to the
   * statements, and two days of FHIR Patient updates merged by patient-records, the second day on
   * the first day's master, with a de-identification key in a file the demo writes once.
   */
  static int healthcareDemo(Path base, List<String> extra, PrintStream out, PrintStream err) {
    Path claims = base.resolve("input/healthcare-claims");
    out.println("Generating 3,000 claim lines (FHIR NDJSON, Synthea-style bundles, X12 837P) with members,"
        + " plans and a fee schedule into " + claims);
    GenerationReport c = generateQuietly(new ClaimsGenerator(),
        new GenerationRequest(claims, 3_000, 42, 0.03, ClaimsGenerator.DEFAULT_BUSINESS_DATE));
    Path adjudicated = base.resolve("output/claims-adjudication");
    int code = runDemo(ClaimsAdjudication.NAME, extra, out, err, "--inputDir=" + claims,
        "--output=" + adjudicated, "--businessDate=" + c.businessDate());
    if (code != OK) {
      return code;
    }
    out.printf(Locale.ROOT, "The generator planted %s: denials (CARC) are in adjudicated_lines.csv and"
        + " claims_summary.csv, the rest are the dead letters above.%n%n", c.planted());

    Path payments = base.resolve("input/healthcare-payments");
    out.println("Generating patient payments into " + payments);
    generateQuietly(new BillingGenerator(), new GenerationRequest(payments, 3_000, 42, 0.0, c.businessDate()));
    code = runDemo(Billing.NAME, extra, out, err,
        "--adjudicated=" + adjudicated.resolve(ClaimsAdjudication.LINES_FILE),
        "--payments=" + payments.resolve(BillingGenerator.PAYMENTS_FILE),
        "--output=" + base.resolve("output/billing"), "--businessDate=" + c.businessDate());
    if (code != OK) {
      return code;
    }

    Path patients = base.resolve("input/healthcare-patients");
    out.println("Generating two days of FHIR Patient updates into " + patients);
    GenerationReport p = generateQuietly(new PatientUpdateGenerator(),
        new GenerationRequest(patients, 600, 42, 0.03, PatientUpdateGenerator.DEFAULT_BUSINESS_DATE));
    Path key = demoKey(patients.resolve("deid.key"));
    Path master = null;
    for (LocalDate day : List.of(p.businessDate().minusDays(1), p.businessDate())) {
      Path dayOut = base.resolve("output/patient-records/" + day);
      List<String> flags = new ArrayList<>(List.of(
          "--updates=" + patients.resolve(master == null ? PatientUpdateGenerator.DAY1_FILE : PatientUpdateGenerator.DAY2_FILE),
          "--deidKey=file:" + key, "--businessDate=" + day, "--output=" + dayOut));
      if (master != null) {
        flags.add("--master=" + master);
      }
      code = runDemo(PatientRecords.NAME, extra, out, err, flags.toArray(new String[0]));
      if (code != OK) {
        return code;
      }
      master = dayOut.resolve(PatientRecords.MASTER_FILE);
    }
    return OK;
  }

  /** The demo's de-identification key: random, written once (owner-only), kept for reruns. */
  static Path demoKey(Path file) {
    try {
      if (!java.nio.file.Files.exists(file)) {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, java.util.HexFormat.of().formatHex(bytes) + "\n");
        try {
          java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the file stays as created
        }
      }
      return file;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot write the demo key " + file + ": " + e.getMessage(), e);
    }
  }

  private static int runDemo(String pipeline, List<String> extra, PrintStream out, PrintStream err,
      String... flags) {
    List<String> args = new ArrayList<>();
    args.add(pipeline);
    args.addAll(Arrays.asList(flags));
    args.addAll(extra);
    return runPipeline(args.toArray(new String[0]), out, err);
  }

  static void printSummary(NightshiftRun.Summary summary, PrintStream out) {
    SummaryTable.print(summary, out);
  }

  /** Parses {@code --key value} and {@code --key=value} flags (also used by the benchmarks). */
  public static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        flags.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        flags.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("flag " + a + " needs a value");
      }
    }
    return flags;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (cause: " + root + ")";
  }
}
