package dev.nightshift.pipelines.healthcare.claims;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Reference;

/**
 * A HAPI FHIR R4 {@link Claim} as the lines adjudication reads ({@link ClaimLine}), for Bulk FHIR
 * NDJSON and for Synthea bundles alike. References are resolved through a {@link Resolver} (a
 * bundle's entries by {@code fullUrl}; none in NDJSON, where {@code Patient/M0000001} simply names
 * the patient).
 *
 * <ul>
 *   <li>claim id: {@code Claim.id} (in a bundle, else the entry's {@code urn:uuid:}); it must be a
 *       FHIR id of at most 38 characters ({@code [A-Za-z0-9.-]}), since the EOB and the 835
 *       (CLP01, 38 characters) carry it;
 *   <li>member = patient: the logical id of the Patient that {@code Claim.patient} points at;
 *   <li>provider: {@code Claim.provider.identifier}, else the NPI (or id) of the resource its
 *       reference points at, else the value of a conditional reference
 *       ({@code Practitioner?identifier=system|value}), else the reference's id;
 *   <li>payer: the focal insurance's Coverage (resolved: its first payor's name or identifier),
 *       else the coverage's display or identifier; else {@code Claim.insurer};
 *   <li>received date: {@code Claim.created}; service date per line: {@code item.serviced[x]},
 *       else {@code Claim.billablePeriod.start}; dates are the calendar day as written, whatever
 *       the time zone; a date without a day (a year, a month) is {@code INVALID_DATE};
 *   <li>charge: {@code item.net}, else {@code unitPrice x quantity x factor}; money in USD only,
 *       rounded half-up to cents (Synthea writes binary floating-point noise such as
 *       410.20000000000005); units {@code item.quantity} (1 when absent, must be positive). When
 *       exactly one item has neither and {@code Claim.total} exceeds the other items' charges, that
 *       item is charged the difference (Synthea's encounter item: no net, its cost in the total);
 *   <li>refused: a number {@link Values#decimal} refuses, or an amount of more than
 *       {@value #MAX_AMOUNT_DIGITS} digits in cents ({@code INVALID_NUMBER}); a negative charge or
 *       total ({@code NEGATIVE_AMOUNT}); a service date after {@code Claim.created}
 *       ({@code INVALID_DATE}: a claim is made after the service);
 * </ul>
 *
 * Missing business data (no patient, no charge, no code, no date) is not refused here: the line is
 * read with the value empty and adjudication denies it with CARC 16, naming what is missing.
 */
final class FhirClaims {
  private FhirClaims() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Claim ids must be FHIR ids and fit X12 CLP01 (38 characters). */
  static final Pattern CLAIM_ID = Pattern.compile("[A-Za-z0-9.\\-]{1,38}");
  /** How much of a claim's text a dead letter keeps. */
  static final int MAX_RAW = 2_000;

  static final String CPT = "http://www.ama-assn.org/go/cpt";
  static final String HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
  static final String SNOMED = "http://snomed.info/sct";
  static final String CVX = "http://hl7.org/fhir/sid/cvx";
  static final String NPI = "http://hl7.org/fhir/sid/us-npi";

  /** Finds the resource a reference points at (in the same bundle), as JSON; null when none. */
  interface Resolver {
    JsonNode resolve(String reference);
  }

  static final Resolver NONE = reference -> null;

  /**
   * The most digits an amount has in cents: 18, the maximum length of the X12 R amounts it is
   * written to (CLM02, SV102; CLP03 and SVC02 of the 835). A 30-digit total is refused, not paid.
   */
  static final int MAX_AMOUNT_DIGITS = 18;

  /**
   * What a streamed look at a resource found, before HAPI reads it: its resourceType and id (top
   * level), and the first number {@link Values#decimal} refuses as a message naming its path
   * ({@code Claim.total.value '1E+99999999' ...}), null when none.
   */
  record Scan(String resourceType, String id, String badNumber) {}

