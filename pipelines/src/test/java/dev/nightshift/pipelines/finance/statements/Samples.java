package dev.nightshift.pipelines.finance.statements;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real public sample files, read as they are from {@code ../shared/samples/} of the project. */
public final class Samples {
  private Samples() {}

  public static Path finance(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/samples/finance").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("sample not found: shared/samples/finance/" + name);
  }

  public static final String CAMT = "camt053.v2.multi.statement.xml";
  public static final String MT940 = "mt940_ing_iban_fin.txt";
}
