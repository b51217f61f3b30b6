package dev.nightshift.pipelines.healthcare.patients;

import dev.nightshift.schemas.healthcare.PatientData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The matching rules of patient-records, in one place: how identifiers and names are normalised,
 * the demographic key, postal-code compatibility, the blocking key of in-batch linking, how an
 * update merges into a version, and the id of a new master patient.
 */
final class PatientRules {
  private PatientRules() {}

  public static final String SSN_SYSTEM = "http://hl7.org/fhir/sid/us-ssn";

  /**
   * {@code system|value} with both trimmed and the value's whitespace removed; a US SSN is written
   * {@code ddd-dd-dddd} whatever its punctuation, so that {@code 999129623} and {@code 999-12-9623}
   * are the same identifier. Identifiers are otherwise case-sensitive, as in FHIR.
   */
  static String identifierKey(String system, String value) {
    String s = system.trim();
    String v = value.replaceAll("\\s+", "");
    if (s.equals(SSN_SYSTEM)) {
      String digits = v.replace("-", "");
      if (digits.matches("\\d{9}")) {
        v = digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5);
      }
    }
    return s + "|" + v;
  }

  /** Upper case, accents dropped, letters and digits only: "O'Brien-Smith" is "OBRIENSMITH". */
  static String normalizeName(String name) {
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return decomposed.toUpperCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }

  /**
   * Family name, first given name (both normalised), birth date and gender; {@code ""} when the
   * family name, given name or birth date is missing (such an update never matches on demographics).
   */
  static String demographicKey(PatientData d) {
    String family = normalizeName(d.family());
    String given = normalizeName(d.given());
    if (family.isEmpty() || given.isEmpty() || d.birthDate() == null) {
      return "";
    }
    return family + "|" + given + "|" + d.birthDate() + "|" + d.gender();
  }

  /** The 5-digit ZIP of a postal code (ZIP+4 allowed), or {@code ""} when it is not one. */
  static String postal5(String postalCode) {
    String p = postalCode.trim();
    return p.matches("\\d{5}(-?\\d{4})?") ? p.substring(0, 5) : "";
  }

  /** Postal codes agree unless both are present and differ. */
  static boolean postalCompatible(String postal5a, String postal5b) {
    return postal5a.isEmpty() || postal5b.isEmpty() || postal5a.equals(postal5b);
  }

  /**
   * The blocking key of in-batch linking: the birth date ({@code ""} without one). Demographic
   * links never cross it (the birth date is part of the demographic key), and the updates of one
   * patient in one batch normally agree on it.
   */
  static String block(PatientData d) {
    return d.birthDate() == null ? "" : d.birthDate().toString();
  }

  /**
   * The content of the version an update makes: identifiers accumulate (a patient keeps every
   * identifier it was ever known by, so that later updates carrying any of them find it); every
   * other field is the update's own (a FHIR update replaces the resource: an absent phone is
   * removed).
   */
  static PatientData merge(PatientData current, PatientData update) {
    if (current == null) {
      return update;
    }
    TreeSet<String> ids = new TreeSet<>(current.identifiers());
    ids.addAll(update.identifiers());
    return new PatientData(
        ids.stream().toList(), update.family(), update.given(), update.birthDate(), update.gender(),
        update.phone(), update.addressLine(), update.city(), update.state(), update.postalCode());
  }

  /**
   * The id of a patient that a batch creates: {@code MPI-} and 16 hex digits of the SHA-256 of its
   * block (birth date) and smallest identifier (or, with no identifier at all, its smallest
   * demographic key and postal code). Content-based, so a rerun gives the same ids. Two patients
   * of one block cannot share their smallest identifier or demographics (they would be linked);
   * patients of two blocks always get two ids, so that an identifier they share is always caught
   * as contested ({@link PatientMatching.ContestFn}); and a later batch never creates a patient
   * with an identifier the master knows (it would match).
   */
  static String newMpiId(String block, Collection<PatientData> updates) {
    TreeSet<String> ids = new TreeSet<>();
    TreeSet<String> demographics = new TreeSet<>();
    for (PatientData d : updates) {
      ids.addAll(d.identifiers());
      demographics.add(demographicKey(d) + "|" + postal5(d.postalCode()));
    }
    String seed = block + "|"
        + (ids.isEmpty() ? "demographics:" + demographics.first() : "identifier:" + ids.first());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return "MPI-" + HexFormat.of().withUpperCase().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
