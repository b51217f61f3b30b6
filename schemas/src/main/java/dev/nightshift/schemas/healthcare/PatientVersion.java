package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.Instant;

/**
 * One row of {@code patient_master.csv}: one version of a master patient (type-2 history). The
 * version is in force from {@code validFrom} (inclusive) to {@code validTo} (exclusive; {@code
 * null} for the current version). {@code sourceFile}/{@code sourceLine} name the update that made
 * the version; {@code source} is where this record was read from (the master row, or the update).
 */
public record PatientVersion(
    String mpiId,
    int version,
    Instant validFrom,
    Instant validTo,
    PatientData data,
    String sourceFile,
    long sourceLine,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "mpi_id", "version", "valid_from", "valid_to", "identifiers", "family", "given", "birth_date",
    "gender", "phone", "address_line", "city", "state", "postal_code", "source_file", "source_line"
  };

  public static final RecordCoder<PatientVersion> CODER =
      RecordCoder.of(
          PatientVersion.class,
          (v, out) -> {
            out.str(v.mpiId).integer(v.version);
            Instants.write(out, v.validFrom);
            Instants.writeOpt(out, v.validTo);
            v.data.write(out);
            out.str(v.sourceFile).lng(v.sourceLine);
            v.source.write(out);
          },
          in ->
              new PatientVersion(
                  in.str(),
                  in.integer(),
                  Instants.read(in),
                  Instants.readOpt(in),
                  PatientData.read(in),
                  in.str(),
                  in.lng(),
                  SourceRef.read(in)));

  public boolean current() {
    return validTo == null;
  }

  public PatientVersion closedAt(Instant to) {
    return new PatientVersion(mpiId, version, validFrom, to, data, sourceFile, sourceLine, source);
  }
}
