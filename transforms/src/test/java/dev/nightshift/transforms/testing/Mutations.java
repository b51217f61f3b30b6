package dev.nightshift.transforms.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Property tests without a property-testing library: random mutations of valid records, from a
 * fixed seed, many tries, and on failure the seed, the try and the input that failed.
 *
 * <p>Why not jqwik: from 1.10 (the version served here) jqwik comes with an "Anti-AI Usage
 * Clause": its maintainers strongly discourage its use with AI coding agents (and warn that its
 * stdout output is meant to confuse them). Nightshift is written with coding agents, so it
 * respects their wish and keeps this small harness instead (see the README, "Bad input").
 *
 * <p>The seed is {@value #DEFAULT_SEED} unless {@code -Dnightshift.seed=N} is given: CI always runs
 * the same cases; a developer explores others by changing the seed, and reruns a failure with the
 * seed it printed.
 */
public final class Mutations {
  private Mutations() {}

  public static final long DEFAULT_SEED = 20261125L;

  public static long seed() {
    return Long.getLong("nightshift.seed", DEFAULT_SEED);
  }

  /** A check of one generated input; anything it throws fails the property. */
  public interface Check {
    void run(byte[] input, Random random) throws Exception;
  }

  /** A generator of valid input. */
  public interface Generator {
    byte[] valid(Random random);
  }

  /**
   * Runs {@code check} on {@code tries} inputs: each a valid input from {@code generator} with
   * 0 to {@code maxMutations} mutations. A failure is rethrown with the seed, the try and the input.
   */
  public static void forAll(String property, int tries, int maxMutations, Generator generator, Check check) {
    long seed = seed();
    for (int i = 0; i < tries; i++) {
      Random random = new Random(seed * 1_000_003L + i);
      byte[] input = generator.valid(random);
      int n = random.nextInt(maxMutations + 1);
      for (int m = 0; m < n; m++) {
        input = mutate(input, random);
      }
      try {
        check.run(input, random);
      } catch (Throwable t) {
        throw new AssertionError(
            property + " fails on try " + i + " of seed " + seed + " (rerun with -Dnightshift.seed=" + seed
                + "); input (" + input.length + " bytes): " + show(input), t);
      }
    }
  }

  /** Bytes a mutation likes to insert: delimiters, quotes, line ends, NUL, SOH, invalid UTF-8. */
  private static final byte[][] INTERESTING = {
    {'"'}, {','}, {'\n'}, {'\r'}, {'\r', '\n'}, {0}, {1}, {'|'}, {'='}, {':'}, {'{'}, {'}'}, {'['}, {'<'}, {'>'},
    {'&'}, {'\\'}, {' '}, {'\t'}, {'-'}, {'.'}, {'E'}, {'9'}, {'0'},
    {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, // a byte-order mark
    {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC3}, {(byte) 0xC3, 0x28}, {(byte) 0xE9}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, // a valid 4-byte character
    "1E+99999999".getBytes(StandardCharsets.US_ASCII), "-".getBytes(StandardCharsets.US_ASCII),
    "9223372036854775808".getBytes(StandardCharsets.US_ASCII), "+999999999-12-31".getBytes(StandardCharsets.US_ASCII),
    "\"\"".getBytes(StandardCharsets.US_ASCII), "null".getBytes(StandardCharsets.US_ASCII),
  };

  /** One random mutation. */
  public static byte[] mutate(byte[] in, Random r) {
    int len = in.length;
    int at = len == 0 ? 0 : r.nextInt(len + 1);
    switch (r.nextInt(11)) {
      case 0: { // delete a run of bytes
        if (len == 0) {
          return in;
        }
        int from = Math.min(at, len - 1);
        int n = 1 + r.nextInt(Math.min(8, len - from));
        return splice(in, from, n, new byte[0]);
      }
      case 1: // insert interesting bytes
        return splice(in, at, 0, INTERESTING[r.nextInt(INTERESTING.length)]);
      case 2: { // replace a byte by an interesting one or a random one
        if (len == 0) {
          return in;
        }
        byte[] with = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : new byte[] {(byte) r.nextInt(256)};
        return splice(in, Math.min(at, len - 1), 1, with);
      }
      case 3: // truncate
        return java.util.Arrays.copyOf(in, at);
      case 4: // duplicate a line
      case 5: { // delete a line
        List<byte[]> lines = lines(in);
        if (lines.isEmpty()) {
          return in;
        }
        int i = r.nextInt(lines.size());
        if (r.nextBoolean() || lines.size() == 1) {
          lines.add(i, lines.get(i).clone());
        } else {
          lines.remove(i);
        }
        return join(lines);
      }
      case 6: { // swap two fields of a line (comma, pipe or SOH separated)
        List<byte[]> lines = lines(in);
        if (lines.isEmpty()) {
          return in;
        }
        int i = r.nextInt(lines.size());
        lines.set(i, swapFields(lines.get(i), r));
        return join(lines);
      }
      case 7: // a byte-order mark at the start or anywhere
        return splice(in, r.nextBoolean() ? 0 : at, 0, INTERESTING[24]);
      case 8: { // repeat a slice (a long field or line)
        if (len == 0) {
          return in;
        }
        int from = Math.min(at, len - 1);
        int n = 1 + r.nextInt(Math.min(16, len - from));
        byte[] slice = java.util.Arrays.copyOfRange(in, from, from + n);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int k = 0, times = 1 + r.nextInt(64); k < times; k++) {
          b.writeBytes(slice);
        }
        return splice(in, from, 0, b.toByteArray());
      }
      case 9: // swap two adjacent lines
      default: {
        List<byte[]> lines = lines(in);
        if (lines.size() < 2) {
          return in;
        }
        int i = r.nextInt(lines.size() - 1);
        byte[] t = lines.get(i);
        lines.set(i, lines.get(i + 1));
        lines.set(i + 1, t);
        return join(lines);
      }
    }
  }

  static byte[] splice(byte[] in, int at, int remove, byte[] with) {
    byte[] out = new byte[in.length - remove + with.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(with, 0, out, at, with.length);
    System.arraycopy(in, at + remove, out, at + with.length, in.length - at - remove);
    return out;
  }

  /** Lines with their line ends. */
  static List<byte[]> lines(byte[] in) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(in, start, i + 1));
        start = i + 1;
      }
    }
    if (start < in.length) {
      lines.add(java.util.Arrays.copyOfRange(in, start, in.length));
    }
    return lines;
  }

  static byte[] join(List<byte[]> lines) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    lines.forEach(b::writeBytes);
    return b.toByteArray();
  }

  static byte[] swapFields(byte[] line, Random r) {
    byte sep = new byte[] {',', '|', 1}[r.nextInt(3)];
    List<int[]> fields = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= line.length; i++) {
      if (i == line.length || line[i] == sep) {
        fields.add(new int[] {start, i});
        start = i + 1;
      }
    }
    if (fields.size() < 2) {
      return line;
    }
    int a = r.nextInt(fields.size());
    int b = r.nextInt(fields.size());
    if (a == b) {
      return line;
    }
    int x = Math.min(a, b);
    int y = Math.max(a, b);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(line, 0, fields.get(x)[0]);
    out.write(line, fields.get(y)[0], fields.get(y)[1] - fields.get(y)[0]);
    out.write(line, fields.get(x)[1], fields.get(y)[0] - fields.get(x)[1]);
    out.write(line, fields.get(x)[0], fields.get(x)[1] - fields.get(x)[0]);
    out.write(line, fields.get(y)[1], line.length - fields.get(y)[1]);
    return out.toByteArray();
  }

  /** The input for a failure message: printable ASCII as is, everything else escaped, capped. */
  public static String show(byte[] input) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < input.length && sb.length() < 4000; i++) {
      int b = input[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\\') {
        sb.append((char) b);
      } else if (b == '\n') {
        sb.append("\\n");
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    return sb.length() >= 4000 ? sb + "..." : sb.toString();
  }
}
