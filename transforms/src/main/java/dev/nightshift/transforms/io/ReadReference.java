package dev.nightshift.transforms.io;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.Checked;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.core.Stage;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads reference data from a file or from a database table, into the same typed records.
 *
 * <p>A file or glob goes to {@link ReadCsv}. A table location, {@code jdbc:TABLE} or
 * {@code jdbc:SCHEMA.TABLE}, is read with Beam's JdbcIO from the database of
 * {@link ReferenceDbOptions} (which the pipeline's options must extend), ordered by its primary key
 * (all columns when it has none) so every run and runner sees the same rows in the same order.
 * Each row becomes the {@link CsvRow} its CSV export would give (columns by name, numerics as plain
 * decimals, dates ISO, NULL empty) and goes to the SAME {@link CsvRecordParser}: typing, validation
 * and dead letters are those of the file. A refused row is a dead letter whose source is
 * {@code jdbc:TABLE}, whose line number is the row's number in key order, whose payload is the row
 * as a CSV line, and whose message ends with the row's key.
 *
 * <p>Before anything runs, the table is looked up: an unreachable database, a refused login, a
 * missing table or column is an {@link IllegalArgumentException} (exit 2 from the launcher), like a
 * missing input file. The manifest records the table with its row count and checksum.
 */
public final class ReadReference {
  private ReadReference() {}

  /** True when {@code location} is a table rather than a file. */
  public static boolean isTable(String location) {
    return ReferenceDb.isTable(location);
  }

  public static <T> Checked<T> read(
      NightshiftRun run, String step, String location, CsvRecordParser<T> parser, Coder<T> coder) {
    if (!isTable(location)) {
      return ReadCsv.read(run, step, location, parser, coder);
    }
    ReferenceDb db = ReferenceDb.of(run.options().as(ReferenceDbOptions.class), location);
    ReferenceDb.Table table = db.table(location, parser.requiredColumns());
    run.parameter("reference_db", db.label());
    run.registerTableInput(step, () -> db.describe(table));
    TupleTag<T> main = new TupleTag<>();
    PCollectionTuple result =
        run.pipeline()
            .apply(step + "/query", JdbcIO.<KV<Long, List<String>>>read()
                .withDataSourceProviderFn(db)
                .withQuery(ReferenceDb.query(table))
                .withRowMapper(new RowFn())
                .withCoder(KvCoder.of(VarLongCoder.of(), ListCoder.of(StringUtf8Coder.of())))
                .withFetchSize(10_000))
            .apply(step + "/parse", ParDo.of(new ParseFn<>(run.name(), step, table, parser, main, run.deadTag()))
                .withOutputTags(main, TupleTagList.of(run.deadTag())));
    return Checked.source(run, step, result.get(main).setCoder(coder), result.get(run.deadTag()));
  }

  /** A row: its number in key order (the query's first column), then its values as text. */
  static final class RowFn implements JdbcIO.RowMapper<KV<Long, List<String>>> {
    @Override
    public KV<Long, List<String>> mapRow(ResultSet rs) throws Exception {
      return KV.of(rs.getLong(1), ReferenceDb.values(rs, 2));
    }
  }

  /** Parses each row with the file's parser; counts and dead-letters like {@link ReadCsv}. */
  static final class ParseFn<T> extends DoFn<KV<Long, List<String>>, T> {
    private final TextFiles.RecordSink<T> sink;
    private final TupleTag<T> main;
    private final TupleTag<DeadLetter> dead;
    private final CsvRecordParser<T> parser;
    private final String source;
    private final List<String> columns;
    private final List<String> key;
    private transient Map<String, Integer> header;

    ParseFn(String pipeline, String step, ReferenceDb.Table table, CsvRecordParser<T> parser,
        TupleTag<T> main, TupleTag<DeadLetter> dead) {
      this.sink = new TextFiles.RecordSink<>(pipeline, step);
      this.main = main;
      this.dead = dead;
      this.parser = parser;
      this.source = table.source();
      this.columns = table.columns();
      this.key = table.key();
    }

    @Setup
    public void setup() {
      header = new HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        header.put(columns.get(i), i);
      }
    }

    @ProcessElement
    public void process(@Element KV<Long, List<String>> row, MultiOutputReceiver out) {
      List<String> values = row.getValue();
      SourceRef ref = SourceRef.of(source, row.getKey(), CsvFormat.line(values));
      Stage.Emit<T> emit = TextFiles.RecordSink.to(out, main, dead);
      sink.in(emit);
      try {
        sink.out(emit, parser.parse(CsvRow.of(header, values, ref)));
      } catch (RecordException e) {
        sink.dead(emit, ref, e.reasonCode(), e.getMessage() + keyOf(row.getKey(), values));
      } catch (RuntimeException e) {
        sink.dead(emit, ref, Reasons.INTERNAL_ERROR, e + keyOf(row.getKey(), values));
      }
    }

    private String keyOf(long number, List<String> values) {
      StringBuilder b = new StringBuilder(" (row ").append(number).append(" of ").append(source)
          .append(" in key order; key");
      for (String k : key) {
        b.append(' ').append(k).append('=').append(values.get(header.get(k)));
      }
      return b.append(')').toString();
    }
  }
}
