package dev.nightshift.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipelines.core.Csv;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.transforms.report.RunReport;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML run report of real runs, rendered by a real headless Chromium (Debian's {@code
 * chromium}; {@code ci/ensure-chromium.sh} installs it), driven over the DevTools protocol with
 * the JDK's WebSocket client: the page loads, every chart is an SVG with a non-zero size and
 * visible shapes, and the {@code <script>} and {@code onerror} payloads planted in the input
 * (shown in a dead-letter message and as a chart label) did not run: the title is the report's,
 * no script or image element exists, nothing was changed by them. The page's Content Security
 * Policy is switched off for the check ({@code Page.setBypassCSP}), so it is the escaping that is
 * tested, not the policy. A screenshot of each page and the page itself are kept in
 * {@code ci/target/artifacts/} (CI uploads them).
 */
class RunReportBrowserTest {
  static final String SCRIPT = "<script>document.title='pwned';document.body.setAttribute('data-xss','script')</script>";
  static final String IMG = "\"><img src=x onerror=\"document.body.setAttribute('data-xss','img')\">";
  static final ObjectMapper JSON = new ObjectMapper();

  static Path artifacts() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "artifacts"));
  }

  @Test
  void tradeSettlementReportRendersItsChartsAndRunsNoPlantedScript(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    new TradeGenerator().generate(new GenerationRequest(in, 2_000, 3, 0.02, null));
    // Two trades whose ISIN and currency are markup: both are dead letters quoting the value.
    Path trades = in.resolve(TradeGenerator.TRADES_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(trades));
    lines.add(Csv.rawLine("T-XSS-1", "2026-11-24", "10:00:00", SCRIPT, 10, "1.00", "USD", "SA-P0001", "SA-P0002"));
    lines.add(Csv.rawLine("T-XSS-2", "2026-11-24", "10:00:00", "US0378331005", 10, "1.00", IMG, "SA-P0001", "SA-P0002"));
    Files.write(trades, lines);
    Path out = tmp.resolve("out");
    TradeSettlement.run("--inputDir=" + in, "--output=" + out, "--businessDate=" + TradeGenerator.DEFAULT_BUSINESS_DATE);
    String html = Files.readString(out.resolve(RunReport.FILE_NAME));
    assertTrue(html.contains("&lt;script&gt;document.title="), "the payload is on the page, as text");

    JsonNode page = render(out.resolve(RunReport.FILE_NAME), tmp, "run_report_trade-settlement");
    assertNothingRan(page, "Nightshift run report: trade-settlement");
    assertCharts(page, "Records through the steps", "Dead letters by reason",
        "Net settlement by currency (cash paid against delivery)", "Instructions by settlement date");
    assertTrue(page.path("text").asText().contains("<script>document.title="), "the payload shows as text");
  }

  @Test
  void salesReportRunReportRendersSalesByHourAndAnEscapedCountryLabel(@TempDir Path tmp) throws Exception {
    Path orders = tmp.resolve("orders");
    GenerationReport g = new RetailOrderGenerator().generate(new GenerationRequest(orders, 400, 3, 0, null));
    Path day = orders.resolve("online_retail_" + g.businessDate() + ".csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(day));
    lines.add(Csv.rawLine("589999", "85123A", "WHITE HANGING HEART", 6, g.businessDate() + " 09:15:00", "2.55",
        "17850.0", SCRIPT));
    lines.add(Csv.rawLine("589999", "71053", IMG, 6, g.businessDate() + " 09:15:00", "3.39", "17850.0", SCRIPT));
    Files.write(day, lines);
    Path processed = tmp.resolve("processed");
    OrderProcessing.run("--input=" + day, "--output=" + processed);
    Path out = tmp.resolve("sales");
    SalesReport.run("--orderLines=" + processed.resolve(OrderProcessing.ORDER_LINES_FILE), "--output=" + out);

    JsonNode page = render(out.resolve(RunReport.FILE_NAME), tmp, "run_report_sales-report");
    assertNothingRan(page, "Nightshift run report: sales-report");
    assertCharts(page, "Records through the steps", "Net sales by hour", "Net sales by country",
        "Customers by RFM segment");
    assertTrue(page.path("labels").toString().contains("<script>document.title="),
        "the hostile country is a chart label, as text: " + page.path("labels"));
  }

  static void assertNothingRan(JsonNode page, String title) {
    assertEquals(title, page.path("title").asText(), "a planted script would have changed the title");
    assertEquals(0, page.path("scripts").asInt(), "script elements");
    assertEquals(0, page.path("images").asInt(), "img elements");
    assertEquals(0, page.path("handlers").asInt(), "elements with event handler attributes");
    assertTrue(page.path("xss").isNull(), "a planted handler ran: " + page.path("xss"));
    assertEquals("ok", page.path("marker").asText(), "the page was evaluated");
  }

  static void assertCharts(JsonNode page, String... captions) {
    for (String caption : captions) {
      JsonNode c = null;
      for (JsonNode chart : page.path("charts")) {
        if (chart.path("caption").asText().startsWith(caption)) {
          c = chart;
        }
      }
      assertTrue(c != null, "no chart '" + caption + "' in " + page.path("charts"));
      assertTrue(c.path("width").asDouble() > 100 && c.path("height").asDouble() > 20, caption + ": " + c);
      assertTrue(c.path("shapes").asInt() > 0, caption + " draws nothing: " + c);
    }
  }

  /**
   * Loads the page in headless Chromium and returns what the page shows (title, script and image
   * elements, charts with their rendered sizes, the text); saves a full-page screenshot and a copy
   * of the page under target/artifacts; checks the dumped DOM too.
   */
  static JsonNode render(Path report, Path tmp, String artifact) throws Exception {
    String chromium = chromium();
    Path profile = Files.createDirectories(tmp.resolve("chromium-profile-" + artifact));
    List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1280,1000",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"));
    Process browser = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      URI ws = devToolsUri(browser);
      String pageWs = pageTarget(ws);
      try (Cdp cdp = Cdp.connect(pageWs)) {
        cdp.call("Page.enable", JSON.createObjectNode());
        cdp.call("Page.setBypassCSP", JSON.createObjectNode().put("enabled", true));
        CompletableFuture<JsonNode> loaded = cdp.event("Page.loadEventFired");
        cdp.call("Page.navigate", JSON.createObjectNode().put("url", report.toUri().toString()));
        loaded.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < 300; i++) { // the load event may be about:blank's: wait for the report itself
          String state = cdp.call("Runtime.evaluate", JSON.createObjectNode()
              .put("expression", "location.protocol + document.readyState").put("returnByValue", true))
              .path("result").path("value").asText();
          if (state.equals("file:complete")) {
            break;
          }
          Thread.sleep(100);
        }
        JsonNode value = cdp.call("Runtime.evaluate", JSON.createObjectNode()
            .put("expression", MEASURE).put("returnByValue", true)).path("result").path("value");
        JsonNode page = JSON.readTree(value.asText());
        JsonNode size = cdp.call("Page.getLayoutMetrics", JSON.createObjectNode()).path("cssContentSize");
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0)
            .put("width", Math.ceil(size.path("width").asDouble())).put("height", Math.ceil(size.path("height").asDouble()))
            .put("scale", 1);
        ObjectNode shot = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        shot.set("clip", clip);
        byte[] png = Base64.getDecoder().decode(cdp.call("Page.captureScreenshot", shot).path("data").asText());
        assertTrue(png.length > 10_000, "a screenshot of " + png.length + " bytes");
        Files.write(artifacts().resolve(artifact + ".png"), png);
        Files.copy(report, artifacts().resolve(artifact + ".html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        dumpDomCheck(chromium, report, tmp, page.path("title").asText());
        return page;
      }
    } finally {
      browser.descendants().forEach(ProcessHandle::destroy);
      browser.destroy();
      if (!browser.waitFor(20, TimeUnit.SECONDS)) {
        browser.destroyForcibly();
      }
    }
  }

  /** Runs on the page: what it shows, as JSON. */
  static final String MEASURE = String.join("\n",
      "(() => {",
      "  const visible = el => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };",
      "  const charts = [...document.querySelectorAll('figure.chart')].map(f => {",
      "    const svg = f.querySelector('svg'); const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};",
      "    return {id: f.id, caption: (f.querySelector('figcaption') || {}).textContent || '',",
      "      width: r.width, height: r.height, shapes: svg ? [...svg.querySelectorAll('rect')].filter(visible).length : 0};",
      "  });",
      "  const labels = [...document.querySelectorAll('svg text')].map(t => t.textContent);",
      "  const handlers = [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length;",
      "  return JSON.stringify({marker: 'ok', title: document.title, scripts: document.scripts.length,",
      "    images: document.images.length, handlers, xss: document.body.getAttribute('data-xss'),",
      "    charts, labels, text: document.body.innerText});",
      "})()");

  /** The DOM as Chromium's {@code --dump-dom} prints it after loading: the same title, no script. */
  static void dumpDomCheck(String chromium, Path report, Path tmp, String title) throws Exception {
    Path profile = Files.createDirectories(tmp.resolve("chromium-dump-" + System.nanoTime()));
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--dump-dom", report.toUri().toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium --dump-dom did not finish");
    }
    assertTrue(dom.contains("<title>" + title.replace("&", "&amp;") + "</title>"), dom.substring(0, Math.min(500, dom.length())));
    assertFalse(dom.toLowerCase().contains("<script"), "a script element in the dumped DOM");
    // the payload's text is on the page (escaped); an attribute set by it would be inside a tag
    assertFalse(Pattern.compile("<[a-zA-Z][^<>]*\\sdata-xss=").matcher(dom).find(), "a planted handler changed the DOM");
    assertTrue(dom.contains("<svg"), "charts in the DOM");
  }

  /** {@code $CHROMIUM}, else chromium on the PATH; a clear failure when there is none. */
  static String chromium() {
    String env = System.getenv("CHROMIUM");
    if (env != null && !env.isBlank()) {
      return env;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    fail("Chromium is not installed: the run report is tested in a real headless browser. Install"
        + " Debian's package with `bash ci/ensure-chromium.sh` (as root; CI runs it), or set CHROMIUM"
        + " to a Chromium binary.");
    return null;
  }

  /** Reads Chromium's stderr until it says where DevTools listens. */
  static URI devToolsUri(Process browser) throws Exception {
    BufferedReader err = new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<URI> uri = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      Pattern p = Pattern.compile("DevTools listening on (ws://\\S+)");
      try {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
          Matcher m = p.matcher(line);
          if (m.find() && !uri.isDone()) {
            uri.complete(URI.create(m.group(1)));
          } else if (!uri.isDone()) {
            synchronized (seen) {
              if (seen.length() < 4000) {
                seen.append(line).append('\n');
              }
            }
          }
        }
      } catch (IOException e) {
        // the browser ended
      }
      uri.completeExceptionally(new IllegalStateException("chromium ended without DevTools:\n" + seen));
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      return uri.get(180, TimeUnit.SECONDS); // a loaded CI machine starts a browser slowly
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (seen) {
        throw new IllegalStateException("chromium did not open DevTools in 180 s; it said:\n" + seen, e);
      }
    }
  }

  /** The WebSocket URL of the browser's page (the about:blank tab it opened). */
  static String pageTarget(URI browserWs) throws Exception {
    URI list = URI.create("http://" + browserWs.getHost() + ":" + browserWs.getPort() + "/json/list");
    HttpClient http = HttpClient.newHttpClient();
    for (int attempt = 0; attempt < 50; attempt++) {
      String body = http.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (JsonNode t : JSON.readTree(body)) {
        if (t.path("type").asText().equals("page")) {
          return t.path("webSocketDebuggerUrl").asText();
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no page target at " + list);
  }

  /** A minimal Chrome DevTools Protocol client: calls by id, waits for events by name. */
  static final class Cdp implements WebSocket.Listener, AutoCloseable {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> events = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Cdp connect(String url) throws Exception {
      Cdp cdp = new Cdp();
      cdp.socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(url), cdp).get(30, TimeUnit.SECONDS);
      return cdp;
    }

    CompletableFuture<JsonNode> event(String method) {
      return events.computeIfAbsent(method, m -> new CompletableFuture<>());
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> reply = new CompletableFuture<>();
      calls.put(id, reply);
      ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
      message.set("params", params);
      socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
      JsonNode r = reply.get(60, TimeUnit.SECONDS);
      if (r.has("error")) {
        throw new IllegalStateException(method + ": " + r.path("error"));
      }
      return r.path("result");
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(partial.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = calls.remove(m.path("id").asInt());
            if (f != null) {
              f.complete(m);
            }
          } else if (m.has("method")) {
            event(m.path("method").asText()).complete(m.path("params"));
          }
        } catch (IOException e) {
          // not JSON: ignore
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}
