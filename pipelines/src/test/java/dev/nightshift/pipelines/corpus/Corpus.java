package dev.nightshift.pipelines.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.io.ReadCsv;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The bad-input corpus ({@code src/test/resources/corpus}): finds the cases, lays one out next to
 * its valid companions, runs its pipeline and checks what the case's expectations say. Used by
 * {@code CorpusTest} on the Direct Runner and by the ci module on the Spark Runner.
 */
public final class Corpus {
  private Corpus() {}

  /** The pipelines a case may name: a new reader's pipeline is one line here. */
  public static final Map<String, Function<String[], NightshiftRun.Summary>> PIPELINES =
      Map.ofEntries(
          Map.entry(TradeSettlement.NAME, TradeSettlement::run),
          Map.entry(AccountReconciliation.NAME, AccountReconciliation::run),
          Map.entry(FinancialReports.NAME, FinancialReports::run),
          Map.entry(OrderProcessing.NAME, OrderProcessing::run),
          Map.entry(InventoryUpdate.NAME, InventoryUpdate::run),
          Map.entry(SalesReport.NAME, SalesReport::run),
          Map.entry(Billing.NAME, Billing::run),
          Map.entry(PatientRecords.NAME, PatientRecords::run),
          Map.entry(ClaimsAdjudication.NAME, ClaimsAdjudication::run),
          Map.entry(JsonLinesPipeline.NAME, JsonLinesPipeline::run));

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final String EXPECT = ".expect.json";

  /** A case: its id ({@code format/name}), its folder, its data file (null when generated). */
  public record Case(String id, Path folder, Path data, CorpusCase expect) {
    public String format() {
      return id.substring(0, id.indexOf('/'));
    }

    /** The case file's name as the pipeline sees it. */
    public String fileName() {
      String as = expect.as();
      return as.substring(as.lastIndexOf('/') + 1);
    }
  }

