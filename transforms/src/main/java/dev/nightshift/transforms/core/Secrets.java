package dev.nightshift.transforms.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads a secret (a key, a password) from where a flag says it is: {@code file:PATH} (the file's
 * content, surrounding whitespace removed; any Beam file system) or {@code env:VARIABLE}. A secret
 * given as the flag's value itself is refused: Beam's PipelineOptionsFactory logs every argument at
 * DEBUG level, and process lists show them. No message of this class ever holds the secret.
 */
public final class Secrets {
  private Secrets() {}

  /** True when {@code value} says where a secret is rather than being one. */
  public static boolean isReference(String value) {
    return value != null && (value.startsWith("env:") || value.startsWith("file:"));
  }

  /**
   * The secret {@code --flag} points at.
   *
   * @param what what the secret is, for the messages ("de-identification key")
   * @throws IllegalArgumentException (exit 2 from the launcher) when the flag is missing, is the
   *     secret itself, or points at nothing
   */
  public static String read(String flag, String what, String reference) {
    String secret;
    if (reference == null || reference.isEmpty()) {
      throw new IllegalArgumentException(
          "--" + flag + " is required: file:PATH or env:VARIABLE, where the " + what + " is");
    } else if (reference.startsWith("env:")) {
      secret = System.getenv(reference.substring(4));
      if (secret == null) {
        throw new IllegalArgumentException(
            "--" + flag + ": the environment variable " + reference.substring(4) + " is not set");
      }
    } else if (reference.startsWith("file:")) {
      String path = reference.substring(5);
      try (InputStream in =
          Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
        secret = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("--" + flag + ": cannot read the " + what + " file " + path
            + " (" + e.getClass().getSimpleName() + ")");
      }
    } else {
      throw new IllegalArgumentException(
          "--" + flag + " must say where the " + what + " is (file:PATH or env:VARIABLE), not be it:"
              + " arguments show in process lists and Beam logs them");
    }
    return secret.strip();
  }
}
