package dev.nightshift.pipelines.healthcare.patients;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.PatientData;
import dev.nightshift.schemas.healthcare.PatientMatch;
import dev.nightshift.schemas.healthcare.PatientMatch.How;
import dev.nightshift.schemas.healthcare.PatientNode;
import dev.nightshift.schemas.healthcare.PatientUpdate;
import dev.nightshift.transforms.core.StepCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The DoFns that match updates to master patients (patient-records), one keyed join each:
 *
 * <ol>
 *   <li>by identifier against the current versions of the master ({@link OwnersFn}, then {@link
 *       ResolveIdentifiersFn} per update);
 *   <li>by demographic key against the same, for updates no identifier matched ({@link
 *       ResolveDemographicsFn});
 *   <li>within the batch, per birth date ({@link LinkBatchFn}): updates the master does not know
 *       join the patient of updates they share an identifier or demographics with, or become a
 *       new patient;
 *   <li>per identifier again ({@link ContestFn}): an identifier the batch would give to two
 *       patients stops the updates carrying it.
 * </ol>
 */
final class PatientMatching {
  private PatientMatching() {}

  static final TupleTag<PatientMatch> MATCHES = new TupleTag<>() {};
  static final TupleTag<KV<String, PatientNode>> TO_JOIN = new TupleTag<>() {};

  /** Emits a dead letter for a match and counts it. */
  static void dead(
      DoFn<?, ?>.ProcessContext c, TupleTag<DeadLetter> tag, String pipeline, StepCounters counters,
      PatientMatch m, String reason, String message) {
    counters.dead(reason);
    c.output(tag, DeadLetter.of(pipeline, counters.step(), m.source(), reason, message));
  }

  // --- 1. identifiers ------------------------------------------------------------------------

  /** Per identifier: tells each update carrying it which master patients own it. */
  static final class OwnersFn extends DoFn<KV<String, List<PatientNode>>, KV<String, PatientNode>> {
    @ProcessElement
    public void process(@Element KV<String, List<PatientNode>> group, OutputReceiver<KV<String, PatientNode>> out) {
      TreeSet<String> owners = new TreeSet<>();
      for (PatientNode n : group.getValue()) {
        if (n.kind() == PatientNode.Kind.OWNER) {
          owners.add(n.mpiId());
        }
      }
      if (owners.isEmpty()) {
        return;
      }
      for (PatientNode n : group.getValue()) {
        if (n.kind() == PatientNode.Kind.UPDATE) {
          for (String owner : owners) {
            out.output(KV.of(n.ref(), PatientNode.owner(owner, group.getKey())));
          }
        }
      }
    }
  }

  /** Per update: one owner is a match, several an ambiguity, none leaves it to the next join. */
  static final class ResolveIdentifiersFn extends DoFn<KV<String, List<PatientNode>>, PatientMatch> {
    private final String pipeline;
    private final StepCounters counters;
    private final TupleTag<DeadLetter> deadTag;

