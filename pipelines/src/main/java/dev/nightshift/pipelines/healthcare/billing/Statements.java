package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.core.Money;
import dev.nightshift.schemas.healthcare.BillingAccount;
import dev.nightshift.schemas.healthcare.BillingOpenItem;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A patient's statement: the patient's payments are applied to the open items oldest first
 * (service date, then claim id, then line number), what remains open is aged by the days from the
 * date of service to the statement date into 0-30, 31-60, 61-90 and over 90 days, and what was
 * paid beyond every open item is a credit.
 */
public final class Statements {
  private Statements() {}

  public static final String STATEMENTS_FILE = "patient_statements.csv";
  public static final String LINES_FILE = "statement_lines.csv";

  public static final String[] STATEMENT_COLUMNS = {
    "statement_date", "patient_id", "total_due", "current_0_30", "days_31_60", "days_61_90",
    "days_over_90", "open_items", "payments_applied", "credit"
  };
  public static final String[] LINE_COLUMNS = {
    "patient_id", "claim_id", "line_no", "service_date", "age_days", "bucket", "amount_open"
  };

  /** Aging buckets, by age in days: 0-30, 31-60, 61-90, 91 and more. */
  public static final String[] BUCKETS = {"0-30", "31-60", "61-90", "90+"};

  public static int bucket(long ageDays) {
    if (ageDays <= 30) {
      return 0;
    }
    if (ageDays <= 60) {
      return 1;
    }
    return ageDays <= 90 ? 2 : 3;
  }

  /** The statement line and the open lines (after payments) of one patient. */
  public record Statement(String line, List<String> openLines, int items, long payments) {}

  public static Statement of(String patientId, BillingAccount account, LocalDate statementDate) {
    List<BillingOpenItem> items = new ArrayList<>(account.items());
    items.sort(
        Comparator.comparing(BillingOpenItem::serviceDate)
            .thenComparing(BillingOpenItem::claimId)
            .thenComparingInt(BillingOpenItem::lineNo));
    BigDecimal unapplied = account.paid();
    BigDecimal[] due = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    List<String> open = new ArrayList<>();
    for (BillingOpenItem item : items) {
      BigDecimal applied = unapplied.min(item.amount());
      unapplied = unapplied.subtract(applied);
      BigDecimal left = item.amount().subtract(applied);
      if (left.signum() > 0) {
        long age = ChronoUnit.DAYS.between(item.serviceDate(), statementDate);
        int bucket = bucket(age);
        due[bucket] = due[bucket].add(left);
        open.add(Csv.line(patientId, item.claimId(), item.lineNo(), item.serviceDate(), age,
            BUCKETS[bucket], usd(left)));
      }
    }
    BigDecimal total = due[0].add(due[1]).add(due[2]).add(due[3]);
    String line = Csv.line(statementDate, patientId, usd(total), usd(due[0]), usd(due[1]),
        usd(due[2]), usd(due[3]), open.size(), usd(account.paid().subtract(unapplied)),
        usd(unapplied));
    return new Statement(line, open, items.size(), account.payments());
  }

  static String usd(BigDecimal amount) {
    return Money.format(amount, "USD");
  }
}
