package dev.nightshift.pipelines.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.Reasons;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MB line in a JVM of 256 MB: the launcher, forked with {@code -Xmx256m}, reads a CSV file
 * (order-processing), a FIX log (trade-settlement) and a Bulk FHIR NDJSON claims file
 * (claims-adjudication, beside a good FHIR Bundle and X12 837P) each holding one 50 MB line of
 * two-byte characters between good records. It exits 0, the line is one {@code RECORD_TOO_LONG} dead letter,
 * the good records flow, and nothing is printed about memory. Holding such a line whole takes
 * 100 MB of char data before the copies a StringBuilder makes while it grows.
 */
class SmallHeapTest {

  static final long MB = 1 << 20;

  @Test
  void fiftyMegabyteLinesInA256MegabyteHeap(@TempDir Path tmp) throws Exception {
    Path retail = Files.createDirectories(tmp.resolve("retail"));
    String header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    String good1 = "536365,85123A,WHITE HANGING HEART,6,2026-11-25 08:26:00,2.55,17850.0,United Kingdom\n";
    String good2 = "536366,71053,WHITE METAL LANTERN,6,2026-11-25 08:28:00,3.39,17850.0,United Kingdom\n";
    writeWithHugeLine(retail.resolve("online_retail_big.csv"), header + good1, "536999,X,", good2);

    Path corpus = Corpus.root().resolve("_companions/trade-settlement-fix");
    Path finance = Files.createDirectories(tmp.resolve("finance/fix"));
    for (String f : List.of("securities.csv", "participants.csv", "holidays.csv")) {
      Files.copy(corpus.resolve(f), tmp.resolve("finance").resolve(f));
    }
    List<String> fills = Files.readAllLines(Corpus.root().resolve("_companions/fix-logs/session-fix44.log"),
        StandardCharsets.ISO_8859_1);
    writeWithHugeLine(finance.resolve("big.log"), String.join("\n", fills) + "\n", "20261125-10:00:00.000: 8=FIX.4.4|9=", "");

    fork(tmp, "order-processing", "read-orders", 3, "--inputDir=" + retail,
        "--output=" + tmp.resolve("out-retail"));
    fork(tmp, "trade-settlement", "read-fix-trades", fills.size() + 1, "--inputDir=" + tmp.resolve("finance"),
        "--fixLogs=" + finance + "/*.log", "--businessDate=2026-11-25", "--output=" + tmp.resolve("out-finance"));
  }

  @Test
  void fiftyMegabyteClaimLineInA256MegabyteHeap(@TempDir Path tmp) throws Exception {
    Path companions = Corpus.root().resolve("_companions/claims-adjudication");
    Path in = Files.createDirectories(tmp.resolve("health/claims")).getParent();
    for (String f : List.of("members.csv", "plans.csv", "fee_schedule.csv", "claims/companion.json", "claims/companion.edi")) {
      Files.copy(companions.resolve(f), in.resolve(f));
    }
    String good = Files.readString(companions.resolve("claims/companion.ndjson"), StandardCharsets.UTF_8);
    writeWithHugeLine(in.resolve("claims/big.ndjson"), good, "{\"resourceType\":\"Claim\",\"id\":\"", "");
    Path out = tmp.resolve("out-health");
    fork(tmp, "claims-adjudication", "read-ndjson", 2, "--inputDir=" + in, "--businessDate=2026-11-25",
        "--output=" + out);
    String lines = Files.readString(out.resolve("adjudicated_lines.csv"), StandardCharsets.UTF_8);
    for (String claim : List.of("N-COMP-1", "B-COMP-1", "X-COMP-1")) {
      assertTrue(lines.contains(claim), "the good claim " + claim + " of each format flows:\n" + lines);
    }
  }

  /** {@code before}, then a line of 50 MB (two-byte characters) starting with {@code start}, then {@code after}. */
  static void writeWithHugeLine(Path file, String before, String start, String after) throws IOException {
    byte[] chunk = "é".repeat(512).getBytes(StandardCharsets.UTF_8); // 1 KiB
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write((before + start).getBytes(StandardCharsets.UTF_8));
      for (long i = 0; i < 50 * MB / chunk.length; i++) {
        out.write(chunk);
      }
      out.write(("\n" + after).getBytes(StandardCharsets.UTF_8));
    }
  }

  static void fork(Path tmp, String pipeline, String step, long line, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "dev.nightshift.pipelines.cli.Nightshift", "run", pipeline));
    command.addAll(List.of(args));
    File log = tmp.resolve(pipeline + ".log").toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    try {
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), pipeline + " finished within 300 s");
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log.toPath());
    assertEquals(0, p.exitValue(), pipeline + " exit code; output:\n" + tail(output));
    assertFalse(output.contains("OutOfMemoryError") || output.contains("Java heap space"), tail(output));
    assertTrue(output.contains(Reasons.RECORD_TOO_LONG), "the summary names the reason:\n" + tail(output));
    Path out = Path.of(args[args.length - 1].substring("--output=".length()));
    List<DeadLetter> dead = Corpus.deadLetters(out);
    assertEquals(1, dead.size(), dead.toString());
    assertEquals(Reasons.RECORD_TOO_LONG, dead.get(0).reasonCode());
    assertEquals(step, dead.get(0).step());
    assertEquals(line, dead.get(0).lineNumber());
    assertTrue(dead.get(0).rawPayload().length() < 300, "the raw payload is cut");
  }

  static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}
