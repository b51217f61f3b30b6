package dev.nightshift.transforms.io;

import dev.nightshift.transforms.core.RecordException;
import java.io.Serializable;
import java.util.List;

/** Turns one CSV row into a typed record, or refuses it with a reason. */
public interface CsvRecordParser<T> extends Serializable {

  /** Columns the header must have; a file without one of them is refused whole. */
  List<String> requiredColumns();

  T parse(CsvRow row) throws RecordException;
}
