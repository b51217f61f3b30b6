package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.AdjudicatedClaim;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.Carc;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.FeeScheduleEntry;
import dev.nightshift.schemas.healthcare.HealthPlan;
import dev.nightshift.schemas.healthcare.MemberCoverage;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The adjudication rules of one member's claims (healthcare README, claims-adjudication), in plain
 * Java: every line gets the first CARC that applies, in this order, or is paid.
 *
 * <ol>
 *   <li>16 missing information: no member id or received date (the whole claim), no service date,
 *       procedure code or charge (the line); the reason names every missing field;
 *   <li>31 the member is unknown (no coverage row at all);
 *   <li>27 no coverage period of the member contains the service date;
 *   <li>18 the same member, provider, service date, procedure code and charge as an earlier line
 *       (earlier: received date, claim id, line number, then file and position), among the lines
 *       that passed 1-3;
 *   <li>29 received more than the plan's timely_filing_days after the service date;
 *   <li>96 the procedure is not in the fee schedule, or not covered;
 *   <li>paid: allowed = min(charge, allowed amount x units), then, per plan year (calendar year of
 *       the service) in order of service date, received date, claim id, line number: copay once
 *       per claim on its first paid line, deductible, coinsurance, the out-of-pocket cap (cutting
 *       coinsurance, then copay, then deductible), plan paid = allowed - patient responsibility.
 * </ol>
 *
 * The plan of a line is the plan of the coverage period containing its service date (the one that
 * starts last, when periods overlap); its limits apply to the member's accumulators of that year,
 * which carry over a change of plan within the year. Coverage rows whose plan is unknown are left
 * out (the pipeline refuses them as UNKNOWN_PLAN before they get here).
 */
final class Adjudicator {
  private Adjudicator() {}

  static final BigDecimal ZERO = new BigDecimal("0.00");

  /** What the member has met in one plan year after all their paid lines. */
  record Accumulator(String memberId, int planYear, BigDecimal deductibleMet, BigDecimal oopMet) {}

  record Result(List<AdjudicatedClaim> claims, List<Accumulator> accumulators) {}

  /** One line being decided. */
  private static final class Work {
    final SubmittedClaim claim;
    final ClaimLine line;
    HealthPlan plan;
    String status = "";
    String carc = "";
    String reason = "";
    BigDecimal allowed = ZERO;
    BigDecimal deductible = ZERO;
    BigDecimal coinsurance = ZERO;
    BigDecimal copay = ZERO;
    BigDecimal planPaid = ZERO;
    BigDecimal patient = ZERO;
    FeeScheduleEntry fee;

    Work(SubmittedClaim claim, ClaimLine line) {
      this.claim = claim;
      this.line = line;
    }

    boolean pending() {
      return status.isEmpty();
    }

    void deny(String code, String why) {
      status = AdjudicatedLine.DENIED;
      carc = code;
      reason = why;
    }
  }

  private static final Comparator<SourceRef> BY_SOURCE = SourceRef::compareTo;
  private static final Comparator<Work> EARLIER =
      Comparator.<Work, LocalDate>comparing(w -> w.line.receivedDate())
          .thenComparing(w -> w.line.claimId())
          .thenComparingInt(w -> w.line.lineNo())
          .thenComparing(w -> w.claim.source(), BY_SOURCE);
  private static final Comparator<Work> SERVICE_ORDER =
      Comparator.<Work, LocalDate>comparing(w -> w.line.serviceDate()).thenComparing(EARLIER);

