package dev.nightshift.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Polls the peak resident memory of a process (and of other processes that work for it, such as
 * a cluster's executors) from {@code /proc/<pid>/status}: {@code VmHWM}, the kernel's high-water
 * mark, read every 100 ms until the process ends; the figure is the sum of the peaks of all.
 */
final class MemoryProbe implements AutoCloseable {
  private final Map<Long, Long> peakKb = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  MemoryProbe(long pid, Supplier<List<Long>> helpers) {
    thread = new Thread(() -> {
      while (running) {
        sample(pid);
        for (long helper : helpers.get()) {
          sample(helper);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "memory-probe-" + pid);
    thread.setDaemon(true);
    thread.start();
  }

  private void sample(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          peakKb.merge(pid, kb, Math::max);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process has ended
    }
  }

  /** The sum of the peaks seen, in MiB. */
  long peakMiB() {
    return peakKb.values().stream().mapToLong(Long::longValue).sum() / 1024;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join();
  }
}
