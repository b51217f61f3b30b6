package dev.nightshift.pipelines.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds which of many strings (identifiers, a key) occur in a text, in one pass: every position's
 * first characters are looked up among the needles' prefixes, so thousands of needles cost no more
 * than a few. Needles are at least {@value #PREFIX} characters long.
 */
public final class Needles {
  static final int PREFIX = 4;
  private final Map<String, List<String>> byPrefix = new HashMap<>();
  private final int size;

  public Needles(Collection<String> needles) {
    Set<String> distinct = new TreeSet<>(needles);
    for (String n : distinct) {
      if (n.length() < PREFIX) {
        throw new IllegalArgumentException("a needle of fewer than " + PREFIX + " characters: '" + n + "'");
      }
      byPrefix.computeIfAbsent(n.substring(0, PREFIX), p -> new ArrayList<>()).add(n);
    }
    size = distinct.size();
  }

  public int size() {
    return size;
  }

  /** The needles found in {@code text}, sorted. */
  public Set<String> in(String text) {
    Set<String> found = new TreeSet<>();
    for (int i = 0; i + PREFIX <= text.length(); i++) {
      List<String> candidates = byPrefix.get(text.substring(i, i + PREFIX));
      if (candidates != null) {
        for (String n : candidates) {
          if (text.startsWith(n, i)) {
            found.add(n);
          }
        }
      }
    }
    return found;
  }
}
