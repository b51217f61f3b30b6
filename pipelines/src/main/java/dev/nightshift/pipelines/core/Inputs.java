package dev.nightshift.pipelines.core;

/** Resolves a pipeline's input paths: an explicit option wins, else a file in {@code --inputDir}. */
public final class Inputs {
  private Inputs() {}

  /**
   * @param option the explicit option's name, for the error when neither is given
   */
  public static String resolve(String inputDir, String explicit, String defaultFile, String option) {
    if (explicit != null && !explicit.isEmpty()) {
      return explicit;
    }
    if (inputDir == null || inputDir.isEmpty()) {
      throw new IllegalArgumentException("give --inputDir, or the input itself (--" + option + ")");
    }
    return (inputDir.endsWith("/") ? inputDir : inputDir + "/") + defaultFile;
  }
}
