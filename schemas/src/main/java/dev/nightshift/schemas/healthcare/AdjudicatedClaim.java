package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A claim with the decision on each of its lines, in line order ({@code lines.get(i)} answers
 * {@code claim.lines().get(i)}): what the outputs of claims-adjudication (adjudicated lines,
 * ExplanationOfBenefit, summary) are written from.
 */
public record AdjudicatedClaim(SubmittedClaim claim, List<AdjudicatedLine> lines) implements Serializable {

  public AdjudicatedClaim {
    lines = List.copyOf(lines);
    if (lines.size() != claim.lines().size()) {
      throw new IllegalArgumentException(
          "claim " + claim.claimId() + " has " + claim.lines().size() + " lines, " + lines.size() + " decided");
    }
  }

  public static final RecordCoder<AdjudicatedClaim> CODER =
      RecordCoder.of(
          AdjudicatedClaim.class,
          (c, out) -> {
            out.with(SubmittedClaim.CODER, c.claim);
            out.integer(c.lines.size());
            for (AdjudicatedLine l : c.lines) {
              out.with(AdjudicatedLine.CODER, l);
            }
          },
          in -> {
            SubmittedClaim claim = in.with(SubmittedClaim.CODER);
            int n = in.integer();
            List<AdjudicatedLine> lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              lines.add(in.with(AdjudicatedLine.CODER));
            }
            return new AdjudicatedClaim(claim, lines);
          });
}
