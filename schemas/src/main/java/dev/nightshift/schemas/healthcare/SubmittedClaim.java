package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One submitted claim as a reader found it: its id, the format it came in, the claim type, where it
 * is (file, position and the claim's text, truncated) and its service lines in line order. The
 * claim is the unit a reader refuses, de-duplication keeps or drops, and an ExplanationOfBenefit
 * answers; its lines are what adjudication decides one by one. The raw text is kept here once: the
 * lines' own {@link SourceRef}s name the same file and position with an empty raw text, so that a
 * claim of many lines does not carry its text many times through the pipeline.
 *
 * @param type the claim type of the FHIR claim-type code system ({@code professional},
 *     {@code institutional}, ...); X12 837P claims are {@code professional}
 */
public record SubmittedClaim(
    String claimId, String format, String type, SourceRef source, List<ClaimLine> lines)
    implements Sourced, Serializable {

  public SubmittedClaim {
    lines = List.copyOf(lines);
  }

  /** The claim-level values (member, provider, dates, total) as its first line carries them. */
  public ClaimLine first() {
    return lines.get(0);
  }

  public static final RecordCoder<SubmittedClaim> CODER =
      RecordCoder.of(
          SubmittedClaim.class,
          (c, out) -> {
            out.str(c.claimId).str(c.format).str(c.type);
            c.source.write(out);
            out.integer(c.lines.size());
            for (ClaimLine l : c.lines) {
              out.with(ClaimLine.CODER, l);
            }
          },
          in -> {
            String id = in.str();
            String format = in.str();
            String type = in.str();
            SourceRef source = SourceRef.read(in);
            int n = in.integer();
            List<ClaimLine> lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              lines.add(in.with(ClaimLine.CODER));
            }
            return new SubmittedClaim(id, format, type, source, lines);
          });
}
