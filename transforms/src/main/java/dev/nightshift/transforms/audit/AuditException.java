package dev.nightshift.transforms.audit;

import java.util.List;

/** The run's counts do not balance: some step lost or invented records. */
public class AuditException extends RuntimeException {
  private final List<String> failures;

  public AuditException(String pipeline, List<String> failures) {
    super(
        "Run audit of '"
            + pipeline
            + "' failed, records were lost or invented:\n  "
            + String.join("\n  ", failures));
    this.failures = List.copyOf(failures);
  }

  public List<String> failures() {
    return failures;
  }
}
