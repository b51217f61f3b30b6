package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Npi;
import dev.nightshift.schemas.healthcare.Carc;
import dev.nightshift.schemas.healthcare.FeeScheduleEntry;
import dev.nightshift.schemas.healthcare.HealthPlan;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.MemberCoverage;
import dev.nightshift.schemas.Reasons;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Generates claims-adjudication's input ({@code healthcare-claims}): {@code size} claim lines in
 * {@code claims/}, mostly Bulk FHIR NDJSON ({@code claims-NNNN.ndjson}, 50,000 claims a file), the
 * members numbered 20k and 20k+1 in Synthea-style transaction bundles ({@code bundle-NNNN.json},
 * Patient, Coverage and Practitioner entries with {@code urn:uuid:} references, SNOMED encounters
 * and CVX vaccines, local times with offsets, float noise in totals) and 20k+1 ... in X12 837P
 * ({@code claims-NNNN.837/.edi/.x12}, one transaction per claim, separators {@code * : ~} or
 * {@code | > newline} by file), plus {@code members.csv}, {@code plans.csv}, {@code
 * fee_schedule.csv} and {@code generation.json}. Streamed: memory does not grow with {@code size}.
 *
 * <p>Members {@code M0000001..M<m>}, m = max(20, size / 10), each covered from before the service
 * window (the 400 days before the business date, which always crosses a plan year) with no end;
 * every tenth changes plan in the middle of the window. Claim slot c belongs to member c mod m,
 * its round r = c / m; its service date is {@code start + (131 m + 97 r) mod 400}, distinct for
 * each round of a member, and its lines have distinct codes: no two good lines are duplicates by
 * chance. Received within the plan's timely filing limit. Providers are NPIs with a valid check
 * digit.
 *
 * <p>With probability {@code badRate} a claim slot is planted, kinds in turn ({@link Kind}; a kind
 * that cannot apply to the slot waits for the next): no member id, no received date, no service
 * date, a line without charge or procedure code (CARC 16), an unknown member (31), a service
 * before coverage (27), a resubmission of the last good claim under a new id (18), received after
 * the timely filing limit (29), a non-covered or unlisted code (96); a claim sent twice under one
 * id (DUPLICATE_CLAIM_ID), a Claim with an invalid date or an X12 claim with a line number 0
 * (MALFORMED_CLAIM), and, as extra NDJSON lines, a truncated JSON line (MALFORMED_JSON) and a
 * Patient resource (NOT_A_CLAIM). {@code generation.json} counts dead letters per reason and
 * denied lines per CARC ({@code CARC-16} ...); {@code expectedValidRecords} is the number of
 * adjudicated lines.
 *
 * <p>Knob {@code --formats ndjson,bundle,x12} (default all three): the claim formats written. A
 * member whose format is left out has their claims in Bulk FHIR NDJSON instead (professional style,
 * a malformed claim by an invalid date), so {@code --formats ndjson} writes every claim as one NDJSON
 * line, the form the benchmark's SQL engines read (W2). Without the knob the output is unchanged.
 */
public final class ClaimsGenerator implements DatasetGenerator {