  /**
   * Streams through one JSON object (the parser on its START_OBJECT; left on its END_OBJECT)
   * without building it. HAPI reads a number such as {@code 1E+99999999} or {@code 1e400} as an
   * invalid value (the claim would be MALFORMED_CLAIM), or a 10^30 one as a valid decimal: each
   * number is bounded here, by its text as written.
   */
  static Scan scan(JsonParser p) throws IOException {
    JsonStreamContext root = p.getParsingContext();
    String type = "";
    String id = "";
    String bad = null;
    for (int depth = 1; depth > 0; ) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new JsonParseException(p, "the resource ends before its closing brace");
      }
      switch (t) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_STRING -> {
          if (depth == 1 && "resourceType".equals(p.currentName())) {
            type = p.getText();
          } else if (depth == 1 && "id".equals(p.currentName())) {
            id = p.getText();
          }
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          if (bad == null) {
            String number = p.getText();
            try {
              Values.decimal(number);
            } catch (NumberFormatException e) {
              bad = path(p.getParsingContext(), root) + " '" + (number.length() <= 40 ? number : number.substring(0, 40) + "...")
                  + "' is not a number a claim takes: " + e.getMessage();
            }
          }
        }
        default -> { }
      }
    }
    return new Scan(type, id, bad == null ? null : (type.isEmpty() ? "" : type + ".") + bad);
  }

  /** The scan of one NDJSON line; null when it is not a JSON object (HAPI and its refusal say why). */
  static Scan scan(String json) {
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      return p.nextToken() == JsonToken.START_OBJECT ? scan(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The path of the current value below {@code root}: {@code item[0].net.value}. */
  private static String path(JsonStreamContext at, JsonStreamContext root) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = at; c != null; c = c.getParent()) {
      if (c.inArray()) {
        parts.add("[" + c.getCurrentIndex() + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.add((c == root ? "" : ".") + c.getCurrentName());
      }
      if (c == root) {
        break;
      }
    }
    Collections.reverse(parts);
    return String.join("", parts);
  }

  static String truncate(String raw) {
    return raw.length() <= MAX_RAW ? raw : raw.substring(0, MAX_RAW) + "...";
  }

  /** The label a code system gets in {@link ClaimLine#procedureSystem()}. */
  static String systemLabel(String system) {
    if (system == null) {
      return "";
    }
    return switch (system) {
      case CPT, HCPCS, "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "urn:oid:2.16.840.1.113883.6.285",
          "urn:oid:2.16.840.1.113883.6.12" -> "HC";
      case SNOMED -> "SNOMED";
      case CVX -> "CVX";
      default -> system;
    };
  }

  /** The code system URI of a {@link ClaimLine#procedureSystem()} label (HC: CPT or HCPCS by code form). */
  static String systemUri(String label, String code) {
    return switch (label) {
      case "HC" -> code.matches("\\d{4}[0-9A-Z]") ? CPT : HCPCS;
      case "SNOMED" -> SNOMED;
      case "CVX" -> CVX;
      default -> label;
    };
  }

  static SubmittedClaim toClaim(
      Claim c, String fallbackId, String format, Resolver resolver, String file, long position, String raw)
      throws RecordException {
    String claimId = c.hasIdElement() && c.getIdElement().getIdPart() != null ? c.getIdElement().getIdPart() : "";
    if (claimId.isEmpty() || claimId.startsWith("urn:")) {
      claimId = fallbackId;
    }
    if (claimId.isEmpty()) {
      throw new RecordException(Reasons.MISSING_FIELD, "the Claim has no id");
    }
    if (!CLAIM_ID.matcher(claimId).matches()) {
      throw new RecordException(Reasons.INVALID_VALUE,
          "claim id '" + claimId + "' is not 1 to 38 of A-Z a-z 0-9 - . (FHIR id and X12 CLP01)");
    }
    if (c.getItem().isEmpty()) {
      throw new RecordException(HealthcareReasons.MALFORMED_CLAIM, "claim " + claimId + " has no items");
    }
    String type = c.getType().getCodingFirstRep().hasCode() ? c.getType().getCodingFirstRep().getCode() : "";
    String patient = referencedId(c.getPatient(), resolver, false);
    String provider = referencedId(c.getProvider(), resolver, true);
    String payer = payer(c, resolver);
    LocalDate received = day(c.getCreatedElement(), "Claim.created");
    LocalDate billable = c.hasBillablePeriod() ? day(c.getBillablePeriod().getStartElement(), "Claim.billablePeriod.start") : null;
    String diagnosis = diagnosis(c, resolver);

    record Item(int sequence, LocalDate service, String system, String code, BigDecimal units, BigDecimal charge) {}
    List<Item> items = new ArrayList<>();
    Set<Integer> sequences = new HashSet<>();
    BigDecimal sum = BigDecimal.ZERO.setScale(2);
    for (int i = 0; i < c.getItem().size(); i++) {
      Claim.ItemComponent it = c.getItem().get(i);
      int sequence = it.hasSequence() ? it.getSequence() : i + 1;
      if (sequence < 1 || !sequences.add(sequence)) {
        throw new RecordException(HealthcareReasons.MALFORMED_CLAIM,
            "claim " + claimId + ": item sequence " + sequence + " is not positive or appears twice");
      }
      String where = "item " + sequence;
      LocalDate service = billable;
      if (it.hasServicedDateType()) {
        service = day(it.getServicedDateType(), where + " servicedDate");
      } else if (it.hasServicedPeriod() && it.getServicedPeriod().hasStart()) {
        service = day(it.getServicedPeriod().getStartElement(), where + " servicedPeriod.start");
      }
      if (service != null && received != null && service.isAfter(received)) {
        throw new RecordException(Reasons.INVALID_DATE,
            where + ": served " + service + ", after the claim was created (Claim.created " + received + ")");
      }
      Coding coding = firstCoded(it.getProductOrService());
      BigDecimal units = it.hasQuantity() && it.getQuantity().hasValue() ? it.getQuantity().getValue() : BigDecimal.ONE;
      if (units.signum() <= 0) {
        throw new RecordException(Reasons.INVALID_VALUE, where + ": quantity " + units.toPlainString() + " is not positive");
      }
      BigDecimal charge = null;
      if (it.hasNet() && it.getNet().hasValue()) {
        charge = usd(it.getNet(), where + " net", BigDecimal.ONE);
      } else if (it.hasUnitPrice() && it.getUnitPrice().hasValue()) {
        BigDecimal factor = it.hasFactor() ? it.getFactor() : BigDecimal.ONE;
        charge = usd(it.getUnitPrice(), where + " unitPrice", units.multiply(factor));
      }
      if (charge != null) {
        if (charge.signum() < 0) {
          throw new RecordException(HealthcareReasons.NEGATIVE_AMOUNT, where + ": the charge " + charge + " is negative");
        }
        sum = sum.add(charge);
      }
      items.add(new Item(sequence, service, coding == null ? "" : systemLabel(coding.getSystem()),
          coding == null ? "" : coding.getCode().trim(), plain(units), charge));
    }
    BigDecimal total = c.hasTotal() && c.getTotal().hasValue() ? usd(c.getTotal(), "Claim.total", BigDecimal.ONE) : sum;
    if (total.signum() < 0) {
      throw new RecordException(HealthcareReasons.NEGATIVE_AMOUNT, "claim " + claimId + ": the total (Claim.total) " + total
          + " is negative");
    }
    // Synthea writes no net on a claim's encounter item and counts the encounter's cost in
    // Claim.total: one item without a charge takes what the total leaves over the others' charges.
    List<Item> uncharged = items.stream().filter(it -> it.charge() == null).toList();
    if (uncharged.size() == 1 && total.compareTo(sum) > 0) {
      Item it = uncharged.get(0);
      items.set(items.indexOf(it), new Item(it.sequence(), it.service(), it.system(), it.code(), it.units(), total.subtract(sum)));
    }
    items.sort(Comparator.comparingInt(Item::sequence));
    SourceRef lineSource = SourceRef.of(file, position, "");
    List<ClaimLine> lines = new ArrayList<>(items.size());
    for (Item it : items) {
      lines.add(new ClaimLine(claimId, it.sequence(), items.size(), format, patient, patient, provider, payer,
          it.service(), received, it.system(), it.code(), it.units(), it.charge(), total, diagnosis, lineSource));
    }
    return new SubmittedClaim(claimId, format, type, SourceRef.of(file, position, truncate(raw)), lines);
  }

  /** Units as a plain number without trailing zeros (1, 84, 1.5). */
  static BigDecimal plain(BigDecimal units) {
    BigDecimal u = units.stripTrailingZeros();
    return u.scale() < 0 ? u.setScale(0) : u;
  }

  private static Coding firstCoded(CodeableConcept concept) {
    for (Coding coding : concept.getCoding()) {
      if (coding.hasCode() && !coding.getCode().isBlank()) {
        return coding;
      }
    }
    return null;
  }

  /** A USD amount times {@code times}, rounded half-up to cents; another currency is refused. */
  private static BigDecimal usd(Money m, String what, BigDecimal times) throws RecordException {
    if (m.hasCurrency() && !"USD".equals(m.getCurrency())) {
      throw new RecordException(Reasons.INVALID_VALUE, what + " is in " + m.getCurrency() + ", not USD");
    }
    BigDecimal amount = m.getValue().multiply(times).setScale(2, RoundingMode.HALF_UP);
    if (amount.precision() > MAX_AMOUNT_DIGITS) {
      throw new RecordException(Reasons.INVALID_NUMBER, what + " " + m.getValue().toString()
          + " is not an amount: more than " + MAX_AMOUNT_DIGITS + " digits in cents");
    }
    return amount;
  }

  /** The calendar day of a FHIR date or dateTime as written; null when absent. */
  static LocalDate day(BaseDateTimeType t, String what) throws RecordException {
    if (t == null || t.getValueAsString() == null || t.getValueAsString().isBlank()) {
      return null;
    }
    String v = t.getValueAsString();
    if (t.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
      throw new RecordException(Reasons.INVALID_DATE, what + " '" + v + "' is not a full date");
    }
    try {
      return LocalDate.parse(v.substring(0, 10));
    } catch (DateTimeParseException | IndexOutOfBoundsException e) {
      throw new RecordException(Reasons.INVALID_DATE, what + " '" + v + "' is not a date");
    }
  }

  /**
   * The id a reference names: the resolved resource's id (for a provider its NPI first), else the
   * value of a conditional reference or an identifier, else the reference's own id part.
   */
  static String referencedId(Reference ref, Resolver resolver, boolean npiFirst) {
    if (ref == null || ref.isEmpty()) {
      return "";
    }
    if (npiFirst && ref.hasIdentifier() && ref.getIdentifier().hasValue()) {
      return ref.getIdentifier().getValue().trim();
    }
    if (ref.hasReference()) {
      String r = ref.getReference().trim();
      JsonNode target = resolver.resolve(r);
      if (target != null) {
        if (npiFirst) {
          String npi = identifier(target, NPI);
          if (!npi.isEmpty()) {
            return npi;
          }
        }
        String id = target.path("id").asText("").trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      return idOf(r);
    }
    if (ref.hasIdentifier() && ref.getIdentifier().hasValue()) {
      return ref.getIdentifier().getValue().trim();
    }
    return "";
  }

  /** The id part of a reference string: a urn:uuid, a conditional reference's value, Type/id. */
  static String idOf(String reference) {
    if (reference.startsWith("urn:uuid:") || reference.startsWith("urn:oid:")) {
      return reference.substring(9);
    }
    int q = reference.indexOf("?identifier=");
    if (q >= 0) {
      String v = reference.substring(q + "?identifier=".length());
      return v.substring(v.lastIndexOf('|') + 1).trim();
    }
    return new IdType(reference).getIdPart() == null ? reference : new IdType(reference).getIdPart();
  }

  /** The value of the resource's first identifier of {@code system} (any system when null). */
  static String identifier(JsonNode resource, String system) {
    for (JsonNode id : resource.path("identifier")) {
      if (system == null || system.equals(id.path("system").asText())) {
        String v = id.path("value").asText("").trim();
        if (!v.isEmpty()) {
          return v;
        }
      }
    }
    return "";
  }

  private static String payer(Claim c, Resolver resolver) {
    Claim.InsuranceComponent insurance = null;
    for (Claim.InsuranceComponent i : c.getInsurance()) {
      if (i.getFocal()) {
        insurance = i;
        break;
      }
    }
    if (insurance == null && !c.getInsurance().isEmpty()) {
      insurance = c.getInsurance().get(0);
    }
    if (insurance != null && !insurance.getCoverage().isEmpty()) {
      Reference cov = insurance.getCoverage();
      if (cov.hasReference()) {
        JsonNode coverage = resolver.resolve(cov.getReference().trim());
        if (coverage != null) {
          JsonNode payor = coverage.path("payor").path(0);
          String name = payor.path("display").asText("").trim();
          if (name.isEmpty()) {
            name = payor.path("identifier").path("value").asText("").trim();
          }
          if (!name.isEmpty()) {
            return name;
          }
        }
      }
      if (cov.hasDisplay()) {
        return cov.getDisplay().trim();
      }
      if (cov.hasIdentifier() && cov.getIdentifier().hasValue()) {
        return cov.getIdentifier().getValue().trim();
      }
      if (cov.hasReference()) {
        return idOf(cov.getReference().trim());
      }
    }
    Reference insurer = c.getInsurer();
    if (insurer.hasDisplay()) {
      return insurer.getDisplay().trim();
    }
    if (insurer.hasIdentifier() && insurer.getIdentifier().hasValue()) {
      return insurer.getIdentifier().getValue().trim();
    }
    return insurer.hasReference() ? idOf(insurer.getReference().trim()) : "";
  }

  /** The code of the claim's first diagnosis (by sequence); a referenced Condition's code. */
  private static String diagnosis(Claim c, Resolver resolver) {
    List<Claim.DiagnosisComponent> all = new ArrayList<>(c.getDiagnosis());
    all.sort(Comparator.comparingInt(Claim.DiagnosisComponent::getSequence));
    for (Claim.DiagnosisComponent d : all) {
      if (d.hasDiagnosisCodeableConcept()) {
        Coding coding = firstCoded(d.getDiagnosisCodeableConcept());
        if (coding != null) {
          return coding.getCode().trim();
        }
      } else if (d.hasDiagnosisReference() && d.getDiagnosisReference().hasReference()) {
        JsonNode condition = resolver.resolve(d.getDiagnosisReference().getReference());
        if (condition != null) {
          for (JsonNode coding : condition.path("code").path("coding")) {
            String code = coding.path("code").asText("").trim();
            if (!code.isEmpty()) {
              return code;
            }
          }
        }
      }
    }
    return "";
  }
}
