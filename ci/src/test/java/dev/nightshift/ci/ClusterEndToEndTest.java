package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One flagship pipeline per domain (finance, retail, healthcare) submitted to a real Spark
 * standalone cluster (master, worker and executors in their own JVMs on 127.0.0.1, the shaded
 * spark jar staged to the executors):
 * the outputs are byte-identical to the Direct Runner's, and the counters balance the same way.
 */
@ExtendWith(SparkCluster.class)
class ClusterEndToEndTest {

  @Test
  void financeTradeSettlement(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new TradeGenerator().generate(new GenerationRequest(input, 6_000, 17, 0.03, null));
    assertSameOnClusterAndDirect(TradeSettlement::run, tmp,
        "--inputDir=" + input, "--businessDate=" + g.businessDate());
  }

  @Test
  void retailOrderProcessing(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    new RetailOrderGenerator().generate(new GenerationRequest(input, 1_500, 23, 0.03, null));
    assertSameOnClusterAndDirect(OrderProcessing::run, tmp, "--inputDir=" + input);
  }

  @Test
  void healthcareClaimsAdjudication(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    GenerationReport g = new ClaimsGenerator().generate(new GenerationRequest(input, 1_500, 29, 0.05, null));
    assertSameOnClusterAndDirect(ClaimsAdjudication::run, tmp,
        "--inputDir=" + input, "--businessDate=" + g.businessDate());
  }

  /** Runs on the Direct Runner and on the cluster; returns the cluster run's summary. */
  static NightshiftRun.Summary assertSameOnClusterAndDirect(
      Function<String[], NightshiftRun.Summary> pipeline, Path tmp, String... common) throws Exception {
    NightshiftRun.Summary direct =
        pipeline.apply(RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("direct"), "--runner=DirectRunner"));
    int executorsBefore = SparkCluster.cluster().executors().size();
    NightshiftRun.Summary cluster =
        pipeline.apply(RunnerEquivalenceTest.concat(
            RunnerEquivalenceTest.concat(common, "--output=" + tmp.resolve("cluster")), SparkCluster.flags()));

    assertEquals("SparkRunner", cluster.manifest().runner());
    assertEquals(0, executorsBefore, "no application was running before the job");
    assertTrue(Files.list(SparkCluster.cluster().home().resolve("work")).findAny().isPresent(),
        "the worker ran executors for the job");
    assertEquals(direct.manifest().outputs(), cluster.manifest().outputs(), "paths, sizes, records, sha256");
    assertFalse(direct.manifest().outputs().isEmpty());
    for (RunManifest.FileEntry f : direct.manifest().outputs()) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("direct").resolve(f.path())),
          Files.readAllBytes(tmp.resolve("cluster").resolve(f.path())), f.path());
    }
    assertEquals(direct.manifest().steps(), cluster.manifest().steps());
    assertTrue(cluster.manifest().audit().balanced());
    return cluster;
  }
}
