package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A journal line accepted into the ledger (its journal is complete and balanced, and every rate it
 * needs is known), with its P&L contribution in the reporting currency: revenue lines (4xxx)
 * credit - debit, expense lines (5xxx) debit - credit, converted and rounded at line level; zero
 * for balance-sheet lines (1xxx-3xxx).
 */
public record PostedLine(JournalLine line, BigDecimal reportingAmount) implements Serializable {

  public static final RecordCoder<PostedLine> CODER =
      RecordCoder.of(
          PostedLine.class,
          (p, out) -> out.with(JournalLine.CODER, p.line).decimal(p.reportingAmount),
          in -> new PostedLine(in.with(JournalLine.CODER), in.decimal()));
}
