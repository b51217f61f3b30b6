package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A benefit plan: a row of {@code plans.csv}. Amounts per member and plan year (the calendar year
 * of the service date), except the copay, which is per claim.
 *
 * @param coinsuranceRate the member's share after the deductible, a fraction such as 0.20
 * @param timelyFilingDays how many days after the service a claim may still be received
 */
public record HealthPlan(
    String planId,
    BigDecimal deductible,
    BigDecimal coinsuranceRate,
    BigDecimal copay,
    BigDecimal oopMax,
    int timelyFilingDays,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "plan_id", "deductible", "coinsurance_rate", "copay", "oop_max", "timely_filing_days"
  };

  public static final RecordCoder<HealthPlan> CODER =
      RecordCoder.of(
          HealthPlan.class,
          (p, out) -> {
            out.str(p.planId).decimal(p.deductible).decimal(p.coinsuranceRate).decimal(p.copay)
                .decimal(p.oopMax).integer(p.timelyFilingDays);
            p.source.write(out);
          },
          in -> new HealthPlan(in.str(), in.decimal(), in.decimal(), in.decimal(), in.decimal(),
              in.integer(), SourceRef.read(in)));
}
