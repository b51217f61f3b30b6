package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.BillingPayment;
import dev.nightshift.schemas.healthcare.Carc;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates billing's input without running claims-adjudication: {@code adjudicated_lines.csv}
 * ({@code size} rows), {@code adjudicated_lines_rerun.csv} (copies of some of those lines, as if a
 * rerun's output were picked up too), {@code payments.csv} and {@code generation.json}.
 *
 * <p>Lines respect the money identities of {@link AdjudicatedLine}. Members (= patients) are
 * {@code M0000001..M<m>}, m = max(20, size / 10) (README, "Generated identifiers"); the last
 * twentieth of them have no claims (their payments become credits). Providers are NPIs with a
 * valid check digit. Claims have 1-4 lines served over the 150 days before the business date (so
 * every aging bucket fills), adjudicated on the business date (about half) or earlier. About one
 * claim in eight is denied whole (CARC 16, 31, 27 or 29 in turn), and some lines of paid claims are
 * denied (96 or 18): every CARC appears.
 *
 * <p>Defects, at {@code badRate} per claim slot, one per bad row in round-robin order of {@link
 * #LINE_DEFECTS}, each a one-line claim that is otherwise valid, so a correct pipeline refuses it
 * for that reason only. A {@code CONFLICTING_CLAIM_LINE} is a good line whose copy in the rerun
 * file has another charge: both copies are refused, so it counts 2. Good lines are also copied
 * unchanged into the rerun file now and then: those are deduplicated, not refused. Payments are
 * partial, full (exactly what the patient owes), overpayments, and payments of patients with
 * nothing open; a bad payment row (rate {@code badRate}, kinds of {@link #PAYMENT_DEFECTS} in
 * turn) is an extra row. {@code planted} counts dead letters per reason; {@code
 * expectedValidRecords} is the number of distinct claim lines billing must accept.
 */
public final class BillingGenerator implements DatasetGenerator {

  public static final String NAME = "healthcare-billing";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2026, 11, 25);

  public static final String ADJUDICATED_FILE = "adjudicated_lines.csv";
  public static final String RERUN_FILE = "adjudicated_lines_rerun.csv";
  public static final String PAYMENTS_FILE = "payments.csv";
  public static final String REPORT_FILE = "generation.json";

  public static final String PAYER_ID = "NIGHTSHIFT-HEALTH";
  static final String[] PLANS = {"PLAN-BRONZE", "PLAN-SILVER", "PLAN-GOLD"};
  static final BigDecimal[] COPAY = {new BigDecimal("40.00"), new BigDecimal("25.00"), new BigDecimal("15.00")};
  static final BigDecimal[] COINSURANCE = {new BigDecimal("0.30"), new BigDecimal("0.20"), new BigDecimal("0.10")};

  /** Procedure codes (CPT) with an allowed amount per unit. */
  static final String[][] FEES = {
    {"99213", "92.00"}, {"99214", "131.00"}, {"99203", "110.00"}, {"80053", "14.00"},
    {"85025", "10.50"}, {"36415", "3.00"}, {"71046", "28.00"}, {"93000", "17.00"},
    {"97110", "31.00"}, {"90471", "25.00"}
  };

  /** Claim-level denials in turn, then line-level ones. */
  static final String[] CLAIM_DENIALS = {
    Carc.MISSING_INFORMATION, Carc.NOT_OUR_INSURED, Carc.NOT_COVERED_ON_DATE, Carc.TIMELY_FILING
  };
  static final String[] LINE_DENIALS = {Carc.NON_COVERED, Carc.DUPLICATE};

  public static final List<String> LINE_DEFECTS =
      List.of(
          Reasons.WRONG_FIELD_COUNT,
          Reasons.MISSING_FIELD,
          Reasons.INVALID_NUMBER,
          Reasons.INVALID_DATE,
          Reasons.INVALID_VALUE,
          HealthcareReasons.NEGATIVE_AMOUNT,
          HealthcareReasons.DENIED_WITH_AMOUNTS,
          HealthcareReasons.ALLOWED_EXCEEDS_CHARGE,
          HealthcareReasons.ALLOWED_SHARES_MISMATCH,
          HealthcareReasons.PATIENT_RESPONSIBILITY_MISMATCH,
          HealthcareReasons.INVALID_NPI,
          HealthcareReasons.INVALID_X12_VALUE,
          HealthcareReasons.SERVICE_AFTER_ADJUDICATION,
          HealthcareReasons.CONFLICTING_CLAIM_LINE);

  public static final List<String> PAYMENT_DEFECTS =
      List.of(
          Reasons.MISSING_FIELD,
          Reasons.INVALID_NUMBER,
          Reasons.INVALID_DATE,
          HealthcareReasons.NON_POSITIVE_PAYMENT,
          HealthcareReasons.PAYMENT_AFTER_BUSINESS_DATE,
          HealthcareReasons.DUPLICATE_PAYMENT_ID);

  /** Share of good lines copied unchanged into the rerun file. */
  static final double IDENTICAL_COPY_SHARE = 0.03;
  static final int SERVICE_DAYS = 150;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Adjudicated claim lines and patient payments for billing (seeded; plants every check's error)";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Files.createDirectories(out);
    SplittableRandom root = new SplittableRandom(request.seed());
    SplittableRandom refRandom = root.split();
    SplittableRandom lineRandom = root.split();
    SplittableRandom paymentRandom = root.split();

    int members = (int) Math.max(20, request.size() / 10);
    int withClaims = members - Math.max(1, members / 20);
    List<String> providers = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int providerCount = (int) Math.max(5, Math.min(200, request.size() / 300));
    while (providers.size() < providerCount) {
      String npi = Npi.withCheckDigit("1" + String.format("%08d", refRandom.nextInt(100_000_000)));
      if (seen.add(npi)) {
        providers.add(npi);
      }
    }

    SortedMap<String, Long> planted = new TreeMap<>();
    SortedMap<String, Long> rows = new TreeMap<>();
    Lines lines = new Lines(lineRandom, businessDate, providers, withClaims, request.badRate(), planted);
    try (BufferedWriter main = writer(out.resolve(ADJUDICATED_FILE));
        BufferedWriter rerun = writer(out.resolve(RERUN_FILE))) {
      main.write(String.join(",", AdjudicatedLine.COLUMNS) + "\n");
      rerun.write(String.join(",", AdjudicatedLine.COLUMNS) + "\n");
      lines.write(main, rerun, request.size());
    }
    rows.put(ADJUDICATED_FILE, request.size());
    rows.put(RERUN_FILE, lines.rerunRows);
    rows.put(PAYMENTS_FILE,
        writePayments(out.resolve(PAYMENTS_FILE), paymentRandom, businessDate, members, withClaims,
            lines.owed, request.badRate(), planted));

    GenerationReport report = new GenerationReport(NAME, businessDate, request.size(), request.seed(),
        request.badRate(), rows, planted, request.size() - lines.deadMainRows);
    Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }

  static String member(int n) {
    return String.format("M%07d", n);
  }

  /** Streams claims; keeps what each member owes (patient responsibility of accepted lines). */
  private static final class Lines {
    private final SplittableRandom rnd;
    private final LocalDate businessDate;
    private final List<String> providers;
    private final int members;
    private final double badRate;
    private final SortedMap<String, Long> planted;
    final Map<String, BigDecimal> owed = new HashMap<>();
    long rerunRows;
    long deadMainRows;
    private long nextClaim = 1;
    private long claimDenials;
    private long lineDenials;
    private long defectCursor;

    Lines(SplittableRandom rnd, LocalDate businessDate, List<String> providers, int members,
        double badRate, SortedMap<String, Long> planted) {
      this.rnd = rnd;
      this.businessDate = businessDate;
      this.providers = providers;
      this.members = members;
      this.badRate = badRate;
      this.planted = planted;
    }

    void write(BufferedWriter main, BufferedWriter rerun, long size) throws IOException {
      long written = 0;
      while (written < size) {
        if (badRate > 0 && rnd.nextDouble() < badRate) {
          written += badRow(main, rerun);
          continue;
        }
        int count = (int) Math.min(1 + rnd.nextInt(4), size - written);
        for (String[] f : claim(count)) {
          main.write(line(f));
          track(f);
          if (rnd.nextDouble() < IDENTICAL_COPY_SHARE) {
            rerun.write(line(f));
            rerunRows++;
          }
        }
        written += count;
      }
    }

    private void track(String[] f) {
      BigDecimal pr = new BigDecimal(f[18]);
      if (pr.signum() > 0) {
        owed.merge(f[3], pr, BigDecimal::add);
      }
    }

    /** A claim of {@code count} lines, fields in {@link AdjudicatedLine#COLUMNS} order. */
    private List<String[]> claim(int count) {
      String claimId = String.format("CLM-%08d", nextClaim++);
      int memberNo = 1 + rnd.nextInt(members);
      String member = member(memberNo);
      int plan = memberNo % PLANS.length;
      String provider = providers.get(rnd.nextInt(providers.size()));
      LocalDate service = businessDate.minusDays(rnd.nextInt(SERVICE_DAYS + 1));
      LocalDate received = service.plusDays(rnd.nextInt((int) Math.min(20, days(service, businessDate)) + 1));
      LocalDate adjudicated = rnd.nextInt(2) == 0
          ? businessDate
          : received.plusDays(rnd.nextInt((int) days(received, businessDate) + 1));
      String claimDenial = rnd.nextInt(8) == 0
          ? CLAIM_DENIALS[(int) (claimDenials++ % CLAIM_DENIALS.length)]
          : null;
      boolean missingProcedure = false;
      if (Carc.NOT_OUR_INSURED.equals(claimDenial)) {
        member = String.format("M9%06d", rnd.nextInt(1_000_000)); // no such member
      }
      if (Carc.MISSING_INFORMATION.equals(claimDenial)) {
        missingProcedure = rnd.nextBoolean(); // else the service date is missing
      }
      List<String[]> out = new ArrayList<>();
      boolean copayTaken = false;
      for (int no = 1; no <= count; no++) {
        String[] fee = FEES[rnd.nextInt(FEES.length)];
        int units = fee[0].equals("97110") || fee[0].equals("36415") ? 1 + rnd.nextInt(3) : 1;
        BigDecimal allowed = new BigDecimal(fee[1]).multiply(BigDecimal.valueOf(units));
        // Providers bill 1 to 2.5 times the fee schedule; sometimes exactly the allowed amount.
        BigDecimal charge = rnd.nextInt(10) == 0 ? allowed
            : allowed.multiply(BigDecimal.valueOf(100 + rnd.nextInt(151))).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        String denial = claimDenial != null ? claimDenial
            : rnd.nextInt(12) == 0 ? LINE_DENIALS[(int) (lineDenials++ % LINE_DENIALS.length)] : null;
        String[] f = new String[AdjudicatedLine.COLUMNS.length];
        f[0] = claimId;
        f[1] = Integer.toString(no);
        f[2] = member;
        f[3] = member;
        f[4] = provider;
        f[5] = PAYER_ID;
        f[6] = Carc.NOT_OUR_INSURED.equals(denial) ? "" : PLANS[plan];
        f[7] = Carc.MISSING_INFORMATION.equals(denial) && !missingProcedure ? "" : service.toString();
        f[8] = received.toString();
        f[9] = adjudicated.toString();
        f[10] = Carc.MISSING_INFORMATION.equals(denial) && missingProcedure ? "" : fee[0];
        f[11] = Integer.toString(units);
        f[12] = charge.toPlainString();
        if (denial != null) {
          for (int i = 13; i <= 18; i++) {
            f[i] = "0.00";
          }
          f[19] = AdjudicatedLine.DENIED;
          f[20] = denial;
          f[21] = denialReason(denial, missingProcedure);
        } else {
          BigDecimal copay = copayTaken ? BigDecimal.ZERO.setScale(2) : COPAY[plan].min(allowed);
          copayTaken = true;
          BigDecimal deductible = rnd.nextInt(10) < 3
              ? allowed.subtract(copay).min(BigDecimal.valueOf(rnd.nextInt(15_001), 2))
              : BigDecimal.ZERO.setScale(2);
          BigDecimal coinsurance = allowed.subtract(copay).subtract(deductible)
              .multiply(COINSURANCE[plan]).setScale(2, RoundingMode.HALF_UP);
          BigDecimal patient = copay.add(deductible).add(coinsurance);
          f[13] = allowed.setScale(2).toPlainString();
          f[14] = deductible.toPlainString();
          f[15] = coinsurance.toPlainString();
          f[16] = copay.toPlainString();
          f[17] = allowed.subtract(patient).setScale(2).toPlainString();
          f[18] = patient.toPlainString();
          f[19] = AdjudicatedLine.PAID;
          f[20] = "";
          f[21] = "";
        }
        out.add(f);
      }
      return out;
    }

    private static String denialReason(String carc, boolean missingProcedure) {
      return switch (carc) {
        case Carc.MISSING_INFORMATION -> missingProcedure ? "missing procedure code" : "missing service date";
        case Carc.NOT_OUR_INSURED -> "member unknown";
        case Carc.NOT_COVERED_ON_DATE -> "not covered on the date of service";
        case Carc.TIMELY_FILING -> "timely filing limit expired";
        case Carc.NON_COVERED -> "procedure not covered";
        case Carc.DUPLICATE -> "duplicate of an earlier claim line";
        default -> "denied";
      };
    }

    /** One defective row (a one-line claim); returns the rows written to the main file (1). */
    private int badRow(BufferedWriter main, BufferedWriter rerun) throws IOException {
      String kind = LINE_DEFECTS.get((int) (defectCursor++ % LINE_DEFECTS.size()));
      String[] f;
      boolean wantDenied = kind.equals(HealthcareReasons.DENIED_WITH_AMOUNTS);
      do {
        f = claim(1).get(0);
      } while (wantDenied != f[19].equals(AdjudicatedLine.DENIED));
      if (kind.equals(HealthcareReasons.CONFLICTING_CLAIM_LINE)) {
        // The same claim line again in the rerun file, charged 10.00 more: both copies are refused.
        main.write(line(f));
        String[] copy = f.clone();
        copy[12] = new BigDecimal(f[12]).add(BigDecimal.TEN).setScale(2).toPlainString();
        rerun.write(line(copy));
        rerunRows++;
        planted.merge(kind, 2L, Long::sum);
        deadMainRows++;
        return 1;
      }
      planted.merge(kind, 1L, Long::sum);
      deadMainRows++;
      BigDecimal allowed = new BigDecimal(f[13]);
      switch (kind) {
        case Reasons.WRONG_FIELD_COUNT -> f = java.util.Arrays.copyOf(f, f.length - 1);
        case Reasons.MISSING_FIELD -> f[4] = "";
        case Reasons.INVALID_NUMBER -> f[12] = f[12].replace('.', 'x');
        case Reasons.INVALID_DATE -> f[9] = businessDate.getYear() + "-02-30";
        case Reasons.INVALID_VALUE -> f[19] = "PENDING";
        case HealthcareReasons.NEGATIVE_AMOUNT -> f[12] = "-" + f[12];
        case HealthcareReasons.DENIED_WITH_AMOUNTS -> {
          f[13] = f[12];
          f[17] = f[12];
        }
        case HealthcareReasons.ALLOWED_EXCEEDS_CHARGE -> f[12] = allowed.subtract(BigDecimal.ONE).toPlainString();
        case HealthcareReasons.ALLOWED_SHARES_MISMATCH ->
            f[17] = new BigDecimal(f[17]).add(new BigDecimal("0.01")).toPlainString();
        case HealthcareReasons.PATIENT_RESPONSIBILITY_MISMATCH ->
            f[18] = new BigDecimal(f[18]).add(new BigDecimal("0.01")).toPlainString();
        case HealthcareReasons.INVALID_NPI ->
            f[4] = f[4].substring(0, 9) + (char) ('0' + (f[4].charAt(9) - '0' + 1) % 10);
        case HealthcareReasons.INVALID_X12_VALUE -> f[0] = f[0] + "*A";
        case HealthcareReasons.SERVICE_AFTER_ADJUDICATION ->
            f[7] = LocalDate.parse(f[9]).plusDays(1 + rnd.nextInt(5)).toString();
        default -> throw new IllegalStateException("unplanned defect " + kind);
      }
      main.write(line(f));
      return 1;
    }
  }

  /**
   * Payments of about half the members with claims (partial, full, or more than owed), and of
   * the members without claims (all credit), dated in the 60 days up to the business date; bad
   * rows are extra rows.
   */
  private static long writePayments(Path file, SplittableRandom rnd, LocalDate businessDate,
      int members, int withClaims, Map<String, BigDecimal> owed, double badRate,
      SortedMap<String, Long> planted) throws IOException {
    List<String[]> good = new ArrayList<>();
    long next = 1;
    long kinds = 0;
    for (int n = 1; n <= members; n++) {
      String patient = member(n);
      BigDecimal due = owed.getOrDefault(patient, BigDecimal.ZERO);
      List<BigDecimal> amounts = new ArrayList<>();
      if (n > withClaims || due.signum() == 0) {
        if (n > withClaims || rnd.nextInt(4) == 0) {
          amounts.add(BigDecimal.valueOf(1_000 + rnd.nextInt(9_001), 2)); // nothing open: a credit
        }
      } else if (rnd.nextBoolean()) {
        BigDecimal total = switch ((int) (kinds++ % 3)) {
          case 0 -> due.multiply(BigDecimal.valueOf(10 + rnd.nextInt(81))).divide(BigDecimal.valueOf(100), 2, RoundingMode.DOWN);
          case 1 -> due;
          default -> due.add(BigDecimal.valueOf(500 + rnd.nextInt(4_501), 2));
        };
        // Sometimes in two instalments.
        if (total.compareTo(new BigDecimal("2.00")) >= 0 && rnd.nextBoolean()) {
          BigDecimal first = total.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN);
          amounts.add(first);
          amounts.add(total.subtract(first));
        } else if (total.signum() > 0) {
          amounts.add(total);
        }
      }
      for (BigDecimal amount : amounts) {
        good.add(new String[] {
          String.format("PAY-%07d", next++), patient,
          businessDate.minusDays(rnd.nextInt(61)).toString(), amount.toPlainString()
        });
      }
    }
    long rows = 0;
    long cursor = 0;
    try (BufferedWriter w = writer(file)) {
      w.write(String.join(",", BillingPayment.COLUMNS) + "\n");
      for (int i = 0; i < good.size(); i++) {
        w.write(String.join(",", good.get(i)) + "\n");
        rows++;
        if (badRate > 0 && rnd.nextDouble() < badRate) {
          String kind = PAYMENT_DEFECTS.get((int) (cursor++ % PAYMENT_DEFECTS.size()));
          String[] f = {String.format("PAY-%07d", next++), good.get(i)[1],
              businessDate.minusDays(rnd.nextInt(61)).toString(), "25.00"};
          switch (kind) {
            case Reasons.MISSING_FIELD -> f[1] = "";
            case Reasons.INVALID_NUMBER -> f[3] = "25.0O";
            case Reasons.INVALID_DATE -> f[2] = businessDate.getYear() + "-13-01";
            case HealthcareReasons.NON_POSITIVE_PAYMENT -> f[3] = rnd.nextBoolean() ? "0.00" : "-25.00";
            case HealthcareReasons.PAYMENT_AFTER_BUSINESS_DATE -> f[2] = businessDate.plusDays(1 + rnd.nextInt(5)).toString();
            case HealthcareReasons.DUPLICATE_PAYMENT_ID -> f[0] = good.get(i)[0]; // the earlier one is kept
            default -> throw new IllegalStateException("unplanned defect " + kind);
          }
          planted.merge(kind, 1L, Long::sum);
          w.write(String.join(",", f) + "\n");
          rows++;
        }
      }
    }
    return rows;
  }

  private static long days(LocalDate from, LocalDate to) {
    return java.time.temporal.ChronoUnit.DAYS.between(from, to);
  }

  private static String line(String[] fields) {
    return String.join(",", fields) + "\n";
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
  }
}
