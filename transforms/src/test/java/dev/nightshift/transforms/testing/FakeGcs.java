package dev.nightshift.transforms.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A Google Cloud Storage JSON-API server on 127.0.0.1 for tests, on the JDK's own HTTP server, so
 * that the real clients (Beam's gcsio-based {@code gs://} file system and the google-cloud-storage
 * client) run unchanged against it. It covers what Nightshift uses, with the real wire formats:
 *
 * <ul>
 *   <li>buckets: insert, get, list;
 *   <li>objects: get (metadata, and {@code alt=media} with {@code Range}), list ({@code prefix},
 *       {@code delimiter}, {@code maxResults}, {@code pageToken}, {@code startOffset}), delete,
 *       rewrite (with the destination's storage class and metadata, and {@code
 *       maxBytesRewrittenPerCall} continued by rewrite tokens), copy, compose;
 *   <li>uploads: {@code uploadType=media}, {@code multipart} (multipart/related) and {@code
 *       resumable} (session URL, chunks with {@code Content-Range}, 308 with {@code Range});
 *   <li>JSON batch requests ({@code /batch/storage/v1}, multipart/mixed of {@code application/http}
 *       parts), which Beam uses for metadata gets, rewrites and deletes;
 *   <li>preconditions {@code ifGenerationMatch}, {@code ifGenerationNotMatch}, {@code
 *       ifSourceGenerationMatch}, and a {@code generation} selector;
 *   <li>{@code crc32c} (base64 of the big-endian CRC32C), {@code md5Hash}, {@code size}, {@code
 *       generation}, {@code metageneration}, {@code storageClass}; an upload that states a
 *       crc32c or md5Hash that does not match its bytes is refused with 400, as GCS does.
 * </ul>
 *
 * <p>Faults are injected per operation and object name ({@link #inject}): fail with a status,
 * corrupt the stored bytes (the object then reports the checksums of what it holds, as a real
 * store would after silent corruption), or keep only part of an upload.
 */
public final class FakeGcs implements AutoCloseable {

  /** Operations faults can be attached to. */
  public enum Op {
    /** Finishing an upload (media, multipart, or the last request of a resumable session). */
    UPLOAD,
    /** A rewrite (or copy) into the named destination. */
    REWRITE,
    COMPOSE,
    DELETE,
    /** A media download of the named object. */
    DOWNLOAD,
    /** A metadata get of the named object. */
    GET
  }

  /** What an injected fault does. */
  public enum Action {
    /** Answer with the fault's HTTP status; nothing is stored. */
    FAIL,
    /** Store the bytes with one bit flipped, and report success. */
    CORRUPT,
    /** Store only the first half of the bytes, and report success. */
    TRUNCATE
  }

  /** A stored object, as tests read it back. */
  public record StoredObject(
      String bucket,
      String name,
      byte[] data,
      long generation,
      long metageneration,
      String contentType,
      String storageClass,
      Map<String, String> metadata,
      String crc32c,
      String md5Hash,
      Instant created) {

    public long size() {
      return data.length;
    }
  }

  private record Fault(Op op, String nameContains, Action action, int status, AtomicInteger remaining) {}

  private record Request(
      String method, String rawPath, Map<String, String> query, Map<String, String> headers, byte[] body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private record Response(int status, Map<String, String> headers, byte[] body) {
    static Response json(int status, JsonNode node) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "application/json; charset=UTF-8");
      return new Response(status, h, node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Response empty(int status) {
      return new Response(status, new LinkedHashMap<>(), new byte[0]);
    }
  }

  /** An HTTP error with a GCS JSON error body. */
  private static final class GcsError extends RuntimeException {
    final int status;
    final String reason;

    GcsError(int status, String reason, String message) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  private static final class Session {
    final String bucket;
    final ObjectNode metadata;
    final Map<String, String> query;
    final String contentType;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Session(String bucket, ObjectNode metadata, Map<String, String> query, String contentType) {
      this.bucket = bucket;
      this.metadata = metadata;
      this.query = query;
      this.contentType = contentType;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BATCH_BOUNDARY = "batch_nightshift_fake_gcs";
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, String> bucketClasses = new TreeMap<>();
  private final Map<String, TreeMap<String, StoredObject>> objects = new TreeMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final List<Fault> faults = new ArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_764_000_000_000_000L);
  private final AtomicLong sessionIds = new AtomicLong();

  private FakeGcs(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  public static FakeGcs start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "fake-gcs");
              t.setDaemon(true);
              return t;
            });
    FakeGcs gcs = new FakeGcs(server, executor);
    server.createContext("/", gcs::handle);
    server.setExecutor(executor);
    server.start();
    return gcs;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** {@code http://127.0.0.1:PORT}: the storage client's host ({@code StorageOptions.setHost}). */
  public String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The URL for Beam's {@code --gcsEndpoint}. */
  public String endpoint() {
    return host() + "/storage/v1/";
  }

  /**
   * The pipeline flags that point Beam's {@code gs://} file system (and Nightshift's archive
   * client) at this server, with no credentials and a fixed project.
   */
  public List<String> flags() {
    return List.of(
        "--gcsEndpoint=" + endpoint(),
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
        "--project=nightshift-test");
  }

  // ---------------------------------------------------------------- test-side access

  public synchronized FakeGcs createBucket(String name) {
    bucketClasses.putIfAbsent(name, "STANDARD");
    objects.putIfAbsent(name, new TreeMap<>());
    return this;
  }

  /** Stores an object directly (STANDARD class, no content type). */
  public synchronized StoredObject put(String bucket, String name, byte[] data) {
    return store(bucket, name, data, "application/octet-stream", "STANDARD", Map.of());
  }

  /**
   * Stores every file under {@code dir} as {@code prefix/<relative path>} (the bucket is created if
   * needed); returns the {@code gs://bucket/prefix} they are under.
   */
  public String upload(java.nio.file.Path dir, String bucket, String prefix) throws IOException {
    createBucket(bucket);
    String p = prefix.replaceAll("^/+|/+$", "");
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
        put(bucket, p.isEmpty() ? rel : p + "/" + rel, java.nio.file.Files.readAllBytes(f));
      }
    }
    return "gs://" + bucket + (p.isEmpty() ? "" : "/" + p);
  }

  public synchronized Optional<StoredObject> object(String bucket, String name) {
    TreeMap<String, StoredObject> b = objects.get(bucket);
    return Optional.ofNullable(b == null ? null : b.get(name));
  }

  /** The names of a bucket's objects, sorted. */
  public synchronized List<String> names(String bucket) {
    TreeMap<String, StoredObject> b = objects.get(bucket);
    return b == null ? List.of() : List.copyOf(b.keySet());
  }

  /**
   * Adds a fault for the next {@code times} operations {@code op} on an object whose name contains
   * {@code nameContains} ({@code ""} for any).
   */
  public synchronized FakeGcs inject(Op op, String nameContains, Action action, int status, int times) {
    faults.add(new Fault(op, nameContains, action, status, new AtomicInteger(times)));
    return this;
  }

  public synchronized void clearFaults() {
    faults.clear();
  }

  /**
   * How many requests of a kind the server answered: "batch", "get", "download", "list", "delete",
   * "rewrite" (and "rewrite:BUCKET" by destination), "copy", "compose", "upload:media",
   * "upload:multipart", "upload:resumable" (sessions started), "upload:chunk", "patch".
   */
  public int calls(String kind) {
    AtomicInteger n = calls.get(kind);
    return n == null ? 0 : n.get();
  }

  /** The CRC32C of bytes, as GCS writes it: base64 of the four big-endian bytes. */
  public static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  public static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request;
      try (InputStream in = exchange.getRequestBody()) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
          headers.put(e.getKey().toLowerCase(Locale.ROOT), String.join(",", e.getValue()));
        }
        URI uri = exchange.getRequestURI();
        request = new Request(exchange.getRequestMethod(), uri.getRawPath(), query(uri.getRawQuery()), headers,
            decoded(headers, in.readAllBytes()));
      }
      Response response = dispatch(request, true);
      Headers out = exchange.getResponseHeaders();
      response.headers().forEach(out::set);
      boolean noBody = response.status() == 204 || response.status() == 304 || request.method().equals("HEAD");
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(response.body());
        }
      }
    }
  }

  private Response dispatch(Request request, boolean outer) {
    try {
      String method = request.method();
      String override = request.header("x-http-method-override");
      if (override != null) {
        method = override.toUpperCase(Locale.ROOT);
      }
      String path = request.rawPath();
      if (path.startsWith("/batch/storage/v1") && outer) {
        count("batch");
        return batch(request);
      }
      if (path.startsWith("/upload/storage/v1/b/")) {
        List<String> seg = segments(path.substring("/upload/storage/v1/".length()));
        if (seg.size() == 3 && seg.get(2).equals("o")) {
          return upload(method, seg.get(1), request);
        }
      }
      if (path.startsWith("/download/storage/v1/")) {
        path = path.substring("/download".length());
      }
      if (path.startsWith("/storage/v1/")) {
        return storage(method, segments(path.substring("/storage/v1/".length())), request);
      }
      throw new GcsError(404, "notFound", "no such API: " + method + " " + path);
    } catch (GcsError e) {
      return error(e.status, e.reason, e.getMessage());
    } catch (RuntimeException e) {
      return error(500, "backendError", "fake GCS failed: " + e);
    }
  }

  private Response storage(String method, List<String> seg, Request request) {
    if (seg.isEmpty() || !seg.get(0).equals("b")) {
      throw new GcsError(404, "notFound", "unknown path " + seg);
    }
    if (seg.size() == 1) {
      if (method.equals("POST")) {
        JsonNode body = body(request);
        String name = body.path("name").asText();
        synchronized (this) {
          if (bucketClasses.containsKey(name)) {
            throw new GcsError(409, "conflict", "bucket " + name + " exists");
          }
          bucketClasses.put(name, body.path("storageClass").asText("STANDARD"));
          objects.put(name, new TreeMap<>());
        }
        count("bucket:insert");
        return Response.json(200, bucketJson(name));
      }
      synchronized (this) {
        ObjectNode list = JSON.createObjectNode().put("kind", "storage#buckets");
        ArrayNode items = list.putArray("items");
        bucketClasses.keySet().forEach(b -> items.add(bucketJson(b)));
        return Response.json(200, list);
      }
    }
    String bucket = seg.get(1);
    if (seg.size() == 2) {
      requireBucket(bucket);
      if (method.equals("DELETE")) {
        synchronized (this) {
          if (!objects.get(bucket).isEmpty()) {
            throw new GcsError(409, "conflict", "bucket " + bucket + " is not empty");
          }
          objects.remove(bucket);
          bucketClasses.remove(bucket);
        }
        return Response.empty(204);
      }
      return Response.json(200, bucketJson(bucket));
    }
    if (!seg.get(2).equals("o")) {
      throw new GcsError(404, "notFound", "unknown path " + seg);
    }
    if (seg.size() == 3) {
      if (method.equals("POST")) {
        // a metadata-only insert (no upload path): an empty object
        return upload(method, bucket, request);
      }
      count("list");
      return list(bucket, request.query());
    }
    String name = seg.get(3);
    if (seg.size() == 4) {
      return switch (method) {
        case "GET" -> get(bucket, name, request);
        case "DELETE" -> delete(bucket, name, request.query());
        case "PATCH", "PUT" -> patch(bucket, name, request);
        default -> throw new GcsError(405, "methodNotAllowed", method);
      };
    }
    if (seg.size() == 5 && seg.get(4).equals("compose") && method.equals("POST")) {
      return compose(bucket, name, request);
    }
    if (seg.size() == 9 && (seg.get(4).equals("rewriteTo") || seg.get(4).equals("copyTo"))
        && seg.get(5).equals("b") && seg.get(7).equals("o") && method.equals("POST")) {
      return rewrite(bucket, name, seg.get(6), seg.get(8), request, seg.get(4).equals("copyTo"));
    }
    throw new GcsError(404, "notFound", "unknown path " + seg);
  }

  // ---------------------------------------------------------------- objects

  private Response get(String bucket, String name, Request request) {
    Map<String, String> q = request.query();
    boolean media = "media".equals(q.get("alt"));
    count(media ? "download" : "get");
    StoredObject o = current(bucket, name, q);
    checkPreconditions(o, q, "");
    if (!media) {
      fault(Op.GET, name);
      return Response.json(200, objectJson(o));
    }
    fault(Op.DOWNLOAD, name);
    byte[] data = o.data();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", o.contentType());
    h.put("x-goog-generation", Long.toString(o.generation()));
    h.put("x-goog-metageneration", Long.toString(o.metageneration()));
    h.put("x-goog-stored-content-length", Long.toString(data.length));
    h.put("x-goog-stored-content-encoding", "identity");
    h.put("x-goog-storage-class", o.storageClass());
    h.put("x-goog-hash", "crc32c=" + o.crc32c() + ",md5=" + o.md5Hash());
    h.put("ETag", etag(o));
    String range = request.header("range");
    if (range == null || data.length == 0) {
      return new Response(200, h, data);
    }
    long[] r = parseRange(range, data.length);
    if (r == null) {
      h.put("Content-Range", "bytes */" + data.length);
      return new Response(416, h, new byte[0]);
    }
    h.put("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + data.length);
    return new Response(206, h, Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1));
  }

  /** {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}: the inclusive range, or null if unsatisfiable. */
  private static long[] parseRange(String header, long size) {
    String spec = header.trim();
    if (!spec.startsWith("bytes=")) {
      throw new GcsError(400, "invalid", "bad Range " + header);
    }
    String[] ab = spec.substring(6).split("-", 2);
    long start;
    long end;
    if (ab[0].isEmpty()) {
      long n = Long.parseLong(ab[1]);
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Long.parseLong(ab[0]);
      end = ab.length < 2 || ab[1].isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(ab[1]));
    }
    return start >= size || start > end ? null : new long[] {start, end};
  }

  private Response delete(String bucket, String name, Map<String, String> q) {
    count("delete");
    StoredObject o = current(bucket, name, q);
    checkPreconditions(o, q, "");
    fault(Op.DELETE, name);
    synchronized (this) {
      objects.get(bucket).remove(name);
    }
    return Response.empty(204);
  }

  private Response patch(String bucket, String name, Request request) {
    count("patch");
    JsonNode body = body(request);
    synchronized (this) {
      StoredObject o = current(bucket, name, request.query());
      checkPreconditions(o, request.query(), "");
      Map<String, String> metadata = new TreeMap<>(o.metadata());
      body.path("metadata").fields().forEachRemaining(e -> {
        if (e.getValue().isNull()) {
          metadata.remove(e.getKey());
        } else {
          metadata.put(e.getKey(), e.getValue().asText());
        }
      });
      StoredObject p =
          new StoredObject(o.bucket(), o.name(), o.data(), o.generation(), o.metageneration() + 1,
              body.path("contentType").asText(o.contentType()), o.storageClass(), Map.copyOf(metadata),
              o.crc32c(), o.md5Hash(), o.created());
      objects.get(bucket).put(name, p);
      return Response.json(200, objectJson(p));
    }
  }

  private Response list(String bucket, Map<String, String> q) {
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    String start = q.get("pageToken") != null
        ? new String(Base64.getUrlDecoder().decode(q.get("pageToken")), StandardCharsets.UTF_8)
        : null;
    String startOffset = q.get("startOffset");
    int max = q.containsKey("maxResults") ? Integer.parseInt(q.get("maxResults")) : 1000;
    List<StoredObject> all;
    synchronized (this) {
      requireBucket(bucket);
      all = List.copyOf(objects.get(bucket).tailMap(prefix, true).values());
    }
    // items and prefixes in one name order, so that pages cut anywhere
    TreeMap<String, StoredObject> entries = new TreeMap<>();
    TreeSet<String> prefixes = new TreeSet<>();
    for (StoredObject o : all) {
      if (!o.name().startsWith(prefix)) {
        break;
      }
      if (startOffset != null && o.name().compareTo(startOffset) < 0) {
        continue;
      }
      String rest = o.name().substring(prefix.length());
      int cut = delimiter == null || delimiter.isEmpty() ? -1 : rest.indexOf(delimiter);
      if (cut >= 0) {
        String p = prefix + rest.substring(0, cut + delimiter.length());
        prefixes.add(p);
        entries.putIfAbsent(p, null);
      } else {
        entries.put(o.name(), o);
      }
    }
    ObjectNode out = JSON.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = JSON.createArrayNode();
    ArrayNode prefixNodes = JSON.createArrayNode();
    int n = 0;
    String last = null;
    Iterator<Map.Entry<String, StoredObject>> it =
        (start == null ? entries : entries.tailMap(start, false)).entrySet().iterator();
    while (it.hasNext() && n < max) {
      Map.Entry<String, StoredObject> e = it.next();
      if (e.getValue() == null) {
        prefixNodes.add(e.getKey());
      } else {
        items.add(objectJson(e.getValue()));
      }
      last = e.getKey();
      n++;
    }
    if (it.hasNext()) {
      out.put("nextPageToken",
          Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }
    if (!prefixNodes.isEmpty()) {
      out.set("prefixes", prefixNodes);
    }
    if (!items.isEmpty()) {
      out.set("items", items);
    }
    return Response.json(200, out);
  }

  private Response rewrite(String srcBucket, String srcName, String dstBucket, String dstName,
      Request request, boolean copy) {
    count(copy ? "copy" : "rewrite");
    count((copy ? "copy:" : "rewrite:") + dstBucket);
    Map<String, String> q = request.query();
    requireBucket(dstBucket);
    StoredObject src = current(srcBucket, srcName, sourceSelector(q));
    checkPreconditions(src, q, "Source");
    JsonNode body = request.body().length == 0 ? JSON.createObjectNode() : body(request);
    long max = q.containsKey("maxBytesRewrittenPerCall") ? Long.parseLong(q.get("maxBytesRewrittenPerCall")) : 0;
    long done = q.containsKey("rewriteToken")
        ? Long.parseLong(new String(Base64.getUrlDecoder().decode(q.get("rewriteToken")), StandardCharsets.UTF_8)
            .split(":", 2)[0])
        : 0;
    long size = src.size();
    if (!copy && max > 0 && size - done > max) {
      long now = done + max;
      String token = Base64.getUrlEncoder().withoutPadding()
          .encodeToString((now + ":" + src.generation()).getBytes(StandardCharsets.UTF_8));
      ObjectNode progress = JSON.createObjectNode()
          .put("kind", "storage#rewriteResponse")
          .put("totalBytesRewritten", Long.toString(now))
          .put("objectSize", Long.toString(size))
          .put("done", false)
          .put("rewriteToken", token);
      return Response.json(200, progress);
    }
    byte[] data = applyStoreFault(Op.REWRITE, dstName, src.data());
    StoredObject dst;
    synchronized (this) {
      checkPreconditions(objects.get(dstBucket).get(dstName), q, "");
      Map<String, String> metadata = body.has("metadata") ? metadataOf(body) : src.metadata();
      dst = store(dstBucket, dstName, data,
          body.path("contentType").asText(src.contentType()),
          body.path("storageClass").asText(bucketClasses.get(dstBucket)),
          metadata);
    }
    if (copy) {
      return Response.json(200, objectJson(dst));
    }
    ObjectNode out = JSON.createObjectNode()
        .put("kind", "storage#rewriteResponse")
        .put("totalBytesRewritten", Long.toString(size))
        .put("objectSize", Long.toString(size))
        .put("done", true);
    out.set("resource", objectJson(dst));
    return Response.json(200, out);
  }

  private static Map<String, String> sourceSelector(Map<String, String> q) {
    Map<String, String> s = new TreeMap<>();
    if (q.containsKey("sourceGeneration")) {
      s.put("generation", q.get("sourceGeneration"));
    }
    return s;
  }

  private Response compose(String bucket, String name, Request request) {
    count("compose");
    JsonNode body = body(request);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    StoredObject first = null;
    for (JsonNode source : body.path("sourceObjects")) {
      Map<String, String> selector = new TreeMap<>();
      if (source.has("generation")) {
        selector.put("generation", source.get("generation").asText());
      }
      StoredObject o = current(bucket, source.path("name").asText(), selector);
      JsonNode pre = source.path("objectPreconditions").path("ifGenerationMatch");
      if (!pre.isMissingNode() && pre.asLong() != o.generation()) {
        throw new GcsError(412, "conditionNotMet", "source " + o.name() + " generation " + o.generation());
      }
      first = first == null ? o : first;
      joined.writeBytes(o.data());
    }
    if (first == null) {
      throw new GcsError(400, "required", "compose needs source objects");
    }
    byte[] data = applyStoreFault(Op.COMPOSE, name, joined.toByteArray());
    JsonNode destination = body.path("destination");
    synchronized (this) {
      checkPreconditions(objects.get(bucket).get(name), request.query(), "");
      StoredObject dst = store(bucket, name, data,
          destination.path("contentType").asText(first.contentType()),
          destination.path("storageClass").asText(bucketClasses.get(bucket)),
          metadataOf(destination));
      return Response.json(200, objectJson(dst));
    }
  }

  // ---------------------------------------------------------------- uploads

  private Response upload(String method, String bucket, Request request) {
    requireBucket(bucket);
    Map<String, String> q = request.query();
    String type = q.getOrDefault("uploadType", "media");
    if (method.equals("POST")) {
      count("upload:" + type);
      switch (type) {
        case "media" -> {
          ObjectNode meta = JSON.createObjectNode().put("name", q.get("name"));
          return finish(bucket, meta, q, request.header("content-type"), request.body(), request);
        }
        case "multipart" -> {
          List<Part> parts = multipart(request.header("content-type"), request.body());
          if (parts.size() != 2) {
            throw new GcsError(400, "invalid", "multipart upload needs 2 parts, got " + parts.size());
          }
          ObjectNode meta = (ObjectNode) parse(parts.get(0).body());
          if (q.containsKey("name")) {
            meta.put("name", q.get("name"));
          }
          return finish(bucket, meta, q, parts.get(1).headers().get("content-type"), parts.get(1).body(), request);
        }
        case "resumable" -> {
          ObjectNode meta = request.body().length == 0 ? JSON.createObjectNode() : (ObjectNode) body(request);
          if (q.containsKey("name")) {
            meta.put("name", q.get("name"));
          }
          if (!meta.hasNonNull("name")) {
            throw new GcsError(400, "required", "object name is required");
          }
          String id = "nightshift-" + sessionIds.incrementAndGet();
          String contentType = request.header("x-upload-content-type");
          sessions.put(id, new Session(bucket, meta, new TreeMap<>(q), contentType));
          Map<String, String> h = new LinkedHashMap<>();
          h.put("Location", host() + "/upload/storage/v1/b/" + enc(bucket) + "/o?uploadType=resumable&upload_id=" + id);
          h.put("X-GUploader-UploadID", id);
          return new Response(200, h, new byte[0]);
        }
        default -> throw new GcsError(400, "invalid", "uploadType " + type);
      }
    }
    if (method.equals("PUT") && q.containsKey("upload_id")) {
      count("upload:chunk");
      return chunk(q.get("upload_id"), request);
    }
    if (method.equals("DELETE") && q.containsKey("upload_id")) {
      sessions.remove(q.get("upload_id"));
      return Response.empty(499);
    }
    throw new GcsError(405, "methodNotAllowed", method + " upload");
  }

  private Response chunk(String id, Request request) {
    Session s = sessions.get(id);
    if (s == null) {
      throw new GcsError(404, "notFound", "no upload session " + id);
    }
    String range = request.header("content-range");
    byte[] body = request.body();
    long total;
    synchronized (s) {
      long received = s.data.size();
      if (range == null) {
        s.data.writeBytes(body);
        total = s.data.size();
      } else {
        // "bytes a-b/total", "bytes a-b/*", "bytes */total" or "bytes */*"
        String spec = range.trim().replaceFirst("^bytes\\s+", "");
        String[] parts = spec.split("/", 2);
        total = parts.length == 2 && !parts[1].equals("*") ? Long.parseLong(parts[1]) : -1;
        if (!parts[0].equals("*")) {
          long from = Long.parseLong(parts[0].split("-", 2)[0]);
          if (from > received) {
            throw new GcsError(400, "invalid", "chunk starts at " + from + " but " + received + " bytes were received");
          }
          int skip = (int) (received - from);
          if (skip < body.length) {
            s.data.write(body, skip, body.length - skip);
          }
        }
      }
      long now = s.data.size();
      if (total < 0 || now < total) {
        Map<String, String> h = new LinkedHashMap<>();
        if (now > 0) {
          h.put("Range", "bytes=0-" + (now - 1));
        }
        return new Response(308, h, new byte[0]);
      }
      if (now > total) {
        throw new GcsError(400, "invalid", "received " + now + " bytes, more than the stated " + total);
      }
      Response done = finish(s.bucket, s.metadata, s.query, s.contentType, s.data.toByteArray(), request);
      if (done.status() < 300) {
        sessions.remove(id);
      }
      return done;
    }
  }

  /** Stores a finished upload, after its preconditions, stated checksums and faults. */
  private Response finish(String bucket, ObjectNode meta, Map<String, String> q, String contentType,
      byte[] data, Request last) {
    String name = meta.path("name").asText(null);
    if (name == null || name.isEmpty()) {
      throw new GcsError(400, "required", "object name is required");
    }
    Fault f = takeFault(Op.UPLOAD, name);
    if (f != null && f.action() == Action.FAIL) {
      throw new GcsError(f.status(), "injected", "injected failure of the upload of " + name);
    }
    boolean silent = f != null;
    if (!silent) {
      String hash = last.header("x-goog-hash");
      String statedCrc = meta.path("crc32c").asText(hashPart(hash, "crc32c"));
      String statedMd5 = meta.path("md5Hash").asText(hashPart(hash, "md5"));
      if (statedCrc != null && !statedCrc.equals(crc32c(data))) {
        throw new GcsError(400, "invalid", "Provided CRC32C \"" + statedCrc + "\" doesn't match calculated CRC32C \""
            + crc32c(data) + "\".");
      }
      if (statedMd5 != null && !statedMd5.equals(md5(data))) {
        throw new GcsError(400, "invalid", "Provided MD5 hash \"" + statedMd5 + "\" doesn't match calculated MD5 hash.");
      }
    } else {
      data = damage(f.action(), data);
    }
    synchronized (this) {
      checkPreconditions(objects.get(bucket).get(name), q, "");
      String ct = meta.path("contentType").asText(contentType == null ? "application/octet-stream" : contentType);
      StoredObject o = store(bucket, name, data, ct,
          meta.path("storageClass").asText(bucketClasses.get(bucket)), metadataOf(meta));
      return Response.json(200, objectJson(o));
    }
  }

  private static String hashPart(String header, String key) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith(key + "=")) {
        return p.substring(key.length() + 1);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- batch

  private record Part(Map<String, String> headers, byte[] body) {}

  private Response batch(Request request) {
    List<Part> parts = multipart(request.header("content-type"), request.body());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part part : parts) {
      Request inner = innerRequest(part.body());
      Response r = dispatch(inner, false);
      String id = part.headers().getOrDefault("content-id", "");
      StringBuilder head = new StringBuilder();
      head.append("--").append(BATCH_BOUNDARY).append("\r\n");
      head.append("Content-Type: application/http\r\n");
      head.append("Content-ID: response-").append(id.replaceAll("[<>]", "")).append("\r\n\r\n");
      head.append("HTTP/1.1 ").append(r.status()).append(' ').append(reasonPhrase(r.status())).append("\r\n");
      r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(r.body().length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(r.body());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BATCH_BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "multipart/mixed; boundary=" + BATCH_BOUNDARY);
    return new Response(200, h, out.toByteArray());
  }

  /** An {@code application/http} part: request line, headers, blank line, body. */
  private static Request innerRequest(byte[] raw) {
    int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.UTF_8), 0);
    String head = new String(raw, 0, headEnd < 0 ? raw.length : headEnd, StandardCharsets.UTF_8);
    byte[] body = headEnd < 0 ? new byte[0] : Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    URI uri = URI.create(requestLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    if (headers.containsKey("content-length")) {
      int n = Integer.parseInt(headers.get("content-length"));
      body = Arrays.copyOf(body, Math.min(n, body.length));
    }
    return new Request(requestLine[0], uri.getRawPath(), query(uri.getRawQuery()), headers, decoded(headers, body));
  }

  /** The clients gzip request bodies ({@code Content-Encoding: gzip}). */
  private static byte[] decoded(Map<String, String> headers, byte[] body) {
    if (body.length == 0 || !"gzip".equalsIgnoreCase(headers.getOrDefault("content-encoding", "").trim())) {
      return body;
    }
    try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new GcsError(400, "invalid", "bad gzip body: " + e.getMessage());
    }
  }

  /** Splits a multipart body (related or mixed) into parts, each with its headers and bytes. */
  private static List<Part> multipart(String contentType, byte[] body) {
    if (contentType == null || !contentType.contains("boundary=")) {
      throw new GcsError(400, "invalid", "multipart without a boundary: " + contentType);
    }
    String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).split(";")[0].trim();
    if (boundary.startsWith("\"")) {
      boundary = boundary.substring(1, boundary.length() - 1);
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.UTF_8);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      start = skipLineBreak(body, start);
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        break;
      }
      int end = next;
      if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
        end -= 2;
      } else if (end >= 1 && body[end - 1] == '\n') {
        end -= 1;
      }
      byte[] raw = Arrays.copyOfRange(body, start, Math.max(start, end));
      int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.UTF_8), 0);
      Map<String, String> headers = new LinkedHashMap<>();
      byte[] content = raw;
      if (headEnd >= 0) {
        for (String line : new String(raw, 0, headEnd, StandardCharsets.UTF_8).split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
          }
        }
        content = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
      }
      parts.add(new Part(headers, content));
      at = next;
    }
    return parts;
  }

  private static int skipLineBreak(byte[] b, int i) {
    if (i < b.length && b[i] == '\r') {
      i++;
    }
    if (i < b.length && b[i] == '\n') {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---------------------------------------------------------------- state and faults

  private StoredObject store(String bucket, String name, byte[] data, String contentType, String storageClass,
      Map<String, String> metadata) {
    synchronized (this) {
      requireBucket(bucket);
      StoredObject o = new StoredObject(bucket, name, data.clone(), generations.incrementAndGet(), 1,
          contentType, storageClass, Map.copyOf(metadata), crc32c(data), md5(data), Instant.now());
      objects.get(bucket).put(name, o);
      return o;
    }
  }

  private synchronized StoredObject current(String bucket, String name, Map<String, String> q) {
    requireBucket(bucket);
    StoredObject o = objects.get(bucket).get(name);
    if (o == null || (q.containsKey("generation") && Long.parseLong(q.get("generation")) != o.generation())) {
      throw new GcsError(404, "notFound", "No such object: " + bucket + "/" + name);
    }
    return o;
  }

  /** {@code if[Source]GenerationMatch} / {@code NotMatch}; generation 0 means "must not exist". */
  private static void checkPreconditions(StoredObject o, Map<String, String> q, String source) {
    String match = q.get("if" + source + "GenerationMatch");
    if (match != null) {
      long want = Long.parseLong(match);
      long have = o == null ? 0 : o.generation();
      if (want != have) {
        throw new GcsError(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
      }
    }
    String notMatch = q.get("if" + source + "GenerationNotMatch");
    if (notMatch != null && o != null && Long.parseLong(notMatch) == o.generation()) {
      throw new GcsError(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
    }
  }

  private void requireBucket(String bucket) {
    synchronized (this) {
      if (!objects.containsKey(bucket)) {
        throw new GcsError(404, "notFound", "The specified bucket does not exist: " + bucket);
      }
    }
  }

  private synchronized Fault takeFault(Op op, String name) {
    for (Fault f : faults) {
      if (f.op() == op && name.contains(f.nameContains()) && f.remaining().get() > 0) {
        f.remaining().decrementAndGet();
        return f;
      }
    }
    return null;
  }

  /** A FAIL fault answers now; CORRUPT and TRUNCATE are left to the store. */
  private void fault(Op op, String name) {
    Fault f = takeFault(op, name);
    if (f != null) {
      throw new GcsError(f.status(), "injected", "injected failure of " + op + " " + name);
    }
  }

  private byte[] applyStoreFault(Op op, String name, byte[] data) {
    Fault f = takeFault(op, name);
    if (f == null) {
      return data;
    }
    if (f.action() == Action.FAIL) {
      throw new GcsError(f.status(), "injected", "injected failure of " + op + " " + name);
    }
    return damage(f.action(), data);
  }

  private static byte[] damage(Action action, byte[] data) {
    if (action == Action.TRUNCATE) {
      return Arrays.copyOf(data, data.length / 2);
    }
    byte[] copy = data.length == 0 ? new byte[] {1} : data.clone();
    copy[copy.length / 2] ^= 0x01;
    return copy;
  }

  private void count(String kind) {
    calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  // ---------------------------------------------------------------- JSON

  private ObjectNode bucketJson(String name) {
    return JSON.createObjectNode()
        .put("kind", "storage#bucket")
        .put("id", name)
        .put("name", name)
        .put("selfLink", host() + "/storage/v1/b/" + enc(name))
        .put("projectNumber", "123456789")
        .put("metageneration", "1")
        .put("location", "US")
        .put("storageClass", bucketClasses.getOrDefault(name, "STANDARD"))
        .put("etag", "CAE=")
        .put("timeCreated", "2026-01-01T00:00:00.000Z")
        .put("updated", "2026-01-01T00:00:00.000Z");
  }

  private ObjectNode objectJson(StoredObject o) {
    String created = RFC3339.format(o.created());
    ObjectNode n = JSON.createObjectNode()
        .put("kind", "storage#object")
        .put("id", o.bucket() + "/" + o.name() + "/" + o.generation())
        .put("selfLink", host() + "/storage/v1/b/" + enc(o.bucket()) + "/o/" + enc(o.name()))
        .put("mediaLink", host() + "/download/storage/v1/b/" + enc(o.bucket()) + "/o/" + enc(o.name())
            + "?generation=" + o.generation() + "&alt=media")
        .put("name", o.name())
        .put("bucket", o.bucket())
        .put("generation", Long.toString(o.generation()))
        .put("metageneration", Long.toString(o.metageneration()))
        .put("contentType", o.contentType())
        .put("storageClass", o.storageClass())
        .put("size", Long.toString(o.size()))
        .put("md5Hash", o.md5Hash())
        .put("crc32c", o.crc32c())
        .put("etag", etag(o))
        .put("timeCreated", created)
        .put("updated", created)
        .put("timeStorageClassUpdated", created);
    if (!o.metadata().isEmpty()) {
      ObjectNode m = n.putObject("metadata");
      new TreeMap<>(o.metadata()).forEach(m::put);
    }
    return n;
  }

  private static String etag(StoredObject o) {
    return Base64.getEncoder().encodeToString((o.generation() + "/" + o.metageneration()).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> metadataOf(JsonNode node) {
    Map<String, String> m = new TreeMap<>();
    node.path("metadata").fields().forEachRemaining(e -> {
      if (!e.getValue().isNull()) {
        m.put(e.getKey(), e.getValue().asText());
      }
    });
    return m;
  }

  private static JsonNode body(Request request) {
    return parse(request.body());
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new GcsError(400, "parseError", "bad JSON: " + e.getMessage());
    }
  }

  private static Response error(int status, String reason, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("code", status).put("message", message);
    error.putArray("errors").addObject().put("domain", "global").put("reason", reason).put("message", message);
    return Response.json(status, root);
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 308 -> "Resume Incomplete";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 416 -> "Requested Range Not Satisfiable";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/", -1)) {
      // a path segment: '+' is itself, only %XX is decoded
      out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
