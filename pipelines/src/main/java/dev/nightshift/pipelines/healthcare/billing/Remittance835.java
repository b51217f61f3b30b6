package dev.nightshift.pipelines.healthcare.billing;

import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.BillingTransaction;
import dev.nightshift.schemas.healthcare.Carc;
import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamConstants.Standards;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The provider remittance: an X12 835 005010X221A1 Health Care Claim Payment/Advice.
 *
 * <p>{@link #transaction} builds the segments of one payee provider's transaction (BPR .. the last
 * claim) from its claim lines; {@link #write} writes the run's one interchange with StAEDI's
 * {@link EDIStreamWriter}: ISA/GS, the transactions in the order given, each between ST and SE
 * with its control number and segment count, GE/IEA. Everything derives from the lines and the
 * business date (control numbers, dates, check trace numbers), never from the clock, so the same
 * input gives the same bytes. Each segment ends with {@code ~} and a line feed.
 *
 * <p>Per claim (CLP): status 1 (processed as primary) when any line is paid, 4 (denied) when every
 * line is denied; CLP03 the total charge, CLP04 the plan's payment, CLP05 the patient
 * responsibility. Per line (SVC, with its line number in REF*6R): CAS adjustments CO-45 = charge -
 * allowed, PR-1 deductible, PR-2 coinsurance, PR-3 copay on paid lines, CO-&lt;CARC&gt; = the
 * charge on denied lines (CARC 16 with remark MA130). A denied line that has no procedure code
 * cannot be an SVC: its adjustment is reported at claim level. So every line balances (SVC02 -
 * SVC03 = its CAS amounts), every claim (CLP03 - CLP04 = all its CAS amounts), and BPR02 is the sum
 * of CLP04.
 */
public final class Remittance835 {
  private Remittance835() {}

  public static final String FILE_NAME = "remittance_835.edi";
  public static final String SCHEMA_RESOURCE = "x12_835_005010X221A1.xml";
  public static final String VERSION = "005010X221A1";

  /** The payer (README: payer NIGHTSHIFT-HEALTH, X12 id NSHP1) and the interchange's receiver. */
  public static final String PAYER_NAME = "NIGHTSHIFT HEALTH";
  public static final String PAYER_ID = "NSHP1";
  /** TRN03: "1" followed by the payer's federal tax id. */
  public static final String PAYER_TRN_ID = "1990000001";
  public static final String RECEIVER_ID = "NSCLEARINGHOUSE";

  public static final char SEGMENT = '~';
  public static final char ELEMENT = '*';
  public static final char COMPONENT = ':';
  public static final char REPETITION = '^';

  /** Separators inside {@link BillingTransaction#body()}. */
  static final char BODY_ELEMENT = '\u001F';
  static final char BODY_COMPONENT = '\u001E';

  private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

  /** ISA13 and GS06: the business date (yymmdd) and run 001: one interchange per payment run. */
  public static String controlNumber(LocalDate businessDate) {
    return businessDate.format(YYMMDD) + "001";
  }

  /** TRN02, the check trace number: unique per payee and payment run. */
  public static String traceNumber(LocalDate businessDate, String providerId) {
    return "NS" + businessDate.format(YYYYMMDD) + providerId;
  }

  // ---------------------------------------------------------------------------------------------
  // One provider's transaction

  /** The transaction of one payee provider; {@code lines} are that provider's lines, any order. */
  public static BillingTransaction transaction(
      String providerId, List<AdjudicatedLine> lines, LocalDate businessDate) {
    Map<String, List<AdjudicatedLine>> claims = new TreeMap<>();
    for (AdjudicatedLine l : lines) {
      claims.computeIfAbsent(l.claimId(), c -> new ArrayList<>()).add(l);
    }
    List<Body> claimBodies = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    for (List<AdjudicatedLine> claim : claims.values()) {
      claim.sort(Comparator.comparingInt(AdjudicatedLine::lineNo));
      Body b = new Body();
      total = total.add(claim(b, claim));
      claimBodies.add(b);
    }
    String date = businessDate.format(YYYYMMDD);
    Body t = new Body();
    // Financial information: a check when anything is paid, else a notification only.
    boolean pays = total.signum() > 0;
    t.seg("BPR", pays ? "I" : "H", amount(total), "C", pays ? "CHK" : "NON",
        "", "", "", "", "", "", "", "", "", "", "", date);
    t.seg("TRN", "1", traceNumber(businessDate, providerId), PAYER_TRN_ID);
    t.seg("REF", "EV", RECEIVER_ID);
    t.seg("DTM", "405", date);
    // 1000A payer, 1000B payee.
    t.seg("N1", "PR", PAYER_NAME);
    t.seg("N3", "PO BOX 1125");
    t.seg("N4", "SPRINGFIELD", "IL", "62701");
    t.seg("REF", "2U", PAYER_ID);
    t.seg("PER", "BL", "PROVIDER SERVICES", "TE", "8005550199");
    t.seg("N1", "PE", "PROVIDER " + providerId, "XX", providerId);
    t.seg("LX", "1");
    for (Body b : claimBodies) {
      t.append(b);
    }
    return new BillingTransaction(
        providerId, t.text(), claims.size(), lines.size(), t.segments, total);
  }

  /** Writes the CLP loop of one claim (lines sorted by line number); returns its payment. */
  private static BigDecimal claim(Body b, List<AdjudicatedLine> lines) {
    AdjudicatedLine first = lines.get(0);
    BigDecimal charge = BigDecimal.ZERO;
    BigDecimal paid = BigDecimal.ZERO;
    BigDecimal patient = BigDecimal.ZERO;
    boolean anyPaid = false;
    // Adjustments of denied lines without a procedure code, by CARC, reported at claim level.
    Map<String, BigDecimal> claimLevel = new TreeMap<>();
    for (AdjudicatedLine l : lines) {
      charge = charge.add(l.charge());
      paid = paid.add(l.planPaid());
      patient = patient.add(l.patientResponsibility());
      anyPaid |= !l.denied();
      if (l.procedureCode().isEmpty()) {
        claimLevel.merge(l.carc(), l.charge(), BigDecimal::add);
      }
    }
    b.seg("CLP", first.claimId(), anyPaid ? "1" : "4", amount(charge), amount(paid),
        amount(patient), "12", first.claimId());
    List<String[]> adjustments = new ArrayList<>();
    claimLevel.forEach((carc, amount) -> adjustments.add(new String[] {"CO", carc, amount(amount)}));
    cas(b, adjustments);
    String patientId = first.patientId().isEmpty() ? first.memberId() : first.patientId();
    if (patientId.isEmpty()) {
      b.seg("NM1", "QC", "1");
    } else {
      b.seg("NM1", "QC", "1", "", "", "", "", "", "MI", patientId);
    }
    if (!first.memberId().isEmpty() && !first.memberId().equals(patientId)) {
      b.seg("NM1", "IL", "1", "", "", "", "", "", "MI", first.memberId());
    }
    if (first.receivedDate() != null) {
      b.seg("DTM", "050", first.receivedDate().format(YYYYMMDD));
    }
    for (AdjudicatedLine l : lines) {
      if (!l.procedureCode().isEmpty()) {
        serviceLine(b, l);
      }
    }
    return paid;
  }

  private static void serviceLine(Body b, AdjudicatedLine l) {
    boolean oneUnit = l.units().compareTo(BigDecimal.ONE) == 0 || l.units().signum() <= 0;
    b.seg("SVC", component("HC", l.procedureCode()), amount(l.charge()), amount(l.planPaid()),
        "", oneUnit ? "" : amount(l.units()));
    if (l.serviceDate() != null) {
      b.seg("DTM", "472", l.serviceDate().format(YYYYMMDD));
    }
    List<String[]> adjustments = new ArrayList<>();
    if (l.denied()) {
      adjustments.add(new String[] {"CO", l.carc(), amount(l.charge())});
    } else {
      adjustments.add(new String[] {"CO", Carc.OVER_FEE_SCHEDULE, amount(l.charge().subtract(l.allowed()))});
      adjustments.add(new String[] {"PR", Carc.DEDUCTIBLE, amount(l.deductible())});
      adjustments.add(new String[] {"PR", Carc.COINSURANCE, amount(l.coinsurance())});
      adjustments.add(new String[] {"PR", Carc.COPAY, amount(l.copay())});
    }
    cas(b, adjustments);
    b.seg("REF", "6R", Integer.toString(l.lineNo()));
    if (!l.denied()) {
      b.seg("AMT", "B6", amount(l.allowed()));
    }
    if (l.denied() && Carc.MISSING_INFORMATION.equals(l.carc())) {
      // CARC 16 needs a remark code: MA130, the claim is incomplete or invalid (unprocessable).
      b.seg("LQ", "HE", "MA130");
    }
  }

  /**
   * CAS segments: the non-zero adjustments {group, reason, amount} grouped by group code in the
   * order given, at most six reason/amount/quantity triplets per segment.
   */
  private static void cas(Body b, List<String[]> adjustments) {
    Map<String, List<String[]>> byGroup = new LinkedHashMap<>();
    for (String[] a : adjustments) {
      if (!a[2].equals("0")) {
        byGroup.computeIfAbsent(a[0], g -> new ArrayList<>()).add(a);
      }
    }
    for (Map.Entry<String, List<String[]>> e : byGroup.entrySet()) {
      List<String[]> all = e.getValue();
      for (int from = 0; from < all.size(); from += 6) {
        List<String> elements = new ArrayList<>();
        elements.add(e.getKey());
        for (String[] a : all.subList(from, Math.min(all.size(), from + 6))) {
          elements.add(a[1]);
          elements.add(a[2]);
          elements.add("");
        }
        b.seg("CAS", elements.toArray(String[]::new));
      }
    }
  }

  /** X12 decimal (R): trailing zeros suppressed, no exponent ("127.80" is 127.8, "0.00" is 0). */
  public static String amount(BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    return (v.scale() < 0 ? v.setScale(0) : v).toPlainString();
  }

  static String component(String... parts) {
    return String.join(String.valueOf(BODY_COMPONENT), parts);
  }

  /** Segments in the body encoding: one per line, elements and components by control chars. */
  static final class Body {
    private final StringBuilder text = new StringBuilder();
    int segments;

    void seg(String tag, String... elements) {
      int n = elements.length;
      while (n > 0 && elements[n - 1].isEmpty()) {
        n--; // trailing empty elements are left out, as X12 requires
      }
      text.append(tag);
      for (int i = 0; i < n; i++) {
        text.append(BODY_ELEMENT).append(elements[i]);
      }
      text.append('\n');
      segments++;
    }

    void append(Body other) {
      text.append(other.text);
      segments += other.segments;
    }

    String text() {
      return text.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The interchange

  /**
   * Writes the run's interchange with the transactions in the order given (the caller sorts them
   * by provider); returns the number of segments written. With no transaction the interchange holds
   * no functional group (ISA, IEA*0). The writer validates the envelope against StAEDI's X12
   * control schema and each transaction against the 835 schema, so a bug that would write an
   * invalid 835 fails the run instead of reaching a provider.
   */
  public static int write(OutputStream out, LocalDate businessDate, List<BillingTransaction> transactions)
      throws IOException {
    LineEnds os = new LineEnds(out);
    EDIOutputFactory factory = EDIOutputFactory.newFactory();
    factory.setProperty(EDIStreamConstants.Delimiters.SEGMENT, SEGMENT);
    factory.setProperty(EDIStreamConstants.Delimiters.DATA_ELEMENT, ELEMENT);
    factory.setProperty(EDIStreamConstants.Delimiters.COMPONENT_ELEMENT, COMPONENT);
    factory.setProperty(EDIStreamConstants.Delimiters.REPETITION, REPETITION);
    String control = controlNumber(businessDate);
    int segments = 0;
    try {
      EDIStreamWriter w = factory.createEDIStreamWriter(os);
      w.setControlSchema(Schemas.control());
      w.setTransactionSchema(Schemas.transaction());
      w.startInterchange();
      segments += segment(w, "ISA", "00", "          ", "00", "          ", "ZZ", pad15(PAYER_ID),
          "ZZ", pad15(RECEIVER_ID), businessDate.format(YYMMDD), "0000", String.valueOf(REPETITION),
          "00501", control, "0", "P", String.valueOf(COMPONENT));
      if (!transactions.isEmpty()) {
        segments += segment(w, "GS", "HP", PAYER_ID, RECEIVER_ID, businessDate.format(YYYYMMDD),
            "0000", trimZeros(control), "X", VERSION);
        int st = 0;
        for (BillingTransaction t : transactions) {
          String number = String.format("%04d", ++st);
          segments += segment(w, "ST", "835", number);
          for (String line : t.body().split("\n")) {
            segments += body(w, line);
          }
          segments += segment(w, "SE", Integer.toString(t.segments() + 2), number);
        }
        segments += segment(w, "GE", Integer.toString(transactions.size()), trimZeros(control));
      }
      segments += segment(w, "IEA", transactions.isEmpty() ? "0" : "1", control);
      w.endInterchange();
      w.close();
    } catch (EDIStreamException e) {
      throw new IOException("cannot write the 835: " + e.getMessage(), e);
    }
    os.flush();
    return segments;
  }

  private static int segment(EDIStreamWriter w, String tag, String... elements)
      throws EDIStreamException {
    w.writeStartSegment(tag);
    for (String e : elements) {
      w.writeElement(e);
    }
    w.writeEndSegment();
    return 1;
  }

  /** Writes one body line: elements split on U+001F, components on U+001E. */
  private static int body(EDIStreamWriter w, String line) throws EDIStreamException {
    String[] parts = line.split(String.valueOf(BODY_ELEMENT), -1);
    w.writeStartSegment(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      String e = parts[i];
      if (e.isEmpty()) {
        w.writeEmptyElement();
      } else if (e.indexOf(BODY_COMPONENT) >= 0) {
        w.writeStartElement();
        for (String c : e.split(String.valueOf(BODY_COMPONENT), -1)) {
          w.writeComponent(c);
        }
        w.endElement();
      } else {
        w.writeElement(e);
      }
    }
    w.writeEndSegment();
    return 1;
  }

  private static String pad15(String id) {
    return String.format("%-15s", id);
  }

  private static String trimZeros(String control) {
    return Long.toString(Long.parseLong(control));
  }

  /** Adds a line feed after each segment terminator (data never holds one: lines are checked). */
  static final class LineEnds extends FilterOutputStream {
    LineEnds(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      if (b == SEGMENT) {
        out.write('\n');
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int start = off;
      for (int i = off; i < off + len; i++) {
        if (b[i] == SEGMENT) {
          out.write(b, start, i + 1 - start);
          out.write('\n');
          start = i + 1;
        }
      }
      out.write(b, start, off + len - start);
    }

    @Override
    public void close() throws IOException {
      flush(); // the caller owns the stream
    }
  }

  /** The schemas, loaded once per JVM (StAEDI schemas are immutable once built). */
  public static final class Schemas {
    private Schemas() {}

    /** StAEDI logs every schema type it does not use at INFO when it loads one: not news. */
    private static final java.util.logging.Logger SCHEMA_LOG = quiet("io.xlate.edi.internal.schema");

    private static java.util.logging.Logger quiet(String name) {
      java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
      log.setLevel(java.util.logging.Level.WARNING);
      return log;
    }

    private static Schema control;
    private static Schema transaction;

    public static synchronized Schema control() {
      if (control == null) {
        try {
          control = SchemaFactory.newFactory().getControlSchema(Standards.X12, new String[] {"00501"});
        } catch (EDISchemaException e) {
          throw new IllegalStateException("no X12 control schema", e);
        }
      }
      return control;
    }

    /** The 835 transaction schema of {@value #SCHEMA_RESOURCE} (in this package). */
    public static synchronized Schema transaction() {
      if (transaction == null) {
        try (InputStream in = Remittance835.class.getResourceAsStream(SCHEMA_RESOURCE)) {
          transaction = SchemaFactory.newFactory().createSchema(in);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (EDISchemaException e) {
          throw new IllegalStateException("invalid 835 schema " + SCHEMA_RESOURCE, e);
        }
      }
      return transaction;
    }
  }
}
