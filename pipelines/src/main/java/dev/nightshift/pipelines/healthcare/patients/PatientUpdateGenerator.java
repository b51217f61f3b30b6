package dev.nightshift.pipelines.healthcare.patients;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates two days of FHIR Patient updates for patient-records ({@code healthcare-patients}):
 * {@code patients_day1.ndjson} (the business date - 1, run without a master) and {@code
 * patients_day2.ndjson} (the business date, run on day 1's master), {@code size} lines in all,
 * half each, plus {@code generation.json}.
 *
 * <p>Members {@code M0000001}.. (m = max(20, size / 10), the README's generated identifiers) are
 * the patients: the member id is their MR identifier, with a {@code 999-xx-xxxx} SSN, a name from
 * small lists, a birth date (some over 89), and an address in a fixed ZIP (some in the restricted
 * 3-digit areas); the name, birth date, gender and ZIP never change, so that (family, given, birth
 * date, gender) is unique to a member. Day 1 registers about 80% of them, day 2 the rest. A normal
 * line registers a member or changes a registered member's phone or street address (always a new
 * version: lines' lastUpdated increase through the day). With probability {@code badRate} a line
 * is instead a planted case, kinds taken round-robin (skipping those that cannot apply yet):
 * malformed JSON, a non-Patient resource, a Patient without identity, without meta.lastUpdated, or
 * with an invalid gender code; an exact copy of an earlier line and an unchanged re-send
 * (duplicates); a pair of different updates with one lastUpdated (both conflicting); a member
 * arriving with only a new driver's licence number and the same demographics (linked in the batch
 * on day 1, matched by demographics on day 2); and on day 2, a stale update (older than day 1)
 * and one carrying one member's MR and another's SSN (ambiguous).
 *
 * <p>{@code generation.json} records per day ({@code day1/..}, {@code day2/..}) the dead letters
 * by reason, the expected new patients, new versions and duplicates, the demographic matches, and
 * the patients over 89 and in restricted ZIP areas in that day's extract.
 */
public final class PatientUpdateGenerator implements DatasetGenerator {

  public static final String NAME = "healthcare-patients";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2026, 11, 25);
  public static final String DAY1_FILE = "patients_day1.ndjson";
  public static final String DAY2_FILE = "patients_day2.ndjson";
  public static final String REPORT_FILE = "generation.json";

  public static final String MR_SYSTEM = "https://health.nightshift.dev/fhir/member-id";
  public static final String SSN_SYSTEM = PatientRules.SSN_SYSTEM;
  /** Synthea's driver's licence system (Massachusetts). */
  public static final String DL_SYSTEM = "urn:oid:2.16.840.1.113883.4.3.25";
  static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

  // Planted case names of generation.json (dead-letter reasons are the others).
  public static final String NEW_PATIENT = "new-patient";
  public static final String NEW_VERSION = "new-version";
  public static final String DUPLICATE = "duplicate";
  public static final String MATCHED_DEMOGRAPHICS = "matched-demographics";
  public static final String LINKED_NEW_IDENTIFIER = "linked-new-identifier";
  public static final String OVER_89 = "over-89-patients";
  public static final String RESTRICTED_ZIP = "restricted-zip-patients";

  enum Kind {
    MALFORMED_JSON,
    NOT_A_PATIENT,
    NO_IDENTITY,
    NO_LAST_UPDATED,
    INVALID_GENDER,
    EXACT_COPY,
    RESENT,
    CONFLICT_PAIR,
    NEW_IDENTIFIER,
    STALE,
    AMBIGUOUS
  }

  static final String[] FAMILIES = {
    "Abbott", "Barrows", "Carroll", "Dickens", "Emmerich", "Fahey", "Gislason", "Hartmann",
    "Ingram", "Jacobson", "Keeling", "Lindgren", "Marquardt", "Nolan", "Okuneva", "Pacocha",
    "Quigley", "Reinger", "Schmitt", "Torphy", "Upton", "Vandervort", "Walsh", "Yundt", "Zulauf"
  };
  static final String[] MALE = {
    "Arthur", "Benjamin", "Carlos", "Dennis", "Edward", "Frank", "George", "Harold", "Isaac",
    "Jerome", "Kevin", "Leonard", "Martin", "Norman", "Oscar", "Patrick", "Raymond", "Samuel"
  };
  static final String[] FEMALE = {
    "Abigail", "Beatrice", "Carmen", "Dorothy", "Evelyn", "Florence", "Grace", "Helen", "Irene",
    "Joanna", "Katherine", "Lucille", "Margaret", "Natalie", "Olivia", "Pauline", "Rosalind", "Sylvia"
  };
  static final String[] STREETS = {
    "Main Street", "Oak Avenue", "Cronin Station", "Maple Road", "Harbor Lane", "Elm Court",
    "Schoolhouse Road", "Mill Street", "Ridge Way", "Cedar Drive"
  };
  /** (city, state, ZIP); the first ones are in 3-digit areas of 20,000 people or fewer. */
  static final String[][] PLACES_RESTRICTED = {
    {"Acworth", "NH", "03601"}, {"Averill", "VT", "05901"}, {"Fishers Island", "NY", "06390"},
    {"Two Harbors", "MN", "55616"}, {"Valentine", "NE", "69201"}, {"Jackson", "WY", "83001"},
    {"Socorro", "NM", "87801"}, {"Ely", "NV", "89301"}
  };
  static final String[][] PLACES = {
    {"Woburn", "MA", "01801"}, {"Boston", "MA", "02118"}, {"Hartford", "CT", "06103"},
    {"Albany", "NY", "12207"}, {"Richmond", "VA", "23219"}, {"Raleigh", "NC", "27601"},
    {"Atlanta", "GA", "30303"}, {"Nashville", "TN", "37203"}, {"Columbus", "OH", "43215"},
    {"Madison", "WI", "53703"}, {"Springfield", "IL", "62701"}, {"Omaha", "NE", "68102"},
    {"Austin", "TX", "78701"}, {"Denver", "CO", "80202"}, {"Salt Lake City", "UT", "84101"},
    {"Phoenix", "AZ", "85004"}, {"Portland", "OR", "97201"}, {"Seattle", "WA", "98101"}
  };

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Recent good lines kept for exact copies. */
  static final int RING = 1024;

  /** A member as the generator knows it: fixed demographics and the content in force. */
  static final class Member {
    final int index;
    final String mr;
    final String ssn;
    final String dl;
    final String family;
    final String given;
    final String gender;
    final LocalDate birthDate;
    final String[] place;
    String phone;
    String line;
    /** The phone at the start of the day (the master's, for members registered before). */
    String dayStartPhone;
    boolean hasDl;
    /** Registered by a line already written (its first update will be applied). */
    boolean registered;
    /** Registered on day 1: in the master of day 2. */
    boolean inMaster;

    Member(int index, String family, String given, String gender, LocalDate birthDate, String[] place) {
      this.index = index;
      this.mr = String.format(Locale.ROOT, "M%07d", index);
      int permuted = (int) ((index * 7919L + 12345L) % 1_000_000L); // a bijection below 10^6
      String six = String.format(Locale.ROOT, "%06d", permuted);
      this.ssn = "999-" + six.substring(0, 2) + "-" + six.substring(2);
      this.dl = String.format(Locale.ROOT, "S%08d", 99_000_000 - index);
      this.family = family;
      this.given = given;
      this.gender = gender;
      this.birthDate = birthDate;
      this.place = place;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Two days of FHIR Patient updates (NDJSON) for patient-records: registrations, changes,"
        + " duplicates, conflicts, stale and ambiguous updates, malformed lines (seeded)";
  }

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    Path out = request.outDir();
    Files.createDirectories(out);
    SplittableRandom root = new SplittableRandom(request.seed());
    SplittableRandom memberRandom = root.split();
    SplittableRandom lineRandom = root.split();
    int m = (int) Math.max(20, request.size() / 10);
    List<Member> members = members(memberRandom, m, businessDate);

    SortedMap<String, Long> planted = new TreeMap<>();
    long day1Lines = request.size() / 2;
    long day2Lines = request.size() - day1Lines;
    int day1Quota = (int) Math.ceil(m * 0.8);
    Writer w = new Writer(lineRandom, members, request.badRate(), planted);
    w.day(out.resolve(DAY1_FILE), "day1", businessDate.minusDays(1), day1Lines, 0, day1Quota);
    w.day(out.resolve(DAY2_FILE), "day2", businessDate, day2Lines, day1Quota, m);

    SortedMap<String, Long> rows = new TreeMap<>();
    rows.put(DAY1_FILE, day1Lines);
    rows.put(DAY2_FILE, day2Lines);
    long accepted = planted.getOrDefault("day1/" + NEW_PATIENT, 0L)
        + planted.getOrDefault("day1/" + NEW_VERSION, 0L)
        + planted.getOrDefault("day2/" + NEW_PATIENT, 0L)
        + planted.getOrDefault("day2/" + NEW_VERSION, 0L);
    GenerationReport report = new GenerationReport(NAME, businessDate, request.size(), request.seed(),
        request.badRate(), rows, planted, accepted);
    Files.writeString(out.resolve(REPORT_FILE), report.toJson() + "\n", StandardCharsets.UTF_8);
    return report;
  }

  /** Members with distinct (family, given, birth date, gender); about 10% live in restricted areas. */
  static List<Member> members(SplittableRandom rnd, int count, LocalDate businessDate) {
    List<Member> members = new ArrayList<>(count);
    Set<String> demographics = new HashSet<>();
    LocalDate oldest = LocalDate.of(businessDate.getYear() - 99, 1, 1);
    int span = (int) (businessDate.minusYears(1).toEpochDay() - oldest.toEpochDay());
    for (int i = 1; i <= count; i++) {
      boolean male = rnd.nextBoolean();
      String family = FAMILIES[rnd.nextInt(FAMILIES.length)];
      String given = male ? MALE[rnd.nextInt(MALE.length)] : FEMALE[rnd.nextInt(FEMALE.length)];
      LocalDate birth;
      do {
        birth = oldest.plusDays(rnd.nextInt(span));
      } while (!demographics.add(family + "|" + given + "|" + birth + "|" + male));
      String[] place = rnd.nextInt(10) == 0
          ? PLACES_RESTRICTED[rnd.nextInt(PLACES_RESTRICTED.length)]
          : PLACES[rnd.nextInt(PLACES.length)];
      Member member = new Member(i, family, given, male ? "male" : "female", birth, place);
      member.phone = phone(rnd);
      member.line = street(rnd);
      members.add(member);
    }
    return members;
  }

  /** Writes the lines of one day and counts what they plant. */
  static final class Writer {
    private final SplittableRandom rnd;
    private final List<Member> members;
    private final double badRate;
    private final SortedMap<String, Long> planted;
    private final List<Member> registered = new ArrayList<>();
    private long kindCursor;
    private String day;
    private boolean firstDay;
    /** Recent good lines of the day, for exact copies (a ring: memory stays bounded). */
    private final List<String> goodLines = new ArrayList<>();
    private long goodCount;

    Writer(SplittableRandom rnd, List<Member> members, double badRate, SortedMap<String, Long> planted) {
      this.rnd = rnd;
      this.members = members;
      this.badRate = badRate;
      this.planted = planted;
    }

    void day(Path file, String day, LocalDate date, long lines, int firstMember, int quota) throws IOException {
      this.day = day;
      this.firstDay = day.equals("day1");
      goodLines.clear();
      goodCount = 0;
      for (Member member : registered) {
        member.dayStartPhone = member.phone;
      }
      Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
      long step = Math.max(1, 86_000_000L / Math.max(1, lines));
      int next = firstMember;
      try (BufferedWriter w = new BufferedWriter(
          new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
        for (long i = 0; i < lines; i++) {
          Instant at = start.plusMillis(i * step);
          int introsLeft = quota - next;
          boolean mustRegister = introsLeft > 0 && introsLeft >= lines - i;
          if (!mustRegister && badRate > 0 && rnd.nextDouble() < badRate) {
            String[] planted = plant(at, lines - i, date);
            if (planted != null) {
              for (String l : planted) {
                write(w, l);
              }
              i += planted.length - 1;
              continue;
            }
          }
          Member member;
          String line;
          if (introsLeft > 0 && (mustRegister || registered.isEmpty() || rnd.nextBoolean())) {
            member = members.get(next++);
            member.registered = true;
            member.inMaster = firstDay;
            registered.add(member);
            count(NEW_PATIENT, 1);
          } else if (!registered.isEmpty()) {
            member = registered.get(rnd.nextInt(registered.size()));
            if (rnd.nextBoolean()) {
              member.phone = otherPhone(member.phone);
            } else {
              member.line = otherStreet(member.line);
            }
            count(NEW_VERSION, 1);
          } else {
            // Nobody left to register or change (tiny sizes): a Patient without identity.
            write(w, noIdentity(at));
            count(HealthcareReasons.NO_PATIENT_IDENTITY, 1);
            continue;
          }
          line = patient(member, at, true, true, false, member.gender);
          remember(line);
          write(w, line);
        }
      }
      LocalDate asOf = date;
      long over89 = 0;
      long restricted = 0;
      for (Member member : registered) {
        if (member.birthDate.getYear() <= asOf.getYear() - Deidentify.AGE_CAP) {
          over89++;
        }
        if (Deidentify.RESTRICTED_ZIP3.contains(member.place[2].substring(0, 3))) {
          restricted++;
        }
      }
      count(OVER_89, over89);
      count(RESTRICTED_ZIP, restricted);
    }

    /** The lines of one planted case, or null when no kind can be planted here. */
    private String[] plant(Instant at, long linesLeft, LocalDate date) {
      Kind[] kinds = Kind.values();
      for (int attempt = 0; attempt < kinds.length; attempt++) {
        Kind kind = kinds[(int) (kindCursor++ % kinds.length)];
        String[] lines = plant(kind, at, linesLeft, date);
        if (lines != null) {
          return lines;
        }
      }
      return null;
    }

    private String[] plant(Kind kind, Instant at, long linesLeft, LocalDate date) {
      Member p = registered.isEmpty() ? null : registered.get(rnd.nextInt(registered.size()));
      switch (kind) {
        case MALFORMED_JSON -> {
          if (p == null) return null;
          String full = patient(p, at, true, true, false, p.gender);
          count(Reasons.MALFORMED_JSON, 1);
          return new String[] {full.substring(0, full.length() / 2)};
        }
        case NOT_A_PATIENT -> {
          count(HealthcareReasons.NOT_A_PATIENT, 1);
          return new String[] {practitioner(at)};
        }
        case NO_IDENTITY -> {
          count(HealthcareReasons.NO_PATIENT_IDENTITY, 1);
          return new String[] {noIdentity(at)};
        }
        case NO_LAST_UPDATED -> {
          if (p == null) return null;
          count(HealthcareReasons.MISSING_LAST_UPDATED, 1);
          return new String[] {patient(p, null, true, true, false, p.gender)};
        }
        case INVALID_GENDER -> {
          if (p == null) return null;
          count(HealthcareReasons.MALFORMED_PATIENT, 1);
          return new String[] {patient(p, at, true, true, false, p.gender.equals("male") ? "M" : "F")};
        }
        case EXACT_COPY -> {
          if (goodLines.isEmpty()) return null;
          count(DUPLICATE, 1);
          return new String[] {goodLines.get(rnd.nextInt(goodLines.size()))};
        }
        case RESENT -> {
          if (p == null) return null;
          count(DUPLICATE, 1);
          return new String[] {patient(p, at, true, true, false, p.gender)};
        }
        case CONFLICT_PAIR -> {
          if (p == null || linesLeft < 2) return null;
          count(HealthcareReasons.CONFLICTING_UPDATE, 2);
          String keep = p.phone;
          p.phone = otherPhone(keep);
          String a = patient(p, at, true, true, false, p.gender);
          p.phone = otherPhone(p.phone);
          String b = patient(p, at, true, true, false, p.gender);
          p.phone = keep;
          return new String[] {a, b};
        }
        case NEW_IDENTIFIER -> {
          // Day 1: linked in the batch to the member's registration; day 2: matched on the master.
          Member q = pick(x -> !x.hasDl && (firstDay || x.inMaster));
          if (q == null) return null;
          q.hasDl = true;
          count(NEW_VERSION, 1);
          count(firstDay ? LINKED_NEW_IDENTIFIER : MATCHED_DEMOGRAPHICS, 1);
          String line = patient(q, at, false, false, true, q.gender);
          remember(line);
          return new String[] {line};
        }
        case STALE -> {
          Member q = firstDay ? null : pick(x -> x.inMaster);
          if (q == null) return null;
          count(HealthcareReasons.STALE_UPDATE, 1);
          String keep = q.phone;
          do {
            q.phone = otherPhone(keep);
          } while (q.phone.equals(q.dayStartPhone)); // differs from the master's version too
          // Before anything of day 1: older than every version in the master.
          String line = patient(q, date.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
              .minusSeconds(3600 + rnd.nextInt(86_400)), true, true, false, q.gender);
          q.phone = keep;
          return new String[] {line};
        }
        case AMBIGUOUS -> {
          Member q = firstDay ? null : pick(x -> x.inMaster);
          Member r = firstDay ? null : pick(x -> x.inMaster);
          if (q == null || r == null || q == r) return null;
          count(HealthcareReasons.AMBIGUOUS_MATCH, 1);
          // q's record number and demographics with r's SSN: a mix-up at registration.
          return new String[] {patient(q, at, true, false, false, q.gender)
              .replace("\"system\":\"" + MR_SYSTEM + "\",\"value\":\"" + q.mr + "\"}",
                  "\"system\":\"" + MR_SYSTEM + "\",\"value\":\"" + q.mr + "\"},"
                      + ssnIdentifier(r.ssn))};
        }
        default -> throw new IllegalStateException("unplanned " + kind);
      }
    }

    private Member pick(java.util.function.Predicate<Member> ok) {
      if (registered.isEmpty()) {
        return null;
      }
      int from = rnd.nextInt(registered.size());
      for (int k = 0; k < registered.size(); k++) {
        Member x = registered.get((from + k) % registered.size());
        if (ok.test(x)) {
          return x;
        }
      }
      return null;
    }

    private void remember(String line) {
      if (goodLines.size() < RING) {
        goodLines.add(line);
      } else {
        goodLines.set((int) (goodCount % RING), line);
      }
      goodCount++;
    }

    private void count(String what, long n) {
      planted.merge(day + "/" + what, n, Long::sum);
    }

    private String otherPhone(String current) {
      String p;
      do {
        p = phone(rnd);
      } while (p.equals(current));
      return p;
    }

    private String otherStreet(String current) {
      String s;
      do {
        s = street(rnd);
      } while (s.equals(current));
      return s;
    }

    private static void write(BufferedWriter w, String line) throws IOException {
      w.write(line);
      w.write('\n');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // FHIR JSON

  /** A Patient of the member's current content; which identifiers it carries is chosen. */
  static String patient(Member p, Instant at, boolean mr, boolean ssn, boolean dl, String gender) {
    ObjectNode r = JSON.createObjectNode();
    r.put("resourceType", "Patient");
    r.put("id", p.mr.toLowerCase(Locale.ROOT));
    if (at != null) {
      r.putObject("meta").put("lastUpdated", instant(at, p.index));
    }
    ArrayNode ids = r.putArray("identifier");
    if (mr) {
      identifier(ids, "MR", MR_SYSTEM, p.mr);
    }
    if (ssn) {
      identifier(ids, "SS", SSN_SYSTEM, p.ssn);
    }
    if (dl) {
      identifier(ids, "DL", DL_SYSTEM, p.dl);
    }
    ObjectNode name = r.putArray("name").addObject();
    name.put("use", "official").put("family", p.family);
    name.putArray("given").add(p.given);
    r.putArray("telecom").addObject().put("system", "phone").put("value", p.phone).put("use", "home");
    r.put("gender", gender);
    r.put("birthDate", p.birthDate.toString());
    ObjectNode address = r.putArray("address").addObject();
    address.put("use", "home");
    address.putArray("line").add(p.line);
    address.put("city", p.place[0]).put("state", p.place[1]).put("postalCode", p.place[2]).put("country", "US");
    return r.toString();
  }

  private static void identifier(ArrayNode ids, String type, String system, String value) {
    ObjectNode id = ids.addObject();
    id.putObject("type").putArray("coding").addObject().put("system", V2_0203).put("code", type);
    id.put("system", system).put("value", value);
  }

  static String ssnIdentifier(String ssn) {
    ArrayNode ids = JSON.createArrayNode();
    identifier(ids, "SS", SSN_SYSTEM, ssn);
    return ids.get(0).toString();
  }

  /** Mostly UTC, every seventh member's updates with a -05:00 offset (the same instants). */
  static String instant(Instant at, int member) {
    return member % 7 == 0
        ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atOffset(ZoneOffset.ofHours(-5)))
        : at.toString();
  }

  static String practitioner(Instant at) {
    ObjectNode r = JSON.createObjectNode();
    r.put("resourceType", "Practitioner");
    r.putObject("meta").put("lastUpdated", at.toString());
    r.putArray("identifier").addObject().put("system", "http://hl7.org/fhir/sid/us-npi").put("value", "8084000001");
    r.putArray("name").addObject().put("family", "Welch").putArray("given").add("Adrienne");
    return r.toString();
  }

  static String noIdentity(Instant at) {
    ObjectNode r = JSON.createObjectNode();
    r.put("resourceType", "Patient");
    r.putObject("meta").put("lastUpdated", at.toString());
    r.put("gender", "unknown");
    r.putArray("address").addObject().put("city", "Boston").put("state", "MA");
    return r.toString();
  }

  static String phone(SplittableRandom rnd) {
    return String.format(Locale.ROOT, "555-%03d-%04d", 100 + rnd.nextInt(900), rnd.nextInt(10_000));
  }

  static String street(SplittableRandom rnd) {
    return (1 + rnd.nextInt(999)) + " " + STREETS[rnd.nextInt(STREETS.length)];
  }
}
