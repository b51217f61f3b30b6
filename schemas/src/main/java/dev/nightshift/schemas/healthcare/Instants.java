package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.IOException;
import java.time.Instant;

/** Canonical encoding of an {@link Instant} (epoch seconds, then nanoseconds) for record coders. */
final class Instants {
  private Instants() {}

  static void write(RecordCoder.Out out, Instant instant) throws IOException {
    out.lng(instant.getEpochSecond()).integer(instant.getNano());
  }

  static Instant read(RecordCoder.In in) throws IOException {
    long seconds = in.lng();
    return Instant.ofEpochSecond(seconds, in.integer());
  }

  static void writeOpt(RecordCoder.Out out, Instant instant) throws IOException {
    out.bool(instant != null);
    if (instant != null) {
      write(out, instant);
    }
  }

  static Instant readOpt(RecordCoder.In in) throws IOException {
    return in.bool() ? read(in) : null;
  }
}
