package dev.nightshift.transforms;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import java.io.Serializable;
import java.util.List;

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

  /** Reads the columns id and qty. */
  public static final class Parser implements CsvRecordParser<Item> {
    @Override
    public List<String> requiredColumns() {
      return List.of("id", "qty");
    }

    @Override
    public Item parse(CsvRow row) throws RecordException {
      return new Item(row.text("id"), row.lng("qty"), row.source());
    }
  }

  public static Item of(String id, long qty, String file, long line) {
    return new Item(id, qty, SourceRef.of(file, line, id + "," + qty));
  }
}
