package dev.nightshift.pipelines.healthcare.patients;

import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.PatientData;
import dev.nightshift.schemas.healthcare.PatientMatch;
import dev.nightshift.schemas.healthcare.PatientUpdate;
import dev.nightshift.schemas.healthcare.PatientVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies the updates matched to one master patient to its type-2 history (patient-records).
 *
 * <p>Updates are taken in order of lastUpdated (then file and line). Updates with the same
 * lastUpdated and the same content count once (the others are duplicates); with different content
 * they are all {@code CONFLICTING_UPDATE}: nothing says which one is right. Then, against the
 * version in force: an update that changes nothing (identifiers accumulate, see {@link
 * PatientRules#merge}) is a duplicate; one older than that version is {@code STALE_UPDATE}; one of
 * the same instant with other content is {@code CONFLICTING_UPDATE}; any other closes that version
 * (valid_to = its lastUpdated) and opens the next one (valid_from = its lastUpdated).
 */
final class PatientHistory {
  private PatientHistory() {}

  enum Outcome {
    NEW_PATIENT,
    NEW_VERSION,
    DUPLICATE
  }

  /** What happened to one update: an outcome, or a dead-letter reason and message. */
  record Decision(PatientMatch match, Outcome outcome, String reason, String message) {
    static Decision of(PatientMatch m, Outcome o) {
      return new Decision(m, o, null, null);
    }

    static Decision dead(PatientMatch m, String reason, String message) {
      return new Decision(m, null, reason, message);
    }

    boolean isDead() {
      return reason != null;
    }
  }

  /** Every version of the patient after the batch, and one decision per update. */
  record Result(List<PatientVersion> versions, List<Decision> decisions) {
    PatientVersion current() {
      PatientVersion current = null;
      for (PatientVersion v : versions) {
        if (v.current() && (current == null || v.version() > current.version())) {
          current = v;
        }
      }
      return current;
    }
  }

  static final Comparator<PatientMatch> IN_SOURCE_ORDER =
      (a, b) -> a.update().source().compareTo(b.update().source());

  /**
   * @param contested update refs that must not be applied, with why; the ref {@code *} stands for
   *     every update of a new patient
   */
  static Result apply(
      String mpiId, List<PatientVersion> master, List<PatientMatch> updates, Map<String, String> contested) {
    List<PatientVersion> versions = new ArrayList<>(master);
    versions.sort(Comparator.comparingInt(PatientVersion::version));
    List<Decision> decisions = new ArrayList<>();
    List<PatientMatch> sorted = new ArrayList<>(updates);
    sorted.sort(IN_SOURCE_ORDER);

    TreeMap<Instant, List<PatientMatch>> byTime = new TreeMap<>();
    for (PatientMatch m : sorted) {
      boolean isNew = m.how() == PatientMatch.How.NEW;
      if (isNew && !master.isEmpty()) {
        // A content-based id that is already taken: never merge two patients silently.
        decisions.add(Decision.dead(m, HealthcareReasons.AMBIGUOUS_MATCH,
            "the id " + mpiId + " of this new patient is already a patient of the master"));
      } else if (contested.containsKey(m.update().ref())) {
        decisions.add(Decision.dead(m, HealthcareReasons.AMBIGUOUS_MATCH, contested.get(m.update().ref())));
      } else if (isNew && contested.containsKey("*")) {
        decisions.add(Decision.dead(m, HealthcareReasons.AMBIGUOUS_MATCH, contested.get("*")));
      } else {
        byTime.computeIfAbsent(m.update().lastUpdated(), t -> new ArrayList<>()).add(m);
      }
    }

    int currentIndex = -1;
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).current()) {
        currentIndex = i;
      }
    }
    for (Map.Entry<Instant, List<PatientMatch>> slot : byTime.entrySet()) {
      Instant at = slot.getKey();
      List<PatientMatch> same = slot.getValue();
      Set<PatientData> contents = new HashSet<>();
      for (PatientMatch m : same) {
        contents.add(m.update().data());
      }
      if (contents.size() > 1) {
        for (PatientMatch m : same) {
          decisions.add(Decision.dead(m, HealthcareReasons.CONFLICTING_UPDATE,
              same.size() + " updates of " + mpiId + " at " + at + " differ: none is applied"));
        }
        continue;
      }
      PatientMatch first = same.get(0);
      PatientUpdate u = first.update();
      PatientVersion current = currentIndex < 0 ? null : versions.get(currentIndex);
      if (current != null) {
        PatientData merged = PatientRules.merge(current.data(), u.data());
        if (merged.equals(current.data())) {
          for (PatientMatch m : same) {
            decisions.add(Decision.of(m, Outcome.DUPLICATE));
          }
          continue;
        }
        if (at.isBefore(current.validFrom()) || at.equals(current.validFrom())) {
          boolean stale = at.isBefore(current.validFrom());
          for (PatientMatch m : same) {
            decisions.add(stale
                ? Decision.dead(m, HealthcareReasons.STALE_UPDATE,
                    "lastUpdated " + at + " is older than version " + current.version() + " of "
                        + mpiId + ", in force since " + current.validFrom())
                : Decision.dead(m, HealthcareReasons.CONFLICTING_UPDATE,
                    "version " + current.version() + " of " + mpiId + " has the same lastUpdated "
                        + at + " and other content"));
          }
          continue;
        }
        versions.set(currentIndex, current.closedAt(at));
        versions.add(version(mpiId, current.version() + 1, merged, u));
      } else {
        int next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        versions.add(version(mpiId, next, u.data(), u));
      }
      currentIndex = versions.size() - 1;
      decisions.add(Decision.of(first, current == null && master.isEmpty() && versions.size() == 1
          ? Outcome.NEW_PATIENT : Outcome.NEW_VERSION));
      for (PatientMatch m : same.subList(1, same.size())) {
        decisions.add(Decision.of(m, Outcome.DUPLICATE));
      }
    }
    return new Result(versions, decisions);
  }

  private static PatientVersion version(String mpiId, int number, PatientData data, PatientUpdate u) {
    return new PatientVersion(mpiId, number, u.lastUpdated(), null, data, u.source().file(),
        u.source().line(), u.source());
  }
}
