package dev.nightshift.pipelines.finance.fix;

import dev.nightshift.schemas.finance.Trade;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadLines;

/**
 * Reads FIX session logs line by line ({@link ReadLines}) into trades.
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

  public static final String SKIPPED = ReadLines.SKIPPED;
  public static final String BAD_CHECKSUM = "bad-checksum";
  public static final String BAD_BODY_LENGTH = "bad-body-length";

  public static String skippedCounter(String msgType) {
    return ReadLines.skippedCounter(msgType);
  }

  public static Checked<Trade> read(NightshiftRun run, String step, String filepattern) {
    ReadLines.Handler<Trade> handler =
        (line, source, out) -> {
          FixTradeReader.Result r = FixTradeReader.read(source.file(), source.line(), line);
          if (r.badChecksum()) {
            out.count(BAD_CHECKSUM, 1);
          }
          if (r.badBodyLength()) {
            out.count(BAD_BODY_LENGTH, 1);
          }
          switch (r.kind()) {
            case TRADE -> out.emit(r.trade());
            case SKIPPED -> out.skip(r.msgType());
            default -> throw new RecordException(r.reason(), r.message());
          }
        };
    return ReadLines.read(run, step, filepattern, handler, Trade.CODER);
  }
}
