package dev.nightshift.transforms.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadableFileCoder;

/**
 * A byte range of a file that holds whole lines: {@code [start, end)} ({@code end} -1: to the end
 * of the file), starting on line {@code firstLine}. Range {@code index} 0 starts the file.
 *
 * <p>Why: a file read by one DoFn call has all its records held before the next step, in the
 * Direct Runner's bundle and in the Spark Runner's collected output; a 5M-line file ran a 4 GiB
 * heap out of memory (benchmarks/RESULTS.md, W1). {@link #plan} cuts a large, uncompressed file
 * into ranges of about {@code splitBytes}, each read by its own call (and on Spark by either
 * core), with the same records, dead letters and line numbers as one read of the whole file.
 *
 * <p>A range ends just after an LF byte (in UTF-8 that byte is never inside a character, so an
 * invalid byte sequence decodes the same either side of a cut), after the file's first non-blank
 * line (the header) and before the file's first {@code "} byte: from the first quote on, a line
 * break may sit inside a quoted field, or a stray quote may make the reader re-read lines, so the
 * rest of the file is one range. Line numbers count what {@link CsvReader} counts: a CR, a CRLF
 * or a lone LF is one line break.
 */
public record FileRange(FileIO.ReadableFile file, int index, long start, long end, long firstLine) {

  /** Files smaller than this are read whole. */
  public static final long MIN_SPLIT_FILE = 64L << 20;

  /** About how many bytes one range holds. */
  public static final long SPLIT_BYTES = 64L << 20;

  public static FileRange whole(FileIO.ReadableFile file) {
    return new FileRange(file, 0, 0, -1, 1);
  }

  public String path() {
    return file.getMetadata().resourceId().toString();
  }

  /** Whether this range starts the file (and so reports what is wrong with the file as a whole). */
  public boolean first() {
    return index == 0;
  }

  /** The range's bytes, decompressed when read whole. */
  public InputStream open() throws IOException {
    if (start == 0 && end < 0) {
      return Channels.newInputStream(file.open());
    }
    SeekableByteChannel channel = file.openSeekable();
    channel.position(start);
    InputStream in = Channels.newInputStream(channel);
    return end < 0 ? in : new Limited(in, end - start);
  }

  /**
   * The ranges of {@code file}: one when it is smaller than {@code minSplitFile}, compressed or not
   * seekable; otherwise cut as described above. Reads the file once, up to its first quote.
   */
  public static List<FileRange> plan(FileIO.ReadableFile file, long minSplitFile, long splitBytes) {
    List<FileRange> ranges = new ArrayList<>();
    if (file.getCompression() != Compression.UNCOMPRESSED
        || !file.getMetadata().isReadSeekEfficient()
        || file.getMetadata().sizeBytes() < minSplitFile) {
      ranges.add(whole(file));
      return ranges;
    }
    try (ReadableByteChannel channel = file.open()) {
      for (long[] cut : cuts(channel, targetBytes(file.getMetadata().sizeBytes(), splitBytes))) {
        ranges.add(new FileRange(file, ranges.size(), cut[0], cut[1], cut[2]));
      }
    } catch (IOException | RuntimeException e) {
      // the reader of the whole file reports what is wrong with it
      ranges.clear();
      ranges.add(whole(file));
    }
    return ranges;
  }

  /**
   * The size to cut a file of {@code size} bytes at: about {@code splitBytes}, the same for every
   * range, and as many ranges as a multiple of 4, so that 2 or 4 cores finish their last ranges
   * together (7 ranges of 64 MiB on 2 cores left one core idle for the last quarter of a W1 read).
   */
  public static long targetBytes(long size, long splitBytes) {
    long count = Math.max(1, (size + splitBytes - 1) / splitBytes);
    count = (count + 3) / 4 * 4;
    return Math.max(1, (size + count - 1) / count);
  }

  /**
   * Where the bytes of {@code channel} are cut, as described above: {@code {start, end, firstLine}}
   * per range, the last one's end -1 (to the end of the file).
   */
  public static List<long[]> cuts(ReadableByteChannel channel, long splitBytes) throws IOException {
    List<long[]> cuts = new ArrayList<>();
    long start = 0;
    long startLine = 1;
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    long position = 0;
    long breaks = 0;
    boolean previousCr = false;
    boolean content = false; // a non-blank byte (other than a leading byte-order mark) seen
    boolean headerDone = false; // a line break after content seen
    scan:
    while (channel.read(buffer) >= 0) {
      buffer.flip();
      byte[] bytes = buffer.array();
      int n = buffer.limit();
      for (int i = 0; i < n; i++, position++) {
        byte b = bytes[i];
        if (b == '\n') {
          if (!previousCr) {
            breaks++;
          }
          previousCr = false;
          headerDone |= content;
          if (headerDone && position + 1 - start >= splitBytes) {
            cuts.add(new long[] {start, position + 1, startLine});
            start = position + 1;
            startLine = 1 + breaks;
          }
        } else if (b == '\r') {
          breaks++;
          previousCr = true;
          headerDone |= content;
        } else if (b == '"') {
          break scan;
        } else {
          previousCr = false;
          if (!((position == 0 && b == (byte) 0xEF) || (position == 1 && b == (byte) 0xBB) || (position == 2 && b == (byte) 0xBF))) { // the BOM
            content = true;
          }
        }
      }
      buffer.clear();
    }
    cuts.add(new long[] {start, -1, startLine});
    return cuts;
  }

  /** At most {@code remaining} bytes of a stream. */
  private static final class Limited extends FilterInputStream {
    private long remaining;

    Limited(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }

  /** The coder: the file as Beam codes it, then the numbers. */
  public static final class RangeCoder extends CustomCoder<FileRange> {
    private static final RangeCoder INSTANCE = new RangeCoder();
    private static final Coder<FileIO.ReadableFile> FILE = ReadableFileCoder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static RangeCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FileRange range, OutputStream out) throws IOException {
      FILE.encode(range.file(), out);
      LONG.encode((long) range.index(), out);
      LONG.encode(range.start(), out);
      LONG.encode(range.end(), out);
      LONG.encode(range.firstLine(), out);
    }

    @Override
    public FileRange decode(InputStream in) throws IOException {
      return new FileRange(
          FILE.decode(in),
          Math.toIntExact(LONG.decode(in)),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      FILE.verifyDeterministic();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RangeCoder;
    }

    @Override
    public int hashCode() {
      return Objects.hash(RangeCoder.class);
    }
  }
}
