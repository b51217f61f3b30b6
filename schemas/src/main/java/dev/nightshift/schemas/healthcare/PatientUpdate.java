package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;

/**
 * One FHIR Patient update of patient-records, as read from one NDJSON line: its content and its
 * {@code meta.lastUpdated} (the time the source system changed the patient, in UTC).
 */
public record PatientUpdate(PatientData data, Instant lastUpdated, SourceRef source)
    implements Sourced, Serializable {

  public static final RecordCoder<PatientUpdate> CODER =
      RecordCoder.of(PatientUpdate.class, PatientUpdate::write, PatientUpdate::read);

  /** A key unique to the update within a run: its file and line. */
  public String ref() {
    return source.file() + ":" + source.line();
  }

  void write(RecordCoder.Out out) throws IOException {
    data.write(out);
    Instants.write(out, lastUpdated);
    source.write(out);
  }

  static PatientUpdate read(RecordCoder.In in) throws IOException {
    return new PatientUpdate(PatientData.read(in), Instants.read(in), SourceRef.read(in));
  }
}
