package dev.nightshift.pipelines.batch;

import dev.nightshift.pipelines.cli.Nightshift;

/**
 * The main class of a batch's child JVM: one attempt of one pipeline, {@code run <pipeline>
 * <flags>}, exactly as {@code nightshift run} does it (same exit codes), after one check.
 *
 * <p>Fault injection, for tests and drills: when {@value #FAIL_ATTEMPTS_ENV}=n is set (the batch
 * sets it for the pipelines named in its hidden {@code --failAttempts=<pipeline>:<n>} flag) and
 * this is attempt n or earlier ({@value ChildJvm#ATTEMPT_ENV}), the attempt fails with exit code 4
 * before anything runs, and says so. Without the variable nothing differs from {@code nightshift
 * run}.
 */
public final class BatchAttempt {
  static final String FAIL_ATTEMPTS_ENV = "NIGHTSHIFT_BATCH_FAIL_ATTEMPTS";
  static final int INJECTED_FAILURE = 4;

  private BatchAttempt() {}

  public static void main(String[] args) {
    String failFirst = System.getenv(FAIL_ATTEMPTS_ENV);
    String attempt = System.getenv(ChildJvm.ATTEMPT_ENV);
    if (failFirst != null && attempt != null && Integer.parseInt(attempt) <= Integer.parseInt(failFirst)) {
      System.err.println("nightshift: injected failure (--failAttempts): attempt " + attempt + " of the first "
          + failFirst + " that are made to fail");
      System.exit(INJECTED_FAILURE);
    }
    System.exit(Nightshift.run(args, System.out, System.err));
  }
}