  /**
   * @param memberId the member all {@code claims} name ("" for claims without a member id)
   * @param coverage the member's coverage periods (empty: an unknown member)
   */
  static Result adjudicate(String memberId, List<SubmittedClaim> claims, List<MemberCoverage> coverage,
      Map<String, HealthPlan> plans, Map<String, FeeScheduleEntry> fees, LocalDate adjudicationDate) {
    List<MemberCoverage> periods = new ArrayList<>();
    for (MemberCoverage c : coverage) {
      if (plans.containsKey(c.planId())) {
        periods.add(c);
      }
    }
    List<Work> all = new ArrayList<>();
    Map<String, List<Work>> byClaim = new TreeMap<>();
    for (SubmittedClaim claim : claims) {
      List<Work> lines = new ArrayList<>();
      for (ClaimLine line : claim.lines()) {
        Work w = new Work(claim, line);
        lines.add(w);
        all.add(w);
      }
      byClaim.put(claim.claimId() + '\u0000' + claim.source().file() + '\u0000' + claim.source().line(), lines);
    }

    for (Work w : all) {
      w.plan = planOn(periods, plans, w.line.serviceDate());
      List<String> missing = new ArrayList<>();
      if (w.line.memberId().isEmpty()) {
        missing.add("member id");
      }
      if (w.line.receivedDate() == null) {
        missing.add("received date");
      }
      if (w.line.serviceDate() == null) {
        missing.add("service date");
      }
      if (w.line.procedureCode().isEmpty()) {
        missing.add("procedure code");
      }
      if (w.line.charge() == null) {
        missing.add("charge");
      }
      if (!missing.isEmpty()) {
        w.deny(Carc.MISSING_INFORMATION, "missing " + String.join(", ", missing));
      } else if (periods.isEmpty()) {
        w.deny(Carc.NOT_OUR_INSURED, "member " + memberId + " is not our insured");
      } else if (w.plan == null) {
        w.deny(Carc.NOT_COVERED_ON_DATE, "member " + memberId + " has no coverage on " + w.line.serviceDate());
      }
    }

    List<Work> pending = new ArrayList<>(all.stream().filter(Work::pending).toList());
    pending.sort(EARLIER);
    Map<String, Work> first = new HashMap<>();
    for (Work w : pending) {
      ClaimLine l = w.line;
      String key = String.join("\u0000", l.providerId(), l.serviceDate().toString(), l.procedureCode(),
          l.charge().setScale(2, RoundingMode.UNNECESSARY).toPlainString());
      Work original = first.putIfAbsent(key, w);
      if (original != null) {
        w.deny(Carc.DUPLICATE, "duplicate of claim " + original.line.claimId() + " line " + original.line.lineNo());
        continue;
      }
      long days = ChronoUnit.DAYS.between(l.serviceDate(), l.receivedDate());
      if (days > w.plan.timelyFilingDays()) {
        w.deny(Carc.TIMELY_FILING, "received " + days + " days after the service; " + w.plan.planId()
            + " allows " + w.plan.timelyFilingDays());
        continue;
      }
      w.fee = fees.get(l.procedureCode());
      if (w.fee == null) {
        w.deny(Carc.NON_COVERED, "procedure " + l.procedureCode() + " is not in the fee schedule");
      } else if (!w.fee.covered()) {
        w.deny(Carc.NON_COVERED, "procedure " + l.procedureCode() + " is not covered");
      }
    }

    List<Work> paid = new ArrayList<>(pending.stream().filter(Work::pending).toList());
    paid.sort(SERVICE_ORDER);
    Map<Integer, BigDecimal[]> met = new TreeMap<>(); // plan year -> {deductible met, oop met}
    Set<String> claimsWithCopay = new HashSet<>();
    for (Work w : paid) {
      HealthPlan plan = w.plan;
      BigDecimal[] year = met.computeIfAbsent(w.line.serviceDate().getYear(), y -> new BigDecimal[] {ZERO, ZERO});
      BigDecimal allowed = w.line.charge().min(w.fee.allowedAmount().multiply(w.line.units()))
          .setScale(2, RoundingMode.HALF_UP);
      BigDecimal copay = ZERO;
      if (claimsWithCopay.add(w.line.claimId())) {
        copay = plan.copay().min(allowed);
      }
      BigDecimal deductible = allowed.subtract(copay).min(plan.deductible().subtract(year[0]).max(ZERO));
      BigDecimal coinsurance = allowed.subtract(copay).subtract(deductible).multiply(plan.coinsuranceRate())
          .setScale(2, RoundingMode.HALF_UP);
      BigDecimal excess = copay.add(deductible).add(coinsurance).subtract(plan.oopMax().subtract(year[1]).max(ZERO));
      if (excess.signum() > 0) {
        BigDecimal cut = coinsurance.min(excess);
        coinsurance = coinsurance.subtract(cut);
        excess = excess.subtract(cut);
        cut = copay.min(excess);
        copay = copay.subtract(cut);
        excess = excess.subtract(cut);
        deductible = deductible.subtract(deductible.min(excess));
      }
      BigDecimal patient = copay.add(deductible).add(coinsurance);
      w.status = AdjudicatedLine.PAID;
      w.allowed = allowed;
      w.copay = copay;
      w.deductible = deductible;
      w.coinsurance = coinsurance;
      w.patient = patient;
      w.planPaid = allowed.subtract(patient);
      year[0] = year[0].add(deductible);
      year[1] = year[1].add(patient);
    }

    List<AdjudicatedClaim> results = new ArrayList<>();
    for (List<Work> lines : byClaim.values()) {
      List<AdjudicatedLine> decided = new ArrayList<>(lines.size());
      for (Work w : lines) {
        decided.add(line(w, adjudicationDate));
      }
      results.add(new AdjudicatedClaim(lines.get(0).claim, decided));
    }
    List<Accumulator> accumulators = new ArrayList<>();
    met.forEach((year, m) -> accumulators.add(new Accumulator(memberId, year, m[0], m[1])));
    return new Result(results, accumulators);
  }

  /** The plan of the coverage period containing {@code day} that starts last; null when none. */
  private static HealthPlan planOn(List<MemberCoverage> periods, Map<String, HealthPlan> plans, LocalDate day) {
    if (day == null) {
      return null;
    }
    MemberCoverage best = null;
    for (MemberCoverage c : periods) {
      if (c.covers(day) && (best == null || c.coverageStart().isAfter(best.coverageStart())
          || (c.coverageStart().equals(best.coverageStart()) && c.source().compareTo(best.source()) > 0))) {
        best = c;
      }
    }
    return best == null ? null : plans.get(best.planId());
  }

  private static AdjudicatedLine line(Work w, LocalDate adjudicationDate) {
    ClaimLine l = w.line;
    return new AdjudicatedLine(l.claimId(), l.lineNo(), l.memberId(), l.patientId(), l.providerId(), l.payerId(),
        w.plan == null ? "" : w.plan.planId(), l.serviceDate(), l.receivedDate(), adjudicationDate,
        l.procedureCode(), l.units(), l.charge() == null ? ZERO : l.charge(), w.allowed, w.deductible,
        w.coinsurance, w.copay, w.planPaid, w.patient, w.status, w.carc, w.reason, l.source());
  }
}