  public static final String NAME = "healthcare-claims";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2026, 11, 25);
  public static final String REPORT_FILE = "generation.json";
  public static final String CLAIMS_DIR = "claims";
  public static final String PAYER = "NIGHTSHIFT-HEALTH";
  public static final String X12_PAYER = "NSHP1";
  public static final String MEMBER_SYSTEM = "https://health.nightshift.dev/fhir/member-id";
  static final int WINDOW_DAYS = 400;
  static final int NDJSON_CLAIMS_PER_FILE = 50_000;
  static final int BUNDLE_CLAIMS_PER_FILE = 250;
  static final int X12_CLAIMS_PER_FILE = 500;
  /** The knob naming the claim formats written: {@code ndjson}, {@code bundle}, {@code x12} (comma-separated). */
  public static final String FORMATS_PARAM = "formats";

  /** Planted cases, in turn. */
  public enum Kind {
    MISSING_MEMBER, UNKNOWN_MEMBER, NOT_COVERED, DUPLICATE, LATE, NON_COVERED, MISSING_CHARGE,
    MISSING_PROCEDURE, MISSING_SERVICE_DATE, MISSING_RECEIVED_DATE, DUPLICATE_CLAIM_ID, MALFORMED_JSON,
    NOT_A_CLAIM, MALFORMED_CLAIM
  }

  /** plan_id, deductible, coinsurance_rate, copay, oop_max, timely_filing_days. */
  static final String[][] PLANS = {
    {"PLAN-BRONZE", "1500.00", "0.30", "40.00", "3000.00", "90"},
    {"PLAN-SILVER", "750.00", "0.20", "25.00", "2500.00", "120"},
    {"PLAN-GOLD", "250.00", "0.10", "15.00", "1500.00", "180"}
  };

  private record Fee(String code, String system, String description, long cents) {}

  private static Fee cpt(String code, String description, long cents) {
    return new Fee(code, code.matches("\\d{4}[0-9A-Z]") ? FhirClaims.CPT : FhirClaims.HCPCS, description, cents);
  }

  static final Fee[] OFFICE = {
    cpt("99202", "Office visit, new patient, 15-29 minutes", 7500), cpt("99203", "Office visit, new patient, 30-44 minutes", 11000),
    cpt("99204", "Office visit, new patient, 45-59 minutes", 16500), cpt("99212", "Office visit, 10-19 minutes", 5500),
    cpt("99213", "Office visit, 20-29 minutes", 9200), cpt("99214", "Office visit, 30-39 minutes", 13100),
    cpt("99215", "Office visit, 40-54 minutes", 18500), cpt("99385", "Preventive visit, 18-39 years", 15000),
    cpt("99395", "Periodic preventive visit, 18-39 years", 14000), cpt("80053", "Comprehensive metabolic panel", 1400),
    cpt("80061", "Lipid panel", 1800), cpt("85025", "Complete blood count", 1050), cpt("36415", "Venipuncture", 300),
    cpt("81002", "Urinalysis", 400), cpt("87880", "Strep A test", 1600), cpt("71046", "Chest X-ray, 2 views", 2800),
    cpt("73030", "Shoulder X-ray", 3000), cpt("93000", "Electrocardiogram", 1700),
    cpt("97110", "Therapeutic exercise, 15 minutes", 3100), cpt("97140", "Manual therapy, 15 minutes", 2800),
    cpt("90471", "Immunization administration", 2500), cpt("90686", "Influenza vaccine, quadrivalent", 2200),
    cpt("20610", "Arthrocentesis, major joint", 6500), cpt("11102", "Skin biopsy", 9500),
    cpt("12001", "Simple repair of a wound", 12000), cpt("J1100", "Injection, dexamethasone, 1 mg", 15),
    cpt("J3301", "Injection, triamcinolone, 10 mg", 200)
  };
  static final Fee[] EXPENSIVE = {
    cpt("70551", "MRI brain", 42000), cpt("72148", "MRI lumbar spine", 41000), cpt("29881", "Knee arthroscopy", 95000),
    cpt("45378", "Colonoscopy", 36000), cpt("27447", "Total knee arthroplasty", 145000),
    cpt("27130", "Total hip arthroplasty", 420000), cpt("33533", "Coronary artery bypass", 560000)
  };
  static final Fee[] ENCOUNTERS = {
    new Fee("185349003", FhirClaims.SNOMED, "Encounter for check up", 12000),
    new Fee("162673000", FhirClaims.SNOMED, "General examination of patient", 12916),
    new Fee("410620009", FhirClaims.SNOMED, "Well child visit", 12916),
    new Fee("185345009", FhirClaims.SNOMED, "Encounter for symptom", 8500),
    new Fee("50849002", FhirClaims.SNOMED, "Emergency room admission", 78000)
  };
  static final Fee[] VACCINES = {
    new Fee("140", FhirClaims.CVX, "Influenza, seasonal, injectable, preservative free", 2000),
    new Fee("08", FhirClaims.CVX, "Hep B, adolescent or pediatric", 4500), new Fee("10", FhirClaims.CVX, "IPV", 3800),
    new Fee("20", FhirClaims.CVX, "DTaP", 3200), new Fee("49", FhirClaims.CVX, "Hib (PRP-OMP)", 2800),
    new Fee("03", FhirClaims.CVX, "MMR", 7000), new Fee("83", FhirClaims.CVX, "Hep A, ped/adol, 2 dose", 4000),
    new Fee("115", FhirClaims.CVX, "Tdap", 4200), new Fee("113", FhirClaims.CVX, "Td (adult) preservative free", 3000),
    new Fee("114", FhirClaims.CVX, "Meningococcal MCV4P", 11000),
    new Fee("133", FhirClaims.CVX, "Pneumococcal conjugate PCV 13", 19000)
  };
  /** In the fee schedule with covered = N. */
  static final Fee[] NOT_COVERED_FEES = {
    cpt("15780", "Dermabrasion, total face", 60000), cpt("97810", "Acupuncture, 15 minutes", 3500),
    new Fee("21", FhirClaims.CVX, "Varicella", 11500)
  };
  /** Not in the fee schedule at all. */
  static final Fee[] UNLISTED = {
    cpt("99499", "Unlisted evaluation and management service", 15000), new Fee("62", FhirClaims.CVX, "HPV, quadrivalent", 16000)
  };
  static final String[] DIAGNOSES = {"J06.9", "I10", "E11.9", "M54.50", "Z00.00", "Z23", "J02.9", "K21.9"};
  static final String[] FAMILIES = {"Abbott", "Barrows", "Carroll", "Dickens", "Fahey", "Hartmann", "Keeling",
    "Lindgren", "Nolan", "Okuneva", "Quigley", "Schmitt", "Upton", "Walsh", "Zulauf"};
  static final String[] GIVEN = {"Arthur", "Beatrice", "Carlos", "Dorothy", "Edward", "Florence", "George",
    "Helen", "Isaac", "Joanna", "Kevin", "Lucille", "Martin", "Natalie", "Oscar", "Pauline"};

  private static final DateTimeFormatter D8 = DateTimeFormatter.BASIC_ISO_DATE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Claims (FHIR NDJSON, Synthea-style bundles, X12 837P), members, plans and fee schedule for"
        + " claims-adjudication (seeded; plants every CARC and reading error)";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Path claimsDir = Files.createDirectories(out.resolve(CLAIMS_DIR));
    SplittableRandom root = new SplittableRandom(request.seed());
    SplittableRandom refRandom = root.split();
    SplittableRandom claimRandom = root.split();
    int members = (int) Math.max(20, request.size() / 10);
    LocalDate windowStart = businessDate.minusDays(WINDOW_DAYS);

    List<String> providers = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int providerCount = (int) Math.max(5, Math.min(200, request.size() / 300));
    while (providers.size() < providerCount) {
      String npi = Npi.withCheckDigit("1" + String.format(Locale.ROOT, "%08d", refRandom.nextInt(100_000_000)));
      if (seen.add(npi)) {
        providers.add(npi);
      }
    }
    SortedMap<String, Long> rows = new TreeMap<>();
    rows.put(ClaimsAdjudication.MEMBERS_FILE, writeMembers(out.resolve(ClaimsAdjudication.MEMBERS_FILE), members, windowStart));
    rows.put(ClaimsAdjudication.PLANS_FILE, writePlans(out.resolve(ClaimsAdjudication.PLANS_FILE)));
    rows.put(ClaimsAdjudication.FEES_FILE, writeFees(out.resolve(ClaimsAdjudication.FEES_FILE)));

    SortedMap<String, Long> planted = new TreeMap<>();
    Set<String> formats = formats(request.params().get(FORMATS_PARAM));
    try (Claims claims = new Claims(claimsDir, claimRandom, businessDate, windowStart, members, providers,
        request.badRate(), planted, formats.contains("bundle"), formats.contains("x12"))) {
      claims.write(request.size());
      rows.put(CLAIMS_DIR + "/*.ndjson", claims.ndjson.rows);
      rows.put(CLAIMS_DIR + "/*.json", claims.bundle.rows);
      rows.put(CLAIMS_DIR + "/*.837 .edi .x12", claims.x12.rows);
      rows.put("claim lines", claims.lines);
      GenerationReport report = new GenerationReport(NAME, businessDate, request.size(), request.seed(),
          request.badRate(), rows, planted, claims.lines - claims.deadLines);
      Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
      return report;
    }
  }

  /** The formats of {@link #FORMATS_PARAM} (null: all three); NDJSON is always among them. */
  static Set<String> formats(String param) {
    Set<String> all = Set.of("ndjson", "bundle", "x12");
    if (param == null) {
      return all;
    }
    Set<String> out = new HashSet<>();
    for (String f : param.split(",")) {
      String name = f.trim().toLowerCase(Locale.ROOT);
      if (!all.contains(name)) {
        throw new IllegalArgumentException("--" + FORMATS_PARAM + ": no claim format '" + f.trim() + "' (ndjson, bundle, x12)");
      }
      out.add(name);
    }
    if (!out.contains("ndjson")) {
      throw new IllegalArgumentException("--" + FORMATS_PARAM + " must include ndjson (the format a left-out one falls back to)");
    }
    return out;
  }

  static String member(int n) {
    return String.format(Locale.ROOT, "M%07d", n);
  }

  static LocalDate coverageStart(int m, LocalDate windowStart) {
    return windowStart.minusDays(1 + m % 90);
  }

  /** Every tenth member changes plan within the window: the day the second plan starts. */
  static LocalDate planChange(int m, LocalDate windowStart) {
    return m % 10 == 3 ? windowStart.plusDays(150 + m % 60) : null;
  }

  static int plan(int m, LocalDate day, LocalDate windowStart) {
    LocalDate change = planChange(m, windowStart);
    return change != null && !day.isBefore(change) ? (m + 1) % PLANS.length : m % PLANS.length;
  }

  private static long writeMembers(Path file, int members, LocalDate windowStart) throws IOException {
    long rows = 0;
    try (BufferedWriter w = writer(file)) {
      w.write(String.join(",", MemberCoverage.COLUMNS) + "\n");
      for (int m = 1; m <= members; m++) {
        String birth = LocalDate.of(1940, 1, 1).plusDays((m * 7919L) % 25_000).toString();
        String gender = m % 2 == 0 ? "female" : "male";
        LocalDate start = coverageStart(m, windowStart);
        LocalDate change = planChange(m, windowStart);
        if (change == null) {
          w.write(String.join(",", member(m), PLANS[m % PLANS.length][0], start.toString(), "", birth, gender) + "\n");
          rows++;
        } else {
          w.write(String.join(",", member(m), PLANS[m % PLANS.length][0], start.toString(),
              change.minusDays(1).toString(), birth, gender) + "\n");
          w.write(String.join(",", member(m), PLANS[(m + 1) % PLANS.length][0], change.toString(), "", birth, gender) + "\n");
          rows += 2;
        }
      }
    }
    return rows;
  }

  private static long writePlans(Path file) throws IOException {
    try (BufferedWriter w = writer(file)) {
      w.write(String.join(",", HealthPlan.COLUMNS) + "\n");
      for (String[] p : PLANS) {
        w.write(String.join(",", p) + "\n");
      }
    }
    return PLANS.length;
  }

  private static long writeFees(Path file) throws IOException {
    long rows = 0;
    try (BufferedWriter w = writer(file)) {
      w.write(String.join(",", FeeScheduleEntry.COLUMNS) + "\n");
      for (Fee[] group : new Fee[][] {OFFICE, EXPENSIVE, ENCOUNTERS, VACCINES, NOT_COVERED_FEES}) {
        for (Fee f : group) {
          String covered = group == NOT_COVERED_FEES ? "N" : "Y";
          w.write(dev.nightshift.pipelines.core.Csv.line(f.code(), f.description(), money(f.cents()), covered) + "\n");
          rows++;
        }
      }
    }
    return rows;
  }

  static String money(long cents) {
    long abs = Math.abs(cents);
    return (cents < 0 ? "-" : "") + abs / 100 + "." + (abs % 100 < 10 ? "0" : "") + abs % 100;
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
  }

  // ---------------------------------------------------------------------------------------------

  /** One generated line: a null service date or charge (-1) or empty code is missing. */
  private record Line(Fee fee, int units, long charge, LocalDate service, boolean noCode) {}

  /** One generated claim; memberId "" = missing, received null = missing. */
  private record Claim(String id, int member, String memberId, String provider, LocalDate received,
      String diagnosis, List<Line> lines, boolean invalidDate, boolean repeatedLine) {
    long total() {
      long sum = 0;
      for (Line l : lines) {
        sum += Math.max(0, l.charge());
      }
      return sum;
    }
  }

  /** A rotating writer of one format's files. */
  private abstract static class Files3 implements AutoCloseable {
    final Path dir;
    final int perFile;
    BufferedWriter w;
    int fileNo;
    int inFile;
    long rows;

    Files3(Path dir, int perFile) {
      this.dir = dir;
      this.perFile = perFile;
    }

    BufferedWriter next() throws IOException {
      if (w != null && inFile >= perFile) {
        finish();
        w.close();
        w = null;
      }
      if (w == null) {
        fileNo++;
        inFile = 0;
        w = writer(dir.resolve(fileName(fileNo)));
        start();
      }
      inFile++;
      return w;
    }

    abstract String fileName(int n);

    void start() throws IOException {}

    void finish() throws IOException {}

    @Override
    public void close() throws IOException {
      if (w != null) {
        finish();
        w.close();
      }
    }
  }

  /** Streams the claims of every format. */
  private static final class Claims implements AutoCloseable {
    final SplittableRandom rnd;
    final LocalDate businessDate;
    final LocalDate windowStart;
    final int members;
    final List<String> providers;
    final double badRate;
    final SortedMap<String, Long> planted;
    final Ndjson ndjson;
    final Bundles bundle;
    final X12 x12;
    final boolean bundles;
    final boolean x12s;
    long lines;
    long deadLines;
    long slot;
    long nextClaim = 1;
    long unknownMembers;
    int kindCursor;
    Claim lastGood;

    Claims(Path dir, SplittableRandom rnd, LocalDate businessDate, LocalDate windowStart, int members,
        List<String> providers, double badRate, SortedMap<String, Long> planted, boolean bundles, boolean x12s) {
      this.rnd = rnd;
      this.bundles = bundles;
      this.x12s = x12s;
      this.businessDate = businessDate;
      this.windowStart = windowStart;
      this.members = members;
      this.providers = providers;
      this.badRate = badRate;
      this.planted = planted;
      this.ndjson = new Ndjson(dir);
      this.bundle = new Bundles(dir);
      this.x12 = new X12(dir);
    }

    void write(long size) throws IOException {
      while (lines < size) {
        int m = (int) (slot % members) + 1;
        int round = (int) (slot / members);
        slot++;
        int count = (int) Math.min(1 + rnd.nextInt(4), size - lines);
        Kind kind = null;
        if (badRate > 0 && rnd.nextDouble() < badRate) {
          kind = Kind.values()[kindCursor % Kind.values().length];
        }
        LocalDate service = windowStart.plusDays(Math.floorMod(131L * m + 97L * round, WINDOW_DAYS));
        int plan = plan(m, service, windowStart);
        int timely = Integer.parseInt(PLANS[plan][5]);
        if (kind == Kind.DUPLICATE && (lastGood == null || lastGood.lines().size() > size - lines)) {
          kind = null; // waits for a good claim to copy (that fits)
        }
        if (kind == Kind.LATE && service.plusDays(timely + 11L).isAfter(businessDate)) {
          kind = null; // waits for a service early enough to be late before the business date
        }
        if (kind != null) {
          kindCursor++;
        }
        if (kind == Kind.DUPLICATE) {
          Claim orig = lastGood;
          LocalDate received = orig.received().plusDays(1 + rnd.nextInt(5));
          Claim dup = new Claim(claimId(), orig.member(), orig.memberId(), orig.provider(),
              received.isAfter(businessDate) ? businessDate : received, orig.diagnosis(), orig.lines(), false, false);
          ndjson.claim(dup, ndjson.next());
          count(dup, Carc.DUPLICATE, dup.lines().size());
          continue;
        }
        if (kind == Kind.NOT_COVERED) {
          service = coverageStart(m, windowStart).minusDays(1 + round);
        }
        List<Line> claimLines = lines(m, count, service, format(m) == 0);
        LocalDate received = service.plusDays(rnd.nextInt(Math.min(30, timely) + 1));
        if (received.isAfter(businessDate)) {
          received = businessDate;
        }
        if (kind == Kind.LATE) {
          received = service.plusDays(timely + 1 + rnd.nextInt(10));
        }
        String memberId = member(m);
        if (kind == Kind.UNKNOWN_MEMBER) {
          memberId = member(members + 1 + (int) unknownMembers++);
        } else if (kind == Kind.MISSING_MEMBER) {
          memberId = "";
        }
        if (kind == Kind.MISSING_RECEIVED_DATE) {
          received = null;
        }
        int last = rnd.nextInt(claimLines.size()); // the line a line-level defect goes to
        if (kind == Kind.NON_COVERED) {
          Fee[] others = format(m) == 0 ? new Fee[] {NOT_COVERED_FEES[2], UNLISTED[1]}
              : new Fee[] {NOT_COVERED_FEES[0], NOT_COVERED_FEES[1], UNLISTED[0]};
          Fee f = others[rnd.nextInt(others.length)];
          claimLines.set(last, new Line(f, 1, charge(f.cents(), 1), service, false));
        } else if (kind == Kind.MISSING_CHARGE) {
          Line l = claimLines.get(last);
          claimLines.set(last, new Line(l.fee(), l.units(), -1, l.service(), false));
        } else if (kind == Kind.MISSING_PROCEDURE) {
          Line l = claimLines.get(last);
          claimLines.set(last, new Line(l.fee(), l.units(), l.charge(), l.service(), true));
        } else if (kind == Kind.MISSING_SERVICE_DATE) {
          claimLines.replaceAll(l -> new Line(l.fee(), l.units(), l.charge(), null, false));
        }
        Claim claim = new Claim(claimId(), m, memberId, providers.get(rnd.nextInt(providers.size())), received,
            DIAGNOSES[rnd.nextInt(DIAGNOSES.length)], claimLines, kind == Kind.MALFORMED_CLAIM && format(m) != 2,
            kind == Kind.MALFORMED_CLAIM && format(m) == 2);
        int copies = kind == Kind.DUPLICATE_CLAIM_ID ? 2 : 1;
        for (int i = 0; i < copies; i++) {
          switch (format(m)) {
            case 0 -> bundle.claim(claim, this);
            case 2 -> x12.claim(claim, this);
            default -> ndjson.claim(claim, ndjson.next());
          }
        }
        lines += (long) claimLines.size() * (copies - 1);
        if (kind == null || kind == Kind.MALFORMED_JSON || kind == Kind.NOT_A_CLAIM) {
          lastGood = claim;
          lines += claimLines.size();
          if (kind == Kind.MALFORMED_JSON) {
            String text = ndjson.text(claim);
            ndjson.extra(text.substring(0, text.length() / 2));
            planted.merge(Reasons.MALFORMED_JSON, 1L, Long::sum);
          } else if (kind == Kind.NOT_A_CLAIM) {
            ndjson.extra("{\"resourceType\":\"Patient\",\"id\":\"" + member(m) + "\",\"identifier\":[{\"system\":\""
                + MEMBER_SYSTEM + "\",\"value\":\"" + member(m) + "\"}],\"gender\":\"unknown\"}");
            planted.merge(HealthcareReasons.NOT_A_CLAIM, 1L, Long::sum);
          }
          continue;
        }
        switch (kind) {
          case DUPLICATE_CLAIM_ID -> {
            lines += claimLines.size();
            deadLines += claimLines.size();
            planted.merge(HealthcareReasons.DUPLICATE_CLAIM_ID, 1L, Long::sum);
          }
          case MALFORMED_CLAIM -> {
            lines += claimLines.size();
            deadLines += claimLines.size();
            planted.merge(HealthcareReasons.MALFORMED_CLAIM, 1L, Long::sum);
          }
          case UNKNOWN_MEMBER -> count(claim, Carc.NOT_OUR_INSURED, claimLines.size());
          case NOT_COVERED -> count(claim, Carc.NOT_COVERED_ON_DATE, claimLines.size());
          case LATE -> count(claim, Carc.TIMELY_FILING, claimLines.size());
          case NON_COVERED -> count(claim, Carc.NON_COVERED, 1);
          case MISSING_CHARGE, MISSING_PROCEDURE -> count(claim, Carc.MISSING_INFORMATION, 1);
          default -> count(claim, Carc.MISSING_INFORMATION, claimLines.size()); // member, dates
        }
      }
    }

    private void count(Claim claim, String carc, int denied) {
      lines += claim.lines().size();
      planted.merge("CARC-" + carc, (long) denied, Long::sum);
    }

    /** 0 bundle, 1 NDJSON, 2 X12, by member (NDJSON for a member whose format is not written). */
    int format(int m) {
      int f = m % 20 == 0 ? 0 : m % 20 == 1 ? 2 : 1;
      return (f == 0 && !bundles) || (f == 2 && !x12s) ? 1 : f;
    }

    String claimId() {
      return String.format(Locale.ROOT, "CLM-%08d", nextClaim++);
    }

    /** Lines with distinct codes: office codes (1 in 10 an expensive one), or an encounter and vaccines. */
    List<Line> lines(int m, int count, LocalDate service, boolean bundleStyle) {
      List<Line> out = new ArrayList<>();
      Set<String> codes = new HashSet<>();
      while (out.size() < count) {
        Fee f;
        if (bundleStyle) {
          f = out.isEmpty() ? ENCOUNTERS[rnd.nextInt(ENCOUNTERS.length)] : VACCINES[rnd.nextInt(VACCINES.length)];
        } else {
          f = rnd.nextInt(10) == 0 ? EXPENSIVE[rnd.nextInt(EXPENSIVE.length)] : OFFICE[rnd.nextInt(OFFICE.length)];
        }
        if (!codes.add(f.code())) {
          continue;
        }
        int units = switch (f.code()) {
          case "97110", "97140", "36415" -> 1 + rnd.nextInt(3);
          case "J1100" -> 4 + rnd.nextInt(7);
          case "J3301" -> 1 + rnd.nextInt(4);
          default -> 1;
        };
        out.add(new Line(f, units, charge(f.cents(), units), service, false));
      }
      return out;
    }

    /** What a provider bills: 1 to 2.5 times the fee schedule, sometimes exactly it or less. */
    long charge(long allowedCents, int units) {
      long base = allowedCents * units;
      int mode = rnd.nextInt(20);
      long percent = mode < 2 ? 100 : mode == 2 ? 80 + rnd.nextInt(20) : 100 + rnd.nextInt(151);
      return (base * percent + 50) / 100;
    }

    @Override
    public void close() throws IOException {
      try (ndjson; bundle; x12) {
        // closes all three
      }
    }
  }

  // --------------------------------------------------------------------------------------------- NDJSON

  private static final class Ndjson extends Files3 {
    Ndjson(Path dir) {
      super(dir, NDJSON_CLAIMS_PER_FILE);
    }

    @Override
    String fileName(int n) {
      return String.format(Locale.ROOT, "claims-%04d.ndjson", n);
    }

    void claim(Claim c, BufferedWriter out) throws IOException {
      out.write(text(c));
      out.write('\n');
      rows++;
    }

    void extra(String line) throws IOException {
      next().write(line + "\n");
      inFile--;
      rows++;
    }

    String text(Claim c) {
      return fhirClaim(c, false, c.memberId().isEmpty() ? null : "Patient/" + c.memberId(),
          "{\"identifier\":{\"system\":\"" + FhirClaims.NPI + "\",\"value\":\"" + c.provider() + "\"}}",
          "{\"reference\":\"Coverage/COV-" + (c.memberId().isEmpty() ? "UNKNOWN" : c.memberId()) + "\",\"display\":\""
              + PAYER + "\"}",
          money(c.total()));
    }
  }

  /**
   * A Claim on one line: Bulk FHIR style (professional, dates, a diagnosis code, CPT codes,
   * quantities) or Synthea style ({@code bundleStyle}: institutional, dateTimes with an offset,
   * codings with display and text, no quantity). A null patient reference leaves the patient out.
   */
  static String fhirClaim(Claim c, boolean bundleStyle, String patient, String provider, String coverage, String total) {
    String time = bundleStyle ? "T09:15:00-05:00" : "";
    StringBuilder b = new StringBuilder(1024);
    b.append("{\"resourceType\":\"Claim\",\"id\":\"").append(c.id()).append("\",\"status\":\"active\",")
        .append("\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/claim-type\",\"code\":\"")
        .append(bundleStyle ? "institutional" : "professional").append("\"}]},\"use\":\"claim\",");
    if (patient != null) {
      b.append("\"patient\":{\"reference\":\"").append(patient).append("\"},");
    }
    LocalDate service = c.lines().get(0).service();
    if (service != null) {
      b.append("\"billablePeriod\":{\"start\":\"").append(service).append(time).append("\",\"end\":\"").append(service)
          .append(bundleStyle ? "T09:45:00-05:00" : "").append("\"},");
    }
    if (c.invalidDate()) {
      b.append("\"created\":\"").append(businessYear(c)).append("-13-01").append(bundleStyle ? "T10:00:00-05:00" : "").append("\",");
    } else if (c.received() != null) {
      // Synthea style: late in the evening at -05:00, in UTC the next day; the claim's date is the one written
      b.append("\"created\":\"").append(c.received()).append(bundleStyle ? "T22:30:00-05:00" : "").append("\",");
    }
    b.append("\"provider\":").append(provider).append(",")
        .append("\"priority\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/processpriority\",\"code\":\"normal\"}]},")
        .append("\"insurance\":[{\"sequence\":1,\"focal\":true,\"coverage\":").append(coverage).append("}],");
    if (!bundleStyle) {
      b.append("\"diagnosis\":[{\"sequence\":1,\"diagnosisCodeableConcept\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"")
          .append(c.diagnosis()).append("\"}]}}],");
    }
    b.append("\"item\":[");
    for (int i = 0; i < c.lines().size(); i++) {
      Line l = c.lines().get(i);
      b.append(i == 0 ? "" : ",").append("{\"sequence\":").append(i + 1).append(",\"productOrService\":");
      if (l.noCode()) {
        b.append("{\"text\":\"").append(l.fee().description()).append("\"}");
      } else {
        b.append("{\"coding\":[{\"system\":\"").append(l.fee().system()).append("\",\"code\":\"").append(l.fee().code());
        b.append(bundleStyle ? "\",\"display\":\"" + l.fee().description() + "\"}],\"text\":\"" + l.fee().description() + "\"}" : "\"}]}");
      }
      if (l.service() != null && bundleStyle) {
        b.append(",\"servicedPeriod\":{\"start\":\"").append(l.service()).append(time).append("\",\"end\":\"")
            .append(l.service()).append("T09:45:00-05:00\"}");
      } else if (l.service() != null) {
        b.append(",\"servicedDate\":\"").append(l.service()).append('"');
      }
      if (!bundleStyle) {
        b.append(",\"quantity\":{\"value\":").append(l.units()).append('}');
      }
      if (l.charge() >= 0) {
        b.append(",\"net\":{\"value\":").append(money(l.charge())).append(",\"currency\":\"USD\"}");
      }
      b.append('}');
    }
    return b.append("],\"total\":{\"value\":").append(total).append(",\"currency\":\"USD\"}}").toString();
  }

  private static int businessYear(Claim c) {
    return c.lines().get(0).service() == null ? 2026 : c.lines().get(0).service().getYear();
  }

  // --------------------------------------------------------------------------------------------- bundles

  /** Synthea-style transaction bundles, one entry a line; each bundle holds the members it needs. */
  private static final class Bundles extends Files3 {
    final Set<String> inBundle = new HashSet<>();
    boolean firstEntry;

    Bundles(Path dir) {
      super(dir, BUNDLE_CLAIMS_PER_FILE);
    }

    @Override
    String fileName(int n) {
      return String.format(Locale.ROOT, "bundle-%04d.json", n);
    }

    @Override
    void start() throws IOException {
      inBundle.clear();
      firstEntry = true;
      w.write("{\"resourceType\":\"Bundle\",\"id\":\"" + uuid("bundle/" + fileNo) + "\",\"type\":\"transaction\",\"entry\":[\n");
    }

    @Override
    void finish() throws IOException {
      w.write("\n]}\n");
    }

    private void entry(String fullUrl, String resource, String type) throws IOException {
      w.write(firstEntry ? "" : ",\n");
      firstEntry = false;
      w.write("{\"fullUrl\":\"urn:uuid:" + fullUrl + "\",\"resource\":" + resource
          + ",\"request\":{\"method\":\"POST\",\"url\":\"" + type + "\"}}");
    }

    void claim(Claim c, Claims gen) throws IOException {
      next();
      String patient = uuid("patient/" + c.memberId());
      String coverage = uuid("coverage/" + c.memberId());
      String practitioner = uuid("practitioner/" + c.provider());
      if (!c.memberId().isEmpty() && inBundle.add(patient)) {
        int m = c.member();
        entry(patient, "{\"resourceType\":\"Patient\",\"id\":\"" + c.memberId() + "\",\"identifier\":[{\"system\":\""
            + MEMBER_SYSTEM + "\",\"value\":\"" + c.memberId() + "\"}],\"name\":[{\"use\":\"official\",\"family\":\""
            + FAMILIES[m % FAMILIES.length] + "\",\"given\":[\"" + GIVEN[m % GIVEN.length] + "\"]}],\"gender\":\""
            + (m % 2 == 0 ? "female" : "male") + "\"}", "Patient");
        entry(coverage, "{\"resourceType\":\"Coverage\",\"id\":\"" + coverage + "\",\"status\":\"active\",\"beneficiary\":"
            + "{\"reference\":\"urn:uuid:" + patient + "\"},\"payor\":[{\"display\":\"" + PAYER + "\"}]}", "Coverage");
      }
      if (inBundle.add(practitioner)) {
        entry(practitioner, "{\"resourceType\":\"Practitioner\",\"id\":\"" + practitioner + "\",\"identifier\":[{\"system\":\""
            + FhirClaims.NPI + "\",\"value\":\"" + c.provider() + "\"}]}", "Practitioner");
      }
      // Synthea's totals carry binary floating-point noise (410.20000000000005): rounded to cents on read
      String total = money(c.total()) + (gen.nextClaim % 7 == 0 ? "00000000001" : "");
      String claim = fhirClaim(c, true, c.memberId().isEmpty() ? null : "urn:uuid:" + patient,
          "{\"reference\":\"urn:uuid:" + practitioner + "\"}", "{\"reference\":\"urn:uuid:" + coverage + "\"}", total);
      entry(uuid("claim/" + c.id() + "/" + rows), claim, "Claim");
      rows++;
    }
  }

  static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  // --------------------------------------------------------------------------------------------- X12

  /**
   * X12 837P files: one interchange and group a file, one transaction a claim (its BHT04 is the
   * received date). Odd files use {@code * : ~} and a line break after each segment, even ones
   * {@code | >} with a line break as the segment terminator, as ISA declares it.
   */
  private static final class X12 extends Files3 {
    char element;
    char component;
    String terminator;
    int transactions;

    X12(Path dir) {
      super(dir, X12_CLAIMS_PER_FILE);
    }

    @Override
    String fileName(int n) {
      return String.format(Locale.ROOT, "claims-%04d.%s", n, new String[] {"837", "edi", "x12"}[n % 3]);
    }

    @Override
    void start() throws IOException {
      boolean odd = fileNo % 2 == 1;
      element = odd ? '*' : '|';
      component = odd ? ':' : '>';
      terminator = odd ? "~\n" : "\n";
      transactions = 0;
      String control = String.format(Locale.ROOT, "%09d", fileNo);
      seg("ISA", "00", "          ", "00", "          ", "ZZ", pad("NSCLEARINGHOUSE", 15), "ZZ", pad(X12_PAYER, 15),
          "261125", "0100", "^", "00501", control, "0", "P", String.valueOf(component));
      seg("GS", "HC", "NSCLEARINGHOUSE", X12_PAYER, "20261125", "0100", Integer.toString(fileNo), "X", "005010X222A1");
    }

    @Override
    void finish() throws IOException {
      seg("GE", Integer.toString(transactions), Integer.toString(fileNo));
      seg("IEA", "1", String.format(Locale.ROOT, "%09d", fileNo));
    }

    private static String pad(String s, int n) {
      return String.format(Locale.ROOT, "%-" + n + "s", s);
    }

    private void seg(String tag, String... elements) throws IOException {
      StringBuilder b = new StringBuilder(tag);
      int last = elements.length;
      while (last > 0 && elements[last - 1].isEmpty()) {
        last--;
      }
      for (int i = 0; i < last; i++) {
        b.append(element).append(elements[i]);
      }
      w.write(b.append(terminator).toString());
    }

    void claim(Claim c, Claims gen) throws IOException {
      next();
      transactions++;
      String st = String.format(Locale.ROOT, "%04d", transactions);
      List<String[]> s = new ArrayList<>();
      s.add(new String[] {"ST", "837", st, "005010X222A1"});
      s.add(new String[] {"BHT", "0019", "00", c.id(), c.received() == null ? "" : c.received().format(D8), "0100", "CH"});
      s.add(new String[] {"NM1", "41", "2", "NIGHTSHIFT CLEARINGHOUSE", "", "", "", "", "46", "NSCH1"});
      s.add(new String[] {"PER", "IC", "EDI DESK", "TE", "8005550100"});
      s.add(new String[] {"NM1", "40", "2", "NIGHTSHIFT HEALTH", "", "", "", "", "46", X12_PAYER});
      s.add(new String[] {"HL", "1", "", "20", "1"});
      s.add(new String[] {"PRV", "BI", "PXC", "207Q00000X"});
      s.add(new String[] {"NM1", "85", "2", "PROVIDER " + c.provider(), "", "", "", "", "XX", c.provider()});
      s.add(new String[] {"N3", "1 MAIN ST"});
      s.add(new String[] {"N4", "SPRINGFIELD", "IL", "62701"});
      s.add(new String[] {"REF", "EI", "9" + c.provider().substring(2)});
      s.add(new String[] {"HL", "2", "1", "22", "0"});
      s.add(new String[] {"SBR", "P", "18", "", "", "", "", "", "", "CI"});
      int m = Math.max(c.member(), 0);
      s.add(c.memberId().isEmpty()
          ? new String[] {"NM1", "IL", "1", FAMILIES[m % FAMILIES.length].toUpperCase(Locale.ROOT), GIVEN[m % GIVEN.length].toUpperCase(Locale.ROOT)}
          : new String[] {"NM1", "IL", "1", FAMILIES[m % FAMILIES.length].toUpperCase(Locale.ROOT),
              GIVEN[m % GIVEN.length].toUpperCase(Locale.ROOT), "", "", "", "MI", c.memberId()});
      s.add(new String[] {"NM1", "PR", "2", "NIGHTSHIFT HEALTH", "", "", "", "", "PI", X12_PAYER});
      s.add(new String[] {"CLM", c.id(), money(c.total()), "", "", "11" + component + "B" + component + "1", "Y", "A", "Y", "Y"});
      s.add(new String[] {"HI", "ABK" + component + c.diagnosis().replace(".", "")});
      for (int i = 0; i < c.lines().size(); i++) {
        Line l = c.lines().get(i);
        // a malformed claim: its first line numbered 0
        s.add(new String[] {"LX", Integer.toString(c.repeatedLine() && i == 0 ? 0 : i + 1)});
        s.add(new String[] {"SV1", l.noCode() ? "HC" : "HC" + component + l.fee().code(),
            l.charge() < 0 ? "" : money(l.charge()), "UN", Integer.toString(l.units()), "", "", "1"});
        if (l.service() != null) {
          s.add(new String[] {"DTP", "472", "D8", l.service().format(D8)});
        }
      }
      s.add(new String[] {"SE", Integer.toString(s.size() + 1), st});
      for (String[] seg : s) {
        seg(seg[0], java.util.Arrays.copyOfRange(seg, 1, seg.length));
      }
      rows++;
    }
  }
}
