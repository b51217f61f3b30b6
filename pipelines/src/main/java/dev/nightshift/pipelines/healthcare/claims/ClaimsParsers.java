package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.pipelines.core.Money;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.healthcare.FeeScheduleEntry;
import dev.nightshift.schemas.healthcare.HealthPlan;
import dev.nightshift.schemas.healthcare.MemberCoverage;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Locale;

/** Parsers of the reference files: members.csv, plans.csv, fee_schedule.csv (see the healthcare README). */
final class ClaimsParsers {
  private ClaimsParsers() {}

  static final CsvRecordParser<MemberCoverage> MEMBERS =
      CsvRecordParser.of(MemberCoverage.COLUMNS, ClaimsParsers::member);
  static final CsvRecordParser<HealthPlan> PLANS = CsvRecordParser.of(HealthPlan.COLUMNS, ClaimsParsers::plan);
  static final CsvRecordParser<FeeScheduleEntry> FEES =
      CsvRecordParser.of(FeeScheduleEntry.COLUMNS, ClaimsParsers::fee);

  /** A coverage period; coverage_end empty = open ended, before coverage_start refused. */
  static MemberCoverage member(CsvRow r) throws RecordException {
    String member = r.text("member_id");
    String plan = r.text("plan_id");
    LocalDate start = r.date("coverage_start");
    LocalDate end = r.optText("coverage_end").isEmpty() ? null : r.date("coverage_end");
    if (end != null && end.isBefore(start)) {
      throw new RecordException(Reasons.INVALID_VALUE, "coverage_end " + end + " is before coverage_start " + start);
    }
    LocalDate birth = r.optText("birth_date").isEmpty() ? null : r.date("birth_date");
    return new MemberCoverage(member, plan, start, end, birth, r.optText("gender"), r.source());
  }

  static HealthPlan plan(CsvRow r) throws RecordException {
    String id = r.text("plan_id");
    BigDecimal deductible = nonNegative(Money.usd(r, "deductible"), "deductible");
    BigDecimal rate = r.decimal("coinsurance_rate");
    if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0) {
      throw new RecordException(Reasons.INVALID_VALUE, "'coinsurance_rate' must be a fraction from 0 to 1: " + rate);
    }
    BigDecimal copay = nonNegative(Money.usd(r, "copay"), "copay");
    BigDecimal oop = nonNegative(Money.usd(r, "oop_max"), "oop_max");
    long days = r.lng("timely_filing_days");
    if (days < 0 || days > 100_000) {
      throw new RecordException(Reasons.INVALID_VALUE, "'timely_filing_days' must be 0 or more days: " + days);
    }
    return new HealthPlan(id, deductible, rate, copay, oop, (int) days, r.source());
  }

  /** allowed_amount is per unit (any number of decimals: the allowed line amount is rounded); covered Y/N. */
  static FeeScheduleEntry fee(CsvRow r) throws RecordException {
    String code = r.text("procedure_code");
    BigDecimal allowed = nonNegative(r.decimal("allowed_amount"), "allowed_amount");
    String covered = r.text("covered").toUpperCase(Locale.ROOT);
    if (!covered.equals("Y") && !covered.equals("N")) {
      throw new RecordException(Reasons.INVALID_VALUE, "'covered' is Y or N, not '" + r.optText("covered") + "'");
    }
    return new FeeScheduleEntry(code, r.optText("description"), allowed, covered.equals("Y"), r.source());
  }

  private static BigDecimal nonNegative(BigDecimal v, String column) throws RecordException {
    if (v.signum() < 0) {
      throw new RecordException(Reasons.INVALID_VALUE, "'" + column + "' is negative: " + v.toPlainString());
    }
    return v;
  }
}
