package dev.nightshift.pipelines.healthcare.patients;

import dev.nightshift.pipelines.core.BusinessDateOptions;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.healthcare.PatientData;
import dev.nightshift.schemas.healthcare.PatientMatch;
import dev.nightshift.schemas.healthcare.PatientNode;
import dev.nightshift.schemas.healthcare.PatientUpdate;
import dev.nightshift.schemas.healthcare.PatientVersion;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.Secrets;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.io.ReadLines;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Healthcare: the patient master (MPI) and its de-identified analytics extract.
 *
 * <p>Reads the day's FHIR Patient updates (NDJSON) and the previous run's {@code
 * patient_master.csv}, matches every update to a master patient (by identifier, then by
 * demographics, then within the batch; see {@link PatientMatching}), applies the updates to each
 * patient's type-2 history ({@link PatientHistory}), and writes every version to {@code
 * patient_master.csv} and the current versions, de-identified by the HIPAA Safe Harbor rules
 * ({@link Deidentify}), to {@code deidentified_patients.csv}. Every update read is a new patient,
 * a new version, a duplicate or a dead letter, and the audit proves it.
 *
 * <p>The key of the extract's keyed hash ({@code --deidKey}) goes to the one step that needs it,
 * never to the manifest; the option only says where the key is ({@code file:} or {@code env:}),
 * since arguments are visible in process lists and Beam logs them at DEBUG level.
 */
public final class PatientRecords {
  private PatientRecords() {}

  public static final String NAME = "patient-records";
  public static final String DESCRIPTION =
      "Healthcare: merge FHIR Patient updates into the patient master (match, dedupe, type-2"
          + " history) and write a HIPAA Safe Harbor de-identified extract";

  public static final String MASTER_FILE = "patient_master.csv";
  public static final String DEIDENTIFIED_FILE = "deidentified_patients.csv";
  public static final String[] DEIDENTIFIED_COLUMNS = {
    "patient_key", "gender", "birth_year", "zip3", "state", "versions"
  };
  /** A shorter key would make the keyed hash guessable. */
  public static final int MIN_KEY_LENGTH = 16;

  static final String READ = "read-updates";
  static final String MATCH_IDS = "match-identifiers";
  static final String MATCH_DEMOGRAPHICS = "match-demographics";
  static final String LINK = "link-batch";
  static final String CHECK_IDS = "check-identifiers";
  static final String APPLY = "apply-updates";
  static final String DEIDENTIFY = "deidentify";
  static final String WRITE_MASTER = "write-master";
  static final String WRITE_DEIDENTIFIED = "write-deidentified";

  /** Options of the patient records pipeline. */
  public interface Options extends NightshiftOptions, BusinessDateOptions {
    @Description("FHIR R4 Patient NDJSON file or glob: one Patient per line, meta.lastUpdated required.")
    String getUpdates();

    void setUpdates(String value);

    @Description(
        "patient_master.csv of the previous run (file or glob); leave it out on the first run, when"
            + " there is no master yet.")
    String getMaster();

    void setMaster(String value);

    @Description(
        "Where to read the secret key of the keyed hash (HMAC-SHA256) that replaces the patient id"
            + " in deidentified_patients.csv: file:PATH (the file's content, surrounding whitespace"
            + " removed) or env:VARIABLE. At least " + MIN_KEY_LENGTH + " characters. The key itself"
            + " is never an argument (process lists and Beam's debug log show arguments), and never"
            + " written to an output, the manifest or a log.")
    String getDeidKey();

