package dev.nightshift.pipelines.healthcare.patients;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HIPAA Safe Harbor (45 CFR 164.514(b)(2)) for the analytics extract: what of a patient may be
 * kept, and how.
 *
 * <ul>
 *   <li>Identifiers (names, MRN, SSN, ..., and the master's own mpi_id) are dropped; the patient is
 *       a keyed hash of the mpi_id, HMAC-SHA256 with a key only the data owner holds, so the
 *       extract can be re-linked by the owner but not by its readers (a plain hash of a known id
 *       could be reversed by hashing every id).
 *   <li>Dates: only the birth year; ages over 89 and the years that reveal them are one category
 *       {@code <=YYYY}, YYYY = the business year - 90 (anyone aged 90 or more on the business date
 *       was born in YYYY or before; those born that year may be 89, which only widens the category).
 *   <li>Geography: the state, and the first 3 digits of the ZIP, but {@code 000} for the 3-digit
 *       areas of 20,000 people or fewer (the Census 2000 list HHS publishes).
 * </ul>
 */
final class Deidentify {
  private Deidentify() {}

  /** 3-digit ZIP areas with 20,000 people or fewer: written as 000. */
  static final Set<String> RESTRICTED_ZIP3 =
      Set.of("036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831",
          "878", "879", "884", "890", "893");

  /** Ages of 90 and over are aggregated. */
  static final int AGE_CAP = 90;

  /** Lower-case hex HMAC-SHA256 of the mpi id under the extract's key. */
  static String patientKey(byte[] key, String mpiId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(mpiId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The birth year, {@code <=YYYY} for the over-89 category, {@code ""} without a birth date. */
  static String birthYear(LocalDate birthDate, LocalDate businessDate) {
    if (birthDate == null) {
      return "";
    }
    int cap = businessDate.getYear() - AGE_CAP;
    return birthDate.getYear() <= cap ? "<=" + cap : Integer.toString(birthDate.getYear());
  }

  /** First 3 digits of a US ZIP (or ZIP+4), 000 for restricted areas, {@code ""} for anything else. */
  static String zip3(String postalCode) {
    String p5 = PatientRules.postal5(postalCode);
    if (p5.isEmpty()) {
      return "";
    }
    String zip3 = p5.substring(0, 3);
    return RESTRICTED_ZIP3.contains(zip3) ? "000" : zip3;
  }

  /**
   * The USPS code of a state (a code, or a state's name); {@code ""} for anything else, so that no
   * free text of the address reaches the extract.
   */
  static String state(String state) {
    String s = state.trim().toUpperCase(Locale.ROOT);
    if (STATES.containsValue(s)) {
      return s;
    }
    return STATES.getOrDefault(s, "");
  }

  private static final Map<String, String> STATES =
      Map.ofEntries(
          Map.entry("ALABAMA", "AL"), Map.entry("ALASKA", "AK"), Map.entry("ARIZONA", "AZ"),
          Map.entry("ARKANSAS", "AR"), Map.entry("CALIFORNIA", "CA"), Map.entry("COLORADO", "CO"),
          Map.entry("CONNECTICUT", "CT"), Map.entry("DELAWARE", "DE"),
          Map.entry("DISTRICT OF COLUMBIA", "DC"), Map.entry("FLORIDA", "FL"),
          Map.entry("GEORGIA", "GA"), Map.entry("HAWAII", "HI"), Map.entry("IDAHO", "ID"),
          Map.entry("ILLINOIS", "IL"), Map.entry("INDIANA", "IN"), Map.entry("IOWA", "IA"),
          Map.entry("KANSAS", "KS"), Map.entry("KENTUCKY", "KY"), Map.entry("LOUISIANA", "LA"),
          Map.entry("MAINE", "ME"), Map.entry("MARYLAND", "MD"), Map.entry("MASSACHUSETTS", "MA"),
          Map.entry("MICHIGAN", "MI"), Map.entry("MINNESOTA", "MN"), Map.entry("MISSISSIPPI", "MS"),
          Map.entry("MISSOURI", "MO"), Map.entry("MONTANA", "MT"), Map.entry("NEBRASKA", "NE"),
          Map.entry("NEVADA", "NV"), Map.entry("NEW HAMPSHIRE", "NH"), Map.entry("NEW JERSEY", "NJ"),
          Map.entry("NEW MEXICO", "NM"), Map.entry("NEW YORK", "NY"),
          Map.entry("NORTH CAROLINA", "NC"), Map.entry("NORTH DAKOTA", "ND"), Map.entry("OHIO", "OH"),
          Map.entry("OKLAHOMA", "OK"), Map.entry("OREGON", "OR"), Map.entry("PENNSYLVANIA", "PA"),
          Map.entry("PUERTO RICO", "PR"), Map.entry("RHODE ISLAND", "RI"),
          Map.entry("SOUTH CAROLINA", "SC"), Map.entry("SOUTH DAKOTA", "SD"),
          Map.entry("TENNESSEE", "TN"), Map.entry("TEXAS", "TX"), Map.entry("UTAH", "UT"),
          Map.entry("VERMONT", "VT"), Map.entry("VIRGINIA", "VA"), Map.entry("WASHINGTON", "WA"),
          Map.entry("WEST VIRGINIA", "WV"), Map.entry("WISCONSIN", "WI"), Map.entry("WYOMING", "WY"));
}
