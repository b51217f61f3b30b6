package dev.nightshift.pipelines.retail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared retail samples by walking up from the working directory. */
public final class RetailSamples {
  private RetailSamples() {}

  public static final String DAY = "online_retail_2010-12-01.csv";

  public static Path retail(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/samples/retail").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("sample not found: shared/samples/retail/" + name);
  }
}
