package dev.nightshift.pipelines.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's progress flags, taken out of a run's flags before Beam parses them:
 * {@code --progress} (or {@code --progress=true|false}) and {@code --progressInterval=SECONDS}.
 * Progress is on by default when the launcher runs at a terminal, off otherwise (a log file or a
 * scheduler does not want a line every few seconds) unless asked for. With progress on, the Direct
 * Runner gets {@code --blockOnRun=false} (unless given) so its metrics can be read while it runs.
 */
record ProgressFlags(boolean enabled, Duration every, String[] pipelineFlags) {
  static final Duration DEFAULT_EVERY = Duration.ofSeconds(5);

  static ProgressFlags of(String[] flags, boolean terminal) {
    boolean enabled = terminal;
    Duration every = DEFAULT_EVERY;
    List<String> rest = new ArrayList<>();
    for (String f : flags) {
      if (f.equals("--progress") || f.equals("--progress=true")) {
        enabled = true;
      } else if (f.equals("--progress=false")) {
        enabled = false;
      } else if (f.startsWith("--progressInterval=")) {
        String v = f.substring(f.indexOf('=') + 1);
        try {
          every = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--progressInterval takes seconds, not '" + v + "'");
        }
        if (every.isNegative() || every.isZero()) {
          throw new IllegalArgumentException("--progressInterval must be positive: " + v);
        }
      } else {
        rest.add(f);
      }
    }
    boolean direct = rest.stream().noneMatch(f -> f.startsWith("--runner=") && !f.endsWith("=DirectRunner"));
    if (enabled && direct && rest.stream().noneMatch(f -> f.startsWith("--blockOnRun"))) {
      rest.add("--blockOnRun=false");
    }
    return new ProgressFlags(enabled, every, rest.toArray(new String[0]));
  }
}
