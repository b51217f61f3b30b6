package dev.nightshift.pipelines.healthcare.patients;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.healthcare.Fhir;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.PatientData;
import dev.nightshift.schemas.healthcare.PatientUpdate;
import dev.nightshift.schemas.healthcare.PatientVersion;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import dev.nightshift.transforms.io.ReadLines;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/** Reads FHIR Patient NDJSON lines and rows of a previous patient_master.csv. */
final class PatientParsers {
  private PatientParsers() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One Patient per line: parsed with HAPI FHIR, then reduced to what the master keeps. */
  static final ReadLines.Handler<PatientUpdate> UPDATES =
      (line, source, out) -> out.emit(patient(line, source));

  static PatientUpdate patient(String line, SourceRef source) throws RecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new RecordException(Reasons.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new RecordException(Reasons.MALFORMED_JSON, "not a JSON object");
    }
    String type = node.path("resourceType").asText("");
    if (!type.equals("Patient")) {
      throw new RecordException(HealthcareReasons.NOT_A_PATIENT,
          type.isEmpty() ? "no resourceType" : "a " + type + ", not a Patient");
    }
    Patient p;
    try {
      p = Fhir.readingParser().parseResource(Patient.class, line);
    } catch (DataFormatException e) {
      throw new RecordException(HealthcareReasons.MALFORMED_PATIENT, e.getMessage());
    } catch (RuntimeException e) {
      // HAPI's own failures on odd input (an empty JSON key: StringIndexOutOfBoundsException)
      throw new RecordException(HealthcareReasons.MALFORMED_PATIENT, "HAPI FHIR fails on the Patient: " + e);
    }
    Instant lastUpdated = lastUpdated(p);

