package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A row of {@code fee_schedule.csv}: what the payer allows per unit of a procedure, and whether the
 * procedure is covered at all.
 */
public record FeeScheduleEntry(
    String procedureCode, String description, BigDecimal allowedAmount, boolean covered, SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"procedure_code", "description", "allowed_amount", "covered"};

  public static final RecordCoder<FeeScheduleEntry> CODER =
      RecordCoder.of(
          FeeScheduleEntry.class,
          (f, out) -> {
            out.str(f.procedureCode).str(f.description).decimal(f.allowedAmount).bool(f.covered);
            f.source.write(out);
          },
          in -> new FeeScheduleEntry(in.str(), in.str(), in.decimal(), in.bool(), SourceRef.read(in)));
}
