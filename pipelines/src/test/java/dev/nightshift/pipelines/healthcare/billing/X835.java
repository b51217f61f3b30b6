package dev.nightshift.pipelines.healthcare.billing;

import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-side reader and checker of X12 835 files, written apart from the pipeline's writer: it
 * reads a file with StAEDI's {@link EDIStreamReader} (envelope validated against StAEDI's X12
 * control schema, each transaction against the 835 schema), keeps every error event the reader
 * reports, recounts the control trailers itself (SE01/SE02, GE01/GE02, IEA01/IEA02), and checks the
 * 835 balancing rules: per service line SVC02 - SVC03 = its CAS amounts, per claim CLP03 - CLP04 =
 * every CAS amount of the claim, per transaction BPR02 = the sum of CLP04.
 */
final class X835 {

  record Cas(String group, String reason, BigDecimal amount) {}

  record Service(String procedure, BigDecimal charge, BigDecimal paid, String lineNo, List<Cas> cas) {}

  record Claim(String claimId, String status, BigDecimal charge, BigDecimal paid, BigDecimal patient,
      List<Cas> cas, List<Service> services) {
    BigDecimal adjustments() {
      BigDecimal sum = cas.stream().map(Cas::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
      for (Service s : services) {
        sum = sum.add(s.cas().stream().map(Cas::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
      }
      return sum;
    }
  }

  record Transaction(String control, String payeeQualifier, String payeeId, BigDecimal payment,
      List<Claim> claims, int segments) {}

  /** What was read: reader errors, own checks that failed, and the transactions. */
  record Result(List<String> errors, List<String> problems, List<Transaction> transactions,
      int segments, List<List<String>> all) {
    List<Claim> claims() {
      List<Claim> out = new ArrayList<>();
      transactions.forEach(t -> out.addAll(t.claims()));
      return out;
    }
  }

  static final String SCHEMA = "/dev/nightshift/pipelines/healthcare/billing/x12_835_005010X221A1.xml";

  static Result read(Path file) throws Exception {
    Schema schema;
    try (InputStream in = X835.class.getResourceAsStream(SCHEMA)) {
      schema = SchemaFactory.newFactory().createSchema(in);
    }
    List<String> errors = new ArrayList<>();
    List<List<String>> segments = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      EDIStreamReader r = EDIInputFactory.newFactory().createEDIStreamReader(in);
      List<String> segment = null;
      while (r.hasNext()) {
        EDIStreamEvent event = r.next();
        switch (event) {
          case START_TRANSACTION -> r.setTransactionSchema(schema);
          case START_SEGMENT -> {
            segment = new ArrayList<>();
            segment.add(r.getText());
          }
          case ELEMENT_DATA -> {
            int element = r.getLocation().getElementPosition();
            int component = r.getLocation().getComponentPosition();
            while (segment.size() <= element) {
              segment.add("");
            }
            String text = r.getText();
            segment.set(element, component > 1 ? segment.get(element) + ":" + text : text);
          }
          case END_SEGMENT -> segments.add(segment);
          case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR ->
              errors.add(event + " " + r.getErrorType() + " " + r.getReferenceCode() + " at "
                  + r.getLocation().getSegmentTag() + " (segment " + r.getLocation().getSegmentPosition()
                  + ", element " + r.getLocation().getElementPosition() + ")");
          default -> { }
        }
      }
    }
    List<String> problems = new ArrayList<>();
    List<Transaction> transactions = new ArrayList<>();
    int groups = 0;
    int transactionsInGroup = 0;
    String isa13 = null;
    String gs06 = null;
    for (int i = 0; i < segments.size(); i++) {
      List<String> s = segments.get(i);
      switch (s.get(0)) {
        case "ISA" -> isa13 = el(s, 13);
        case "GS" -> {
          groups++;
          transactionsInGroup = 0;
          gs06 = el(s, 6);
        }
        case "GE" -> {
          expect(problems, "GE01", Integer.toString(transactionsInGroup), el(s, 1));
          expect(problems, "GE02", gs06, el(s, 2));
        }
        case "IEA" -> {
          expect(problems, "IEA01", Integer.toString(groups), el(s, 1));
          expect(problems, "IEA02", isa13, el(s, 2));
        }
        case "ST" -> {
          transactionsInGroup++;
          int end = i;
          while (end < segments.size() && !segments.get(end).get(0).equals("SE")) {
            end++;
          }
          if (end == segments.size()) {
            problems.add("ST " + el(s, 2) + " has no SE");
            break;
          }
          List<String> se = segments.get(end);
          expect(problems, "SE01 of " + el(s, 2), Integer.toString(end - i + 1), el(se, 1));
          expect(problems, "SE02", el(s, 2), el(se, 2));
          transactions.add(transaction(segments.subList(i, end + 1), problems));
          i = end;
        }
        default -> { }
      }
    }
    return new Result(errors, problems, transactions, segments.size(), segments);
  }

  /** One ST..SE transaction: its payee, payment, claims; balancing checked on the way. */
  private static Transaction transaction(List<List<String>> segs, List<String> problems) {
    String control = el(segs.get(0), 2);
    BigDecimal bpr02 = null;
    String payeeQualifier = "";
    String payeeId = "";
    List<Claim> claims = new ArrayList<>();
    List<Cas> claimCas = null;
    List<Service> services = null;
    List<Cas> serviceCas = null;
    List<String> clp = null;
    for (List<String> s : segs) {
      switch (s.get(0)) {
        case "BPR" -> bpr02 = num(el(s, 2), problems);
        case "N1" -> {
          if (el(s, 1).equals("PE")) {
            payeeQualifier = el(s, 3);
            payeeId = el(s, 4);
          }
        }
        case "CLP" -> {
          if (clp != null) {
            claims.add(claim(clp, claimCas, services, problems));
          }
          clp = s;
          claimCas = new ArrayList<>();
          services = new ArrayList<>();
          serviceCas = null;
        }
        case "SVC" -> {
          serviceCas = new ArrayList<>();
          services.add(new Service(el(s, 1), num(el(s, 2), problems), num(el(s, 3), problems), "",
              serviceCas));
        }
        case "REF" -> {
          if (el(s, 1).equals("6R") && services != null && !services.isEmpty()) {
            Service last = services.remove(services.size() - 1);
            services.add(new Service(last.procedure(), last.charge(), last.paid(), el(s, 2), last.cas()));
          }
        }
        case "CAS" -> {
          List<Cas> into = serviceCas != null ? serviceCas : claimCas;
          for (int k = 2; k < s.size(); k += 3) {
            if (!el(s, k).isEmpty()) {
              into.add(new Cas(el(s, 1), el(s, k), num(el(s, k + 1), problems)));
            }
          }
        }
        default -> { }
      }
    }
    if (clp != null) {
      claims.add(claim(clp, claimCas, services, problems));
    }
    BigDecimal paid = BigDecimal.ZERO;
    for (Claim c : claims) {
      paid = paid.add(c.paid());
      if (c.charge().subtract(c.paid()).compareTo(c.adjustments()) != 0) {
        problems.add("claim " + c.claimId() + ": CLP03 - CLP04 = " + c.charge().subtract(c.paid())
            + " but its CAS amounts add up to " + c.adjustments());
      }
      for (Service s : c.services()) {
        BigDecimal cas = s.cas().stream().map(Cas::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (s.charge().subtract(s.paid()).compareTo(cas) != 0) {
          problems.add("claim " + c.claimId() + " service " + s.procedure() + ": SVC02 - SVC03 = "
              + s.charge().subtract(s.paid()) + " but its CAS amounts add up to " + cas);
        }
      }
    }
    if (bpr02 == null || bpr02.compareTo(paid) != 0) {
      problems.add("transaction " + control + ": BPR02 " + bpr02 + " but the claims pay " + paid);
    }
    return new Transaction(control, payeeQualifier, payeeId, bpr02, claims, segs.size());
  }

  private static Claim claim(List<String> clp, List<Cas> cas, List<Service> services, List<String> problems) {
    return new Claim(el(clp, 1), el(clp, 2), num(el(clp, 3), problems), num(el(clp, 4), problems),
        num(el(clp, 5), problems), cas, services);
  }

  /** An X12 decimal; empty is 0; anything else that is not a number is a problem (read as 0). */
  private static BigDecimal num(String value, List<String> problems) {
    if (value.isEmpty()) {
      return BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      problems.add("not a number: '" + value + "'");
      return BigDecimal.ZERO;
    }
  }

  private static void expect(List<String> problems, String what, String expected, String actual) {
    if (!expected.equals(actual)) {
      problems.add(what + " is " + actual + ", expected " + expected);
    }
  }

  static String el(List<String> segment, int i) {
    return i < segment.size() ? segment.get(i) : "";
  }
}
