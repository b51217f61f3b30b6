package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadWholeFiles;
import dev.nightshift.transforms.io.Values;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.Location;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * X12 837P (005010X222A1) professional claims, read with StAEDI's streaming {@link EDIStreamReader}.
 * The separators are the ones the interchange's ISA header declares (StAEDI reads them from it;
 * segments may end with {@code ~}, a newline, or anything else ISA says), and StAEDI validates the
 * envelope against its X12 control schema: ISA/GS/ST/SE/GE/IEA structure and control counts.
 *
 * <p>What is read, by the hierarchy of HL segments (HL03 20 billing provider, 22 subscriber, 23
 * patient; a claim belongs to the HL before it and inherits from its ancestors):
 * provider = NM1*85 NM109 (the NPI), member = subscriber NM1*IL NM109, patient = NM1*QC NM109
 * when given (5010 usually has none) else the member, payer = NM1*PR NM109, received date = BHT04
 * of the claim's transaction, claim id and total = CLM01 and CLM02, diagnosis = HI01-2; per service
 * line (LX): line number LX01, procedure SV101-1 (HC) and SV101-2, charge SV102, units SV104 (1
 * when empty), service date DTP*472 (D8, or the first day of RD8) of the line, else of the claim.
 * The position of a claim is the segment position of its CLM; its raw text the claim's segments.
 *
 * <p>A file StAEDI cannot read (not X12, truncated) or whose interchange or group envelope is in
 * error is refused whole ({@code MALFORMED_X12}); an error inside a transaction (ST..SE, e.g. a
 * wrong SE01 count) refuses that transaction's claims; a claim whose values do not read (a charge
 * that is not a number, a date that is not a date, no CLM01, no LX) costs only itself.
 *
 * <p>Before StAEDI reads the file, {@link X12Prescan} drops a byte-order mark and takes out the
 * segments longer than 1 MiB ({@code RECORD_TOO_LONG}, cut to their tag) and those whose bytes are
 * not UTF-8 ({@code INVALID_ENCODING}): such a segment costs the claim holding it (its
 * transaction's claims when it is outside any claim, the file when it is an envelope segment).
 * Amounts (CLM02, SV102) and units (SV104) are X12 R numbers of at most 18 and 15 digits (the
 * 837P's maximum lengths), read by {@link Values#decimal}: {@code 1E+99999999} is refused, not
 * rounded; amounts must not be negative. Dates are CCYYMMDD from year 0001, and a service date
 * after the claim's creation (BHT04) is refused ({@code INVALID_DATE}).
 */
final class X12Claims implements ReadWholeFiles.Parser<SubmittedClaim> {
  private static final DateTimeFormatter D8 = DateTimeFormatter.BASIC_ISO_DATE;
  /** StAEDI logs its control schema's unused types at INFO for every reader: noise in a run's log. */
  private static final java.util.logging.Logger STAEDI_SCHEMA_LOG =
      java.util.logging.Logger.getLogger("io.xlate.edi.internal.schema");

  static {
    STAEDI_SCHEMA_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** One segment: its tag, its position in the interchange, and its elements' components. */
  private static final class Segment {
    final String tag;
    final int position;
    final List<List<String>> elements = new ArrayList<>();

    Segment(String tag, int position) {
      this.tag = tag;
      this.position = position;
    }

    void set(int element, int component, String text) {
      while (elements.size() < element) {
        elements.add(new ArrayList<>());
      }
      List<String> components = elements.get(element - 1);
      int index = component < 1 ? 0 : component - 1;
      while (components.size() <= index) {
        components.add("");
      }
      if (components.get(index).isEmpty()) {
        components.set(index, text); // the first repetition only
      }
    }

    /** Element {@code e} (1-based), its first component; "" when absent. */
    String el(int e) {
      return comp(e, 1);
    }

    String comp(int e, int c) {
      if (e > elements.size() || c > elements.get(e - 1).size()) {
        return "";
      }
      return elements.get(e - 1).get(c - 1).trim();
    }

    String text(char element, char component) {
      StringBuilder b = new StringBuilder(tag);
      int last = elements.size();
      while (last > 0 && String.join("", elements.get(last - 1)).isEmpty()) {
        last--;
      }
      for (int i = 0; i < last; i++) {
        b.append(element).append(String.join(String.valueOf(component), elements.get(i)));
      }
      return b.toString();
    }
  }

  /** An HL level and what it names. */
  private static final class Level {
    final Level parent;
    final String code;
    String provider = "";
    String member = "";
    String payer = "";
    String patient = "";

    Level(Level parent, String code) {
      this.parent = parent;
      this.code = code;
    }
  }

  private static final class Line {
    final Segment lx;
    Segment sv1;
    Segment dtp;

    Line(Segment lx) {
      this.lx = lx;
    }
  }

  private static final class OpenClaim {
    final Segment clm;
    final Level level;
    final String received;
    final StringBuilder raw = new StringBuilder();
    final List<Line> lines = new ArrayList<>();
    String diagnosis = "";
    Segment dtp;
    X12Prescan.Issue issue;

    OpenClaim(Segment clm, Level level, String received) {
      this.clm = clm;
      this.level = level;
      this.received = received;
    }
  }

  /** The state of one file's walk. */
  private static final class Walk {
    final String path;
    final Map<Integer, X12Prescan.Issue> issues;
    final ReadWholeFiles.Parsed<SubmittedClaim> parsed = new ReadWholeFiles.Parsed<>();
    char element = '*';
    char component = ':';
    char segment = '~';
    boolean inTransaction;
    String received = "";
    Map<String, Level> levels = new HashMap<>();
    Level level;
    OpenClaim claim;
    List<OpenClaim> transactionClaims = new ArrayList<>();
    List<String> transactionErrors = new ArrayList<>();
    X12Prescan.Issue transactionIssue;

    Walk(String path, Map<Integer, X12Prescan.Issue> issues) {
      this.path = path;
      this.issues = issues;
    }
  }

  @Override
  public ReadWholeFiles.Parsed<SubmittedClaim> parse(String path, byte[] bytes) throws RecordException {
    if (bytes.length == 0) {
      throw new RecordException(Reasons.EMPTY_FILE, "the file is empty");
    }
    X12Prescan.Result pre = X12Prescan.scan(bytes);
    Walk w = new Walk(path, pre.issues());
    try (EDIStreamReader r = EDIInputFactory.newFactory().createEDIStreamReader(
        new ByteArrayInputStream(pre.bytes(), pre.offset(), pre.length()))) {
      Segment current = null;
      while (r.hasNext()) {
        EDIStreamEvent event = r.next();
        switch (event) {
          case START_SEGMENT -> {
            current = new Segment(r.getText(), r.getLocation().getSegmentPosition());
            if (current.tag.equals("ST")) {
              w.inTransaction = true;
            }
          }
          case ELEMENT_DATA -> {
            Location l = r.getLocation();
            if (current != null) {
              current.set(l.getElementPosition(), l.getComponentPosition(), r.getText());
            }
          }
          case END_SEGMENT -> {
            if (current != null && current.tag.equals("ISA")) {
              Map<String, Character> d = r.getDelimiters();
              w.element = d.get(Delimiters.DATA_ELEMENT);
              w.component = d.get(Delimiters.COMPONENT_ELEMENT);
              w.segment = d.get(Delimiters.SEGMENT);
            }
            segment(w, current);
          }
          case END_TRANSACTION -> endTransaction(w);
          case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> {
            Location l = r.getLocation();
            String error = r.getErrorType() + " in " + l.getSegmentTag() + " (segment " + l.getSegmentPosition()
                + (l.getElementPosition() > 0 ? ", element " + l.getElementPosition() : "") + ")";
            if (!w.inTransaction) {
              throw new RecordException(HealthcareReasons.MALFORMED_X12, "the interchange envelope is in error: " + error);
            }
            w.transactionErrors.add(error);
          }
          default -> { }
        }
      }
    } catch (RecordException e) {
      throw e;
    } catch (Exception e) { // EDIStreamException, StAEDI's runtime EDIException
      throw new RecordException(HealthcareReasons.MALFORMED_X12, "StAEDI cannot read the file: " + e.getMessage());
    }
    if (w.inTransaction) {
      throw new RecordException(HealthcareReasons.MALFORMED_X12, "a transaction has no SE");
    }
    if (!w.issues.isEmpty()) { // a refused segment StAEDI did not report where it was counted
      X12Prescan.Issue first = w.issues.get(java.util.Collections.min(w.issues.keySet()));
      throw new RecordException(first.reason(), "the file cannot be read: " + first.message());
    }
    return w.parsed;
  }

  private static void segment(Walk w, Segment s) throws RecordException {
    if (s == null) {
      return;
    }
    if (w.claim != null && !s.tag.equals("SE") && !s.tag.equals("HL") && !s.tag.equals("CLM")) {
      w.claim.raw.append(w.claim.raw.length() == 0 ? "" : String.valueOf(w.segment)).append(s.text(w.element, w.component));
    }
    switch (s.tag) {
      case "ST" -> {
        if (!s.el(1).equals("837")) {
          throw new RecordException(HealthcareReasons.MALFORMED_X12,
              "transaction set " + s.el(1) + " (segment " + s.position + ") is not an 837 claim");
        }
        w.received = "";
        w.levels = new HashMap<>();
        w.level = null;
      }
      case "BHT" -> w.received = s.el(4);
      case "HL" -> {
        close(w);
        Level parent = w.levels.get(s.el(2));
        w.level = new Level(parent, s.el(3));
        w.levels.put(s.el(1), w.level);
      }
      case "NM1" -> {
        if (w.level != null && w.claim == null) {
          switch (s.el(1)) {
            case "85" -> w.level.provider = s.el(9);
            case "IL" -> w.level.member = s.el(9);
            case "PR" -> w.level.payer = s.el(9);
            case "QC" -> w.level.patient = s.el(9);
            default -> { }
          }
        }
      }
      case "CLM" -> {
        close(w);
        w.claim = new OpenClaim(s, w.level == null ? new Level(null, "") : w.level, w.received);
        w.claim.raw.append(s.text(w.element, w.component));
      }
      case "HI" -> {
        if (w.claim != null && w.claim.diagnosis.isEmpty()) {
          w.claim.diagnosis = s.comp(1, 2);
        }
      }
      case "LX" -> {
        if (w.claim != null) {
          w.claim.lines.add(new Line(s));
        }
      }
      case "SV1" -> {
        if (w.claim != null && !w.claim.lines.isEmpty()) {
          w.claim.lines.get(w.claim.lines.size() - 1).sv1 = s;
        }
      }
      case "DTP" -> {
        if (w.claim != null && s.el(1).equals("472")) {
          if (w.claim.lines.isEmpty()) {
            w.claim.dtp = s;
          } else {
            w.claim.lines.get(w.claim.lines.size() - 1).dtp = s;
          }
        }
      }
      case "SE" -> close(w);
      default -> { }
    }
    X12Prescan.Issue issue = w.issues.remove(s.position);
    if (issue != null) {
      if (w.claim != null) {
        w.claim.issue = w.claim.issue == null ? issue : w.claim.issue;
      } else if (w.inTransaction) {
        w.transactionIssue = w.transactionIssue == null ? issue : w.transactionIssue;
      } else {
        throw new RecordException(issue.reason(), "the file cannot be read: " + issue.message());
      }
    }
  }

  /** Closes the open claim: it waits for the end of its transaction (whose errors refuse it). */
  private static void close(Walk w) {
    if (w.claim != null) {
      w.transactionClaims.add(w.claim);
      w.claim = null;
    }
  }

  private static void endTransaction(Walk w) {
    close(w);
    for (OpenClaim c : w.transactionClaims) {
      SourceRef source = SourceRef.of(w.path, c.clm.position, FhirClaims.truncate(c.raw.toString()));
      if (c.issue != null) {
        w.parsed.fail(source, c.issue.reason(), c.issue.message());
        continue;
      }
      if (w.transactionIssue != null) {
        w.parsed.fail(source, w.transactionIssue.reason(),
            "the claim's transaction holds a segment that is not read: " + w.transactionIssue.message());
        continue;
      }
      if (!w.transactionErrors.isEmpty()) {
        w.parsed.fail(source, HealthcareReasons.MALFORMED_X12,
            "the claim's transaction is in error: " + String.join("; ", w.transactionErrors));
        continue;
      }
      try {
        w.parsed.add(claim(w.path, c, source));
      } catch (RecordException e) {
        w.parsed.fail(source, e.reasonCode(), e.getMessage());
      }
    }
    w.transactionClaims = new ArrayList<>();
    w.transactionErrors = new ArrayList<>();
    w.transactionIssue = null;
    w.inTransaction = false;
  }

  private static SubmittedClaim claim(String path, OpenClaim c, SourceRef source) throws RecordException {
    String claimId = c.clm.el(1);
    if (claimId.isEmpty()) {
      throw new RecordException(Reasons.MISSING_FIELD, "CLM01 (the claim id) is empty");
    }
    if (!FhirClaims.CLAIM_ID.matcher(claimId).matches()) {
      throw new RecordException(Reasons.INVALID_VALUE,
          "claim id '" + claimId + "' is not 1 to 38 of A-Z a-z 0-9 - . (FHIR id and X12 CLP01)");
    }
    if (c.lines.isEmpty()) {
      throw new RecordException(HealthcareReasons.MALFORMED_CLAIM, "claim " + claimId + " has no service line (LX)");
    }
    String provider = "";
    String member = "";
    String payer = "";
    String patient = "";
    for (Level l = c.level; l != null; l = l.parent) {
      provider = provider.isEmpty() ? l.provider : provider;
      member = member.isEmpty() ? l.member : member;
      payer = payer.isEmpty() ? l.payer : payer;
      patient = patient.isEmpty() ? l.patient : patient;
    }
    if (patient.isEmpty()) {
      patient = member;
    }
    LocalDate received = date(c.received, "BHT04");
    LocalDate claimService = c.dtp == null ? null : serviceDate(c.dtp);
    String totalText = c.clm.el(2);
    Set<Integer> numbers = new HashSet<>();
    record Item(int lineNo, LocalDate service, String system, String code, BigDecimal units, BigDecimal charge) {}
    List<Item> items = new ArrayList<>();
    BigDecimal sum = BigDecimal.ZERO.setScale(2);
    for (Line line : c.lines) {
      int lineNo;
      try {
        lineNo = Integer.parseInt(line.lx.el(1));
      } catch (NumberFormatException e) {
        throw new RecordException(Reasons.INVALID_NUMBER, "LX01 '" + line.lx.el(1) + "' is not a line number");
      }
      if (lineNo < 1 || !numbers.add(lineNo)) {
        throw new RecordException(HealthcareReasons.MALFORMED_CLAIM,
            "claim " + claimId + ": line number " + lineNo + " is not positive or appears twice");
      }
      Segment sv1 = line.sv1;
      String system = sv1 == null ? "" : sv1.comp(1, 1);
      String code = sv1 == null ? "" : sv1.comp(1, 2);
      BigDecimal charge = sv1 == null ? null : amount(sv1.el(2), "SV102 of line " + lineNo);
      if (charge != null) {
        if (charge.signum() < 0) {
          throw new RecordException(HealthcareReasons.NEGATIVE_AMOUNT, "line " + lineNo + ": the charge " + charge + " is negative");
        }
        sum = sum.add(charge);
      }
      BigDecimal units = BigDecimal.ONE;
      if (sv1 != null && !sv1.el(4).isEmpty()) {
        units = number(sv1.el(4), MAX_UNITS_DIGITS, "SV104 of line " + lineNo, "a number");
        if (units.signum() <= 0) {
          throw new RecordException(Reasons.INVALID_VALUE, "SV104 of line " + lineNo + ": " + units + " units");
        }
      }
      LocalDate service = line.dtp == null ? claimService : serviceDate(line.dtp);
      if (service != null && received != null && service.isAfter(received)) {
        throw new RecordException(Reasons.INVALID_DATE, "claim " + claimId + " line " + lineNo + ": the service date "
            + service + " (DTP*472) is after the claim was created, " + received + " (BHT04)");
      }
      items.add(new Item(lineNo, service, system, code, FhirClaims.plain(units), charge));
    }
    BigDecimal total = totalText.isEmpty() ? sum : amount(totalText, "CLM02");
    if (total.signum() < 0) {
      throw new RecordException(HealthcareReasons.NEGATIVE_AMOUNT, "claim " + claimId + ": the total (CLM02) " + total
          + " is negative");
    }
    items.sort(java.util.Comparator.comparingInt(Item::lineNo));
    SourceRef lineSource = SourceRef.of(path, source.line(), "");
    List<ClaimLine> lines = new ArrayList<>();
    for (Item it : items) {
      lines.add(new ClaimLine(claimId, it.lineNo(), items.size(), ClaimLine.X12_837P, member, patient, provider,
          payer, it.service(), received, it.system(), it.code(), it.units(), it.charge(), total, c.diagnosis,
          lineSource));
    }
    return new SubmittedClaim(claimId, ClaimLine.X12_837P, "professional", source, lines);
  }

  /** The most digits of CLM02 and SV102 (X12 R, maximum length 18 in the 837P). */
  static final int MAX_AMOUNT_DIGITS = 18;
  /** The most digits of SV104 (X12 R, maximum length 15). */
  static final int MAX_UNITS_DIGITS = 15;

  /** A monetary amount (X12 R), rounded half-up to cents; null when empty. */
  private static BigDecimal amount(String text, String what) throws RecordException {
    if (text.isEmpty()) {
      return null;
    }
    return number(text, MAX_AMOUNT_DIGITS, what, "an amount").setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * An X12 R number of at most {@code maxDigits} digits, bounded by {@link Values#decimal} (which
   * refuses {@code 1E+99999999} before anything rounds or prints it).
   */
  private static BigDecimal number(String text, int maxDigits, String what, String kind) throws RecordException {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      digits += ch >= '0' && ch <= '9' ? 1 : 0;
    }
    if (digits > maxDigits) {
      throw new RecordException(Reasons.INVALID_NUMBER,
          what + " '" + shown + "' is not " + kind + ": more than " + maxDigits + " digits");
    }
    try {
      return Values.decimal(text);
    } catch (NumberFormatException e) {
      throw new RecordException(Reasons.INVALID_NUMBER, what + " '" + shown + "' is not " + kind
          + (e.getMessage() != null && e.getMessage().startsWith("out of range") ? " (" + e.getMessage() + ")" : ""));
    }
  }

  /** DTP*472: D8 CCYYMMDD, or RD8 CCYYMMDD-CCYYMMDD (the first day). */
  private static LocalDate serviceDate(Segment dtp) throws RecordException {
    String value = dtp.el(3);
    if (dtp.el(2).equals("RD8")) {
      int dash = value.indexOf('-');
      value = dash < 0 ? value : value.substring(0, dash);
    }
    return date(value, "DTP*472");
  }

  private static LocalDate date(String text, String what) throws RecordException {
    if (text.isEmpty()) {
      return null;
    }
    LocalDate d;
    try {
      d = LocalDate.parse(text, D8);
    } catch (DateTimeParseException e) {
      throw new RecordException(Reasons.INVALID_DATE, what + " '" + text + "' is not a date (CCYYMMDD)");
    }
    if (d.getYear() < 1) {
      throw new RecordException(Reasons.INVALID_DATE, what + " '" + text + "' is not a date: there is no year 0000");
    }
    return d;
  }
}
