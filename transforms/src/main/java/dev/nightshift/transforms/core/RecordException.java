package dev.nightshift.transforms.core;

/**
 * Thrown by a parser or a step when one record is refused. It carries a stable reason code and a
 * message for people; the failsafe machinery turns it into a dead letter, never a crash.
 */
public class RecordException extends Exception {
  private final String reasonCode;

  public RecordException(String reasonCode, String message) {
    super(message);
    this.reasonCode = reasonCode;
  }

  public String reasonCode() {
    return reasonCode;
  }
}
