package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the patient master records about a patient (patient-records): the identifiers as
 * normalised {@code system|value} strings (sorted, distinct), the official name (family, first
 * given), birth date, administrative gender, the first phone number and the first address. Absent
 * text is {@code ""}, an absent birth date {@code null}. Two equal values are the same content: an
 * update equal to the version in force is a duplicate.
 */
public record PatientData(
    List<String> identifiers,
    String family,
    String given,
    LocalDate birthDate,
    String gender,
    String phone,
    String addressLine,
    String city,
    String state,
    String postalCode)
    implements Serializable {

  public PatientData {
    identifiers = List.copyOf(identifiers);
  }

  public static final RecordCoder<PatientData> CODER =
      RecordCoder.of(PatientData.class, PatientData::write, PatientData::read);

  public void write(RecordCoder.Out out) throws IOException {
    out.integer(identifiers.size());
    for (String id : identifiers) {
      out.str(id);
    }
    out.str(family).str(given).optDate(birthDate).str(gender).str(phone).str(addressLine).str(city)
        .str(state).str(postalCode);
  }

  public static PatientData read(RecordCoder.In in) throws IOException {
    int n = in.integer();
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(in.str());
    }
    return new PatientData(
        ids, in.str(), in.str(), in.optDate(), in.str(), in.str(), in.str(), in.str(), in.str(),
        in.str());
  }
}
