package dev.nightshift.pipelines.healthcare.billing;

import static dev.nightshift.pipelines.testing.CsvFiles.rows;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java reference model of billing, written apart from the pipeline (no Beam, none of its
 * parsers, checks, dedupe, 835 or statement code): money in whole cents, the rules as the README
 * and the task state them. It gives the statement files' data lines, the CLP amounts the 835 must
 * carry per provider and claim, and the dead letters per reason.
 */
final class BillingModel {

  record ClaimKey(String provider, String claim) implements Comparable<ClaimKey> {
    public int compareTo(ClaimKey o) {
      int c = provider.compareTo(o.provider);
      return c != 0 ? c : claim.compareTo(o.claim);
    }
  }

  /** CLP02..CLP05 of a claim, amounts in cents. */
  record Clp(String status, long charge, long paid, long patient) {}

  record Result(List<String> statements, List<String> statementLines, Map<ClaimKey, Clp> claims,
      Map<String, Long> deadByReason, long acceptedLines) {}

  /** A line that passed every row check (amounts in cents). */
  private record Line(String claim, int lineNo, String patient, String provider, LocalDate service,
      LocalDate adjudicated, boolean paid, long charge, long planPaid, long patientResp,
      List<String> values) {}

  private record Item(LocalDate service, String claim, int lineNo, long amount) {}

  static Result run(List<Path> adjudicatedFiles, Path paymentsFile, LocalDate day) throws IOException {
    Map<String, Long> dead = new TreeMap<>();
    Map<String, List<Line>> copies = new LinkedHashMap<>();
    for (Path file : adjudicatedFiles) {
      for (List<String> r : rows(file)) {
        Object parsed = line(r);
        if (parsed instanceof String reason) {
          dead.merge(reason, 1L, Long::sum);
        } else {
          Line l = (Line) parsed;
          copies.computeIfAbsent(l.claim + "/" + l.lineNo, k -> new ArrayList<>()).add(l);
        }
      }
    }
    Map<ClaimKey, Clp> claims = new TreeMap<>();
    Map<String, List<Item>> items = new TreeMap<>();
    long accepted = 0;
    for (List<Line> same : copies.values()) {
      boolean allEqual = same.stream().allMatch(l -> l.values.equals(same.get(0).values));
      if (!allEqual) {
        dead.merge("CONFLICTING_CLAIM_LINE", (long) same.size(), Long::sum);
        continue;
      }
      accepted++;
      Line l = same.get(0);
      if (l.adjudicated.isAfter(day)) {
        continue;
      }
      if (l.adjudicated.equals(day)) {
        claims.merge(new ClaimKey(l.provider, l.claim),
            new Clp(l.paid ? "1" : "4", l.charge, l.planPaid, l.patientResp),
            (a, b) -> new Clp(a.status.equals("1") || b.status.equals("1") ? "1" : "4",
                a.charge + b.charge, a.paid + b.paid, a.patient + b.patient));
      }
      if (l.patientResp > 0) {
        items.computeIfAbsent(l.patient, p -> new ArrayList<>())
            .add(new Item(l.service, l.claim, l.lineNo, l.patientResp));
      }
    }

    Map<String, Long> paidBy = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    for (List<String> r : rows(paymentsFile)) {
      String reason = null;
      if (r.size() != 4) {
        reason = "WRONG_FIELD_COUNT";
      } else if (r.get(0).trim().isEmpty() || r.get(1).trim().isEmpty() || r.get(2).trim().isEmpty()
          || r.get(3).trim().isEmpty()) {
        reason = "MISSING_FIELD";
      } else if (date(r.get(2)) == null) {
        reason = "INVALID_DATE";
      } else if (cents(r.get(3)) == null) {
        reason = "INVALID_NUMBER";
      } else if (!ids.add(r.get(0).trim())) {
        reason = "DUPLICATE_PAYMENT_ID";
      } else if (cents(r.get(3)) <= 0) {
        reason = "NON_POSITIVE_PAYMENT";
      } else if (date(r.get(2)).isAfter(day)) {
        reason = "PAYMENT_AFTER_BUSINESS_DATE";
      }
      if (reason != null) {
        dead.merge(reason, 1L, Long::sum);
      } else {
        paidBy.merge(r.get(1).trim(), cents(r.get(3)), Long::sum);
      }
    }

    Set<String> patients = new HashSet<>(items.keySet());
    patients.addAll(paidBy.keySet());
    List<String> statements = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (String patient : patients) {
      List<Item> open = new ArrayList<>(items.getOrDefault(patient, List.of()));
      open.sort((a, b) -> {
        int c = a.service.compareTo(b.service);
        if (c == 0) c = a.claim.compareTo(b.claim);
        return c != 0 ? c : Integer.compare(a.lineNo, b.lineNo);
      });
      long payments = paidBy.getOrDefault(patient, 0L);
      long left = payments;
      long[] buckets = new long[4];
      int stillOpen = 0;
      for (Item i : open) {
        long take = Math.min(left, i.amount);
        left -= take;
        long rest = i.amount - take;
        if (rest == 0) {
          continue;
        }
        long age = ChronoUnit.DAYS.between(i.service, day);
        int b = age > 90 ? 3 : age > 60 ? 2 : age > 30 ? 1 : 0;
        buckets[b] += rest;
        stillOpen++;
        lines.add(String.join(",", patient, i.claim, Integer.toString(i.lineNo), i.service.toString(),
            Long.toString(age), new String[] {"0-30", "31-60", "61-90", "90+"}[b], money(rest)));
      }
      statements.add(String.join(",", day.toString(), patient,
          money(buckets[0] + buckets[1] + buckets[2] + buckets[3]), money(buckets[0]), money(buckets[1]),
          money(buckets[2]), money(buckets[3]), Integer.toString(stillOpen), money(payments - left),
          money(left)));
    }
    Collections.sort(statements);
    Collections.sort(lines);
    return new Result(statements, lines, claims, dead, accepted);
  }

