package dev.nightshift.transforms.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** What the manifest records of a run's options ({@code options}), for {@code nightshift replay}. */
class RecordedOptionsTest {

  public interface Options extends NightshiftOptions {
    @Description("input")
    String getTrades();

    void setTrades(String value);

    @Description("a secret's reference")
    String getDeidKey();

    void setDeidKey(String value);

    @Description("a secret's reference")
    String getReferenceDbPassword();

    void setReferenceDbPassword(String value);

    @Description("a flag")
    boolean isStrict();

    void setStrict(boolean value);
  }

  @Test
  void thePipelinesOwnOptionsAndSecretsOnlyAsReferences() {
    Options o = PipelineOptionsFactory.fromArgs("--trades=in/trades.csv", "--output=out", "--archiveTo=gs://a/b",
        "--deidKey=file:key.txt", "--referenceDbPassword=plain-secret", "--aggregationBuckets=4")
        .as(Options.class);
    Map<String, String> expected = new TreeMap<>(Map.of(
        "trades", "in/trades.csv", "deidKey", "file:key.txt", "strict", "false"));
    assertEquals(expected, NightshiftRun.recordedOptions(o));
  }
}
