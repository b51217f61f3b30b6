package dev.nightshift.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child process runner with real processes (a shell stands in for the JVM: what is tested is
 * the exit code, the log, the error line and the timeout, not Java).
 */
class ChildJvmTest {

  @Test
  void exitCodeLogAndTheLaunchersErrorLine(@TempDir Path tmp) throws Exception {
    ChildJvm sh = new ChildJvm(List.of("sh", "-c"));
    Path log = tmp.resolve("logs/a.log");
    ChildJvm.Exit exit = sh.run(List.of(
        "echo \"attempt $NIGHTSHIFT_BATCH_ATTEMPT\"; echo 'nightshift: input of step read-trades matches no file: x' >&2;"
            + " echo '  caused by: java.io.FileNotFoundException: x' >&2; exit 2"),
        Map.of(ChildJvm.ATTEMPT_ENV, "3"), log, Duration.ofMinutes(1));
    assertEquals(2, exit.code());
    assertEquals("input of step read-trades matches no file: x (caused by: java.io.FileNotFoundException: x)",
        exit.error());
    assertTrue(Files.readString(log).startsWith("attempt 3\n"), Files.readString(log));
  }

  @Test
  void aTimedOutChildIsKilledWithWhatItStarted(@TempDir Path tmp) throws Exception {
    ChildJvm sh = new ChildJvm(List.of("sh", "-c"));
    Path pidFile = tmp.resolve("grandchild.pid");
    long start = System.nanoTime();
    ChildJvm.Exit exit = sh.run(List.of("sleep 60 & echo $! > " + pidFile + "; wait"), Map.of(),
        tmp.resolve("b.log"), Duration.ofMillis(1500));
    assertTrue(exit.timedOut());
    assertEquals("timed out after 1.5 s, killed", exit.error());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos());
    long grandchild = Long.parseLong(Files.readString(pidFile).trim());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (running(grandchild) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertFalse(running(grandchild), "the sleep was killed too");
  }

  /** Alive and not a zombie (a killed process whose new parent has not reaped it yet is dead). */
  static boolean running(long pid) throws java.io.IOException {
    if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
      return false;
    }
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) {
      return true;
    }
    String s = Files.readString(stat);
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }
}
