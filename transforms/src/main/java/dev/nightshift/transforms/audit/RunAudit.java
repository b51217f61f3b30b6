package dev.nightshift.transforms.audit;

import dev.nightshift.transforms.core.StepCounters;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The balances a run must satisfy, declared while the pipeline is built and checked against the
 * counters once it has run. Every record read is accounted for step by step:
 *
 * <ul>
 *   <li>a step: {@code in = out + dead} (nothing vanishes inside a step);
 *   <li>a link: {@code producer.out = consumer.in} (nothing vanishes between steps);
 *   <li>any other equation between weighted counters (a trade becomes two legs; every leg is
 *       netted into exactly one instruction).
 * </ul>
 *
 * A failed balance names the step and the numbers on both sides.
 */
public final class RunAudit implements Serializable {

  /**
   * A weighted counter; a name ending in {@code *}{@code /dead} sums every step's dead count, and a
   * name starting with {@value #CONSTANT} is a number known before the run (see {@link #constant}).
   */
  public record Term(String counter, long factor) implements Serializable {
    long value(Map<String, Long> counters) {
      if (counter.startsWith(CONSTANT)) {
        return factor * Long.parseLong(counter.substring(CONSTANT.length()));
      }
      if (counter.equals(ALL_DEAD)) {
        long sum = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
          String name = e.getKey();
          if (name.endsWith("/dead") && name.indexOf('/') == name.length() - 5) {
            sum += e.getValue();
          }
        }
        return factor * sum;
      }
      return factor * counters.getOrDefault(counter, 0L);
    }

    @Override
    public String toString() {
      if (counter.startsWith(CONSTANT)) {
        return Long.toString(factor * Long.parseLong(counter.substring(CONSTANT.length())));
      }
      return (factor == 1 ? "" : factor + "*") + counter;
    }
  }

  /** One balance: the sum of the left terms must equal the sum of the right terms. */
  public record Balance(String step, String description, List<Term> left, List<Term> right)
      implements Serializable {
    String render() {
      return step + ": " + side(left) + " = " + side(right);
    }

    private static String side(List<Term> terms) {
      return terms.stream().map(Term::toString).collect(Collectors.joining(" + "));
    }
  }

  /** The dead count of every step together. */
  public static final String ALL_DEAD = "*/dead";

  private final List<Balance> balances = new ArrayList<>();

  public static Term term(String counter) {
    return new Term(counter, 1);
  }

  /** Marks a {@link Term} that is a number, not a counter. */
  public static final String CONSTANT = "=";

  /**
   * A number known before the run, such as the records {@code nightshift replay} wrote into the
   * files a step reads: {@code read-trades/in = 17}.
   */
  public static Term constant(long value) {
    return new Term(CONSTANT + value, 1);
  }

  public static Term term(String counter, long factor) {
    return new Term(counter, factor);
  }

  /** {@code step/in = step/out + step/dead}. */
  public RunAudit step(String step) {
    return expect(
        step,
        "every record in is out or dead",
        List.of(term(StepCounters.inName(step))),
        List.of(term(StepCounters.outName(step)), term(StepCounters.deadName(step))));
  }

  /** {@code producer/out = consumer/in}. */
  public RunAudit link(String producer, String consumer) {
    return expect(
        consumer,
        "receives every record '" + producer + "' put out",
        List.of(term(StepCounters.outName(producer))),
        List.of(term(StepCounters.inName(consumer))));
  }

  public RunAudit expect(String step, String description, List<Term> left, List<Term> right) {
    balances.add(new Balance(step, description, List.copyOf(left), List.copyOf(right)));
    return this;
  }

  public List<Balance> balances() {
    return List.copyOf(balances);
  }

  /** The result of checking every balance against the counters of a finished run. */
  public record Verdict(List<String> checks, List<String> failures) {
    public boolean balanced() {
      return failures.isEmpty();
    }
  }

  public Verdict check(Map<String, Long> counters) {
    List<String> checks = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Balance b : balances) {
      long left = b.left().stream().mapToLong(t -> t.value(counters)).sum();
      long right = b.right().stream().mapToLong(t -> t.value(counters)).sum();
      String line = b.render() + " (" + left + " = " + right + ")";
      checks.add(line);
      if (left != right) {
        failures.add(
            "step '"
                + b.step()
                + "' does not balance: "
                + b.description()
                + "; "
                + Balance.side(b.left())
                + " = "
                + left
                + " but "
                + Balance.side(b.right())
                + " = "
                + right
                + " (difference "
                + (left - right)
                + ")");
      }
    }
    return new Verdict(checks, failures);
  }
}
