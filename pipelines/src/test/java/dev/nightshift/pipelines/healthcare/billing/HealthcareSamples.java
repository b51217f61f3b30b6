package dev.nightshift.pipelines.healthcare.billing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real public healthcare samples, read as they are from {@code shared/samples/healthcare/}. */
final class HealthcareSamples {
  private HealthcareSamples() {}

  static final String X12_835 = "x12_835_5010_remittance.txt";

  static Path healthcare(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/samples/healthcare").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("sample not found: shared/samples/healthcare/" + name);
  }
}
