package dev.nightshift.pipelines.healthcare.claims;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A plain-Java reference model of claims-adjudication on the generator's data, written apart from
 * the pipeline: its own reading of the three formats (Jackson for the FHIR JSON, a split on the
 * separators ISA declares for X12, none of the pipeline's readers or HAPI), its own rules and
 * arithmetic in whole cents, as the healthcare README states them. It gives the data lines of
 * adjudicated_lines.csv without the denial text, the missing fields a CARC 16 line must name, the
 * accumulators, and the dead letters per reason.
 */
final class ClaimsAdjudicationModel {

  record Result(List<String> lines, Map<String, String> missingFields, List<String> accumulators,
      Map<String, Long> deadByReason, Map<String, Long> deniedByCarc) {}

  record Plan(String id, long deductible, BigDecimal rate, long copay, long oopMax, int timely) {}

  record Coverage(String plan, LocalDate start, LocalDate end) {}

  record Fee(BigDecimal allowed, boolean covered) {}

  /** A line as read: charge in cents, -1 when missing. */
  record Line(String claim, int no, String member, String provider, String payer, LocalDate service,
      LocalDate received, String code, BigDecimal units, long charge, String file, long position) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter D8 = DateTimeFormatter.BASIC_ISO_DATE;

  static Result run(Path dir, LocalDate businessDate) throws IOException {
    Map<String, Plan> plans = new HashMap<>();
    for (List<String> r : rows(dir.resolve("plans.csv"))) {
      plans.put(r.get(0), new Plan(r.get(0), cents(r.get(1)), new BigDecimal(r.get(2)), cents(r.get(3)),
          cents(r.get(4)), Integer.parseInt(r.get(5))));
    }
    Map<String, List<Coverage>> members = new HashMap<>();
    for (List<String> r : rows(dir.resolve("members.csv"))) {
      members.computeIfAbsent(r.get(0), m -> new ArrayList<>()).add(
          new Coverage(r.get(1), LocalDate.parse(r.get(2)), r.get(3).isEmpty() ? null : LocalDate.parse(r.get(3))));
    }
    Map<String, Fee> fees = new HashMap<>();
    for (List<String> r : rows(dir.resolve("fee_schedule.csv"))) {
      fees.put(r.get(0), new Fee(new BigDecimal(r.get(2)), r.get(3).equals("Y")));
    }

    Map<String, Long> dead = new TreeMap<>();
    List<List<Line>> claims = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("claims"))) {
      files = s.sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".ndjson")) {
        ndjson(f, claims, dead);
      } else if (name.endsWith(".json")) {
        bundle(f, claims, dead);
      } else {
        x12(f, claims, dead);
      }
    }
    // the first copy of a claim id in (file, position) order is adjudicated
    claims.sort(Comparator.comparing((List<Line> c) -> c.get(0).file()).thenComparingLong(c -> c.get(0).position()));
    Set<String> ids = new HashSet<>();
    List<Line> all = new ArrayList<>();
    for (List<Line> c : claims) {
      if (ids.add(c.get(0).claim())) {
        all.addAll(c);
      } else {
        dead.merge("DUPLICATE_CLAIM_ID", 1L, Long::sum);
      }
    }

    // decide, rule by rule
    Map<Line, String[]> out = new HashMap<>(); // status, carc, plan, allowed.., as strings
    Map<Line, String> plan = new HashMap<>();
    Map<String, String> missingFields = new TreeMap<>();
    List<Line> pending = new ArrayList<>();
    for (Line l : all) {
      List<Coverage> cov = members.getOrDefault(l.member(), List.of());
      Coverage on = null;
      for (Coverage c : cov) {
        if (l.service() != null && !l.service().isBefore(c.start()) && (c.end() == null || !l.service().isAfter(c.end()))
            && (on == null || c.start().isAfter(on.start()))) {
          on = c;
        }
      }
      plan.put(l, on == null ? "" : on.plan());
      List<String> missing = new ArrayList<>();
      if (l.member().isEmpty()) {
        missing.add("member id");
      }
      if (l.received() == null) {
        missing.add("received date");
      }
      if (l.service() == null) {
        missing.add("service date");
      }
      if (l.code().isEmpty()) {
        missing.add("procedure code");
      }
      if (l.charge() < 0) {
        missing.add("charge");
      }
      if (!missing.isEmpty()) {
        out.put(l, denied("16"));
        missingFields.put(l.claim() + "/" + l.no(), "missing " + String.join(", ", missing));
      } else if (cov.isEmpty()) {
        out.put(l, denied("31"));
      } else if (on == null) {
        out.put(l, denied("27"));
      } else {
        pending.add(l);
      }
    }
    Comparator<Line> earlier = Comparator.comparing(Line::received).thenComparing(Line::claim).thenComparingInt(Line::no);
    pending.sort(earlier);
    Set<String> keys = new HashSet<>();
    List<Line> paid = new ArrayList<>();
    for (Line l : pending) {
      Plan p = plans.get(plan.get(l));
      Fee fee = fees.get(l.code());
      if (!keys.add(l.member() + "|" + l.provider() + "|" + l.service() + "|" + l.code() + "|" + l.charge())) {
        out.put(l, denied("18"));
      } else if (ChronoUnit.DAYS.between(l.service(), l.received()) > p.timely()) {
        out.put(l, denied("29"));
      } else if (fee == null || !fee.covered()) {
        out.put(l, denied("96"));
      } else {
        paid.add(l);
      }
    }
    paid.sort(Comparator.comparing(Line::member).thenComparing(Line::service).thenComparing(earlier));
    Map<String, long[]> met = new TreeMap<>(); // member|year -> deductible met, oop met
    Set<String> copaid = new HashSet<>();
    for (Line l : paid) {
      Plan p = plans.get(plan.get(l));
      long[] m = met.computeIfAbsent(l.member() + "," + l.service().getYear(), k -> new long[2]);
      long byFee = fees.get(l.code()).allowed().multiply(l.units()).movePointRight(2).setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
      long allowed = Math.min(l.charge(), byFee);
      long copay = copaid.add(l.claim()) ? Math.min(p.copay(), allowed) : 0;
      long deductible = Math.min(allowed - copay, Math.max(0, p.deductible() - m[0]));
      long coins = BigDecimal.valueOf(allowed - copay - deductible).multiply(p.rate())
          .setScale(0, RoundingMode.HALF_UP).longValueExact();
      long room = Math.max(0, p.oopMax() - m[1]);
      long over = copay + deductible + coins - room;
      if (over > 0) {
        long cut = Math.min(coins, over);
        coins -= cut;
        over -= cut;
        cut = Math.min(copay, over);
        copay -= cut;
        over -= cut;
        deductible -= Math.min(deductible, over);
      }
      long patient = copay + deductible + coins;
      m[0] += deductible;
      m[1] += patient;
      out.put(l, new String[] {"PAID", "", money(allowed), money(deductible), money(coins), money(copay),
          money(allowed - patient), money(patient)});
    }

    List<String> lines = new ArrayList<>();
    Map<String, Long> denied = new TreeMap<>();
    for (Line l : all) {
      String[] o = out.get(l);
      if (o[0].equals("DENIED")) {
        denied.merge(o[1], 1L, Long::sum);
      }
      lines.add(String.join(",", l.claim(), Integer.toString(l.no()), l.member(), l.member(), l.provider(), l.payer(),
          plan.get(l), str(l.service()), str(l.received()), businessDate.toString(), l.code(), l.units().toPlainString(),
          money(Math.max(0, l.charge())), o[2], o[3], o[4], o[5], o[6], o[7], o[0], o[1]));
    }
    lines.sort(Comparator.naturalOrder());
    List<String> accumulators = new ArrayList<>();
    met.forEach((k, m) -> accumulators.add(k + "," + money(m[0]) + "," + money(m[1])));
    accumulators.sort(Comparator.naturalOrder());
    return new Result(lines, missingFields, accumulators, dead, denied);
  }

  private static String[] denied(String carc) {
    return new String[] {"DENIED", carc, "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"};
  }

  // ------------------------------------------------------------------------------------- reading

  private static void ndjson(Path f, List<List<Line>> claims, Map<String, Long> dead) throws IOException {
    List<String> text = Files.readAllLines(f, StandardCharsets.UTF_8);
    for (int i = 0; i < text.size(); i++) {
      JsonNode c;
      try {
        c = JSON.readTree(text.get(i));
      } catch (IOException e) {
        dead.merge("MALFORMED_JSON", 1L, Long::sum);
        continue;
      }
      if (!c.path("resourceType").asText().equals("Claim")) {
        dead.merge("NOT_A_CLAIM", 1L, Long::sum);
        continue;
      }
      String patient = c.path("patient").path("reference").asText("");
      List<Line> lines = fhir(c, f, i + 1, patient.isEmpty() ? "" : patient.substring("Patient/".length()),
          c.path("provider").path("identifier").path("value").asText(),
          c.path("insurance").path(0).path("coverage").path("display").asText(""));
      if (lines == null) {
        dead.merge("MALFORMED_CLAIM", 1L, Long::sum);
      } else {
        claims.add(lines);
      }
    }
  }

  /** The generated bundles have one entry a line, after the bundle's first line. */
  private static void bundle(Path f, List<List<Line>> claims, Map<String, Long> dead) throws IOException {
    List<String> text = Files.readAllLines(f, StandardCharsets.UTF_8);
    Map<String, JsonNode> byUrl = new HashMap<>();
    Map<Integer, JsonNode> claimAt = new TreeMap<>();
    for (int i = 0; i < text.size(); i++) {
      String t = text.get(i);
      if (!t.startsWith("{\"fullUrl\"")) {
        continue;
      }
      JsonNode entry = JSON.readTree(t.endsWith(",") ? t.substring(0, t.length() - 1) : t);
      byUrl.put(entry.path("fullUrl").asText(), entry.path("resource"));
      if (entry.path("resource").path("resourceType").asText().equals("Claim")) {
        claimAt.put(i + 1, entry.path("resource"));
      }
    }
    if (claimAt.isEmpty()) { // a pretty-printed bundle (Synthea's own): the entries of the whole document
      int k = 0;
      for (JsonNode entry : JSON.readTree(f.toFile()).path("entry")) {
        byUrl.put(entry.path("fullUrl").asText(), entry.path("resource"));
        k++;
        if (entry.path("resource").path("resourceType").asText().equals("Claim")) {
          claimAt.put(k, entry.path("resource"));
        }
      }
    }
    for (Map.Entry<Integer, JsonNode> e : claimAt.entrySet()) {
      JsonNode c = e.getValue();
      String patientRef = c.path("patient").path("reference").asText("");
      String member = patientRef.isEmpty() ? "" : byUrl.get(patientRef).path("id").asText();
      String provider = "";
      String providerRef = c.path("provider").path("reference").asText();
      if (byUrl.containsKey(providerRef)) {
        for (JsonNode id : byUrl.get(providerRef).path("identifier")) {
          provider = id.path("value").asText();
        }
      } else { // a conditional reference, Organization?identifier=system|value
        provider = providerRef.substring(providerRef.indexOf('|') + 1);
      }
      JsonNode coverage = c.path("insurance").path(0).path("coverage");
      String payer = coverage.has("reference")
          ? byUrl.get(coverage.path("reference").asText()).path("payor").path(0).path("display").asText()
          : coverage.path("display").asText();
      List<Line> lines = fhir(c, f, e.getKey(), member, provider, payer);
      if (lines == null) {
        dead.merge("MALFORMED_CLAIM", 1L, Long::sum);
      } else {
        claims.add(lines);
      }
    }
  }

  /** The lines of a generated FHIR Claim; null when it holds an invalid date. */
  private static List<Line> fhir(JsonNode c, Path f, long position, String member, String provider, String payer) {
    LocalDate received;
    LocalDate billable;
    try {
      received = date(c.path("created").asText(""));
      billable = date(c.path("billablePeriod").path("start").asText(""));
    } catch (RuntimeException e) {
      return null;
    }
    List<Line> lines = new ArrayList<>();
    for (JsonNode it : c.path("item")) {
      LocalDate service = it.has("servicedDate") ? date(it.path("servicedDate").asText())
          : it.has("servicedPeriod") ? date(it.path("servicedPeriod").path("start").asText()) : billable;
      JsonNode coding = it.path("productOrService").path("coding").path(0);
      long charge = it.has("net") ? new BigDecimal(it.path("net").path("value").asText()).movePointRight(2)
          .setScale(0, RoundingMode.HALF_UP).longValueExact() : -1;
      BigDecimal units = it.has("quantity") ? new BigDecimal(it.path("quantity").path("value").asText()) : BigDecimal.ONE;
      lines.add(new Line(c.path("id").asText(), it.path("sequence").asInt(), member, provider, payer, service,
          received, coding.path("code").asText(""), units, charge, f.toString(), position));
    }
    // one item without a charge takes what Claim.total leaves over the others (Synthea's encounter item)
    List<Line> uncharged = lines.stream().filter(l -> l.charge() < 0).toList();
    if (uncharged.size() == 1 && c.has("total")) {
      long rest = new BigDecimal(c.path("total").path("value").asText()).movePointRight(2)
          .setScale(0, RoundingMode.HALF_UP).longValueExact();
      for (Line l : lines) {
        rest -= Math.max(0, l.charge());
      }
      if (rest > 0) {
        Line l = uncharged.get(0);
        lines.set(lines.indexOf(l), new Line(l.claim(), l.no(), l.member(), l.provider(), l.payer(), l.service(),
            l.received(), l.code(), l.units(), rest, l.file(), l.position()));
      }
    }
    return lines;
  }

  private static LocalDate date(String s) {
    return s.isEmpty() ? null : LocalDate.parse(s.substring(0, 10));
  }

  /** X12: the element separator is ISA's 4th character, the component and segment ones its 105th and 106th. */
  private static void x12(Path f, List<List<Line>> claims, Map<String, Long> dead) throws IOException {
    String text = Files.readString(f, StandardCharsets.UTF_8);
    String element = String.valueOf(text.charAt(3));
    String component = String.valueOf(text.charAt(104));
    String terminator = String.valueOf(text.charAt(105));
    String[] segments = text.split(java.util.regex.Pattern.quote(terminator));
    String received = "";
    String provider = "";
    String member = "";
    String payer = "";
    List<String[]> claim = null;
    int claimPosition = 0;
    for (int i = 0; i <= segments.length; i++) {
      String[] s = i < segments.length ? segments[i].strip().split(java.util.regex.Pattern.quote(element), -1) : new String[] {"SE"};
      if (s[0].isEmpty()) {
        continue;
      }
      if ((s[0].equals("SE") || s[0].equals("CLM")) && claim != null) {
        List<Line> lines = x12Claim(claim, component, f, claimPosition, received, provider, member, payer);
        if (lines == null) {
          dead.merge("MALFORMED_CLAIM", 1L, Long::sum);
        } else {
          claims.add(lines);
        }
        claim = null;
      }
      switch (s[0]) {
        case "BHT" -> received = s[4];
        case "NM1" -> {
          String id = s.length > 9 ? s[9] : "";
          switch (s[1]) {
            case "85" -> provider = id;
            case "IL" -> member = id;
            case "PR" -> payer = id;
            default -> { }
          }
        }
        case "CLM" -> {
          claim = new ArrayList<>();
          claimPosition = i + 1;
        }
        default -> { }
      }
      if (claim != null) {
        claim.add(s);
      }
    }
  }

  private static List<Line> x12Claim(List<String[]> segs, String component, Path f, int position, String received,
      String provider, String member, String payer) {
    String id = segs.get(0)[1];
    LocalDate receivedDate = received.isEmpty() ? null : LocalDate.parse(received, D8);
    List<Line> lines = new ArrayList<>();
    int no = 0;
    String code = "";
    long charge = -1;
    BigDecimal units = BigDecimal.ONE;
    LocalDate service = null;
    for (int k = 0; k <= segs.size(); k++) {
      String[] s = k < segs.size() ? segs.get(k) : new String[] {"END"};
      if (s[0].equals("LX") || s[0].equals("END")) {
        if (no > 0) {
          lines.add(new Line(id, no, member, provider, payer, service, receivedDate, code, units, charge,
              f.toString(), position));
        }
        if (s[0].equals("END")) {
          break;
        }
        no = Integer.parseInt(s[1]);
        if (no < 1) {
          return null;
        }
        code = "";
        charge = -1;
        units = BigDecimal.ONE;
        service = null;
      } else if (s[0].equals("SV1")) {
        String[] proc = s[1].split(java.util.regex.Pattern.quote(component), -1);
        code = proc.length > 1 ? proc[1] : "";
        charge = s[2].isEmpty() ? -1 : cents(s[2]);
        units = new BigDecimal(s[4]);
      } else if (s[0].equals("DTP") && s[1].equals("472")) {
        service = LocalDate.parse(s[3].substring(0, 8), D8); // D8, or RD8's start: 20110511-20110511
      }
    }
    return lines;
  }

  private static long cents(String amount) {
    return new BigDecimal(amount).movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
  }

  static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  private static String str(LocalDate d) {
    return d == null ? "" : d.toString();
  }
}
