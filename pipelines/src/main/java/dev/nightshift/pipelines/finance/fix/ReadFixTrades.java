package dev.nightshift.pipelines.finance.fix;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.io.ReadCsv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads FIX session logs line by line (as {@code ReadJsonLines} reads JSON lines) into trades.
 *
 * <p>Counters of the step: {@code in} per non-blank line; {@code out} per fill turned into a trade;
 * {@code dead} per refused line; {@code skipped} per message that is not a fill, also counted by
 * type as {@code skipped-<MsgType>} (skipped-A logon, skipped-0 heartbeat, skipped-D new order,
 * skipped-8 a non-fill execution report...); {@code bad-checksum} and {@code bad-body-length} per
 * message whose CheckSum or BodyLength is wrong (such messages are still read). The step's balance
 * is {@code in = out + dead + skipped}.
 */
public final class ReadFixTrades {
  private ReadFixTrades() {}

  public static final String SKIPPED = "skipped";
  public static final String BAD_CHECKSUM = "bad-checksum";
  public static final String BAD_BODY_LENGTH = "bad-body-length";

  public static String skippedCounter(String msgType) {
    return SKIPPED + "-" + msgType;
  }

  public static Checked<Trade> read(NightshiftRun run, String step, String filepattern) {
    run.registerInput(step, filepattern);
    TupleTag<Trade> main = new TupleTag<>();
    PCollectionTuple result =
        run.pipeline()
            .apply(step + "/match",
                FileIO.match().filepattern(filepattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(step + "/open", FileIO.readMatches())
            .apply(step + "/read",
                ParDo.of(new ReadFn(run.name(), step, main, run.deadTag()))
                    .withOutputTags(main, TupleTagList.of(run.deadTag())));
    // Not Checked.source: its balance (in = out + dead) has no room for skipped messages.
    run.audit().expect(step, "every line is a trade, a dead letter or a skipped message",
        List.of(RunAudit.term(StepCounters.inName(step))),
        List.of(RunAudit.term(StepCounters.outName(step)), RunAudit.term(StepCounters.deadName(step)),
            RunAudit.term(StepCounters.named(step, SKIPPED))));
    run.addDeadLetters(result.get(run.deadTag()));
    return Checked.after(run, step, result.get(main).setCoder(Trade.CODER));
  }

  static final class ReadFn extends DoFn<FileIO.ReadableFile, Trade> {
    private final String pipeline;
    private final StepCounters counters;
    private final TupleTag<Trade> main;
    private final TupleTag<DeadLetter> dead;

    ReadFn(String pipeline, String step, TupleTag<Trade> main, TupleTag<DeadLetter> dead) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
      this.main = main;
      this.dead = dead;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      try (BufferedReader reader = new BufferedReader(utf8(file), 1 << 16)) {
        long lineNo = 0;
        boolean any = false;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lineNo++;
          any = true;
          if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          if (line.isBlank()) {
            continue;
          }
          counters.in();
          if (line.length() > ReadCsv.MAX_RECORD_CHARS) {
            dead(out, SourceRef.of(path, lineNo, line.substring(0, 200) + "..."),
                Reasons.RECORD_TOO_LONG, "line longer than " + ReadCsv.MAX_RECORD_CHARS + " characters");
            continue;
          }
          SourceRef source = SourceRef.of(path, lineNo, line);
          if (line.indexOf('\uFFFD') >= 0) {
            dead(out, source, Reasons.INVALID_ENCODING, "the line holds bytes that are not UTF-8");
            continue;
          }
          FixTradeReader.Result r;
          try {
            r = FixTradeReader.read(path, lineNo, line);
          } catch (RuntimeException e) {
            dead(out, source, Reasons.INTERNAL_ERROR, e.toString());
            continue;
          }
          if (r.badChecksum()) {
            counters.count(BAD_CHECKSUM, 1);
          }
          if (r.badBodyLength()) {
            counters.count(BAD_BODY_LENGTH, 1);
          }
          switch (r.kind()) {
            case TRADE -> {
              counters.out();
              out.get(main).output(r.trade());
            }
            case SKIPPED -> {
              counters.count(SKIPPED, 1);
              counters.count(skippedCounter(r.msgType()), 1);
            }
            case REFUSED -> dead(out, source, r.reason(), r.message());
          }
        }
        if (!any) {
          counters.in();
          dead(out, SourceRef.of(path, 0, ""), Reasons.EMPTY_FILE, "the file is empty");
        }
      } catch (IOException | RuntimeException e) {
        counters.in();
        dead(out, SourceRef.of(path, 0, ""), Reasons.UNREADABLE_FILE, "cannot read the file: " + e);
      }
    }

    private void dead(MultiOutputReceiver out, SourceRef source, String reason, String message) {
      counters.dead(reason);
      out.get(dead).output(DeadLetter.of(pipeline, counters.step(), source, reason, message));
    }

    /** UTF-8 with malformed bytes replaced, so one bad line is dead-lettered, not the file. */
    private static java.io.Reader utf8(FileIO.ReadableFile file) throws IOException {
      return new InputStreamReader(
          Channels.newInputStream(file.open()),
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }
  }
}
