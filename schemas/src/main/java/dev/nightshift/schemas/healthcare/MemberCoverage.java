package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One coverage period of a member: a row of {@code members.csv} (a member may have several).
 *
 * @param coverageEnd the last covered day, inclusive; null when the coverage is open ended
 * @param birthDate null when not given
 */
public record MemberCoverage(
    String memberId,
    String planId,
    LocalDate coverageStart,
    LocalDate coverageEnd,
    LocalDate birthDate,
    String gender,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "member_id", "plan_id", "coverage_start", "coverage_end", "birth_date", "gender"
  };

  /** Whether the period covers {@code day}. */
  public boolean covers(LocalDate day) {
    return !day.isBefore(coverageStart) && (coverageEnd == null || !day.isAfter(coverageEnd));
  }

  public static final RecordCoder<MemberCoverage> CODER =
      RecordCoder.of(
          MemberCoverage.class,
          (m, out) -> {
            out.str(m.memberId).str(m.planId).date(m.coverageStart).optDate(m.coverageEnd)
                .optDate(m.birthDate).str(m.gender);
            m.source.write(out);
          },
          in -> new MemberCoverage(in.str(), in.str(), in.date(), in.optDate(), in.optDate(), in.str(),
              SourceRef.read(in)));
}
