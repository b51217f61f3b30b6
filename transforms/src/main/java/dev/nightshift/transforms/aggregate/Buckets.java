package dev.nightshift.transforms.aggregate;

import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * Maps keys to a bounded number of buckets by their encoded bytes, identically on every JVM and
 * runner. Keys must have a deterministic coder: equal keys must encode to equal bytes.
 */
public final class Buckets {
  private Buckets() {}

  public static void requireDeterministic(Coder<?> keyCoder, String where) {
    try {
      keyCoder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          where + " needs a key coder that is deterministic, but " + keyCoder + " is not: "
              + e.getMessage(),
          e);
    }
  }

  public static byte[] encode(Coder<?> coder, Object key) {
    try {
      @SuppressWarnings("unchecked")
      Coder<Object> c = (Coder<Object>) coder;
      return CoderUtils.encodeToByteArray(c, key);
    } catch (Exception e) {
      throw new IllegalStateException("cannot encode key " + key, e);
    }
  }

  /** The bucket of an encoded key, in [0, buckets). */
  public static int of(byte[] encodedKey, int buckets) {
    int h = Arrays.hashCode(encodedKey);
    // murmur3 fmix32: spreads similar keys over all buckets
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, buckets);
  }

  /**
   * What to key a hash map by: the key itself when its coder is consistent with equals (equal
   * keys encode to equal bytes, so grouping by equals is grouping by bytes, without encoding each
   * element), else its encoded bytes.
   */
  static Object mapKey(Coder<?> coder, boolean consistentWithEquals, Object key) {
    return consistentWithEquals ? key : new KeyBytes(encode(coder, key));
  }

  /** Encoded key bytes with value equality, for hash maps. */
  static final class KeyBytes {
    final byte[] bytes;
    private final int hash;

    KeyBytes(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyBytes && Arrays.equals(bytes, ((KeyBytes) o).bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
