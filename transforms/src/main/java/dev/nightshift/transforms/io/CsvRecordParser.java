package dev.nightshift.transforms.io;

import dev.nightshift.transforms.core.RecordException;
import java.io.Serializable;
import java.util.List;

/** Turns one CSV row into a typed record, or refuses it with a reason. */
public interface CsvRecordParser<T> extends Serializable {

  /** Columns the header must have; a file without one of them is refused whole. */
  List<String> requiredColumns();

  T parse(CsvRow row) throws RecordException;

  /** The row-to-record function of {@link #of}. */
  interface RowFn<T> extends Serializable {
    T apply(CsvRow row) throws RecordException;
  }

  /** A parser for files whose header has (at least) {@code columns}. */
  static <T> CsvRecordParser<T> of(String[] columns, RowFn<T> fn) {
    List<String> required = List.of(columns);
    return new CsvRecordParser<>() {
      @Override
      public List<String> requiredColumns() {
        return required;
      }

      @Override
      public T parse(CsvRow row) throws RecordException {
        return fn.apply(row);
      }
    };
  }
}