  private static final String[] COLUMNS = {
    "claim_id", "line_no", "member_id", "patient_id", "provider_id", "payer_id", "plan_id",
    "service_date", "received_date", "adjudication_date", "procedure_code", "units", "charge",
    "allowed", "deductible", "coinsurance", "copay", "plan_paid", "patient_responsibility",
    "status", "carc", "denial_reason"
  };

  /** A row's line, or the reason it is refused. */
  private static Object line(List<String> raw) {
    if (raw.size() != COLUMNS.length) {
      return "WRONG_FIELD_COUNT";
    }
    Map<String, String> v = new HashMap<>();
    for (int i = 0; i < COLUMNS.length; i++) {
      v.put(COLUMNS[i], raw.get(i).trim());
    }
    for (String required : List.of("claim_id", "line_no", "provider_id", "adjudication_date")) {
      if (v.get(required).isEmpty()) return "MISSING_FIELD";
      if (required.equals("line_no") && !v.get(required).matches("[0-9]+")) return "INVALID_NUMBER";
      if (required.equals("adjudication_date") && date(v.get(required)) == null) return "INVALID_DATE";
    }
    for (String d : List.of("service_date", "received_date")) {
      if (!v.get(d).isEmpty() && date(v.get(d)) == null) return "INVALID_DATE";
    }
    String[] money = {"charge", "allowed", "deductible", "coinsurance", "copay", "plan_paid", "patient_responsibility"};
    if (v.get("units").isEmpty()) return "MISSING_FIELD";
    if (!v.get("units").matches("-?[0-9]+(\\.[0-9]+)?")) return "INVALID_NUMBER";
    long[] c = new long[money.length];
    for (int i = 0; i < money.length; i++) {
      if (v.get(money[i]).isEmpty()) return "MISSING_FIELD";
      Long cents = cents(v.get(money[i]));
      if (cents == null) return "INVALID_NUMBER";
      c[i] = cents;
    }
    String status = v.get("status");
    if (status.isEmpty()) return "MISSING_FIELD";
    if (!status.equals("PAID") && !status.equals("DENIED")) return "INVALID_VALUE";
    boolean paid = status.equals("PAID");
    if (!paid && v.get("carc").isEmpty()) return "MISSING_FIELD";
    if (paid && (v.get("patient_id").isEmpty() || v.get("service_date").isEmpty()
        || v.get("procedure_code").isEmpty())) return "MISSING_FIELD";
    // charge, allowed, deductible, coinsurance, copay, plan_paid, patient_responsibility
    for (long x : c) {
      if (x < 0) return "NEGATIVE_AMOUNT";
    }
    if (!paid && (c[1] | c[2] | c[3] | c[4] | c[5] | c[6]) != 0) return "DENIED_WITH_AMOUNTS";
    if (c[1] > c[0]) return "ALLOWED_EXCEEDS_CHARGE";
    if (c[1] != c[2] + c[3] + c[4] + c[5]) return "ALLOWED_SHARES_MISMATCH";
    if (c[6] != c[2] + c[3] + c[4]) return "PATIENT_RESPONSIBILITY_MISMATCH";
    if (!luhnNpi(v.get("provider_id"))) return "INVALID_NPI";
    if (!fits(v.get("claim_id"), 1, 38)) return "INVALID_X12_VALUE";
    for (String id : List.of("procedure_code", "patient_id", "member_id")) {
      if (!v.get(id).isEmpty() && !fits(v.get(id), id.equals("procedure_code") ? 1 : 2, id.equals("procedure_code") ? 48 : 80)) {
        return "INVALID_X12_VALUE";
      }
    }
    if (!paid && !v.get("carc").matches("[A-Z0-9]{1,5}")) return "INVALID_X12_VALUE";
    LocalDate adjudicated = date(v.get("adjudication_date"));
    LocalDate service = v.get("service_date").isEmpty() ? null : date(v.get("service_date"));
    if (paid && service.isAfter(adjudicated)) return "SERVICE_AFTER_ADJUDICATION";
    // What two copies must agree on: every column, amounts by value.
    List<String> values = new ArrayList<>();
    for (String col : COLUMNS) {
      String x = v.get(col);
      values.add(col.equals("units") ? new BigDecimal(x).stripTrailingZeros().toPlainString()
          : List.of(money).contains(col) ? Long.toString(cents(x)) : x);
    }
    return new Line(v.get("claim_id"), Integer.parseInt(v.get("line_no")), v.get("patient_id"),
        v.get("provider_id"), service, adjudicated, paid, c[0], c[5], c[6], values);
  }

  private static boolean fits(String s, int min, int max) {
    return s.length() >= min && s.length() <= max && s.chars().allMatch(ch -> ch >= 32 && ch <= 126 && "*:^~".indexOf(ch) < 0);
  }

  /** Luhn over 80840 followed by the ten digits of the NPI (check digit included). */
  private static boolean luhnNpi(String npi) {
    if (!npi.matches("[0-9]{10}")) return false;
    String digits = "80840" + npi;
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  /** Whole cents of a decimal with at most two decimals, or null. */
  static Long cents(String s) {
    s = s.trim();
    if (!s.matches("-?[0-9]+(\\.[0-9]{1,2}0*)?")) return null;
    BigDecimal d = new BigDecimal(s);
    return d.movePointRight(2).longValueExact();
  }

  private static LocalDate date(String s) {
    try {
      return LocalDate.parse(s.trim());
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String money(long cents) {
    return (cents < 0 ? "-" : "") + Math.abs(cents) / 100 + "." + String.format("%02d", Math.abs(cents) % 100);
  }

}
