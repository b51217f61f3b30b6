package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.transforms.aggregate.BatchedGroupByKey;
import dev.nightshift.transforms.aggregate.Buckets;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * One record per claim line (claim id, line number) when the inputs hold it more than once, as when
 * a rerun's output is picked up next to the first run's. Copies with the same values are one line:
 * the first in (file, line) order is kept and the others are counted {@code <step>/identical}.
 * Copies whose values differ are all dead letters ({@code CONFLICTING_CLAIM_LINE}, naming the
 * differing columns): billing cannot tell which adjudication is right, and paying or billing either
 * would be a guess. Lines are grouped by a bounded number of key buckets, as {@code Dedupe} does.
 */
final class DedupeClaimLines {
  private DedupeClaimLines() {}

  static final String IDENTICAL = "identical";

  static Checked<AdjudicatedLine> apply(Checked<AdjudicatedLine> input, String step) {
    NightshiftRun run = input.run();
    TupleTag<AdjudicatedLine> kept = new TupleTag<>() {};
    PCollectionTuple result =
        input.output()
            .apply(step + "/key", ParDo.of(new KeyFn(new StepCounters(step), run.options().getAggregationBuckets())))
            .setCoder(KvCoder.of(VarIntCoder.of(), AdjudicatedLine.CODER))
            .apply(step + "/group", BatchedGroupByKey.create())
            .apply(step + "/decide",
                ParDo.of(new DecideFn(run.name(), step, run.deadTag(), kept))
                    .withOutputTags(kept, TupleTagList.of(run.deadTag())));
    PCollection<AdjudicatedLine> good = result.get(kept).setCoder(AdjudicatedLine.CODER);
    run.addDeadLetters(result.get(run.deadTag()).setCoder(DeadLetter.CODER));
    run.audit()
        .link(input.step(), step)
        .expect(step, "every copy is kept, an identical copy, or dead",
            List.of(RunAudit.term(StepCounters.inName(step))),
            List.of(RunAudit.term(StepCounters.outName(step)),
                RunAudit.term(StepCounters.named(step, IDENTICAL)),
                RunAudit.term(StepCounters.deadName(step))));
    return Checked.after(run, step, good);
  }

  static String key(AdjudicatedLine l) {
    return l.claimId() + '\u0000' + l.lineNo();
  }

  static final class KeyFn extends DoFn<AdjudicatedLine, KV<Integer, AdjudicatedLine>> {
    private final StepCounters counters;
    private final int buckets;

    KeyFn(StepCounters counters, int buckets) {
      this.counters = counters;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element AdjudicatedLine l, OutputReceiver<KV<Integer, AdjudicatedLine>> out) {
      counters.in();
      out.output(KV.of(Buckets.of(Buckets.encode(StringUtf8Coder.of(), key(l)), buckets), l));
    }
  }

  static final class DecideFn extends DoFn<KV<Integer, Iterable<AdjudicatedLine>>, AdjudicatedLine> {
    private final String pipeline;
    private final StepCounters counters;
    private final TupleTag<DeadLetter> deadTag;
    private final TupleTag<AdjudicatedLine> kept;

    DecideFn(String pipeline, String step, TupleTag<DeadLetter> deadTag, TupleTag<AdjudicatedLine> kept) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
      this.deadTag = deadTag;
      this.kept = kept;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<AdjudicatedLine>> bucket, MultiOutputReceiver out) {
      Map<String, List<AdjudicatedLine>> copies = new TreeMap<>();
      for (AdjudicatedLine l : bucket.getValue()) {
        copies.computeIfAbsent(key(l), k -> new ArrayList<>()).add(l);
      }
      for (List<AdjudicatedLine> same : copies.values()) {
        same.sort(Comparator.comparing(AdjudicatedLine::source, SourceRef::compareTo));
        AdjudicatedLine first = same.get(0);
        List<String> differing = new ArrayList<>();
        for (AdjudicatedLine other : same.subList(1, same.size())) {
          for (String column : differences(first, other)) {
            if (!differing.contains(column)) {
              differing.add(column);
            }
          }
        }
        if (differing.isEmpty()) {
          counters.out();
          counters.count(IDENTICAL, same.size() - 1);
          out.get(kept).output(first);
          continue;
        }
        String where = same.stream()
            .map(l -> l.source().file() + ":" + l.source().line())
            .collect(Collectors.joining(", "));
        for (AdjudicatedLine l : same) {
          counters.dead(HealthcareReasons.CONFLICTING_CLAIM_LINE);
          out.get(deadTag).output(DeadLetter.of(pipeline, counters.step(), l.source(),
              HealthcareReasons.CONFLICTING_CLAIM_LINE,
              "claim " + l.claimId() + " line " + l.lineNo() + " differs in " + differing
                  + " between its copies at " + where + "; every copy is refused"));
        }
      }
    }
  }

  /** The columns whose values differ between two copies of a claim line. */
  static List<String> differences(AdjudicatedLine a, AdjudicatedLine b) {
    Object[] x = values(a);
    Object[] y = values(b);
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!java.util.Objects.equals(x[i], y[i])) {
        columns.add(AdjudicatedLine.COLUMNS[i]);
      }
    }
    return columns;
  }

  private static Object[] values(AdjudicatedLine l) {
    return new Object[] {
      l.claimId(), l.lineNo(), l.memberId(), l.patientId(), l.providerId(), l.payerId(), l.planId(),
      l.serviceDate(), l.receivedDate(), l.adjudicationDate(), l.procedureCode(), l.units(),
      l.charge(), l.allowed(), l.deductible(), l.coinsurance(), l.copay(), l.planPaid(),
      l.patientResponsibility(), l.status(), l.carc(), l.denialReason()
    };
  }
}
