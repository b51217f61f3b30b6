package dev.nightshift.pipelines.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.nightshift.pipelines.testing.CsvFiles;
import dev.nightshift.transforms.report.RunReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pipeline, run on inputs holding hostile text in every text field (see {@link HostileRuns}):
 *
 * <ul>
 *   <li>spreadsheet formulas ({@code =HYPERLINK(...)}, {@code +1}, {@code -2+3}, {@code @SUM(...)},
 *       a leading tab or carriage return): no CSV output cell starts with = + - @ tab or CR unless
 *       it is a plain number, and the payloads did reach the outputs (neutralised with a leading
 *       {@code '});
 *   <li>markup: no HTML output holds a tag from the input;
 *   <li>paths and URLs ({@code ../../}, absolute paths, {@code file://}, {@code gs://}, an
 *       {@code http://} URL to a local server, XML external entities naming them): the runs read
 *       no file outside the inputs, their outputs, the JDK and the class path (every file read and
 *       write of the JVM is recorded with JDK Flight Recorder: jdk.FileRead and jdk.FileWrite, no
 *       threshold), never read the canary file the paths point at, write only into their output
 *       folders, and make no request to the local server.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  static final List<String> FORMULAS = List.of(
      "=HYPERLINK(\"http://127.0.0.1:9/x\";\"click\")", "+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR",
      "=1+2", "-cmd|' /C calc'!A0");
  static final String SCRIPT = "<script>document.title='pwned'</script>";
  static final String IMG = "\"><img src=x onerror=alert(1)>";

  Path tmp;
  Path canary;
  HostileRuns.Runs runs;
  final List<String[]> fileEvents = new ArrayList<>(); // {event, path}
  final AtomicInteger requests = new AtomicInteger();
  HttpServer server;
  Map<String, FileTime> before;
  Map<String, FileTime> after;

  @BeforeAll
  void runEverything(@TempDir Path dir) throws Exception {
    tmp = dir.toRealPath();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    canary = Files.writeString(outside.resolve("canary.txt"), "CANARY-SECRET\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = "CANARY-SECRET".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/canary";
    List<String> paths = List.of("../../outside/canary.txt", "../../../outside/canary.txt", canary.toString(),
        "file://" + canary, "gs://other-bucket/x", url, "../../../../../../../../etc/passwd");
    List<String> payloads = new ArrayList<>(FORMULAS);
    payloads.addAll(paths);
    payloads.add(SCRIPT);
    payloads.add(IMG);

    before = listing(tmp);
    try (RecordingStream jfr = new RecordingStream()) {
      jfr.enable("jdk.FileRead").withThreshold(Duration.ZERO);
      jfr.enable("jdk.FileWrite").withThreshold(Duration.ZERO);
      jfr.onEvent("jdk.FileRead", e -> record("read", e.getString("path")));
      jfr.onEvent("jdk.FileWrite", e -> record("write", e.getString("path")));
      jfr.startAsync();
      runs = HostileRuns.run(tmp, payloads);
      Thread.sleep(1500); // JFR hands events over about once a second
    }
    after = listing(tmp);
  }

  private void record(String what, String path) {
    synchronized (fileEvents) {
      fileEvents.add(new String[] {what, path == null ? "" : path});
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  @Test
  void noCsvCellCanBeEvaluatedAsAFormulaAndThePayloadsGotThroughNeutralised() throws IOException {
    Map<String, Long> neutralised = new TreeMap<>();
    List<String> unsafe = new ArrayList<>();
    for (Map.Entry<String, Path> run : runs.outputs().entrySet()) {
      neutralised.put(run.getKey(), 0L);
      for (Path csv : files(run.getValue(), ".csv")) {
        for (List<String> row : CsvFiles.rows(csv)) {
          for (String cell : row) {
            if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !NUMBER.matcher(cell).matches()) {
              unsafe.add(csv + ": [" + cell + "]");
            }
            if (cell.length() > 1 && cell.charAt(0) == '\'' && "=+-@\t".indexOf(cell.charAt(1)) >= 0) {
              neutralised.merge(run.getKey(), 1L, Long::sum);
            }
            assertFalse(cell.contains("\n") || cell.contains("\r"), "one record per line: " + csv + " [" + cell + "]");
          }
        }
      }
    }
    assertEquals(List.of(), unsafe);
    for (Map.Entry<String, Long> n : neutralised.entrySet()) {
      assertTrue(n.getValue() > 0, "no payload reached a CSV output of " + n.getKey() + ": " + neutralised);
    }
  }

  @Test
  void noHtmlOutputHoldsMarkupFromTheInput() throws IOException {
    int pages = 0;
    for (Path dir : runs.outputs().values()) {
      for (Path html : files(dir, ".html")) {
        pages++;
        String text = Files.readString(html);
        assertFalse(text.toLowerCase().contains("<script"), html.toString());
        assertFalse(text.contains("<img"), html.toString());
        assertFalse(text.contains("CANARY-SECRET"), html.toString());
      }
      assertTrue(Files.exists(dir.resolve(RunReport.FILE_NAME)), dir.toString());
    }
    assertTrue(pages >= runs.outputs().size() + 1, "a run report per run and the sales report");
  }

  @Test
  void noFileOutsideTheInputsOutputsJdkAndClassPathIsRead() {
    Set<String> allowed = new TreeSet<>();
    allowed.add(runs.inputs().toString());
    allowed.add(tmp.resolve("out").toString());
    allowed.add(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize().toString());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      allowed.add(Path.of(entry).toAbsolutePath().normalize().toString());
    }
    // the local Maven repository the class path comes from (surefire's own jars are read there too)
    allowed.add(Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    allowed.add("/proc/");
    allowed.add("/sys/");
    allowed.add("/dev/urandom"); // SecureRandom: the run ids
    allowed.add("/dev/random");
    List<String> outside = new ArrayList<>();
    long reads = 0;
    synchronized (fileEvents) {
      for (String[] e : fileEvents) {
        String path = e[1];
        assertFalse(path.contains("canary"), "the canary was touched: " + e[0] + " " + path);
        assertFalse(path.equals("/etc/passwd"), "/etc/passwd was read");
        if (e[0].equals("read")) {
          reads++;
          if (!path.isEmpty() && !nativeLibrary(path) && allowed.stream().noneMatch(path::startsWith)) {
            outside.add(path);
          }
        }
      }
    }
    assertTrue(reads > 100, "the recording saw " + reads + " reads: it would prove nothing");
    assertEquals(List.of(), outside.stream().distinct().toList(), "read outside the allowed locations");
  }

  @Test
  void filesAreWrittenOnlyIntoTheOutputFolders() {
    String out = tmp.resolve("out").toString();
    List<String> writes = new ArrayList<>();
    synchronized (fileEvents) {
      for (String[] e : fileEvents) {
        if (e[0].equals("write") && !e[1].isEmpty() && !nativeLibrary(e[1]) && !e[1].startsWith(out)
            && !e[1].startsWith(runs.inputs().toString())) {
          writes.add(e[1]);
        }
      }
    }
    // The inputs were written by the test itself (generators), before and while the runs went on.
    assertEquals(List.of(), writes.stream().distinct().toList(), "written outside the output folders");
    List<String> changed = new ArrayList<>();
    after.forEach((file, time) -> {
      if (!time.equals(before.get(file)) && !file.startsWith(out) && !file.startsWith(runs.inputs().toString())) {
        changed.add(file);
      }
    });
    assertEquals(List.of(), changed, "files created or changed outside the inputs and outputs");
    assertTrue(after.keySet().stream().anyMatch(f -> f.startsWith(out)), "the runs wrote their outputs");
  }

  @Test
  void noUrlFromTheInputIsFetched() {
    assertEquals(0, requests.get(), "requests to the canary server");
  }

  /**
   * A native library a dependency unpacks into the temporary folder to load it (snappy-java, used
   * by Beam's coders): a fixed file of the library, never a path from the data. An event without a
   * path is a read or write of a descriptor that is not a file (stdin, a pipe to surefire).
   */
  static boolean nativeLibrary(String path) {
    Path p = Path.of(path);
    return p.getParent() != null
        && p.getParent().toString().equals(Path.of(System.getProperty("java.io.tmpdir")).toString())
        && p.getFileName().toString().endsWith(".so");
  }

  static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  static Map<String, FileTime> listing(Path dir) throws IOException {
    Map<String, FileTime> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        // a folder's time changes when something is created in it: only its existence counts
        files.put(p.toString(), Files.isDirectory(p) ? FileTime.fromMillis(0) : Files.getLastModifiedTime(p));
      }
    }
    return files;
  }
}