  /** The corpus root, from the classpath (a folder, or inside the pipelines test jar). */
  public static Path root() {
    URL url = Corpus.class.getResource("/corpus/_companions");
    if (url == null) {
      throw new IllegalStateException("no /corpus on the classpath");
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException e) {
          fs = FileSystems.newFileSystem(uri, Map.of());
        }
        return fs.getPath("/corpus");
      }
      return Path.of(uri).getParent();
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the corpus at " + url, e);
    }
  }

  /** Every case, sorted by id. */
  public static List<Case> cases() throws IOException {
    Path root = root();
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path expect : files.filter(p -> p.getFileName().toString().endsWith(EXPECT)).sorted().toList()) {
        Path folder = expect.getParent();
        String base = expect.getFileName().toString();
        base = base.substring(0, base.length() - EXPECT.length());
        CorpusCase c = JSON.readValue(Files.readString(expect), CorpusCase.class);
        Path data = null;
        if (c.generate() == null) {
          String prefix = base + ".";
          try (Stream<Path> siblings = Files.list(folder)) {
            List<Path> found = siblings
                .filter(p -> p.getFileName().toString().startsWith(prefix) && !p.getFileName().toString().endsWith(EXPECT))
                .toList();
            if (found.size() != 1) {
              throw new IllegalStateException("case " + expect + " needs exactly one data file, found " + found);
            }
            data = found.get(0);
          }
        }
        String id = root.relativize(folder).toString().replace('\\', '/') + "/" + base;
        cases.add(new Case(id, folder, data, c));
      }
    }
    return cases;
  }

  public static Case byId(String id) throws IOException {
    return cases().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no corpus case " + id));
  }

  /** Copies the companions into {@code in} and writes the case file over them. */
  public static void layOut(Case c, Path in) throws IOException {
    Files.createDirectories(in);
    if (c.expect().companions() != null) {
      Path companions = root().resolve("_companions").resolve(c.expect().companions());
      try (Stream<Path> files = Files.walk(companions)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path target = in.resolve(companions.relativize(f).toString());
          Files.createDirectories(target.getParent());
          Files.copy(f, target);
        }
      }
    }
    Path target = in.resolve(c.expect().as());
    Files.createDirectories(target.getParent());
    if (c.data() != null) {
      Files.copy(c.data(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } else {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
        write(c, c.expect().generate(), out);
      }
    }
  }

  private static void write(Case c, List<CorpusCase.Part> parts, OutputStream out) throws IOException {
    for (CorpusCase.Part part : parts) {
      long times = part.times() == null ? 1 : part.times();
      byte[] bytes = part.group() == null ? bytes(c, part) : null;
      for (long i = 0; i < times; i++) {
        if (bytes == null) {
          write(c, part.group(), out);
        } else {
          out.write(bytes);
        }
      }
    }
  }

  private static byte[] bytes(Case c, CorpusCase.Part part) throws IOException {
    if (part.text() != null) {
      return part.text().getBytes(StandardCharsets.UTF_8);
    }
    if (part.hex() != null) {
      return HexFormat.of().parseHex(part.hex().replace(" ", ""));
    }
    if (part.resource() != null) {
      return Files.readAllBytes(c.folder().resolve(part.resource()));
    }
    throw new IllegalStateException(c.id() + ": a generated part needs text, hex or resource");
  }

  /** The case's arguments with the folders filled in. */
  public static List<String> args(Case c, Path in, Path out) {
    List<String> args = new ArrayList<>();
    for (String a : c.expect().args()) {
      args.add(a.replace("${in}", in.toString()).replace("${out}", out.toString()));
    }
    return args;
  }

  /** Runs the case's pipeline with {@code extra} arguments (the runner) added. */
  public static NightshiftRun.Summary run(Case c, Path in, Path out, String... extra) {
    Function<String[], NightshiftRun.Summary> pipeline = PIPELINES.get(c.expect().pipeline());
    if (pipeline == null) {
      throw new IllegalStateException(c.id() + ": unknown pipeline " + c.expect().pipeline());
    }
    List<String> args = args(c, in, out);
    args.addAll(List.of(extra));
    return pipeline.apply(args.toArray(new String[0]));
  }

  /** Checks a finished run against the case: audit, dead letters, counters, outputs. */
  public static void check(Case c, Path out, NightshiftRun.Summary summary) throws IOException {
    RunManifest manifest =
        RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME), StandardCharsets.UTF_8));
    assertEquals("SUCCEEDED", manifest.status(), c.id() + ": " + manifest.audit().failures());
    assertTrue(manifest.audit().balanced(), c.id() + ": the audit balances");
    checkDeadLetters(c, deadLetters(out));
    if (c.expect().steps() != null) {
      for (Map.Entry<String, CorpusCase.Counts> e : c.expect().steps().entrySet()) {
        String step = e.getKey();
        CorpusCase.Counts want = e.getValue();
        checkCounter(c, summary, step + "/in", want.in());
        checkCounter(c, summary, step + "/out", want.out());
        checkCounter(c, summary, step + "/dead", want.dead());
        if (want.other() != null) {
          want.other().forEach((what, n) -> checkCounter(c, summary, step + "/" + what, n));
        }
      }
    }
    if (c.expect().outputs() != null) {
      for (Map.Entry<String, CorpusCase.Output> e : c.expect().outputs().entrySet()) {
        Path file = out.resolve(e.getKey());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (e.getValue().records() != null) {
          assertEquals(e.getValue().records().longValue(), lines.size() - 1L,
              c.id() + ": records in " + e.getKey() + " (header excluded): " + lines);
        }
        if (e.getValue().contains() != null) {
          for (String line : e.getValue().contains()) {
            assertTrue(lines.contains(line), c.id() + ": " + e.getKey() + " holds '" + line + "': " + lines);
          }
        }
      }
    }
  }

  private static void checkCounter(Case c, NightshiftRun.Summary summary, String counter, Long want) {
    if (want != null) {
      assertEquals(want.longValue(), summary.counter(counter), c.id() + ": counter " + counter);
    }
  }

  public static List<DeadLetter> deadLetters(Path out) throws IOException {
    List<DeadLetter> letters = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE), StandardCharsets.UTF_8)) {
      letters.add(DeadLetter.fromJson(line));
    }
    return letters;
  }

  /** Every expected letter is there, as often as expected, and there is no other. */
  static void checkDeadLetters(Case c, List<DeadLetter> letters) {
    List<DeadLetter> left = new ArrayList<>(letters);
    List<String> missing = new ArrayList<>();
    List<CorpusCase.Letter> expected = c.expect().deadLetters() == null ? List.of() : c.expect().deadLetters();
    for (CorpusCase.Letter want : expected) {
      int count = want.count() == null ? 1 : want.count();
      for (int i = 0; i < count; i++) {
        DeadLetter match = left.stream().filter(d -> matches(c, want, d)).findFirst().orElse(null);
        if (match == null) {
          missing.add(want + " (#" + (i + 1) + " of " + count + ")");
        } else {
          left.remove(match);
        }
      }
    }
    if (!missing.isEmpty() || !left.isEmpty()) {
      StringBuilder sb = new StringBuilder(c.id() + ": dead letters differ");
      missing.forEach(m -> sb.append("\n  missing: ").append(m));
      left.forEach(d -> sb.append("\n  unexpected: ").append(brief(d)));
      fail(sb.toString());
    }
    for (DeadLetter d : letters) {
      assertTrue(d.message() != null && !d.message().isBlank(), c.id() + ": every dead letter says why: " + brief(d));
      assertTrue(d.rawPayload().length() <= ReadCsv.MAX_RECORD_CHARS + 3, c.id() + ": a dead letter's raw payload is capped: "
          + d.rawPayload().length() + " characters at line " + d.lineNumber());
    }
  }

  private static boolean matches(Case c, CorpusCase.Letter want, DeadLetter d) {
    String file = want.file() == null ? c.fileName() : want.file();
    String name = d.sourceFile().substring(d.sourceFile().lastIndexOf('/') + 1);
    return d.step().equals(want.step())
        && d.reasonCode().equals(want.reason())
        && (file.equals("*") || name.equals(file))
        && (want.line() == null || d.lineNumber() == want.line())
        && (want.message() == null || d.message().contains(want.message()));
  }

  static String brief(DeadLetter d) {
    String name = d.sourceFile().substring(d.sourceFile().lastIndexOf('/') + 1);
    String raw = d.rawPayload().length() > 80 ? d.rawPayload().substring(0, 80) + "..." : d.rawPayload();
    return "{step " + d.step() + ", reason " + d.reasonCode() + ", file " + name + ", line " + d.lineNumber()
        + ", message '" + d.message() + "', raw '" + raw + "'}";
  }

}
