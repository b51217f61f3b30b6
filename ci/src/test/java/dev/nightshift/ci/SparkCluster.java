package dev.nightshift.ci;

import dev.nightshift.pipelines.cli.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving tests a real Spark standalone cluster on 127.0.0.1:7077 (master and
 * worker as separate JVMs started from this module's test classpath, see {@link LocalCluster}). One
 * cluster serves every test class of the run: it is started on first use, waited for until the
 * worker has registered, and stopped by PID when the test run ends, whether tests passed or not
 * (a root-store resource, plus a shutdown hook for a JVM that dies early).
 */
public final class SparkCluster implements BeforeAllCallback {

  /** The shaded jar that the e2e tests stage to the executors, built by the pipelines module. */
  public static final Path SPARK_JAR =
      Path.of("..", "pipelines", "target", "nightshift-spark.jar").toAbsolutePath().normalize();

  private static volatile LocalCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(SparkCluster.class, k -> start(), Resource.class);
  }

  /** The master URL of the running cluster. */
  public static String masterUrl() {
    if (cluster == null) {
      throw new IllegalStateException("annotate the test class with @ExtendWith(SparkCluster.class)");
    }
    return cluster.masterUrl();
  }

  public static LocalCluster cluster() {
    return cluster;
  }

  /** The flags that send a pipeline to the cluster with the shaded jar. */
  public static String[] flags() {
    return new String[] {
      "--runner=SparkRunner", "--sparkMaster=" + masterUrl(), "--filesToStage=" + SPARK_JAR
    };
  }

  private static Resource start() {
    try {
      if (!Files.isRegularFile(SPARK_JAR)) {
        throw new IllegalStateException(SPARK_JAR + " is missing: run the tests with `mvn verify` (the "
            + "pipelines module's package phase builds it)");
      }
      // The executors call the driver (this JVM) back on loopback.
      System.setProperty("spark.driver.host", LocalCluster.HOST);
      System.setProperty("spark.driver.bindAddress", LocalCluster.HOST);
      Path home = Path.of("target", "spark-cluster").toAbsolutePath();
      LocalCluster.stop(home); // a previous run killed before it could stop its cluster
      LocalCluster c =
          LocalCluster.start(
              LocalCluster.Config.of(home, LocalCluster.currentClasspath()).withCores(2).withWorkerMemory("4g"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(c)));
      cluster = c;
      return new Resource(c);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the local Spark cluster: " + e.getMessage(), e);
    }
  }

  private static void stopQuietly(LocalCluster c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort at JVM exit
    }
  }

  /** Closed by JUnit when the whole test run ends. */
  record Resource(LocalCluster cluster) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      cluster.close();
    }
  }
}