    ResolveIdentifiersFn(String pipeline, String step, TupleTag<DeadLetter> deadTag) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      TreeMap<String, TreeSet<String>> owners = new TreeMap<>(); // mpi -> identifiers
      List<PatientMatch> updates = new ArrayList<>();
      for (PatientNode n : c.element().getValue()) {
        if (n.kind() == PatientNode.Kind.OWNER) {
          owners.computeIfAbsent(n.mpiId(), k -> new TreeSet<>()).add(n.text());
        } else {
          updates.add(n.match());
        }
      }
      for (PatientMatch m : updates) {
        if (owners.size() > 1) {
          dead(c, deadTag, pipeline, counters, m, HealthcareReasons.AMBIGUOUS_MATCH,
              "identifiers point at " + owners.size() + " master patients: " + owners);
        } else if (owners.size() == 1) {
          counters.count("matched-identifier", 1);
          counters.out();
          c.output(m.resolved(owners.firstKey(), How.IDENTIFIER));
        } else {
          counters.out();
          c.output(m);
        }
      }
    }
  }

  // --- 2. demographics -------------------------------------------------------------------------

  /** Sends unresolved updates with a demographic key to the join; the others straight on. */
  static final class RouteDemographicsFn extends DoFn<PatientMatch, PatientMatch> {
    private final StepCounters counters;

    RouteDemographicsFn(String step) {
      this.counters = new StepCounters(step);
    }

    @ProcessElement
    public void process(ProcessContext c) {
      PatientMatch m = c.element();
      counters.in();
      String key = PatientRules.demographicKey(m.update().data());
      if (!m.isResolved() && !key.isEmpty()) {
        c.output(TO_JOIN, KV.of(key, PatientNode.update(m)));
      } else {
        counters.out();
        c.output(m);
      }
    }
  }

  /** Per demographic key: the master patients whose postal code agrees with the update's. */
  static final class ResolveDemographicsFn extends DoFn<KV<String, List<PatientNode>>, PatientMatch> {
    private final String pipeline;
    private final StepCounters counters;
    private final TupleTag<DeadLetter> deadTag;

    ResolveDemographicsFn(String pipeline, String step, TupleTag<DeadLetter> deadTag) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<PatientNode> owners = new ArrayList<>();
      List<PatientMatch> updates = new ArrayList<>();
      for (PatientNode n : c.element().getValue()) {
        if (n.kind() == PatientNode.Kind.OWNER) {
          owners.add(n);
        } else {
          updates.add(n.match());
        }
      }
      for (PatientMatch m : updates) {
        String postal = PatientRules.postal5(m.update().data().postalCode());
        TreeSet<String> candidates = new TreeSet<>();
        for (PatientNode o : owners) {
          if (PatientRules.postalCompatible(postal, o.text())) {
            candidates.add(o.mpiId());
          }
        }
        if (candidates.size() > 1) {
          dead(c, deadTag, pipeline, counters, m, HealthcareReasons.AMBIGUOUS_MATCH,
              "the demographics match " + candidates.size() + " master patients: " + candidates);
        } else if (candidates.size() == 1) {
          counters.count("matched-demographics", 1);
          counters.out();
          c.output(m.resolved(candidates.first(), How.DEMOGRAPHICS));
        } else {
          counters.out();
          c.output(m);
        }
      }
    }
  }

  // --- 3. within the batch -------------------------------------------------------------------

  /**
   * One birth date's updates: linked when they share an identifier, or have the same demographic
   * key and agreeing postal codes; a linked group takes the master patient its matched updates
   * point at, or is a new patient when none does, or leaves its unmatched updates ambiguous when
   * they point at several. This is the one in-memory union-find of the pipeline, and it is per
   * birth date: the links between updates of a batch are a graph whose components a fixed number
   * of keyed joins cannot compute, and demographic links never cross a birth date.
   */
  static final class LinkBatchFn extends DoFn<KV<String, List<PatientMatch>>, PatientMatch> {
    private final String pipeline;
    private final StepCounters counters;
    private final TupleTag<DeadLetter> deadTag;

    LinkBatchFn(String pipeline, String step, TupleTag<DeadLetter> deadTag) {
      this.pipeline = pipeline;
      this.counters = new StepCounters(step);
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<PatientMatch> block = new ArrayList<>(c.element().getValue());
      block.sort(PatientHistory.IN_SOURCE_ORDER);
      int[] parent = new int[block.size()];
      for (int i = 0; i < parent.length; i++) {
        parent[i] = i;
      }
      Map<String, Integer> byIdentifier = new HashMap<>();
      Map<String, List<Integer>> byDemographics = new HashMap<>();
      for (int i = 0; i < block.size(); i++) {
        PatientData d = block.get(i).update().data();
        for (String id : d.identifiers()) {
          Integer first = byIdentifier.putIfAbsent(id, i);
          if (first != null) {
            union(parent, first, i);
          }
        }
        String key = PatientRules.demographicKey(d);
        if (!key.isEmpty()) {
          List<Integer> same = byDemographics.computeIfAbsent(key, k -> new ArrayList<>());
          for (int j : same) {
            if (PatientRules.postalCompatible(PatientRules.postal5(d.postalCode()),
                PatientRules.postal5(block.get(j).update().data().postalCode()))) {
              union(parent, j, i);
            }
          }
          same.add(i);
        }
      }
      Map<Integer, List<PatientMatch>> components = new TreeMap<>();
      for (int i = 0; i < block.size(); i++) {
        components.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(block.get(i));
      }
      for (List<PatientMatch> component : components.values()) {
        TreeSet<String> anchors = new TreeSet<>();
        for (PatientMatch m : component) {
          if (m.isResolved()) {
            anchors.add(m.mpiId());
          }
        }
        String newId = null;
        if (anchors.isEmpty()) {
          List<PatientData> data = new ArrayList<>();
          for (PatientMatch m : component) {
            data.add(m.update().data());
          }
          newId = PatientRules.newMpiId(c.element().getKey(), data);
        }
        for (PatientMatch m : component) {
          counters.in();
          if (m.isResolved()) {
            counters.out();
            c.output(m);
          } else if (newId != null) {
            counters.count("new-patient-updates", 1);
            counters.out();
            c.output(m.resolved(newId, How.NEW));
          } else if (anchors.size() == 1) {
            counters.count("matched-batch", 1);
            counters.out();
            c.output(m.resolved(anchors.first(), How.BATCH));
          } else {
            dead(c, deadTag, pipeline, counters, m, HealthcareReasons.AMBIGUOUS_MATCH,
                "linked in the batch to updates of " + anchors.size() + " master patients: " + anchors);
          }
        }
      }
    }

    private static int find(int[] parent, int i) {
      while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    }

    /** The smaller root wins, so the result does not depend on the order of unions. */
    private static void union(int[] parent, int a, int b) {
      int ra = find(parent, a);
      int rb = find(parent, b);
      if (ra != rb) {
        parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }

  // --- 4. one identifier, one patient --------------------------------------------------------

  /**
   * Per identifier of the batch's matched updates: when they would give it to more than one
   * patient, none of them is applied (for a new patient: none of its updates), since the master
   * must never hold one identifier on two patients. This happens when updates bridge two master
   * patients in the batch, or when a new patient's updates disagree on the birth date (they are
   * then in different blocks of {@link LinkBatchFn}).
   */
  static final class ContestFn extends DoFn<KV<String, List<PatientNode>>, KV<String, PatientNode>> {
    private final StepCounters counters;

    ContestFn(String step) {
      this.counters = new StepCounters(step);
    }

    @ProcessElement
    public void process(@Element KV<String, List<PatientNode>> group, OutputReceiver<KV<String, PatientNode>> out) {
      TreeSet<String> patients = new TreeSet<>();
      for (PatientNode n : group.getValue()) {
        patients.add(n.mpiId());
      }
      if (patients.size() < 2) {
        return;
      }
      counters.count("contested-identifiers", 1);
      String why = "identifier " + group.getKey() + " is carried by updates of " + patients.size()
          + " patients: " + patients;
      for (PatientNode n : group.getValue()) {
        boolean isNew = n.text().equals(How.NEW.name());
        out.output(KV.of(n.mpiId(), PatientNode.contest(isNew ? "*" : n.ref(), why)));
      }
    }
  }

  /** The identifiers of a matched update, for {@link ContestFn}. */
  static List<KV<String, PatientNode>> carriedIdentifiers(PatientMatch m) {
    List<KV<String, PatientNode>> out = new ArrayList<>();
    PatientUpdate u = m.update();
    for (String id : u.data().identifiers()) {
      out.add(KV.of(id, new PatientNode(PatientNode.Kind.UPDATE, m.mpiId(), u.ref(), m.how().name(), null, null)));
    }
    return out;
  }
}
