package dev.nightshift.schemas;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.IOException;
import java.io.Serializable;

/**
 * Where a record came from: the source file, the 1-based line its record starts on, and the raw
 * text of the record as it was read. Carried by every parsed record so that any later step can turn
 * it into a dead letter with its original payload and position.
 */
public record SourceRef(String file, long line, String raw) implements Serializable {

  public static SourceRef of(String file, long line, String raw) {
    return new SourceRef(file, line, raw);
  }

  public void write(RecordCoder.Out out) throws IOException {
    out.str(file).lng(line).str(raw);
  }

  public static SourceRef read(RecordCoder.In in) throws IOException {
    return new SourceRef(in.str(), in.lng(), in.str());
  }

  /** Orders by file, then line: the first occurrence of a record in the input comes first. */
  public int compareTo(SourceRef other) {
    int byFile = file.compareTo(other.file);
    return byFile != 0 ? byFile : Long.compare(line, other.line);
  }
}