    void setDeidKey(String value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  /** Builds the pipeline without running it; refuses a missing input or key before anything runs. */
  public static NightshiftRun build(Options options) {
    LocalDate businessDate = BusinessDateOptions.businessDate(options);
    if (options.getUpdates() == null || options.getUpdates().isEmpty()) {
      throw new IllegalArgumentException("--updates is required: the FHIR Patient NDJSON file or glob");
    }
    boolean hasMaster = options.getMaster() != null && !options.getMaster().isEmpty();
    NightshiftRun run = NightshiftRun.create(NAME, options);
    byte[] key = deidKey(options.getDeidKey());
    run.parameter("business_date", businessDate.toString());
    run.parameter("master", hasMaster ? options.getMaster() : "none (first run)");
    int buckets = options.getAggregationBuckets();
    TupleTag<DeadLetter> deadTag = run.deadTag();
    RunAudit audit = run.audit();
    KvCoder<String, PatientNode> nodeCoder = KvCoder.of(StringUtf8Coder.of(), PatientNode.CODER);
    TypeDescriptor<KV<String, PatientNode>> nodeType =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(PatientNode.class));

    Checked<PatientUpdate> updates =
        ReadLines.read(run, READ, options.getUpdates(), PatientParsers.UPDATES, PatientUpdate.CODER);

    // The previous master: every version, and the current ones the updates are matched against.
    PCollection<PatientVersion> master;
    String masterStep = null;
    if (hasMaster) {
      Checked<PatientVersion> read =
          ReadCsv.read(run, "read-master", options.getMaster(), PatientParsers.MASTER, PatientVersion.CODER)
              .dedupe("dedupe-master", v -> v.mpiId() + "|" + v.version(), Reasons.DUPLICATE_KEY);
      master = read.output();
      masterStep = read.step();
    } else {
      master = run.pipeline().apply("no-master", Create.empty(PatientVersion.CODER));
    }
    PCollection<PatientVersion> current =
        master.apply("current-versions", Filter.by(PatientVersion::current));

    // 1. By identifier: (identifier -> owners and updates), then per update its owners.
    PCollection<KV<String, PatientNode>> identifierNodes =
        PCollectionList.of(
                current.apply("master-identifiers", FlatMapElements.into(nodeType)
                    .via((PatientVersion v) -> {
                      List<KV<String, PatientNode>> out = new ArrayList<>();
                      for (String id : v.data().identifiers()) {
                        out.add(KV.of(id, PatientNode.owner(v.mpiId(), "")));
                      }
                      return out;
                    })).setCoder(nodeCoder))
            .and(updates.output().apply("update-identifiers", FlatMapElements.into(nodeType)
                .via((PatientUpdate u) -> {
                  List<KV<String, PatientNode>> out = new ArrayList<>();
                  for (String id : u.data().identifiers()) {
                    out.add(KV.of(id, PatientNode.updateRef(u.ref())));
                  }
                  return out;
                })).setCoder(nodeCoder))
            .apply("identifier-nodes", Flatten.pCollections());
    PCollection<KV<String, PatientNode>> owners =
        KeyGroups.of("join-identifiers", identifierNodes, PatientNode.CODER, buckets)
            .apply("owners-of-updates", ParDo.of(new PatientMatching.OwnersFn()))
            .setCoder(nodeCoder);
    PCollection<KV<String, PatientNode>> byRef =
        updates.output()
            .apply(MATCH_IDS + "/key", ParDo.of(new CountFn<PatientUpdate, KV<String, PatientNode>>(
                MATCH_IDS, u -> KV.of(u.ref(), PatientNode.update(PatientMatch.unresolved(u))))))
            .setCoder(nodeCoder);
    PCollectionTuple byIdentifier =
        KeyGroups.of("join-updates",
                PCollectionList.of(byRef).and(owners).apply("ref-nodes", Flatten.pCollections()),
                PatientNode.CODER, buckets)
            .apply(MATCH_IDS + "/resolve",
                ParDo.of(new PatientMatching.ResolveIdentifiersFn(NAME, MATCH_IDS, deadTag))
                    .withOutputTags(PatientMatching.MATCHES, TupleTagList.of(deadTag)));
    run.addDeadLetters(byIdentifier.get(deadTag));
    audit.link(READ, MATCH_IDS).step(MATCH_IDS);

    // 2. By demographics, for the updates no identifier matched.
    PCollectionTuple routed =
        byIdentifier.get(PatientMatching.MATCHES).setCoder(PatientMatch.CODER)
            .apply(MATCH_DEMOGRAPHICS + "/route",
                ParDo.of(new PatientMatching.RouteDemographicsFn(MATCH_DEMOGRAPHICS))
                    .withOutputTags(PatientMatching.MATCHES, TupleTagList.of(PatientMatching.TO_JOIN)));
    PCollection<KV<String, PatientNode>> demographicOwners =
        current.apply("master-demographics", FlatMapElements.into(nodeType)
                .via((PatientVersion v) -> {
                  String k = PatientRules.demographicKey(v.data());
                  return k.isEmpty()
                      ? List.<KV<String, PatientNode>>of()
                      : List.of(KV.of(k, PatientNode.owner(v.mpiId(), PatientRules.postal5(v.data().postalCode()))));
                }))
            .setCoder(nodeCoder);
    PCollectionTuple byDemographics =
        KeyGroups.of("join-demographics",
                PCollectionList.of(routed.get(PatientMatching.TO_JOIN).setCoder(nodeCoder))
                    .and(demographicOwners)
                    .apply("demographic-nodes", Flatten.pCollections()),
                PatientNode.CODER, buckets)
            .apply(MATCH_DEMOGRAPHICS + "/resolve",
                ParDo.of(new PatientMatching.ResolveDemographicsFn(NAME, MATCH_DEMOGRAPHICS, deadTag))
                    .withOutputTags(PatientMatching.MATCHES, TupleTagList.of(deadTag)));
    run.addDeadLetters(byDemographics.get(deadTag));
    audit.link(MATCH_IDS, MATCH_DEMOGRAPHICS).step(MATCH_DEMOGRAPHICS);
    PCollection<PatientMatch> afterMaster =
        PCollectionList.of(routed.get(PatientMatching.MATCHES).setCoder(PatientMatch.CODER))
            .and(byDemographics.get(PatientMatching.MATCHES).setCoder(PatientMatch.CODER))
            .apply("matched-to-master", Flatten.pCollections());

    // 3. Within the batch, per birth date.
    PCollectionTuple linked =
        KeyGroups.of(LINK + "/block",
                afterMaster.apply("block-by-birth-date", MapElements
                        .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(PatientMatch.class)))
                        .via((PatientMatch m) -> KV.of(PatientRules.block(m.update().data()), m)))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), PatientMatch.CODER)),
                PatientMatch.CODER, buckets)
            .apply(LINK + "/link", ParDo.of(new PatientMatching.LinkBatchFn(NAME, LINK, deadTag))
                .withOutputTags(PatientMatching.MATCHES, TupleTagList.of(deadTag)));
    run.addDeadLetters(linked.get(deadTag));
    audit.link(MATCH_DEMOGRAPHICS, LINK).step(LINK);
    PCollection<PatientMatch> matched = linked.get(PatientMatching.MATCHES).setCoder(PatientMatch.CODER);

    // 4. One identifier, one patient.
    PCollection<KV<String, PatientNode>> contests =
        KeyGroups.of(CHECK_IDS + "/join",
                matched.apply(CHECK_IDS + "/identifiers",
                        FlatMapElements.into(nodeType).via(PatientMatching::carriedIdentifiers))
                    .setCoder(nodeCoder),
                PatientNode.CODER, buckets)
            .apply(CHECK_IDS, ParDo.of(new PatientMatching.ContestFn(CHECK_IDS)))
            .setCoder(nodeCoder);

    // 5. Per patient: its versions, its updates, and the contests.
    PCollection<KV<String, PatientNode>> patientNodes =
        PCollectionList.of(
                master.apply("master-by-patient", MapElements.into(nodeType)
                    .via((PatientVersion v) -> KV.of(v.mpiId(), PatientNode.version(v)))).setCoder(nodeCoder))
            .and(matched.apply(APPLY + "/key", ParDo.of(new CountFn<PatientMatch, KV<String, PatientNode>>(
                APPLY, m -> KV.of(m.mpiId(), PatientNode.update(m))))).setCoder(nodeCoder))
            .and(contests)
            .apply("patient-nodes", Flatten.pCollections());
    PCollectionTuple applied =
        KeyGroups.of("join-patients", patientNodes, PatientNode.CODER, buckets)
            .apply(APPLY + "/apply", ParDo.of(new ApplyFn(NAME, APPLY, deadTag))
                .withOutputTags(ApplyFn.VERSIONS, TupleTagList.of(deadTag).and(ApplyFn.CURRENT)));
    run.addDeadLetters(applied.get(deadTag));
    audit.link(LINK, APPLY).step(APPLY)
        .expect(APPLY, "every update applied is a new patient, a new version or a duplicate",
            List.of(RunAudit.term(StepCounters.outName(APPLY))),
            List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.NEW_PATIENT)),
                RunAudit.term(StepCounters.named(APPLY, ApplyFn.NEW_VERSION)),
                RunAudit.term(StepCounters.named(APPLY, ApplyFn.DUPLICATE))))
        .expect(READ, "every update read is a new patient, a new version, a duplicate or a dead letter",
            List.of(RunAudit.term(StepCounters.inName(READ))),
            List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.NEW_PATIENT)),
                RunAudit.term(StepCounters.named(APPLY, ApplyFn.NEW_VERSION)),
                RunAudit.term(StepCounters.named(APPLY, ApplyFn.DUPLICATE)),
                RunAudit.term(StepCounters.deadName(READ)),
                RunAudit.term(StepCounters.deadName(MATCH_IDS)),
                RunAudit.term(StepCounters.deadName(MATCH_DEMOGRAPHICS)),
                RunAudit.term(StepCounters.deadName(LINK)),
                RunAudit.term(StepCounters.deadName(APPLY))))
        .expect(APPLY, "keeps every version of the master",
            masterStep == null ? List.of() : List.of(RunAudit.term(StepCounters.outName(masterStep))),
            List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.MASTER_VERSIONS))))
        .expect(APPLY, "writes the master's versions and one per new patient and new version",
            List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.VERSIONS_OUT))),
            List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.MASTER_VERSIONS)),
                RunAudit.term(StepCounters.named(APPLY, ApplyFn.NEW_PATIENT)),
                RunAudit.term(StepCounters.named(APPLY, ApplyFn.NEW_VERSION))));

    SortedSink.write(run, WRITE_MASTER, MASTER_FILE, Csv.header(PatientVersion.COLUMNS),
        applied.get(ApplyFn.VERSIONS).setCoder(PatientVersion.CODER)
            .apply("format-master", MapElements.into(TypeDescriptors.strings()).via(PatientRecords::masterLine)));
    audit.expect(WRITE_MASTER, "receives every version",
        List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.VERSIONS_OUT))),
        List.of(RunAudit.term(StepCounters.inName(WRITE_MASTER))));

    PCollection<String> deidentified =
        applied.get(ApplyFn.CURRENT).setCoder(KvCoder.of(PatientVersion.CODER, VarLongCoder.of()))
            .apply(DEIDENTIFY, ParDo.of(new DeidentifyFn(key, businessDate)));
    audit.step(DEIDENTIFY)
        .expect(DEIDENTIFY, "receives the current version of every patient",
            List.of(RunAudit.term(StepCounters.named(APPLY, ApplyFn.PATIENTS))),
            List.of(RunAudit.term(StepCounters.inName(DEIDENTIFY))));
    SortedSink.write(run, WRITE_DEIDENTIFIED, DEIDENTIFIED_FILE, Csv.header(DEIDENTIFIED_COLUMNS), deidentified);
    audit.link(DEIDENTIFY, WRITE_DEIDENTIFIED);
    return run;
  }

  /**
   * Reads the key {@code --deidKey} points at. A key given as the argument itself is refused: Beam's
   * PipelineOptionsFactory logs every argument at DEBUG level (a test found it there). Error
   * messages never show the key.
   */
  static byte[] deidKey(String reference) {
    String key = Secrets.read("deidKey", "de-identification key", reference);
    if (key.length() < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "--deidKey: the key must have at least " + MIN_KEY_LENGTH + " characters, it has " + key.length());
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** Maps each record, counting it into a step (the first DoFn of a step that ends in a join). */
  static final class CountFn<I, O> extends DoFn<I, O> {
    interface Fn<I, O> extends java.io.Serializable {
      O apply(I input);
    }

    private final StepCounters counters;
    private final Fn<I, O> fn;

    CountFn(String step, Fn<I, O> fn) {
      this.counters = new StepCounters(step);
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element I input, OutputReceiver<O> out) {
      counters.in();
      out.output(fn.apply(input));
    }
  }

  /** One patient: applies its updates ({@link PatientHistory}) and puts out all its versions. */
  static final class ApplyFn extends DoFn<KV<String, List<PatientNode>>, PatientVersion> {
    static final TupleTag<PatientVersion> VERSIONS = new TupleTag<>() {};
    static final TupleTag<KV<PatientVersion, Long>> CURRENT = new TupleTag<>() {};
    static final String NEW_PATIENT = "new-patient";
    static final String NEW_VERSION = "new-version";
    static final String DUPLICATE = "duplicate";
    static final String MASTER_VERSIONS = "master-versions";
    static final String VERSIONS_OUT = "versions";
    static final String PATIENTS = "patients";

    private final String pipeline;
    private final StepCounters counters;
    private final TupleTag<DeadLetter> deadTag;

    ApplyFn(String pipeline, String step, TupleTag<DeadLetter> deadTag) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      String mpiId = c.element().getKey();
      List<PatientVersion> versions = new ArrayList<>();
      List<PatientMatch> updates = new ArrayList<>();
      Map<String, String> contested = new HashMap<>();
      for (PatientNode n : c.element().getValue()) {
        switch (n.kind()) {
          case VERSION -> versions.add(n.version());
          case UPDATE -> updates.add(n.match());
          // Any one reason will do; the smallest, so the dead letter is the same on every runner.
          case CONTEST -> contested.merge(n.ref(), n.text(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
          default -> throw new IllegalStateException("unexpected " + n.kind() + " for " + mpiId);
        }
      }
      counters.count(MASTER_VERSIONS, versions.size());
      PatientHistory.Result result = PatientHistory.apply(mpiId, versions, updates, contested);
      for (PatientHistory.Decision d : result.decisions()) {
        if (d.isDead()) {
          counters.dead(d.reason());
          c.output(deadTag, DeadLetter.of(pipeline, counters.step(), d.match().source(), d.reason(), d.message()));
        } else {
          counters.out();
          counters.count(switch (d.outcome()) {
            case NEW_PATIENT -> NEW_PATIENT;
            case NEW_VERSION -> NEW_VERSION;
            case DUPLICATE -> DUPLICATE;
          }, 1);
        }
      }
      for (PatientVersion v : result.versions()) {
        c.output(v);
      }
      counters.count(VERSIONS_OUT, result.versions().size());
      PatientVersion current = result.current();
      if (current != null) {
        counters.count(PATIENTS, 1);
        c.output(CURRENT, KV.of(current, (long) result.versions().size()));
      }
    }
  }

  /** The Safe Harbor line of a patient's current version; the only step that holds the key. */
  static final class DeidentifyFn extends DoFn<KV<PatientVersion, Long>, String> {
    private final StepCounters counters = new StepCounters(DEIDENTIFY);
    private final byte[] key;
    private final LocalDate businessDate;

    DeidentifyFn(byte[] key, LocalDate businessDate) {
      this.key = key;
      this.businessDate = businessDate;
    }

    @ProcessElement
    public void process(@Element KV<PatientVersion, Long> patient, OutputReceiver<String> out) {
      counters.in();
      PatientVersion v = patient.getKey();
      PatientData d = v.data();
      counters.out();
      out.output(Csv.line(
          Deidentify.patientKey(key, v.mpiId()),
          d.gender(),
          Deidentify.birthYear(d.birthDate(), businessDate),
          Deidentify.zip3(d.postalCode()),
          Deidentify.state(d.state()),
          patient.getValue()));
    }

    @Override
    public String toString() {
      return "DeidentifyFn"; // never the key
    }
  }

  static String masterLine(PatientVersion v) {
    PatientData d = v.data();
    return Csv.line(v.mpiId(), v.version(), v.validFrom(), v.validTo() == null ? "" : v.validTo(),
        String.join(";", d.identifiers()), d.family(), d.given(),
        d.birthDate() == null ? "" : d.birthDate(), d.gender(), d.phone(), d.addressLine(), d.city(),
        d.state(), d.postalCode(), v.sourceFile(), v.sourceLine());
  }
}
