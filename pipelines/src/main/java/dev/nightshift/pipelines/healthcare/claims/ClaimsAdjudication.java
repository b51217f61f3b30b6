package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.pipelines.core.BusinessDateOptions;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Inputs;
import dev.nightshift.pipelines.core.Money;
import dev.nightshift.pipelines.healthcare.Fhir;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.AdjudicatedClaim;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.AdjudicationInput;
import dev.nightshift.schemas.healthcare.ClaimsTotals;
import dev.nightshift.schemas.healthcare.FeeScheduleEntry;
import dev.nightshift.schemas.healthcare.HealthPlan;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.MemberCoverage;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import dev.nightshift.transforms.aggregate.KeyedCombine;
import dev.nightshift.transforms.aggregate.SumFn;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.FailsafeFn;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadReference;
import dev.nightshift.transforms.io.ReferenceDbOptions;
import dev.nightshift.transforms.sink.SortedSink;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Healthcare: claims adjudication, the payer's nightly run over the claims received.
 *
 * <p>Reads claims in three formats ({@link ReadClaims}: Bulk FHIR NDJSON, FHIR Bundles such as
 * Synthea's, X12 837P), keeps the first copy of each claim id (file order; later copies are {@code
 * DUPLICATE_CLAIM_ID} dead letters), and adjudicates every line against the members' coverage, the
 * plans and the fee schedule ({@link Adjudicator}, the README's rules): CARC 16, 31, 27, 18, 29,
 * 96 in that order deny a line, or it is paid with its allowed amount shared between the plan and
 * the member (copay, deductible, coinsurance, out-of-pocket cap, accumulated per member and plan
 * year in service-date order).
 *
 * <p>The claims and the coverage rows of a member meet in one batched grouping by member bucket
 * (no per-key grouping, no member side input: 100k members and a million lines stay fast on the
 * Direct Runner); the plans and the fee schedule are small side inputs, read once per bundle. The
 * member's lines are sorted in memory in the rules' order there: whatever the bundling, the result
 * is the same.
 *
 * <p>Outputs: {@code adjudicated_lines.csv} (billing's input), {@code eob.ndjson} (one FHIR R4
 * ExplanationOfBenefit per claim), {@code member_accumulators.csv}, {@code claims_summary.csv}.
 * The audit proves every claim read is adjudicated (one EOB) or a dead letter, and every line of an
 * adjudicated claim one adjudicated line, paid or denied.
 */
public final class ClaimsAdjudication {
  private ClaimsAdjudication() {}

  public static final String NAME = "claims-adjudication";
  public static final String DESCRIPTION =
      "Healthcare: adjudicate claims (FHIR NDJSON, Synthea bundles, X12 837P) against members, plans"
          + " and fee schedule; adjudicated lines, FHIR ExplanationOfBenefits, accumulators";

  public static final String CLAIMS_GLOB = "claims/*";
  public static final String MEMBERS_FILE = "members.csv";
  public static final String PLANS_FILE = "plans.csv";
  public static final String FEES_FILE = "fee_schedule.csv";

  public static final String LINES_FILE = "adjudicated_lines.csv";
  public static final String EOB_FILE = "eob.ndjson";
  public static final String ACCUMULATORS_FILE = "member_accumulators.csv";
  public static final String SUMMARY_FILE = "claims_summary.csv";
  public static final String[] ACCUMULATOR_COLUMNS = {"member_id", "plan_year", "deductible_met", "oop_met"};
  public static final String[] SUMMARY_COLUMNS = {
    "status", "carc", "claims", "lines", "charge", "allowed", "deductible", "coinsurance", "copay", "plan_paid",
    "patient_responsibility"
  };

  static final String DEDUPE = "dedupe-claims";
  static final String ADJUDICATE = "adjudicate";
  static final String WRITE_LINES = "write-adjudicated";
  static final String WRITE_EOB = "write-eob";
  static final String WRITE_ACCUMULATORS = "write-accumulators";
  static final String SUMMARIZE = "summarize";
  static final String WRITE_SUMMARY = "write-summary";

  /** Options of the claims adjudication pipeline. */
  public interface Options extends NightshiftOptions, BusinessDateOptions, ReferenceDbOptions {
    @Description(
        "Directory holding claims/ (the claim files), members.csv, plans.csv and fee_schedule.csv (as"
            + " written by `nightshift generate healthcare-claims`); the other options override it.")
    String getInputDir();

    void setInputDir(String value);

    @Description(
        "Claim files (file or glob; default <inputDir>/claims/*), the format by extension: .ndjson"
            + " Bulk FHIR NDJSON of Claim resources, .json FHIR Bundles (Synthea transaction or"
            + " collection bundles), .edi/.x12/.837 X12 837P 005010. Another extension is a dead letter.")
    String getClaims();

    void setClaims(String value);

    @Description("members.csv: member_id,plan_id,coverage_start,coverage_end,birth_date,gender (one row per coverage period),"
        + " or the table jdbc:members of --referenceDb (the same columns).")
    String getMembers();

    void setMembers(String value);

    @Description("plans.csv: plan_id,deductible,coinsurance_rate,copay,oop_max,timely_filing_days, or the table"
        + " jdbc:plans of --referenceDb.")
    String getPlans();

    void setPlans(String value);

    @Description("fee_schedule.csv: procedure_code,description,allowed_amount (per unit),covered (Y/N), or the"
        + " table jdbc:fee_schedule of --referenceDb.")
    String getFeeSchedule();

    void setFeeSchedule(String value);
  }

  public static NightshiftRun.Summary run(Options options) {
    return build(options).execute();
  }

  public static NightshiftRun.Summary run(String... args) {
    return run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
  }

  /** Builds the pipeline without running it; a missing input is refused before anything runs. */
  public static NightshiftRun build(Options options) {
    LocalDate businessDate = BusinessDateOptions.businessDate(options);
    String dir = options.getInputDir();
    String claimsGlob = Inputs.resolve(dir, options.getClaims(), CLAIMS_GLOB, "claims");
    String members = Inputs.resolve(dir, options.getMembers(), MEMBERS_FILE, "members");
    String plans = Inputs.resolve(dir, options.getPlans(), PLANS_FILE, "plans");
    String fees = Inputs.resolve(dir, options.getFeeSchedule(), FEES_FILE, "feeSchedule");
    NightshiftRun run = NightshiftRun.create(NAME, options);
    run.parameter("business_date", businessDate.toString());
    int buckets = options.getAggregationBuckets();

    // Reference data: plans and fee schedule are small side inputs; coverage rows join the claims.
    PCollectionView<Map<String, HealthPlan>> planView =
        ReadReference.read(run, "read-plans", plans, ClaimsParsers.PLANS, HealthPlan.CODER)
            .dedupe("dedupe-plans", HealthPlan::planId, Reasons.DUPLICATE_KEY)
            .asMap("plans-view", HealthPlan::planId);
    PCollectionView<Map<String, FeeScheduleEntry>> feeView =
        ReadReference.read(run, "read-fee-schedule", fees, ClaimsParsers.FEES, FeeScheduleEntry.CODER)
            .dedupe("dedupe-fee-schedule", FeeScheduleEntry::procedureCode, Reasons.DUPLICATE_KEY)
            .asMap("fees-view", FeeScheduleEntry::procedureCode);
    Checked<MemberCoverage> coverage =
        ReadReference.read(run, "read-members", members, ClaimsParsers.MEMBERS, MemberCoverage.CODER)
            .dedupe("dedupe-members", m -> m.memberId() + '\u0000' + m.coverageStart(), Reasons.DUPLICATE_KEY)
            .then("check-members", new CheckCoverageFn(planView), MemberCoverage.CODER, planView);

    // Claims: read, first copy of each claim id kept.
    Checked<SubmittedClaim> claims =
        ReadClaims.read(run, claimsGlob)
            .dedupe(DEDUPE, SubmittedClaim::claimId, HealthcareReasons.DUPLICATE_CLAIM_ID);

    // Claims and coverage of each member meet in its bucket; each member is adjudicated there.
    PCollection<KV<Integer, AdjudicationInput>> keyedClaims = byMember(claims.output(), "key-claims",
        c -> KV.of(bucket(c.first().memberId(), buckets), AdjudicationInput.of(withoutRaw(c))));
    PCollection<KV<Integer, AdjudicationInput>> keyedCoverage = byMember(coverage.output(), "key-members",
        m -> KV.of(bucket(m.memberId(), buckets), AdjudicationInput.of(m)));
    TupleTag<AdjudicatedClaim> adjudicatedTag = new TupleTag<>() {};
    TupleTag<String> accumulatorTag = new TupleTag<>() {};
    PCollectionTuple adjudicated =
        PCollectionList.of(keyedClaims).and(keyedCoverage)
            .apply("join-members", Flatten.pCollections())
            .apply("group-members", BatchedGroupByKey.create())
            .apply(ADJUDICATE, ParDo.of(new AdjudicateFn(businessDate, planView, feeView, adjudicatedTag, accumulatorTag))
                .withSideInputs(planView, feeView)
                .withOutputTags(adjudicatedTag, TupleTagList.of(accumulatorTag)));
    PCollection<AdjudicatedClaim> decided = adjudicated.get(adjudicatedTag).setCoder(AdjudicatedClaim.CODER);
    run.audit()
        .link(DEDUPE, ADJUDICATE)
        .step(ADJUDICATE)
        .expect(ADJUDICATE, "joins every valid coverage row to its member",
            List.of(RunAudit.term(StepCounters.outName("check-members"))),
            List.of(RunAudit.term(StepCounters.named(ADJUDICATE, AdjudicateFn.COVERAGES))))
        .expect(ADJUDICATE, "pays or denies every line of every claim",
            List.of(RunAudit.term(StepCounters.named(ADJUDICATE, AdjudicateFn.LINES))),
            List.of(RunAudit.term(StepCounters.named(ADJUDICATE, AdjudicatedLine.PAID.toLowerCase())),
                RunAudit.term(StepCounters.named(ADJUDICATE, AdjudicatedLine.DENIED.toLowerCase()))));

    // Outputs.
    SortedSink.write(run, WRITE_LINES, LINES_FILE, Csv.header(AdjudicatedLine.COLUMNS),
        decided.apply("format-lines", ParDo.of(new LinesFn())).setCoder(StringUtf8Coder.of()));
    SortedSink.write(run, WRITE_EOB, EOB_FILE, null,
        decided.apply("build-eob", ParDo.of(new EobFn(businessDate))).setCoder(StringUtf8Coder.of()));
    SortedSink.write(run, WRITE_ACCUMULATORS, ACCUMULATORS_FILE, Csv.header(ACCUMULATOR_COLUMNS),
        adjudicated.get(accumulatorTag).setCoder(StringUtf8Coder.of()));
    PCollection<String> summary =
        decided.apply(SUMMARIZE, ParDo.of(new SummarizeFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ClaimsTotals.CODER))
            .apply("combine-summary", KeyedCombine.<String, ClaimsTotals, ClaimsTotals, ClaimsTotals>perKey(
                    SumFn.of(ClaimsTotals.ZERO, ClaimsTotals::plus, ClaimsTotals.CODER))
                .withBuckets(1).withPreAggregationLimit(options.getPreAggregationLimit()))
            .apply("format-summary", MapElements.into(TypeDescriptors.strings())
                .via(kv -> summaryLine(kv.getKey(), kv.getValue())));
    SortedSink.write(run, WRITE_SUMMARY, SUMMARY_FILE, Csv.header(SUMMARY_COLUMNS), summary);
    run.audit()
        .expect(WRITE_LINES, "writes every line adjudicated",
            List.of(RunAudit.term(StepCounters.named(ADJUDICATE, AdjudicateFn.LINES))),
            List.of(RunAudit.term(StepCounters.inName(WRITE_LINES))))
        .link(ADJUDICATE, WRITE_EOB)
        .expect(WRITE_ACCUMULATORS, "writes every member's plan years",
            List.of(RunAudit.term(StepCounters.named(ADJUDICATE, AdjudicateFn.ACCUMULATORS))),
            List.of(RunAudit.term(StepCounters.inName(WRITE_ACCUMULATORS))))
        .link(ADJUDICATE, SUMMARIZE);
    return run;
  }

  /**
   * The claim without its raw text: only a dead letter needs it, and no claim is dead-lettered
   * after de-duplication, so the member grouping does not carry it.
   */
  static SubmittedClaim withoutRaw(SubmittedClaim c) {
    return new SubmittedClaim(c.claimId(), c.format(), c.type(),
        SourceRef.of(c.source().file(), c.source().line(), ""), c.lines());
  }

  /** Claims or coverage rows keyed by their member's bucket, for the grouping where they meet. */
  static <T> PCollection<KV<Integer, AdjudicationInput>> byMember(PCollection<T> records, String step,
      SerializableFunction<T, KV<Integer, AdjudicationInput>> key) {
    return records
        .apply(step, MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(AdjudicationInput.class)))
            .via(key))
        .setCoder(KvCoder.of(VarIntCoder.of(), AdjudicationInput.CODER));
  }

  static int bucket(String memberId, int buckets) {
    return Buckets.of(Buckets.encode(StringUtf8Coder.of(), memberId), buckets);
  }

  /** A coverage row must name a plan of plans.csv. */
  static final class CheckCoverageFn extends FailsafeFn<MemberCoverage, MemberCoverage> {
    private final PCollectionView<Map<String, HealthPlan>> plans;
    private transient Map<String, HealthPlan> byId;

    CheckCoverageFn(PCollectionView<Map<String, HealthPlan>> plans) {
      this.plans = plans;
    }

    @Override
    protected void bundleStarted() {
      byId = null;
    }

    @Override
    protected MemberCoverage apply(MemberCoverage m, ProcessContext c) throws RecordException {
      if (byId == null) {
        byId = c.sideInput(plans);
      }
      if (!byId.containsKey(m.planId())) {
        throw new RecordException(HealthcareReasons.UNKNOWN_PLAN,
            "member " + m.memberId() + " is covered by plan '" + m.planId() + "', which plans.csv does not have");
      }
      return m;
    }
  }

  /**
   * Adjudicates the members of one bucket: gathers each member's claims and coverage rows, and
   * hands them to {@link Adjudicator}. Counts claims in and out, their lines, paid and denied lines
   * (and denied per CARC), the coverage rows joined and the accumulator rows written.
   */
  static final class AdjudicateFn extends DoFn<KV<Integer, Iterable<AdjudicationInput>>, AdjudicatedClaim> {
    static final String LINES = "lines";
    static final String COVERAGES = "coverages";
    static final String ACCUMULATORS = "accumulators";

    private final LocalDate businessDate;
    private final PCollectionView<Map<String, HealthPlan>> planView;
    private final PCollectionView<Map<String, FeeScheduleEntry>> feeView;
    private final TupleTag<AdjudicatedClaim> adjudicated;
    private final TupleTag<String> accumulators;
    private final StepCounters counters = new StepCounters(ADJUDICATE);
    private transient Map<String, HealthPlan> plans;
    private transient Map<String, FeeScheduleEntry> fees;

    AdjudicateFn(LocalDate businessDate, PCollectionView<Map<String, HealthPlan>> planView,
        PCollectionView<Map<String, FeeScheduleEntry>> feeView, TupleTag<AdjudicatedClaim> adjudicated,
        TupleTag<String> accumulators) {
      this.businessDate = businessDate;
      this.planView = planView;
      this.feeView = feeView;
      this.adjudicated = adjudicated;
      this.accumulators = accumulators;
    }

    @StartBundle
    public void startBundle() {
      plans = null;
      fees = null;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (plans == null) {
        // Side inputs read once per bundle: a lookup through the runner's reader can rebuild the map.
        plans = Map.copyOf(c.sideInput(planView));
        fees = Map.copyOf(c.sideInput(feeView));
      }
      Map<String, List<SubmittedClaim>> claims = new TreeMap<>();
      Map<String, List<MemberCoverage>> coverage = new TreeMap<>();
      for (AdjudicationInput in : c.element().getValue()) {
        if (in.claim() != null) {
          counters.in();
          claims.computeIfAbsent(in.claim().first().memberId(), m -> new ArrayList<>()).add(in.claim());
        } else {
          counters.count(COVERAGES, 1);
          coverage.computeIfAbsent(in.coverage().memberId(), m -> new ArrayList<>()).add(in.coverage());
        }
      }
      Map<String, Long> denied = new TreeMap<>();
      long lines = 0;
      long paid = 0;
      for (Map.Entry<String, List<SubmittedClaim>> member : claims.entrySet()) {
        Adjudicator.Result result = Adjudicator.adjudicate(member.getKey(), member.getValue(),
            coverage.getOrDefault(member.getKey(), List.of()), plans, fees, businessDate);
        for (AdjudicatedClaim claim : result.claims()) {
          for (AdjudicatedLine l : claim.lines()) {
            lines++;
            if (l.denied()) {
              denied.merge(l.carc(), 1L, Long::sum);
            } else {
              paid++;
            }
          }
          counters.out();
          c.output(claim);
        }
        for (Adjudicator.Accumulator a : result.accumulators()) {
          counters.count(ACCUMULATORS, 1);
          c.output(accumulators, Csv.line(a.memberId(), a.planYear(), Money.format(a.deductibleMet(), "USD"),
              Money.format(a.oopMet(), "USD")));
        }
      }
      counters.count(LINES, lines);
      counters.count(AdjudicatedLine.PAID.toLowerCase(), paid);
      long deniedLines = 0;
      for (Map.Entry<String, Long> d : denied.entrySet()) {
        counters.count("denied-carc-" + d.getKey(), d.getValue());
        deniedLines += d.getValue();
      }
      counters.count(AdjudicatedLine.DENIED.toLowerCase(), deniedLines);
    }
  }

  /** The rows of adjudicated_lines.csv of a claim. */
  static final class LinesFn extends DoFn<AdjudicatedClaim, String> {
    @ProcessElement
    public void process(@Element AdjudicatedClaim claim, OutputReceiver<String> out) {
      for (AdjudicatedLine l : claim.lines()) {
        out.output(csv(l));
      }
    }
  }

  static String csv(AdjudicatedLine l) {
    return Csv.line(l.claimId(), l.lineNo(), l.memberId(), l.patientId(), l.providerId(), l.payerId(), l.planId(),
        l.serviceDate(), l.receivedDate(), l.adjudicationDate(), l.procedureCode(), l.units(), usd(l.charge()),
        usd(l.allowed()), usd(l.deductible()), usd(l.coinsurance()), usd(l.copay()), usd(l.planPaid()),
        usd(l.patientResponsibility()), l.status(), l.carc(), l.denialReason());
  }

  private static String usd(BigDecimal amount) {
    return Money.format(amount, "USD");
  }

  /**
   * One ExplanationOfBenefit per claim on one line, by the R4 model's composer ({@link
   * Fhir#ndjsonComposer()}: HAPI's bytes, five times faster; encoding is most of this pipeline's
   * work).
   */
  static final class EobFn extends DoFn<AdjudicatedClaim, String> {
    private final LocalDate businessDate;
    private transient org.hl7.fhir.r4.formats.JsonParser composer;

    EobFn(LocalDate businessDate) {
      this.businessDate = businessDate;
    }

    @Setup
    public void setup() {
      composer = Fhir.ndjsonComposer();
    }

    @ProcessElement
    public void process(@Element AdjudicatedClaim claim, OutputReceiver<String> out) throws java.io.IOException {
      out.output(composer.composeString(ExplanationOfBenefits.of(claim, businessDate)));
    }
  }

  /**
   * A claim's contribution to claims_summary.csv: per status and CARC its lines, counted once as
   * a claim in each row it has lines in, and once in the {@code ALL} row.
   */
  static final class SummarizeFn extends DoFn<AdjudicatedClaim, KV<String, ClaimsTotals>> {
    private final StepCounters counters = new StepCounters(SUMMARIZE);

    @ProcessElement
    public void process(@Element AdjudicatedClaim claim, OutputReceiver<KV<String, ClaimsTotals>> out) {
      counters.in();
      Map<String, ClaimsTotals> rows = new TreeMap<>();
      ClaimsTotals all = ClaimsTotals.ZERO;
      for (AdjudicatedLine l : claim.lines()) {
        ClaimsTotals t = ClaimsTotals.of(l);
        rows.merge(l.status() + "," + l.carc(), t, ClaimsTotals::plus);
        all = all.plus(t);
      }
      rows.forEach((key, t) -> out.output(KV.of(key, t.withClaims(1))));
      out.output(KV.of("ALL,", all.withClaims(1)));
      counters.out();
    }
  }

  static String summaryLine(String key, ClaimsTotals t) {
    String[] k = key.split(",", 2);
    return Csv.line(k[0], k[1], t.claims(), t.lines(), usd(t.charge()), usd(t.allowed()), usd(t.deductible()),
        usd(t.coinsurance()), usd(t.copay()), usd(t.planPaid()), usd(t.patientResponsibility()));
  }
}