    TreeSet<String> ids = new TreeSet<>();
    for (Identifier id : p.getIdentifier()) {
      if (id.hasSystem() && id.hasValue() && !id.getSystem().isBlank() && !id.getValue().isBlank()) {
        String key = PatientRules.identifierKey(id.getSystem(), id.getValue());
        if (key.chars().filter(c -> c == '|').count() != 1 || key.indexOf(';') >= 0) {
          // '|' and ';' separate identifiers in patient_master.csv
          throw new RecordException(Reasons.INVALID_VALUE,
              "identifier system or value holds '|' or ';': " + key);
        }
        ids.add(key);
      }
    }
    HumanName name = officialName(p);
    String family = name == null ? "" : text(name.getFamily());
    String given = name == null || name.getGiven().isEmpty() ? "" : text(name.getGiven().get(0).getValue());
    LocalDate birthDate = birthDate(p);
    String gender = p.hasGender() ? p.getGender().toCode() : "";
    String phone = "";
    for (ContactPoint c : p.getTelecom()) {
      if (c.getSystem() == ContactPoint.ContactPointSystem.PHONE && c.hasValue()) {
        phone = text(c.getValue());
        break;
      }
    }
    Address address = address(p);
    List<String> lines = new ArrayList<>();
    if (address != null) {
      for (StringType l : address.getLine()) {
        if (l.hasValue() && !l.getValue().isBlank()) {
          lines.add(l.getValue().trim());
        }
      }
    }
    PatientData data =
        new PatientData(
            List.copyOf(ids),
            family,
            given,
            birthDate,
            gender,
            phone,
            String.join(", ", lines),
            address == null ? "" : text(address.getCity()),
            address == null ? "" : text(address.getState()),
            address == null ? "" : text(address.getPostalCode()));
    requireText(data);
    if (ids.isEmpty() && PatientRules.demographicKey(data).isEmpty()) {
      throw new RecordException(HealthcareReasons.NO_PATIENT_IDENTITY,
          "no identifier with a system and a value, and not family name + given name + birth date");
    }
    return new PatientUpdate(data, lastUpdated, source);
  }

  private static Instant lastUpdated(Patient p) throws RecordException {
    String value = p.hasMeta() ? p.getMeta().getLastUpdatedElement().getValueAsString() : null;
    if (value == null || value.isBlank()) {
      throw new RecordException(HealthcareReasons.MISSING_LAST_UPDATED,
          "meta.lastUpdated is required: it orders the patient's versions");
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new RecordException(Reasons.INVALID_DATE,
          "meta.lastUpdated is not an instant with a time zone: '" + value + "'");
    }
  }

  private static LocalDate birthDate(Patient p) throws RecordException {
    if (!p.hasBirthDateElement() || p.getBirthDateElement().getValueAsString() == null) {
      return null;
    }
    if (p.getBirthDateElement().getPrecision() != TemporalPrecisionEnum.DAY) {
      throw new RecordException(Reasons.INVALID_DATE,
          "birthDate must be a full date, not '" + p.getBirthDateElement().getValueAsString() + "'");
    }
    return LocalDate.parse(p.getBirthDateElement().getValueAsString());
  }

  /** The official name, else the first usual one, else the first. */
  private static HumanName officialName(Patient p) {
    for (HumanName.NameUse use : List.of(HumanName.NameUse.OFFICIAL, HumanName.NameUse.USUAL)) {
      for (HumanName n : p.getName()) {
        if (n.getUse() == use) {
          return n;
        }
      }
    }
    return p.getName().isEmpty() ? null : p.getName().get(0);
  }

  /** The home address, else the first that is not old, else none. */
  private static Address address(Patient p) {
    for (Address a : p.getAddress()) {
      if (a.getUse() == Address.AddressUse.HOME) {
        return a;
      }
    }
    for (Address a : p.getAddress()) {
      if (a.getUse() != Address.AddressUse.OLD) {
        return a;
      }
    }
    return null;
  }

  private static String text(String s) {
    return s == null ? "" : s.trim();
  }

  /** Control characters (line breaks) have no place in a name or an address: refused, not altered. */
  private static void requireText(PatientData d) throws RecordException {
    for (String s : List.of(d.family(), d.given(), d.phone(), d.addressLine(), d.city(), d.state(),
        d.postalCode(), String.join("", d.identifiers()))) {
      if (s.chars().anyMatch(Character::isISOControl)) {
        throw new RecordException(Reasons.INVALID_VALUE, "a name, identifier or address holds a control character");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // patient_master.csv of the previous run

  static final CsvRecordParser<PatientVersion> MASTER =
      CsvRecordParser.of(PatientVersion.COLUMNS, PatientParsers::masterRow);

  static PatientVersion masterRow(CsvRow row) throws RecordException {
    String mpi = row.text("mpi_id");
    long version = row.lng("version");
    if (version < 1 || version > Integer.MAX_VALUE) {
      throw new RecordException(Reasons.INVALID_NUMBER, "'version' must be a positive number: " + version);
    }
    Instant validFrom = instant(row, "valid_from");
    Instant validTo = row.optText("valid_to").isEmpty() ? null : instant(row, "valid_to");
    List<String> ids = new ArrayList<>();
    String idText = row.optText("identifiers");
    if (!idText.isEmpty()) {
      for (String id : idText.split(";", -1)) {
        int bar = id.indexOf('|');
        if (bar <= 0 || bar == id.length() - 1 || id.indexOf('|', bar + 1) >= 0) {
          throw new RecordException(Reasons.INVALID_VALUE, "'identifiers' holds '" + id + "', not system|value");
        }
        ids.add(id);
      }
    }
    LocalDate birthDate = row.optText("birth_date").isEmpty() ? null : row.date("birth_date");
    PatientData data =
        new PatientData(
            new TreeSet<>(ids).stream().toList(),
            row.optText("family"),
            row.optText("given"),
            birthDate,
            row.optText("gender"),
            row.optText("phone"),
            row.optText("address_line"),
            row.optText("city"),
            row.optText("state"),
            row.optText("postal_code"));
    String sourceLine = row.optText("source_line");
    return new PatientVersion(mpi, (int) version, validFrom, validTo, data, row.optText("source_file"),
        sourceLine.isEmpty() ? 0 : row.lng("source_line"), row.source());
  }

  private static Instant instant(CsvRow row, String column) throws RecordException {
    String v = row.text(column);
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new RecordException(Reasons.INVALID_DATE, "'" + column + "' is not an ISO instant: '" + v + "'");
    }
  }
}
