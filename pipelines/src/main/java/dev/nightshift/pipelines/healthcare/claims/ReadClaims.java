package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.CountFn;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadLines;
import dev.nightshift.transforms.io.ReadWholeFiles;
import dev.nightshift.transforms.io.TextFiles;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadableFileCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the claims of a glob of files in any of the three formats, told apart by the file's
 * extension: {@code .ndjson} Bulk FHIR NDJSON ({@link NdjsonClaims}, line by line through {@link
 * ReadLines}), {@code .json} FHIR Bundles ({@link BundleClaims}, whole files), {@code .edi},
 * {@code .x12}, {@code .837} X12 837P ({@link X12Claims}, whole files). A file with another
 * extension is one {@code UNSUPPORTED_FORMAT} dead letter naming it. The claims of all formats
 * leave through one step, {@value #MERGE}, which the audit balances against the three readers.
 */
final class ReadClaims {
  private ReadClaims() {}

  static final String MATCH = "match-claims";
  static final String NDJSON = "read-ndjson";
  static final String BUNDLES = "read-bundles";
  static final String BUNDLE_CLAIMS = "split-bundles";
  static final String X12 = "read-x12";
  static final String X12_CLAIMS = "split-x12";
  static final String MERGE = "merge-claims";

  enum Format { NDJSON, BUNDLE, X12 }

  /** The format of a claims file by its name, or null when its extension is none of ours. */
  static Format format(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    if (name.endsWith(".ndjson")) {
      return Format.NDJSON;
    }
    if (name.endsWith(".json")) {
      return Format.BUNDLE;
    }
    if (name.endsWith(".edi") || name.endsWith(".x12") || name.endsWith(".837")) {
      return Format.X12;
    }
    return null;
  }

  static Checked<SubmittedClaim> read(NightshiftRun run, String filepattern) {
    TupleTag<FileIO.ReadableFile> ndjsonTag = new TupleTag<>() {};
    TupleTag<FileIO.ReadableFile> bundleTag = new TupleTag<>() {};
    TupleTag<FileIO.ReadableFile> x12Tag = new TupleTag<>() {};
    PCollectionTuple routed =
        TextFiles.match(run, MATCH, filepattern)
            .apply(MATCH + "/route",
                ParDo.of(new RouteFn(run.name(), ndjsonTag, bundleTag, x12Tag, run.deadTag()))
                    .withOutputTags(ndjsonTag, TupleTagList.of(bundleTag).and(x12Tag).and(run.deadTag())));
    run.addDeadLetters(routed.get(run.deadTag()).setCoder(DeadLetter.CODER));
    Checked<SubmittedClaim> ndjson = ReadLines.read(run, NDJSON,
        routed.get(ndjsonTag).setCoder(ReadableFileCoder.of()), new NdjsonClaims(), SubmittedClaim.CODER);
    Checked<SubmittedClaim> bundles = ReadWholeFiles.read(run, BUNDLES, BUNDLE_CLAIMS,
        routed.get(bundleTag).setCoder(ReadableFileCoder.of()), new BundleClaims(), SubmittedClaim.CODER);
    Checked<SubmittedClaim> x12 = ReadWholeFiles.read(run, X12, X12_CLAIMS,
        routed.get(x12Tag).setCoder(ReadableFileCoder.of()), new X12Claims(), SubmittedClaim.CODER);
    PCollection<SubmittedClaim> merged =
        PCollectionList.of(ndjson.output()).and(bundles.output()).and(x12.output())
            .apply(MERGE + "/flatten", Flatten.pCollections())
            .apply(MERGE, ParDo.of(new CountFn<SubmittedClaim>(MERGE)))
            .setCoder(SubmittedClaim.CODER);
    run.audit()
        .step(MATCH)
        .expect(MATCH, "routes every file of a known format to its reader",
            List.of(RunAudit.term(StepCounters.outName(MATCH))),
            List.of(RunAudit.term(StepCounters.named(MATCH, "ndjson")),
                RunAudit.term(StepCounters.named(MATCH, "bundle")),
                RunAudit.term(StepCounters.named(MATCH, "x12"))))
        .expect(BUNDLES, "reads every file routed to it",
            List.of(RunAudit.term(StepCounters.named(MATCH, "bundle"))),
            List.of(RunAudit.term(StepCounters.inName(BUNDLES))))
        .expect(X12, "reads every file routed to it",
            List.of(RunAudit.term(StepCounters.named(MATCH, "x12"))),
            List.of(RunAudit.term(StepCounters.inName(X12))))
        .expect(MERGE, "receives every claim the three readers put out",
            List.of(RunAudit.term(StepCounters.outName(NDJSON)), RunAudit.term(StepCounters.outName(BUNDLE_CLAIMS)),
                RunAudit.term(StepCounters.outName(X12_CLAIMS))),
            List.of(RunAudit.term(StepCounters.inName(MERGE))))
        .step(MERGE);
    return Checked.after(run, MERGE, merged);
  }

  /** Sends each file to the reader of its format; a file of no known format is a dead letter. */
  static final class RouteFn extends DoFn<FileIO.ReadableFile, FileIO.ReadableFile> {
    private final String pipeline;
    private final TupleTag<FileIO.ReadableFile> ndjson;
    private final TupleTag<FileIO.ReadableFile> bundle;
    private final TupleTag<FileIO.ReadableFile> x12;
    private final TupleTag<DeadLetter> dead;
    private final StepCounters counters = new StepCounters(MATCH);

    RouteFn(String pipeline, TupleTag<FileIO.ReadableFile> ndjson, TupleTag<FileIO.ReadableFile> bundle,
        TupleTag<FileIO.ReadableFile> x12, TupleTag<DeadLetter> dead) {
      this.pipeline = pipeline;
      this.ndjson = ndjson;
      this.bundle = bundle;
      this.x12 = x12;
      this.dead = dead;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      counters.in();
      Format format = format(path);
      if (format == null) {
        counters.dead(HealthcareReasons.UNSUPPORTED_FORMAT);
        out.get(dead).output(DeadLetter.of(pipeline, MATCH, SourceRef.of(path, 0, ""),
            HealthcareReasons.UNSUPPORTED_FORMAT,
            "claims files end in .ndjson (Bulk FHIR), .json (FHIR Bundle) or .edi/.x12/.837 (X12 837P)"));
        return;
      }
      counters.out();
      counters.count(format.name().toLowerCase(Locale.ROOT), 1);
      out.get(format == Format.NDJSON ? ndjson : format == Format.BUNDLE ? bundle : x12).output(file);
    }
  }
}
