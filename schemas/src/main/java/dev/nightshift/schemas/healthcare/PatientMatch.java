package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * A patient update on its way through matching (patient-records): the master patient it belongs
 * to ({@code ""} while unresolved) and how that was decided.
 */
public record PatientMatch(PatientUpdate update, String mpiId, How how)
    implements Sourced, Serializable {

  /** How an update was matched to its master patient. */
  public enum How {
    /** Not matched yet. */
    UNRESOLVED,
    /** Shares an identifier with the patient's current version in the master. */
    IDENTIFIER,
    /** Its demographics match exactly one current version in the master. */
    DEMOGRAPHICS,
    /** Linked, within the batch, to updates that were matched to one master patient. */
    BATCH,
    /** A patient the master does not know: created by this batch. */
    NEW
  }

  public static final RecordCoder<PatientMatch> CODER =
      RecordCoder.of(
          PatientMatch.class,
          (m, out) -> {
            m.update.write(out);
            out.str(m.mpiId).enumName(m.how);
          },
          in -> new PatientMatch(PatientUpdate.read(in), in.str(), in.enumName(How.class)));

  public static PatientMatch unresolved(PatientUpdate update) {
    return new PatientMatch(update, "", How.UNRESOLVED);
  }

  public PatientMatch resolved(String mpi, How by) {
    return new PatientMatch(update, mpi, by);
  }

  public boolean isResolved() {
    return how != How.UNRESOLVED;
  }

  @Override
  public SourceRef source() {
    return update.source();
  }
}
