package dev.nightshift.schemas.coder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A compact, deterministic coder for a record type, written as a pair of lambdas that write and
 * read the fields in a fixed order. Every field encoding is canonical (UTF-8 strings with a length,
 * epoch days for dates, unscaled value and scale for decimals), so the coder is deterministic and
 * safe for keys: equal records encode to equal bytes.
 */
public final class RecordCoder<T> extends CustomCoder<T> {

  /** Writes the fields of a value. */
  public interface Writer<T> extends Serializable {
    void write(T value, Out out) throws IOException;
  }

  /** Reads the fields of a value in the order the writer wrote them. */
  public interface Reader<T> extends Serializable {
    T read(In in) throws IOException;
  }

  private final Class<T> type;
  private final Writer<T> writer;
  private final Reader<T> reader;

  private RecordCoder(Class<T> type, Writer<T> writer, Reader<T> reader) {
    this.type = type;
    this.writer = writer;
    this.reader = reader;
  }

  public static <T> RecordCoder<T> of(Class<T> type, Writer<T> writer, Reader<T> reader) {
    return new RecordCoder<>(type, writer, reader);
  }

  public Class<T> getType() {
    return type;
  }

  @Override
  public void encode(T value, OutputStream os) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    writer.write(value, new Out(os));
  }

  @Override
  public T decode(InputStream is) throws IOException {
    return reader.read(new In(is));
  }

  @Override
  public void verifyDeterministic() {
    // Every field is written in a fixed order with a canonical encoding.
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordCoder<?> && ((RecordCoder<?>) other).type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "RecordCoder<" + type.getSimpleName() + ">";
  }

  /** Field writer. It never closes or buffers the underlying stream. */
  public static final class Out {
    private final OutputStream os;

    Out(OutputStream os) {
      this.os = os;
    }

    public Out str(String value) throws IOException {
      Objects.requireNonNull(value, "string field");
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      VarInt.encode(bytes.length, os);
      os.write(bytes);
      return this;
    }

    public Out optStr(String value) throws IOException {
      os.write(value == null ? 0 : 1);
      if (value != null) {
        str(value);
      }
      return this;
    }

    public Out lng(long value) throws IOException {
      VarInt.encode(value, os);
      return this;
    }

    public Out integer(int value) throws IOException {
      VarInt.encode(value, os);
      return this;
    }

    public Out bool(boolean value) throws IOException {
      os.write(value ? 1 : 0);
      return this;
    }

    public Out decimal(BigDecimal value) throws IOException {
      Objects.requireNonNull(value, "decimal field");
      VarInt.encode(value.scale(), os);
      byte[] unscaled = value.unscaledValue().toByteArray();
      VarInt.encode(unscaled.length, os);
      os.write(unscaled);
      return this;
    }

    public Out optDecimal(BigDecimal value) throws IOException {
      os.write(value == null ? 0 : 1);
      if (value != null) {
        decimal(value);
      }
      return this;
    }

    public Out date(LocalDate value) throws IOException {
      return lng(value.toEpochDay());
    }

    public Out optDate(LocalDate value) throws IOException {
      os.write(value == null ? 0 : 1);
      if (value != null) {
        date(value);
      }
      return this;
    }

    public Out time(LocalTime value) throws IOException {
      return lng(value.toNanoOfDay());
    }

    public <E extends Enum<E>> Out enumName(E value) throws IOException {
      return str(value.name());
    }

    /** A nested value, written with its own (deterministic) coder. */
    public <V> Out with(org.apache.beam.sdk.coders.Coder<V> coder, V value) throws IOException {
      coder.encode(value, os);
      return this;
    }
  }

  /** Field reader, the mirror of {@link Out}. */
  public static final class In {
    private final InputStream is;

    In(InputStream is) {
      this.is = is;
    }

    private int flag() throws IOException {
      int b = is.read();
      if (b < 0) {
        throw new CoderException("unexpected end of stream");
      }
      return b;
    }

    private byte[] bytes(int length) throws IOException {
      byte[] bytes = is.readNBytes(length);
      if (bytes.length != length) {
        throw new CoderException("unexpected end of stream");
      }
      return bytes;
    }

    public String str() throws IOException {
      return new String(bytes(VarInt.decodeInt(is)), StandardCharsets.UTF_8);
    }

    public String optStr() throws IOException {
      return flag() == 0 ? null : str();
    }

    public long lng() throws IOException {
      return VarInt.decodeLong(is);
    }

    public int integer() throws IOException {
      return VarInt.decodeInt(is);
    }

    public boolean bool() throws IOException {
      return flag() != 0;
    }

    public BigDecimal decimal() throws IOException {
      int scale = VarInt.decodeInt(is);
      return new BigDecimal(new BigInteger(bytes(VarInt.decodeInt(is))), scale);
    }

    public BigDecimal optDecimal() throws IOException {
      return flag() == 0 ? null : decimal();
    }

    public LocalDate date() throws IOException {
      return LocalDate.ofEpochDay(lng());
    }

    public LocalDate optDate() throws IOException {
      return flag() == 0 ? null : date();
    }

    public LocalTime time() throws IOException {
      return LocalTime.ofNanoOfDay(lng());
    }

    public <E extends Enum<E>> E enumName(Class<E> type) throws IOException {
      return Enum.valueOf(type, str());
    }

    public <V> V with(org.apache.beam.sdk.coders.Coder<V> coder) throws IOException {
      return coder.decode(is);
    }
  }
}
