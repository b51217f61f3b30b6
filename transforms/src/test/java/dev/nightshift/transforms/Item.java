package dev.nightshift.transforms;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/** A tiny record for tests: an id, a quantity, and where it was read. */
public record Item(String id, long qty, SourceRef source) implements Sourced, Serializable {

  public static final RecordCoder<Item> CODER =
      RecordCoder.of(
          Item.class,
          (i, out) -> {
            out.str(i.id).lng(i.qty);
            i.source.write(out);
          },
          in -> new Item(in.str(), in.lng(), SourceRef.read(in)));

  public static Item of(String id, long qty, String file, long line) {
    return new Item(id, qty, SourceRef.of(file, line, id + "," + qty));
  }
}
