package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * One value of a keyed join of patient-records (by identifier, update, demographic key, birth
 * date or master patient): the kind says which fields are set.
 *
 * <ul>
 *   <li>{@code OWNER}: a master patient ({@code mpiId}) owns the key; {@code text} is its 5-digit
 *       postal code in the demographic join;
 *   <li>{@code UPDATE}: an update ({@code match}, or only its {@code ref} in the identifier join);
 *   <li>{@code VERSION}: a version of the master ({@code version});
 *   <li>{@code CONTEST}: the update {@code ref} ({@code *}: every update of a new patient) must
 *       not be applied; {@code text} says why.
 * </ul>
 */
public record PatientNode(
    Kind kind, String mpiId, String ref, String text, PatientMatch match, PatientVersion version)
    implements Serializable {

  public enum Kind {
    OWNER,
    UPDATE,
    VERSION,
    CONTEST
  }

  public static PatientNode owner(String mpiId, String text) {
    return new PatientNode(Kind.OWNER, mpiId, "", text, null, null);
  }

  public static PatientNode updateRef(String ref) {
    return new PatientNode(Kind.UPDATE, "", ref, "", null, null);
  }

  public static PatientNode update(PatientMatch match) {
    return new PatientNode(Kind.UPDATE, match.mpiId(), match.update().ref(), "", match, null);
  }

  public static PatientNode version(PatientVersion version) {
    return new PatientNode(Kind.VERSION, version.mpiId(), "", "", null, version);
  }

  public static PatientNode contest(String ref, String why) {
    return new PatientNode(Kind.CONTEST, "", ref, why, null, null);
  }

  public static final RecordCoder<PatientNode> CODER =
      RecordCoder.of(
          PatientNode.class,
          (n, out) -> {
            out.enumName(n.kind).str(n.mpiId).str(n.ref).str(n.text);
            out.bool(n.match != null);
            if (n.match != null) {
              out.with(PatientMatch.CODER, n.match);
            }
            out.bool(n.version != null);
            if (n.version != null) {
              out.with(PatientVersion.CODER, n.version);
            }
          },
          in ->
              new PatientNode(
                  in.enumName(Kind.class),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.bool() ? in.with(PatientMatch.CODER) : null,
                  in.bool() ? in.with(PatientVersion.CODER) : null));
}
