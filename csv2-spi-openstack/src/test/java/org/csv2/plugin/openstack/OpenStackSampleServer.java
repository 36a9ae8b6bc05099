/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.plugin.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small, stateful OpenStack on 127.0.0.1 that answers with the official API-reference samples
 * of {@code ../shared/data/openstack-samples} (read at start, never copied into the repository):
 * Keystone v3 tokens (the service catalog rewritten to point here), Nova flavors with extra specs,
 * limits, key pairs and servers, Glance v2 images and Neutron networks.
 *
 * <p>State: booted servers are listed, start in BUILD and turn ACTIVE after {@link
 * #buildListings(int)} server listings (default 2), and disappear when deleted. The sample's own
 * server ({@code new-server-test}, not csv2's) is always there. The limits report the sample's
 * maxima and the usage of the servers present.
 *
 * <p>Credentials: user {@value #USER} (domain {@code Default}) with password {@value #PASSWORD}
 * in project {@value #PROJECT}, or application credential id {@value #APP_ID} / name {@value
 * #APP_NAME} with secret {@value #APP_SECRET}. The Keystone URL is {@code url() + "/identity/v3"}.
 *
 * <p>Administrators' metadata (docs/opportunistic.md): {@code GET /identity/v3/projects/{id}}
 * answers the token's project in the shape of Keystone's API-reference sample {@code
 * project-show-response.json}, with the properties of {@link #projectProperties(Map)} as extra
 * attributes (as {@code openstack project set --property} stores them); {@code GET
 * /compute/v2.1/os-aggregates} answers the aggregates of {@link #aggregate(String, Map)} in the shape
 * of Nova's {@code aggregates-list-get-resp.json}. (Neither sample is in the shared sample set; the
 * shapes are rebuilt here field by field.)
 *
 * <p>Failure scripts: {@link #failNext(String, String, int, String)}, {@link #expireTokens()},
 * {@link #hangNext(String, String, Duration)}, {@link #nextBootFails(String)}; {@link
 * #latency(Duration)} delays every request (outside the server's lock, so requests overlap as on a
 * real cloud).
 *
 * <p>Thread safety: safe; requests are served by a small pool, state changes are synchronised.
 */
public final class OpenStackSampleServer implements AutoCloseable {
  /** The user of password authentication. */
  public static final String USER = "demo";

  /** Its password. */
  public static final String PASSWORD = "s3cr3t-pa55word";

  /** The project of password authentication. */
  public static final String PROJECT = "admin";

  /** The application credential's id. */
  public static final String APP_ID = "423f19a4ac1e4f48bbb4180756e6eb6c";

  /** The application credential's name. */
  public static final String APP_NAME = "monitoring";

  /** The application credential's secret. */
  public static final String APP_SECRET = "rEaqvJka48mpv-app-secret";

  /** Nova's scheduling failure, as it appears in a server's fault. */
  public static final String NO_VALID_HOST = "No valid host was found. There are not enough hosts available.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLE_HOST = "http://23.253.248.171";
  private static final DateTimeFormatter NOVA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
  private static final Pattern SERVER = Pattern.compile("/compute/v2\\.1/[^/]+/servers/([^/]+)");
  private static final Pattern EXTRA_SPECS = Pattern.compile("/compute/v2\\.1/[^/]+/flavors/([^/]+)/os-extra_specs");
  private static final Pattern FLAVOR = Pattern.compile("/compute/v2\\.1/[^/]+/flavors/([^/]+)");
  private static final Pattern IMAGE = Pattern.compile("/image/v2/images/([^/]+)");
  private static final Pattern IMAGE_DATA = Pattern.compile("/image/v2/images/([^/]+)/(file|stage)");
  private static final Pattern IMAGE_IMPORT = Pattern.compile("/image/v2/images/([^/]+)/import");
  private static final Pattern IMAGE_TASKS = Pattern.compile("/image/v2/images/([^/]+)/tasks");
  private static final Pattern KEYPAIR = Pattern.compile("/compute/v2\\.1/[^/]+/os-keypairs/([^/]+)");
  /** Uploaded images keep their bytes up to this size; larger ones keep only size and checksum. */
  public static final int KEEP_IMAGE_BYTES = 32 * 1024 * 1024;
  private static final Pattern PROJECT_PATH = Pattern.compile("/identity/v3/projects/([^/]+)");
  /** Group 1: {@code user/id} (one credential), or group 2: the user (a listing by name). */
  private static final Pattern APP_CREDENTIAL =
      Pattern.compile("/identity/v3/users/(?:([^/]+/application_credentials/[^/]+)|([^/]+)/application_credentials)");
  /** The user id in the sample token. */
  public static final String TOKEN_USER_ID = "ee4dfb6e5540447cb3741905149d9b6e";
  /** The project of the sample token. */
  public static final String PROJECT_ID = "a6944d763bf64ee6a275f1263fae0352";

  private final Path samples;
  private final ExecutorService pool = Executors.newFixedThreadPool(48);
  private final Map<String, String> texts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> projectProperties = new LinkedHashMap<>();
  private @Nullable String appCredentialExpiresAt;
  private int appCredentialReads;
  private final Map<String, Map<String, String>> aggregates = new LinkedHashMap<>();
  private volatile Duration latency = Duration.ZERO;
  private int[] limits;
  private final java.util.concurrent.atomic.AtomicInteger bootsInFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger mostBootsInFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger deletesInFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger mostDeletesInFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final HttpServer http;

  private final Map<String, ObjectNode> servers = new LinkedHashMap<>();
  private final Map<String, ObjectNode> images = new LinkedHashMap<>();
  private final Map<String, byte[]> imageBytes = new HashMap<>();
  private final Map<String, ObjectNode> keypairs = new LinkedHashMap<>();
  private final Map<String, ArrayNode> imageTasks = new HashMap<>();
  private List<String> importMethods = List.of("glance-direct", "web-download");
  private long dropUploadAfter = -1;
  private long largestUploadRead;
  private final Map<String, Integer> listingsLeft = new HashMap<>();
  private final Map<String, String> faultOnActive = new HashMap<>();
  private final Set<String> tokens = new HashSet<>();
  private final Deque<Scripted> scripts = new ArrayDeque<>();
  private final Deque<String> bootFaults = new ArrayDeque<>();
  private final Map<String, Map<String, String>> extraSpecs = new HashMap<>();
  private final List<String> requests = new ArrayList<>();
  private final List<JsonNode> bootBodies = new ArrayList<>();
  private final List<JsonNode> authBodies = new ArrayList<>();
  private int buildListings = 2;
  private boolean ignoreMarker;
  private int tokenCounter;

  /** A scripted answer; {@code skip} matching requests are served normally first. */
  private static final class Scripted {
    final String method;
    final Pattern path;
    final int status;
    final String body;
    final Duration delay;
    final Map<String, String> headers;
    int skip;

    Scripted(String method, Pattern path, int status, String body, Duration delay, int skip) {
      this(method, path, status, body, Map.of(), delay, skip);
    }

    Scripted(
        String method, Pattern path, int status, String body, Map<String, String> headers, Duration delay, int skip) {
      this.method = method;
      this.path = path;
      this.status = status;
      this.body = body;
      this.headers = Map.copyOf(headers);
      this.delay = delay;
      this.skip = skip;
    }
  }

  /**
   * Creates a server over the samples found through {@link #samplesDirectory()}.
   *
   * @throws UncheckedIOException if it cannot listen
   */
  public OpenStackSampleServer() {
    this(samplesDirectory());
  }

  /**
   * Creates a server over the given sample directory.
   *
   * @param samples the {@code openstack-samples} directory
   */
  public OpenStackSampleServer(Path samples) {
    this.samples = samples;
    if (!Files.isDirectory(samples.resolve("nova"))) {
      throw new IllegalStateException("no OpenStack samples in " + samples.toAbsolutePath());
    }
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.createContext("/", this::handle);
    http.setExecutor(pool);
    reset();
  }

  /**
   * The samples directory: the system property {@code csv2.shared.data} plus {@code
   * /openstack-samples}, or else {@code shared/data/openstack-samples} in the working directory or
   * one of its parents (the repository root's sibling {@code ../shared/data}).
   *
   * @return the directory
   */
  public static Path samplesDirectory() {
    String prop = System.getProperty("csv2.shared.data");
    if (prop != null && Files.isDirectory(Paths.get(prop, "openstack-samples"))) {
      return Paths.get(prop, "openstack-samples");
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/openstack-samples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "OpenStack samples not found: set -Dcsv2.shared.data or run below a directory with shared/data");
  }

  /**
   * Starts serving.
   *
   * @return this server
   */
  public OpenStackSampleServer start() {
    http.start();
    return this;
  }

  /**
   * The base URL, such as {@code http://127.0.0.1:41234}.
   *
   * @return the URL
   */
  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /**
   * The Keystone v3 URL to configure as {@code auth-url}.
   *
   * @return {@code url() + "/identity/v3"}
   */
  public String authUrl() {
    return url() + "/identity/v3";
  }

  @Override
  public void close() {
    closing.countDown();
    http.stop(0);
    pool.shutdownNow();
  }

  /** Back to the initial state: only the sample server, no scripts, fresh tokens. */
  public synchronized void reset() {
    ignoreMarker = false;
    servers.clear();
    listingsLeft.clear();
    faultOnActive.clear();
    tokens.clear();
    scripts.clear();
    bootFaults.clear();
    extraSpecs.clear();
    requests.clear();
    bootBodies.clear();
    authBodies.clear();
    projectProperties.clear();
    appCredentialExpiresAt = null;
    appCredentialReads = 0;
    aggregates.clear();
    latency = Duration.ZERO;
    limits = null;
    mostBootsInFlight.set(0);
    mostDeletesInFlight.set(0);
    buildListings = 2;
    images.clear();
    imageBytes.clear();
    imageTasks.clear();
    for (JsonNode i : read("glance/images-list-response.json").get("images")) {
      images.put(i.get("id").asText(), (ObjectNode) i.deepCopy());
    }
    keypairs.clear();
    for (JsonNode k : read("nova/os-keypairs/keypairs-list-resp.json").get("keypairs")) {
      keypairs.put(k.path("keypair").path("name").asText(), (ObjectNode) k.path("keypair").deepCopy());
    }
    importMethods = List.of("glance-direct", "web-download");
    dropUploadAfter = -1;
    largestUploadRead = 0;
    JsonNode sample = read("nova/servers/servers-details-resp.json").get("servers");
    for (JsonNode s : sample) {
      servers.put(s.get("id").asText(), (ObjectNode) s.deepCopy());
    }
  }

  /**
   * How many server listings a new server stays in BUILD.
   *
   * @param n listings; 0 makes servers ACTIVE at once
   */
  public synchronized void buildListings(int n) {
    buildListings = n;
  }

  /**
   * Overrides a flavor's extra specs (the sample's are used otherwise).
   *
   * @param flavorId the flavor id
   * @param specs its extra specs
   */
  public synchronized void extraSpecs(String flavorId, Map<String, String> specs) {
    extraSpecs.put(flavorId, Map.copyOf(specs));
  }

  /**
   * Answers the next request matching method and path with a status and body instead of serving
   * it. Scripts are used once each, in order.
   *
   * @param method the HTTP method
   * @param pathRegex a regular expression the request path must match (find)
   * @param status the status to send
   * @param body the JSON body to send
   */
  public synchronized void failNext(String method, String pathRegex, int status, String body) {
    failNth(method, pathRegex, 1, status, body);
  }

  /**
   * Answers the {@code n}-th next request matching method and path with a status and body; the
   * ones before it are served normally.
   *
   * @param method the HTTP method
   * @param pathRegex a regular expression the request path must match (find)
   * @param n which matching request fails, from 1
   * @param status the status to send
   * @param body the JSON body to send
   */
  public synchronized void failNth(String method, String pathRegex, int n, int status, String body) {
    scripts.add(new Scripted(method, Pattern.compile(pathRegex), status, body, Duration.ZERO, n - 1));
  }

  /**
   * Answers the next request matching method and path with a status, body and headers, such as
   * {@code Content-Type: text/html} (the error page of a proxy or load balancer in front of the
   * API) or {@code Retry-After}. A {@code Content-Type} given here replaces {@code application/json}.
   *
   * @param method the HTTP method
   * @param pathRegex a regular expression the request path must match (find)
   * @param status the status to send
   * @param body the body to send, as is
   * @param headers the headers to add
   */
  public synchronized void failNext(
      String method, String pathRegex, int status, String body, Map<String, String> headers) {
    scripts.add(new Scripted(method, Pattern.compile(pathRegex), status, body, headers, Duration.ZERO, 0));
  }

  /**
   * An HTML error page as HAProxy or nginx send it when the API behind them is down or busy.
   *
   * @param status the status, such as 502, 503 or 504
   * @param reason the reason phrase, such as {@code Service Unavailable}
   * @return the page
   */
  public static String htmlErrorPage(int status, String reason) {
    return "<html><head><title>" + status + " " + reason + "</title>\n<style>body{font-family:sans}</style></head>\n"
        + "<body><center><h1>" + status + " " + reason + "</h1></center>\n"
        + "<hr><center>No server is available to handle this request.</center>\n</body></html>\n";
  }

  /**
   * Makes the server list ignore its {@code marker}, as a broken Nova (or a proxy that drops query
   * parameters) does: every page is the first page.
   *
   * @param ignore whether to ignore it
   */
  public synchronized void ignoreMarker(boolean ignore) {
    ignoreMarker = ignore;
  }

  /**
   * Delays the next request matching method and path by {@code delay} before serving it, to make
   * a client's read time out.
   *
   * @param method the HTTP method
   * @param pathRegex a regular expression the request path must match (find)
   * @param delay how long to wait before answering
   */
  public synchronized void hangNext(String method, String pathRegex, Duration delay) {
    scripts.add(new Scripted(method, Pattern.compile(pathRegex), 0, "", delay, 0));
  }

  /**
   * Sets the application credential's {@code expires_at} as Keystone writes it (UTC, no zone).
   *
   * @param expiresAt such as {@code 2027-01-01T00:00:00.000000}; null for a credential that never
   *     expires
   */
  public synchronized void applicationCredentialExpiresAt(@Nullable String expiresAt) {
    appCredentialExpiresAt = expiresAt;
  }

  /**
   * How many times the application credential was read ({@code GET .../application_credentials}).
   *
   * @return the count
   */
  public synchronized int applicationCredentialReads() {
    return appCredentialReads;
  }

  /**
   * Sets the properties of the token's project (replacing earlier ones), as an administrator's
   * {@code openstack project set --property k=v} does.
   *
   * @param properties the properties
   */
  public synchronized void projectProperties(Map<String, String> properties) {
    projectProperties.clear();
    projectProperties.putAll(properties);
  }

  /**
   * Adds or replaces a host aggregate with this metadata.
   *
   * @param name the aggregate's name
   * @param metadata its metadata
   */
  public synchronized void aggregate(String name, Map<String, String> metadata) {
    aggregates.put(name, new LinkedHashMap<>(metadata));
  }

  /**
   * Replaces the sample's maxima in {@code GET /limits} (for bursts larger than the sample's 10
   * instances).
   *
   * @param cores {@code maxTotalCores}
   * @param ramMiB {@code maxTotalRAMSize}
   * @param instances {@code maxTotalInstances}
   */
  public synchronized void limits(int cores, int ramMiB, int instances) {
    limits = new int[] {cores, ramMiB, instances};
  }

  /**
   * Delays every request by this much before it is served (0: none), as a cloud far away would.
   *
   * @param perRequest the delay
   */
  public void latency(Duration perRequest) {
    latency = perRequest;
  }

  /**
   * The most {@code POST /servers} that were being served at once since the last reset.
   *
   * @return the count
   */
  public int mostBootsInFlight() {
    return mostBootsInFlight.get();
  }

  /**
   * The most {@code DELETE /servers/{id}} that were being served at once since the last reset.
   *
   * @return the count
   */
  public int mostDeletesInFlight() {
    return mostDeletesInFlight.get();
  }

  /** Makes every token issued so far invalid, as if it expired. */
  public synchronized void expireTokens() {
    tokens.clear();
  }

  /**
   * Makes the next booted server go to ERROR with this fault when it leaves BUILD.
   *
   * @param faultMessage the fault message, such as {@link #NO_VALID_HOST}
   */
  public synchronized void nextBootFails(String faultMessage) {
    bootFaults.add(faultMessage);
  }

  /**
   * The methods {@code GET /v2/info/import} offers (the sample's {@code glance-direct} and {@code
   * web-download} by default).
   *
   * @param methods the methods
   */
  public synchronized void importMethods(List<String> methods) {
    importMethods = List.copyOf(methods);
  }

  /**
   * Makes the next image upload ({@code PUT .../file} or {@code .../stage}) drop its connection
   * after this many bytes arrived, without an answer; the image stays {@code saving} as in Glance.
   *
   * @param bytes how many bytes are read first
   */
  public synchronized void dropNextUploadAfter(long bytes) {
    dropUploadAfter = bytes;
  }

  /**
   * Every image, whatever its status, as {@code name=status}.
   *
   * @return the images
   */
  public synchronized List<String> imageStates() {
    return images.values().stream().map(i -> i.path("name").asText() + "=" + i.path("status").asText()).toList();
  }

  /**
   * The images, by id.
   *
   * @return copies of their JSON
   */
  public synchronized Map<String, JsonNode> images() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    images.forEach((k, v) -> out.put(k, v.deepCopy()));
    return out;
  }

  /**
   * The key pairs, by name.
   *
   * @return copies of their JSON
   */
  public synchronized Map<String, JsonNode> keyPairs() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    keypairs.forEach((k, v) -> out.put(k, v.deepCopy()));
    return out;
  }

  /**
   * Every request served, as {@code METHOD path}.
   *
   * @return a copy of the log
   */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /**
   * The bodies of every {@code POST /servers}.
   *
   * @return copies
   */
  public synchronized List<JsonNode> bootBodies() {
    return List.copyOf(bootBodies);
  }

  /**
   * The bodies of every {@code POST /auth/tokens}.
   *
   * @return copies
   */
  public synchronized List<JsonNode> authBodies() {
    return List.copyOf(authBodies);
  }

  /**
   * The servers present now, by id.
   *
   * @return copies of their JSON
   */
  public synchronized Map<String, JsonNode> servers() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    servers.forEach((k, v) -> out.put(k, v.deepCopy()));
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    boolean isBoot = ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().endsWith("/servers");
    boolean isDelete = ex.getRequestMethod().equals("DELETE") && SERVER.matcher(ex.getRequestURI().getPath()).matches();
    java.util.concurrent.atomic.AtomicInteger counter = isBoot ? bootsInFlight : deletesInFlight;
    java.util.concurrent.atomic.AtomicBoolean inFlight = new java.util.concurrent.atomic.AtomicBoolean(isBoot || isDelete);
    if (isBoot || isDelete) {
      (isBoot ? mostBootsInFlight : mostDeletesInFlight).accumulateAndGet(counter.incrementAndGet(), Math::max);
    }
    try {
      serve(ex, inFlight, counter);
    } finally {
      if (inFlight.getAndSet(false)) {
        counter.decrementAndGet();
      }
    }
  }

  private void serve(
      HttpExchange ex, java.util.concurrent.atomic.AtomicBoolean inFlight, java.util.concurrent.atomic.AtomicInteger counter)
      throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getPath();
      if (streamed(ex, method, path)) {
        return;
      }
      byte[] requestBody = ex.getRequestBody().readAllBytes();
      Scripted script;
      synchronized (this) {
        requests.add(method + " " + path);
        script = takeScript(method, path);
      }
      Duration wait = latency;
      if (!wait.isZero()) {
        try {
          if (closing.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (script != null && !script.delay.isZero()) {
        try {
          if (closing.await(script.delay.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        script = null;
      }
      Reply reply;
      if (script != null) {
        reply = new Reply(script.status, script.body, script.headers);
      } else {
        synchronized (this) {
          reply = route(method, path, query(uri), requestBody, ex.getRequestHeaders().getFirst("X-Auth-Token"));
        }
      }
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      if (inFlight.getAndSet(false)) {
        counter.decrementAndGet(); // before the client can see the reply and send the next
      }
      if (reply.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
        ex.getResponseHeaders().add("Content-Type", "application/json");
      }
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (RuntimeException e) {
      // A broken test server must show up in the test, not hang the client.
      byte[] out = ("{\"computeFault\":{\"message\":\"sample server bug: " + e + "\",\"code\":500}}")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, out.length);
      ex.getResponseBody().write(out);
    }
  }

  private Scripted takeScript(String method, String path) {
    for (Iterator<Scripted> it = scripts.iterator(); it.hasNext(); ) {
      Scripted s = it.next();
      if (s.method.equalsIgnoreCase(method) && s.path.matcher(path).find()) {
        if (s.skip > 0) {
          s.skip--;
          return null;
        }
        it.remove();
        return s;
      }
    }
    return null;
  }

  private record Reply(int status, String body, Map<String, String> headers) {
    Reply(int status, String body) {
      this(status, body, Map.of());
    }
  }

  private Reply route(String method, String path, Map<String, String> q, byte[] body, String token) {
    if (method.equals("POST") && path.equals("/identity/v3/auth/tokens")) {
      return authenticate(body);
    }
    if (token == null || !tokens.contains(token)) {
      return new Reply(401, "{\"error\":{\"code\":401,\"title\":\"Unauthorized\","
          + "\"message\":\"The request you have made requires authentication.\"}}");
    }
    Matcher m;
    if ((m = APP_CREDENTIAL.matcher(path)).matches() && method.equals("GET")) {
      appCredentialReads++;
      boolean byId = m.group(1) != null;
      if (!TOKEN_USER_ID.equals(m.group(1) == null ? m.group(2) : m.group(1).substring(0, m.group(1).indexOf('/')))) {
        return new Reply(403, "{\"error\":{\"code\":403,\"title\":\"Forbidden\",\"message\":\"another user's credentials\"}}");
      }
      if (byId ? !path.endsWith("/" + APP_ID) : !APP_NAME.equals(q.get("name"))) {
        return byId
            ? new Reply(404, "{\"error\":{\"code\":404,\"title\":\"Not Found\",\"message\":\"Could not find application credential.\"}}")
            : ok((ObjectNode) JSON.createObjectNode().set("application_credentials", JSON.createArrayNode()));
      }
      ObjectNode c = JSON.createObjectNode();
      c.put("id", APP_ID);
      c.put("name", APP_NAME);
      c.put("project_id", PROJECT_ID);
      c.put("unrestricted", false);
      if (appCredentialExpiresAt == null) {
        c.putNull("expires_at");
      } else {
        c.put("expires_at", appCredentialExpiresAt);
      }
      ObjectNode n = JSON.createObjectNode();
      if (byId) {
        n.set("application_credential", c);
      } else {
        n.putArray("application_credentials").add(c);
      }
      return ok(n);
    }
    if ((m = PROJECT_PATH.matcher(path)).matches() && method.equals("GET")) {
      if (!m.group(1).equals(PROJECT_ID)) {
        return new Reply(404, "{\"error\":{\"code\":404,\"title\":\"Not Found\","
            + "\"message\":\"Could not find project: " + m.group(1) + ".\"}}");
      }
      ObjectNode n = JSON.createObjectNode();
      ObjectNode pr = n.putObject("project");
      pr.put("is_domain", false);
      pr.putNull("description");
      pr.put("domain_id", "default");
      pr.put("enabled", true);
      pr.put("id", PROJECT_ID);
      pr.putObject("links").put("self", url() + "/identity/v3/projects/" + PROJECT_ID);
      pr.put("name", PROJECT);
      pr.put("parent_id", "default");
      pr.putArray("tags");
      projectProperties.forEach(pr::put);
      return ok(n);
    }
    if (path.matches("/compute/v2\\.1/[^/]+/os-aggregates") && method.equals("GET")) {
      ObjectNode n = JSON.createObjectNode();
      ArrayNode arr = n.putArray("aggregates");
      int id = 1;
      for (Map.Entry<String, Map<String, String>> e : aggregates.entrySet()) {
        ObjectNode a = arr.addObject();
        a.putNull("availability_zone");
        a.put("created_at", "2013-08-18T12:17:56.856455");
        a.put("deleted", false);
        a.putNull("deleted_at");
        a.putArray("hosts").add("21549b2f665945baaa7101926a00143c");
        a.put("id", id++);
        ObjectNode md = a.putObject("metadata");
        e.getValue().forEach(md::put);
        a.put("name", e.getKey());
        a.putNull("updated_at");
      }
      return ok(n);
    }
    if (path.matches("/compute/v2\\.1/[^/]+/flavors/detail") && method.equals("GET")) {
      return ok(read("nova/flavors/flavors-detail-resp.json"));
    }
    if (path.matches("/compute/v2\\.1/[^/]+/flavors") && method.equals("GET")) {
      return ok(read("nova/flavors/flavors-list-resp.json"));
    }
    if ((m = FLAVOR.matcher(path)).matches() && method.equals("GET")) {
      JsonNode f = flavorsById().get(m.group(1));
      if (f == null) {
        return new Reply(404, "{\"itemNotFound\":{\"code\":404,\"message\":\"Flavor " + m.group(1) + " could not be found.\"}}");
      }
      ObjectNode out = JSON.createObjectNode();
      out.set("flavor", f);
      return ok(out);
    }
    if ((m = EXTRA_SPECS.matcher(path)).matches() && method.equals("GET")) {
      Map<String, String> override = extraSpecs.get(m.group(1));
      if (override == null) {
        return ok(read("nova/flavor-extra-specs/flavor-extra-specs-list-resp.json"));
      }
      ObjectNode n = JSON.createObjectNode();
      ObjectNode specs = n.putObject("extra_specs");
      override.forEach(specs::put);
      return ok(n);
    }
    if (path.matches("/compute/v2\\.1/[^/]+/limits") && method.equals("GET")) {
      return ok(limits());
    }
    if (path.matches("/compute/v2\\.1/[^/]+/os-keypairs") && method.equals("GET")) {
      ObjectNode n = JSON.createObjectNode();
      ArrayNode arr = n.putArray("keypairs");
      keypairs.values().forEach(k -> arr.addObject().set("keypair", k.deepCopy()));
      return ok(n);
    }
    if (path.matches("/compute/v2\\.1/[^/]+/os-keypairs") && method.equals("POST")) {
      return importKeypair(body);
    }
    if ((m = KEYPAIR.matcher(path)).matches() && method.equals("DELETE")) {
      String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      if (keypairs.remove(name) == null) {
        return new Reply(404, "{\"itemNotFound\":{\"code\":404,\"message\":\"Keypair " + name + " not found for user fake\"}}");
      }
      return new Reply(202, "");
    }
    if (path.matches("/compute/v2\\.1/[^/]+/servers/detail") && method.equals("GET")) {
      return ok(listServers(q));
    }
    if (path.matches("/compute/v2\\.1/[^/]+/servers") && method.equals("POST")) {
      return boot(body);
    }
    if ((m = SERVER.matcher(path)).matches()) {
      ObjectNode s = servers.get(m.group(1));
      if (s == null) {
        return new Reply(404, "{\"itemNotFound\":{\"message\":\"Instance " + m.group(1)
            + " could not be found.\",\"code\":404}}");
      }
      if (method.equals("DELETE")) {
        servers.remove(m.group(1));
        return new Reply(204, "");
      }
      ObjectNode n = JSON.createObjectNode();
      n.set("server", s.deepCopy());
      return ok(n);
    }
    if (path.equals("/image/v2/images") && method.equals("GET")) {
      return ok(listImages(q));
    }
    if (path.equals("/image/v2/images") && method.equals("POST")) {
      return createImage(body);
    }
    if (path.equals("/image/v2/info/import") && method.equals("GET")) {
      ObjectNode n = read("glance/image-info-import-response.json").deepCopy();
      ArrayNode arr = ((ObjectNode) n.path("import-methods")).putArray("value");
      importMethods.forEach(arr::add);
      return ok(n);
    }
    if ((m = IMAGE_IMPORT.matcher(path)).matches() && method.equals("POST")) {
      return importImage(m.group(1), body);
    }
    if ((m = IMAGE_TASKS.matcher(path)).matches() && method.equals("GET")) {
      if (!images.containsKey(m.group(1))) {
        return noImage(m.group(1));
      }
      ObjectNode n = JSON.createObjectNode();
      n.set("tasks", imageTasks.getOrDefault(m.group(1), JSON.createArrayNode()).deepCopy());
      return ok(n);
    }
    if ((m = IMAGE.matcher(path)).matches() && method.equals("GET")) {
      ObjectNode i = images.get(m.group(1));
      return i == null ? noImage(m.group(1)) : ok(i);
    }
    if ((m = IMAGE.matcher(path)).matches() && method.equals("PATCH")) {
      ObjectNode i = images.get(m.group(1));
      if (i == null) {
        return noImage(m.group(1));
      }
      for (JsonNode op : parse(body)) {
        String field = op.path("path").asText().replaceFirst("^/", "");
        if (op.path("op").asText().equals("replace") && i.has(field) && !field.equals("id") && !field.equals("status")) {
          i.set(field, op.path("value").deepCopy());
        } else {
          return new Reply(400, "{\"message\":\"unsupported patch " + op + "\",\"code\":\"400 Bad Request\"}");
        }
      }
      return ok(i);
    }
    if ((m = IMAGE.matcher(path)).matches() && method.equals("DELETE")) {
      if (images.remove(m.group(1)) == null) {
        return noImage(m.group(1));
      }
      imageBytes.remove(m.group(1));
      imageTasks.remove(m.group(1));
      return new Reply(204, "");
    }
    if (path.equals("/network/v2.0/networks") && method.equals("GET")) {
      return ok(read("neutron/networks/networks-list-response.json"));
    }
    return new Reply(404, "{\"itemNotFound\":{\"message\":\"sample server: no route for " + method + " " + path
        + "\",\"code\":404}}");
  }

  private Reply authenticate(byte[] body) {
    JsonNode req = parse(body);
    authBodies.add(req);
    JsonNode identity = req.path("auth").path("identity");
    String methodName = identity.path("methods").path(0).asText();
    boolean valid;
    if (methodName.equals("password")) {
      JsonNode user = identity.path("password").path("user");
      JsonNode project = req.path("auth").path("scope").path("project");
      valid = USER.equals(user.path("name").asText())
          && PASSWORD.equals(user.path("password").asText())
          && (PROJECT.equals(project.path("name").asText())
              || "a6944d763bf64ee6a275f1263fae0352".equals(project.path("id").asText()));
    } else if (methodName.equals("application_credential")) {
      JsonNode cred = identity.path("application_credential");
      boolean named = APP_ID.equals(cred.path("id").asText())
          || (APP_NAME.equals(cred.path("name").asText()) && USER.equals(cred.path("user").path("name").asText()));
      valid = named && APP_SECRET.equals(cred.path("secret").asText());
    } else {
      valid = false;
    }
    if (!valid) {
      return new Reply(401, "{\"error\":{\"code\":401,\"title\":\"Unauthorized\","
          + "\"message\":\"The request you have made requires authentication.\"}}");
    }
    String token = "gAAAAAsample" + (++tokenCounter);
    tokens.add(token);
    String text = readText("keystone/admin/auth-password-project-scoped-response.json")
        .replace(SAMPLE_HOST + ":8774", url() + "/compute")
        .replace(SAMPLE_HOST + ":9696/", url() + "/network")
        .replace(SAMPLE_HOST + ":9292", url() + "/image")
        .replace(SAMPLE_HOST + ":8776", url() + "/volume")
        .replace(SAMPLE_HOST + ":", url() + "/other/")
        .replace("http://example.com/identity", url() + "/identity");
    return new Reply(201, text, Map.of("X-Subject-Token", token));
  }

  private ObjectNode limits() {
    ObjectNode n = read("nova/limits/limit-get-resp.json").deepCopy();
    ObjectNode abs = (ObjectNode) n.path("limits").path("absolute");
    Map<String, JsonNode> flavors = flavorsById();
    int cores = 0;
    int ram = 0;
    for (ObjectNode s : servers.values()) {
      JsonNode f = flavors.get(s.path("flavor").path("id").asText());
      if (f != null) {
        cores += f.path("vcpus").asInt();
        ram += f.path("ram").asInt();
      }
    }
    abs.put("totalCoresUsed", cores);
    abs.put("totalRAMUsed", ram);
    abs.put("totalInstancesUsed", servers.size());
    if (limits != null) {
      abs.put("maxTotalCores", limits[0]);
      abs.put("maxTotalRAMSize", limits[1]);
      abs.put("maxTotalInstances", limits[2]);
    }
    return n;
  }

  private Map<String, JsonNode> flavorsById() {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode f : read("nova/flavors/flavors-detail-resp.json").get("flavors")) {
      out.put(f.get("id").asText(), f);
    }
    return out;
  }

  private ObjectNode listServers(Map<String, String> q) {
    for (String id : List.copyOf(listingsLeft.keySet())) {
      int left = listingsLeft.get(id) - 1;
      if (left > 0) {
        listingsLeft.put(id, left);
      } else {
        listingsLeft.remove(id);
        leaveBuild(id);
      }
    }
    Map<String, String> asked = new HashMap<>(q);
    if (ignoreMarker) {
      asked.remove("marker");
    }
    List<ObjectNode> page = page(new ArrayList<>(servers.values()), asked, n -> n.get("id").asText());
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("servers");
    page.forEach(s -> arr.add(s.deepCopy()));
    return out;
  }

  private void leaveBuild(String id) {
    ObjectNode s = servers.get(id);
    if (s == null) {
      return;
    }
    String fault = faultOnActive.remove(id);
    if (fault != null) {
      s.put("status", "ERROR");
      s.put("OS-EXT-STS:vm_state", "error");
      s.putNull("OS-EXT-STS:task_state");
      ObjectNode f = s.putObject("fault");
      f.put("code", 500);
      f.put("message", fault);
      f.put("created", NOVA_TIME.format(LocalDateTime.now(ZoneOffset.UTC)));
    } else {
      s.put("status", "ACTIVE");
      s.put("OS-EXT-STS:vm_state", "active");
      s.putNull("OS-EXT-STS:task_state");
      s.put("OS-SRV-USG:launched_at", LocalDateTime.now(ZoneOffset.UTC).toString());
    }
  }

  private ObjectNode listImages(Map<String, String> q) {
    ObjectNode sample = read("glance/images-list-response.json").deepCopy();
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode i : images.values()) {
      if (!q.containsKey("name") || q.get("name").equals(i.path("name").asText())) {
        all.add(i);
      }
    }
    List<JsonNode> page = page(all, q, n -> n.get("id").asText());
    ArrayNode arr = sample.putArray("images");
    page.forEach(arr::add);
    return sample;
  }

  private static <T> List<T> page(List<T> all, Map<String, String> q, java.util.function.Function<T, String> id) {
    int from = 0;
    String marker = q.get("marker");
    if (marker != null) {
      from = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (id.apply(all.get(i)).equals(marker)) {
          from = i + 1;
          break;
        }
      }
    }
    int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 1000;
    return all.subList(from, Math.min(all.size(), from + limit));
  }

  private Reply boot(byte[] body) {
    JsonNode req = parse(body);
    bootBodies.add(req);
    JsonNode s = req.path("server");
    String flavorRef = s.path("flavorRef").asText();
    if (!flavorsById().containsKey(flavorRef)) {
      return badRequest("Flavor " + flavorRef + " could not be found.");
    }
    String imageRef = s.path("imageRef").asText("");
    if (imageRef.isEmpty()) {
      imageRef = s.path("block_device_mapping_v2").path(0).path("uuid").asText("");
    }
    boolean imageKnown = false;
    ObjectNode bootImage = images.get(imageRef);
    imageKnown = bootImage != null && bootImage.path("status").asText().equals("active");
    if (!imageKnown) {
      return badRequest("Image " + imageRef + " could not be found.");
    }
    for (JsonNode n : s.path("networks")) {
      boolean known = false;
      for (JsonNode net : read("neutron/networks/networks-list-response.json").get("networks")) {
        known |= net.get("id").asText().equals(n.path("uuid").asText());
      }
      if (!known) {
        return badRequest("Network " + n.path("uuid").asText() + " could not be found.");
      }
    }
    String id = UUID.randomUUID().toString();
    ObjectNode server = read("nova/servers/server-get-resp.json").get("server").deepCopy();
    server.put("id", id);
    server.put("name", s.path("name").asText());
    server.set("metadata", s.path("metadata").isObject() ? s.get("metadata").deepCopy() : JSON.createObjectNode());
    ((ObjectNode) server.path("flavor")).put("id", flavorRef);
    ((ObjectNode) server.path("image")).put("id", imageRef);
    server.put("status", "BUILD");
    server.put("OS-EXT-STS:vm_state", "building");
    server.put("OS-EXT-STS:task_state", "spawning");
    server.putNull("OS-SRV-USG:launched_at");
    server.put("created", NOVA_TIME.format(LocalDateTime.now(ZoneOffset.UTC)));
    if (s.hasNonNull("key_name")) {
      server.put("key_name", s.get("key_name").asText());
    }
    servers.put(id, server);
    String fault = bootFaults.poll();
    if (fault != null) {
      faultOnActive.put(id, fault);
    }
    if (buildListings <= 0) {
      leaveBuild(id);
    } else {
      listingsLeft.put(id, buildListings);
    }
    ObjectNode resp = read("nova/servers/server-create-resp.json").deepCopy();
    ((ObjectNode) resp.get("server")).put("id", id);
    return new Reply(202, resp.toString());
  }

  private static Reply noImage(String id) {
    return new Reply(404, "{\"message\":\"No image found with ID " + id + "\",\"code\":\"404 Not Found\"}");
  }

  /** POST /v2/images: a queued image in the shape of Glance's image-create-response.json. */
  private Reply createImage(byte[] body) {
    JsonNode req = parse(body);
    ObjectNode img = read("glance/image-create-response.json").deepCopy();
    String id = req.hasNonNull("id") ? req.get("id").asText() : UUID.randomUUID().toString();
    if (images.containsKey(id)) {
      return new Reply(409, "{\"message\":\"Image with identifier " + id + " already exists\",\"code\":\"409 Conflict\"}");
    }
    for (String f : List.of("name", "container_format", "disk_format", "visibility")) {
      if (req.hasNonNull(f)) {
        img.put(f, req.get(f).asText());
      }
    }
    if (req.path("tags").isArray()) {
      img.set("tags", req.get("tags").deepCopy());
    }
    String now = NOVA_TIME.format(LocalDateTime.now(ZoneOffset.UTC));
    img.put("id", id);
    img.put("self", "/v2/images/" + id);
    img.put("file", "/v2/images/" + id + "/file");
    img.put("created_at", now);
    img.put("updated_at", now);
    img.put("owner", PROJECT_ID);
    images.put(id, img);
    return new Reply(201, img.toString());
  }

  /** POST /v2/images/{id}/import: glance-direct (after stage) or web-download (fetched now). */
  private Reply importImage(String id, byte[] body) {
    ObjectNode img = images.get(id);
    if (img == null) {
      return noImage(id);
    }
    JsonNode req = parse(body);
    String name = req.path("method").path("name").asText();
    if (!importMethods.contains(name)) {
      return new Reply(400, "{\"message\":\"Import method " + name + " is not valid\",\"code\":\"400 Bad Request\"}");
    }
    ObjectNode task = read("glance/image-tasks-show-response.json").path("tasks").path(0).deepCopy();
    task.put("id", UUID.randomUUID().toString());
    task.put("image_id", id);
    ((ObjectNode) task.path("input")).put("image_id", id);
    ((ObjectNode) task.path("input")).set("import_req", req.deepCopy());
    imageTasks.computeIfAbsent(id, k -> JSON.createArrayNode()).add(task);
    if (name.equals("glance-direct")) {
      if (!img.path("status").asText().equals("uploading")) {
        return new Reply(409, "{\"message\":\"Image status transition from " + img.path("status").asText()
            + " to importing is not allowed\",\"code\":\"409 Conflict\"}");
      }
      img.put("status", "active");
      task.put("status", "success");
      return new Reply(202, "");
    }
    if (name.equals("web-download")) {
      String uri = req.path("method").path("uri").asText();
      img.put("status", "importing");
      task.put("status", "processing");
      pool.execute(() -> webDownload(id, uri, task));
      return new Reply(202, "");
    }
    return new Reply(400, "{\"message\":\"Import method " + name + " is not supported here\",\"code\":\"400 Bad Request\"}");
  }

  private void webDownload(String id, String uri, ObjectNode task) {
    try {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<java.io.InputStream> r =
          client.send(java.net.http.HttpRequest.newBuilder(URI.create(uri)).GET().build(),
              java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " from " + uri);
      }
      try (java.io.InputStream in = r.body()) {
        receiveBytes(id, in, -1, false);
      }
      synchronized (this) {
        task.put("status", "success");
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        images.remove(id); // Glance deletes an image whose web-download failed
        task.put("status", "failure");
        task.put("message", e.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Nova's import: POST /os-keypairs with a public key, answered as keypairs-import-post-resp.json. */
  private Reply importKeypair(byte[] body) {
    JsonNode k = parse(body).path("keypair");
    String name = k.path("name").asText("");
    String key = k.path("public_key").asText("");
    if (name.isEmpty() || keypairs.containsKey(name)) {
      return new Reply(409, "{\"conflictingRequest\":{\"code\":409,\"message\":\"Key pair '" + name + "' already exists.\"}}");
    }
    String[] parts = key.trim().split("\\s+");
    byte[] blob;
    try {
      blob = parts.length >= 2 && parts[0].startsWith("ssh-") ? java.util.Base64.getDecoder().decode(parts[1]) : null;
    } catch (IllegalArgumentException e) {
      blob = null;
    }
    if (blob == null) {
      return badRequest("Keypair data is invalid: failed to generate fingerprint");
    }
    ObjectNode out = read("nova/os-keypairs/keypairs-import-post-resp.json").path("keypair").deepCopy();
    out.put("name", name);
    out.put("public_key", key);
    out.put("fingerprint", java.util.HexFormat.ofDelimiter(":").formatHex(digest("MD5").digest(blob)));
    keypairs.put(name, out.deepCopy());
    ObjectNode n = JSON.createObjectNode();
    n.set("keypair", out);
    return new Reply(200, n.toString());
  }

  private static java.security.MessageDigest digest(String algorithm) {
    try {
      return java.security.MessageDigest.getInstance(algorithm);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Image bytes go in and out streamed, never read whole: PUT .../file (upload), PUT .../stage
   * (glance-direct's staging), GET .../file (download, with Range).
   */
  private boolean streamed(HttpExchange ex, String method, String path) throws IOException {
    Matcher m = IMAGE_DATA.matcher(path);
    if (!m.matches() || !(method.equals("PUT") || method.equals("GET") && m.group(2).equals("file"))) {
      return false;
    }
    String id = m.group(1);
    boolean stage = m.group(2).equals("stage");
    synchronized (this) {
      requests.add(method + " " + path);
      String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
      if (token == null || !tokens.contains(token)) {
        send(ex, new Reply(401, "{\"error\":{\"code\":401,\"title\":\"Unauthorized\"}}"));
        return true;
      }
      ObjectNode img = images.get(id);
      if (img == null) {
        send(ex, noImage(id));
        return true;
      }
      if (method.equals("PUT")) {
        if (!img.path("status").asText().equals("queued")) {
          send(ex, new Reply(409, "{\"message\":\"Image status " + img.path("status").asText()
              + " does not allow upload\",\"code\":\"409 Conflict\"}"));
          return true;
        }
        img.put("status", stage ? "uploading" : "saving");
      }
    }
    if (method.equals("GET")) {
      download(ex, id);
      return true;
    }
    long drop;
    synchronized (this) {
      drop = dropUploadAfter;
      dropUploadAfter = -1;
    }
    try (java.io.InputStream in = ex.getRequestBody()) {
      if (!receiveBytes(id, in, drop, stage)) {
        ex.close(); // the dropped connection: no answer, the image stays saving
        return true;
      }
    }
    send(ex, new Reply(204, ""));
    return true;
  }

  /** Reads an image's bytes; false if the connection was dropped (scripted) first. */
  private boolean receiveBytes(String id, java.io.InputStream in, long dropAfter, boolean stage) throws IOException {
    java.security.MessageDigest md5 = digest("MD5");
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (dropAfter >= 0 && total + n > dropAfter) {
        return false;
      }
      md5.update(buf, 0, n);
      total += n;
      if (total <= KEEP_IMAGE_BYTES) {
        kept.write(buf, 0, n);
      }
    }
    synchronized (this) {
      largestUploadRead = Math.max(largestUploadRead, buf.length);
      ObjectNode img = images.get(id);
      if (img == null) {
        return true; // deleted meanwhile
      }
      img.put("size", total);
      img.put("checksum", java.util.HexFormat.of().formatHex(md5.digest()));
      img.put("status", stage ? "uploading" : "active");
      img.put("updated_at", NOVA_TIME.format(LocalDateTime.now(ZoneOffset.UTC)));
      if (total <= KEEP_IMAGE_BYTES) {
        imageBytes.put(id, kept.toByteArray());
      } else {
        imageBytes.remove(id);
      }
    }
    return true;
  }

  private void download(HttpExchange ex, String id) throws IOException {
    byte[] bytes;
    synchronized (this) {
      bytes = imageBytes.get(id);
    }
    if (bytes == null) {
      send(ex, new Reply(204, "")); // Glance answers 204 for an image without data
      return;
    }
    int from = 0;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null) {
      Matcher r = Pattern.compile("bytes=(\\d+)-").matcher(range);
      if (r.matches()) {
        from = (int) Math.min(bytes.length, Long.parseLong(r.group(1)));
      }
    }
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    if (range != null) {
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
    }
    int length = bytes.length - from;
    ex.sendResponseHeaders(range != null ? 206 : 200, length == 0 ? -1 : length);
    if (length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes, from, length);
      }
    }
  }

  private static void send(HttpExchange ex, Reply reply) throws IOException {
    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }
    ex.close();
  }

  private static Reply badRequest(String message) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode b = n.putObject("badRequest");
    b.put("message", message);
    b.put("code", 400);
    return new Reply(400, n.toString());
  }

  private static Reply ok(JsonNode n) {
    return new Reply(200, n.toString());
  }

  private JsonNode read(String relative) {
    return parse(readText(relative).getBytes(StandardCharsets.UTF_8));
  }

  private String readText(String relative) {
    return texts.computeIfAbsent(relative, r -> {
      try {
        return Files.readString(samples.resolve(r));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
