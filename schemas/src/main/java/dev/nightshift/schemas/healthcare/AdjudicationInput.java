package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * What meets in one member bucket of claims-adjudication: a claim of a member, or one of a member's
 * coverage periods. Exactly one of the two is set. (A union of two records, so that claims and
 * coverage can be grouped together in one batched grouping rather than joined twice.)
 */
public record AdjudicationInput(SubmittedClaim claim, MemberCoverage coverage) implements Serializable {

  public AdjudicationInput {
    if ((claim == null) == (coverage == null)) {
      throw new IllegalArgumentException("exactly one of claim and coverage");
    }
  }

  public static AdjudicationInput of(SubmittedClaim claim) {
    return new AdjudicationInput(claim, null);
  }

  public static AdjudicationInput of(MemberCoverage coverage) {
    return new AdjudicationInput(null, coverage);
  }

  public static final RecordCoder<AdjudicationInput> CODER =
      RecordCoder.of(
          AdjudicationInput.class,
          (a, out) -> {
            out.bool(a.claim != null);
            if (a.claim != null) {
              out.with(SubmittedClaim.CODER, a.claim);
            } else {
              out.with(MemberCoverage.CODER, a.coverage);
            }
          },
          in -> in.bool() ? of(in.with(SubmittedClaim.CODER)) : of(in.with(MemberCoverage.CODER)));
}
