package dev.nightshift.transforms;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Helpers for tests that build a {@link NightshiftRun} on the Direct runner. */
public final class TestRuns {
  private TestRuns() {}

  public static NightshiftOptions options(Path output) {
    return PipelineOptionsFactory.fromArgs("--output=" + output, "--runner=DirectRunner")
        .as(NightshiftOptions.class);
  }

  public static NightshiftRun run(String name, Path output) {
    return NightshiftRun.create(name, options(output));
  }

  public static Path write(Path file, String text) {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  public static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<DeadLetter> deadLetters(Path output) throws IOException {
    List<DeadLetter> letters = new ArrayList<>();
    for (String line : Files.readAllLines(output.resolve(NightshiftRun.DEAD_LETTERS_FILE))) {
      letters.add(DeadLetter.fromJson(line));
    }
    return letters;
  }

  public static RunManifest manifest(Path output) throws IOException {
    return RunManifest.fromJson(
        Files.readString(output.resolve(RunManifest.FILE_NAME), StandardCharsets.UTF_8));
  }

  public static DeadLetter only(List<DeadLetter> letters, String reason) {
    List<DeadLetter> found =
        letters.stream().filter(d -> d.reasonCode().equals(reason)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one dead letter " + reason + " in " + letters);
    }
    return found.get(0);
  }
}
