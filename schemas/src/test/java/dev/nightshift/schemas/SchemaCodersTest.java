package dev.nightshift.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nightshift.schemas.coder.SchemaCoders;
import dev.nightshift.schemas.finance.NettingKey;
import dev.nightshift.schemas.finance.Trade;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

class SchemaCodersTest {

  static final Trade TRADE =
      new Trade(
          "T-1",
          LocalDate.of(2026, 11, 25),
          LocalTime.of(9, 30, 1),
          "US0378331005",
          100,
          new BigDecimal("189.1250"),
          "USD",
          "ACC-1",
          "ACC-2",
          SourceRef.of("/data/trades.csv", 2, "T-1,2026-11-25,..."));

  @Test
  void tradeRoundTripsAndEncodesDeterministically() throws Exception {
    byte[] first = CoderUtils.encodeToByteArray(Trade.CODER, TRADE);
    assertEquals(TRADE, CoderUtils.decodeFromByteArray(Trade.CODER, first));
    assertArrayEquals(first, CoderUtils.encodeToByteArray(Trade.CODER, TRADE));
    Trade.CODER.verifyDeterministic();
  }

  @Test
  void nestedContextDoesNotReadPastItsValue() throws Exception {
    KvCoder<NettingKey, String> kv = KvCoder.of(NettingKey.CODER, StringUtf8Coder.of());
    var value =
        org.apache.beam.sdk.values.KV.of(
            new NettingKey("P1", "US0378331005", "USD", LocalDate.of(2026, 11, 27)), "tail");
    assertEquals(value, CoderUtils.decodeFromByteArray(kv, CoderUtils.encodeToByteArray(kv, value)));
    kv.verifyDeterministic();
  }

  @Test
  void registryFindsEveryRecordCoder() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    for (var coder : SchemaCoders.ALL) {
      Coder<?> found = registry.getCoder(TypeDescriptor.of(coder.getType()));
      assertEquals(coder, found, coder.getType().getName());
    }
  }

  @Test
  void truncatedInputIsACoderError() throws IOException {
    byte[] bytes = CoderUtils.encodeToByteArray(Trade.CODER, TRADE);
    ByteArrayOutputStream cut = new ByteArrayOutputStream();
    cut.write(bytes, 0, bytes.length - 5);
    assertThrows(
        CoderException.class,
        () -> Trade.CODER.decode(new ByteArrayInputStream(cut.toByteArray())));
  }

  @Test
  void deadLetterJsonRoundTrips() throws Exception {
    DeadLetter d =
        DeadLetter.of("trade-settlement", "validate-trades", TRADE.source(), "BAD", "a \"quoted\" message");
    String json = d.toJson();
    assertEquals(d, DeadLetter.fromJson(json));
    assertEquals(-1, json.indexOf('\n'));
  }
}
