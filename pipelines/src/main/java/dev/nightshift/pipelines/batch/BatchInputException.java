package dev.nightshift.pipelines.batch;

/**
 * A pipeline of the batch cannot be started because an input it needs is not there (yesterday's
 * partition, a landing file): it fails at once with this reason, without a retry.
 */
final class BatchInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BatchInputException(String message) {
    super(message);
  }
}
