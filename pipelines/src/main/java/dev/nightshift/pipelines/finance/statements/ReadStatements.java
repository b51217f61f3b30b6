package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import java.io.IOException;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads bank statement files (camt.053 and MT940 mixed, format detected per file) into
 * statements and entries. Two counted steps, both balanced in the run audit:
 *
 * <ul>
 *   <li>{@code <step>}: one record per file. {@code in} = files read, {@code out} = files parsed,
 *       {@code dead} = files refused (one dead letter naming the file, line 0: not XML/MT940,
 *       DOCTYPE present, not well-formed, empty, unreadable, too large). Also counts
 *       {@code <step>/statements} and {@code <step>/entries} emitted.
 *   <li>{@code <step>-statements}: one record per statement found in a parsed file. {@code out} =
 *       statements emitted, {@code dead} = statements refused ({@code MALFORMED_STATEMENT}, with
 *       the statement's first line and raw text; its entries are not emitted). Also counts
 *       {@code <step>-statements/entries}: a consumer of the entries links to that counter.
 * </ul>
 *
 * Dead letters are registered with the run.
 */
public final class ReadStatements {
  private ReadStatements() {}

  /** Files larger than this are refused rather than read into memory. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  /** What the reader produces; the two step names let a consumer declare its audit links. */
  public record Result(
      PCollection<BankStatement> statements,
      PCollection<StatementEntry> entries,
      PCollection<DeadLetter> deadLetters,
      String fileStep,
      String statementStep) {

    /** The counter of entries emitted ({@code <step>-statements/entries}). */
    public String entriesCounter() {
      return StepCounters.named(statementStep, "entries");
    }
  }

  /** The name of the per-statement step of a reader step. */
  public static String statementStep(String step) {
    // "read-statements" (files) -> "split-statements" (statements in them)
    return step.startsWith("read-") ? "split-" + step.substring(5) : step + "-statements";
  }

  public static Result read(NightshiftRun run, String step, String filepattern) {
    String statementStep = statementStep(step);
    TupleTag<BankStatement> statementsTag = new TupleTag<>() {};
    TupleTag<StatementEntry> entriesTag = new TupleTag<>() {};
    TupleTag<DeadLetter> deadTag = run.deadTag();
    run.registerInput(step, filepattern);
    PCollectionTuple out =
        run.pipeline()
            .apply(
                step + "/match",
                FileIO.match().filepattern(filepattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(step + "/open", FileIO.readMatches())
            .apply(
                step + "/parse",
                ParDo.of(new ParseFn(run.name(), step, statementStep, statementsTag, entriesTag, deadTag))
                    .withOutputTags(statementsTag, TupleTagList.of(entriesTag).and(deadTag)));
    PCollection<BankStatement> statements = out.get(statementsTag).setCoder(BankStatement.CODER);
    PCollection<StatementEntry> entries = out.get(entriesTag).setCoder(StatementEntry.CODER);
    PCollection<DeadLetter> dead = out.get(deadTag).setCoder(DeadLetter.CODER);
    run.addDeadLetters(dead);
    run.audit().step(step).step(statementStep);
    return new Result(statements, entries, dead, step, statementStep);
  }

  static final class ParseFn extends DoFn<FileIO.ReadableFile, BankStatement> {
    private final String pipeline;
    private final StepCounters files;
    private final StepCounters statements;
    private final TupleTag<BankStatement> statementsTag;
    private final TupleTag<StatementEntry> entriesTag;
    private final TupleTag<DeadLetter> deadTag;

    ParseFn(
        String pipeline,
        String step,
        String statementStep,
        TupleTag<BankStatement> statementsTag,
        TupleTag<StatementEntry> entriesTag,
        TupleTag<DeadLetter> deadTag) {
      this.pipeline = pipeline;
      this.files = new StepCounters(step);
      this.statements = new StepCounters(statementStep);
      this.statementsTag = statementsTag;
      this.entriesTag = entriesTag;
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      files.in();
      ParsedFile parsed;
      try {
        if (file.getMetadata().sizeBytes() > MAX_FILE_BYTES) {
          throw new StatementException(
              FinanceReasons.FILE_TOO_LARGE,
              "the file has " + file.getMetadata().sizeBytes() + " bytes, more than " + MAX_FILE_BYTES);
        }
        parsed = StatementParsers.parse(path, file.readFullyAsBytes());
      } catch (StatementException e) {
        fileDead(out, path, e.reason(), e.getMessage());
        return;
      } catch (IOException e) {
        fileDead(out, path, Reasons.UNREADABLE_FILE, "cannot read the file: " + e);
        return;
      } catch (RuntimeException e) {
        fileDead(out, path, Reasons.INTERNAL_ERROR, e.toString());
        return;
      }
      files.out();
      for (BankStatement s : parsed.statements()) {
        statements.in();
        statements.out();
        out.get(statementsTag).output(s);
      }
      for (ParsedFile.Failure f : parsed.failures()) {
        statements.in();
        statements.dead(f.reason());
        out.get(deadTag)
            .output(DeadLetter.of(pipeline, statements.step(), f.source(), f.reason(), f.message()));
      }
      for (StatementEntry e : parsed.entries()) {
        out.get(entriesTag).output(e);
      }
      files.count("statements", parsed.statements().size());
      files.count("entries", parsed.entries().size());
      statements.count("entries", parsed.entries().size());
    }

    private void fileDead(MultiOutputReceiver out, String path, String reason, String message) {
      files.dead(reason);
      out.get(deadTag)
          .output(DeadLetter.of(pipeline, files.step(), SourceRef.of(path, 0, ""), reason, message));
    }
  }
}
