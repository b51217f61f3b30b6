package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/** One side of a reconciliation on its way to its account's group: a bank entry or a ledger line. */
public record ReconInput(StatementEntry bank, LedgerEntry ledger) implements Serializable {

  public static ReconInput of(StatementEntry bank) {
    return new ReconInput(bank, null);
  }

  public static ReconInput of(LedgerEntry ledger) {
    return new ReconInput(null, ledger);
  }

  public static final RecordCoder<ReconInput> CODER =
      RecordCoder.of(
          ReconInput.class,
          (r, out) -> {
            out.bool(r.bank != null);
            if (r.bank != null) {
              out.with(StatementEntry.CODER, r.bank);
            } else {
              out.with(LedgerEntry.CODER, r.ledger);
            }
          },
          in ->
              in.bool()
                  ? new ReconInput(in.with(StatementEntry.CODER), null)
                  : new ReconInput(null, in.with(LedgerEntry.CODER)));
}
