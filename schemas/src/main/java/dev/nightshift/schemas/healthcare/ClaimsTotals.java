package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Counts and amounts of adjudicated claims and lines, summed per row of {@code claims_summary.csv}
 * (status and CARC). Immutable; {@link #plus} adds two.
 */
public record ClaimsTotals(
    long claims,
    long lines,
    BigDecimal charge,
    BigDecimal allowed,
    BigDecimal deductible,
    BigDecimal coinsurance,
    BigDecimal copay,
    BigDecimal planPaid,
    BigDecimal patientResponsibility)
    implements Serializable {

  private static final BigDecimal Z = new BigDecimal("0.00");

  public static final ClaimsTotals ZERO = new ClaimsTotals(0, 0, Z, Z, Z, Z, Z, Z, Z);

  /** One line's amounts (no claim counted). */
  public static ClaimsTotals of(AdjudicatedLine l) {
    return new ClaimsTotals(0, 1, l.charge(), l.allowed(), l.deductible(), l.coinsurance(), l.copay(),
        l.planPaid(), l.patientResponsibility());
  }

  public ClaimsTotals withClaims(long n) {
    return new ClaimsTotals(n, lines, charge, allowed, deductible, coinsurance, copay, planPaid,
        patientResponsibility);
  }

  public ClaimsTotals plus(ClaimsTotals o) {
    return new ClaimsTotals(claims + o.claims, lines + o.lines, charge.add(o.charge), allowed.add(o.allowed),
        deductible.add(o.deductible), coinsurance.add(o.coinsurance), copay.add(o.copay),
        planPaid.add(o.planPaid), patientResponsibility.add(o.patientResponsibility));
  }

  public static final RecordCoder<ClaimsTotals> CODER =
      RecordCoder.of(
          ClaimsTotals.class,
          (t, out) -> out.lng(t.claims).lng(t.lines).decimal(t.charge).decimal(t.allowed)
              .decimal(t.deductible).decimal(t.coinsurance).decimal(t.copay).decimal(t.planPaid)
              .decimal(t.patientResponsibility),
          in -> new ClaimsTotals(in.lng(), in.lng(), in.decimal(), in.decimal(), in.decimal(),
              in.decimal(), in.decimal(), in.decimal(), in.decimal()));
}
