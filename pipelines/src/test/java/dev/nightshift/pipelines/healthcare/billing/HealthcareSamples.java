package dev.nightshift.pipelines.healthcare.billing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real public healthcare samples, read as they are from {@code shared/samples/healthcare/}. */
public final class HealthcareSamples {
  private HealthcareSamples() {}

  public static final String X12_835 = "x12_835_5010_remittance.txt";
  public static final String SYNTHEA_BUNDLE = "synthea_r4_bundle_Bob965_Keeling57.json";
  public static final String X12_837P = "x12_837p_5010_single_claim_pretty.edi";

  public static Path healthcare(String name) {
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
