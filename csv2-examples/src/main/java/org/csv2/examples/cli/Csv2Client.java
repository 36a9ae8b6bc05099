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
package org.csv2.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The command line's client of the csv2 server's REST API ({@code /api/v1}, docs/server.md): JSON
 * in and out with a bearer token, and every failure turned into a {@link CliException} that names
 * the object and what to do. The JDK's {@link HttpClient} and Jackson: nothing else.
 *
 * <p><b>Thread safety:</b> safe for concurrent use.
 */
public final class Csv2Client {
  /** Longest answer body shown in a message. */
  private static final int MAX_DETAIL = 500;
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final @Nullable String token;
  private final String profile;
  private final Duration timeout;

  /**
   * A client.
   *
   * @param serverUrl the server's URL, e.g. {@code http://127.0.0.1:8080}
   * @param token the API token ({@code csv2_<id>_<secret>}), or null to ask anonymously
   * @param profile the profile these come from, named in messages
   */
  public Csv2Client(String serverUrl, @Nullable String token, String profile) {
    this.base = baseUri(serverUrl);
    this.token = token;
    this.profile = profile;
    this.timeout = Duration.ofSeconds(30);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  static URI baseUri(String serverUrl) {
    String u = serverUrl.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--server-url: '" + bounded(serverUrl) + "' is not a URL (give e.g. http://127.0.0.1:8080)");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw CliException.usage("--server-url: '" + bounded(serverUrl) + "' is not an http(s) URL (give e.g. http://127.0.0.1:8080)");
    }
    return uri;
  }

  /**
   * The server's URL.
   *
   * @return the URL without a trailing slash
   */
  public URI serverUrl() {
    return base;
  }

  /** An answer: status, ETag, body, and the next page of a paged list (its Link rel="next", or null). */
  public record Response(int status, @Nullable String etag, String body, @Nullable String next) {
    /**
     * An answer that is not a page of a list.
     *
     * @param status the HTTP status
     * @param etag the ETag, or null
     * @param body the body
     */
    public Response(int status, @Nullable String etag, String body) {
      this(status, etag, body, null);
    }

    /**
     * The body as JSON.
     *
     * @return the JSON tree, or a missing node for an empty body
     */
    public JsonNode json() {
      if (body.isBlank()) {
        return MissingNode.getInstance();
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw CliException.failed("the server answered something that is not JSON: " + bounded(body));
      }
    }
  }

  /**
   * GET under /api/v1.
   *
   * @param path the path after /api/v1, with its query
   * @param what the object asked for, named in messages ("VMs", "cloud arbutus")
   * @return the answer (2xx)
   */
  public Response get(String path, String what) {
    return send("GET", path, null, null, what);
  }

  /**
   * GET every page of a paged list (its answers' {@code Link: <...>; rel="next"}, docs/server.md)
   * as one JSON array.
   *
   * @param path the path after /api/v1, with its query
   * @param what the objects asked for, named in messages
   * @return every element of every page, in the server's order
   */
  public ArrayNode getAll(String path, String what) {
    ArrayNode all = JSON.createArrayNode();
    String next = path;
    for (int pages = 0; next != null; pages++) {
      if (pages == 100_000) {
        throw CliException.failed(what + ": the server's list did not end after " + pages + " pages");
      }
      Response r = get(next, what);
      JsonNode page = r.json();
      if (!page.isArray()) {
        throw CliException.failed(what + ": the server answered something that is not a list: " + bounded(r.body()));
      }
      all.addAll((ArrayNode) page);
      next = r.next();
    }
    return all;
  }

  /**
   * The target of a {@code Link} header's {@code rel="next"}, as a path after /api/v1, or null.
   *
   * @param link the header's value, or null
   * @return the path and query of the next page, or null when there is none
   */
  static @Nullable String nextOf(@Nullable String link) {
    if (link == null) {
      return null;
    }
    for (String part : link.split(",")) {
      int lt = part.indexOf('<');
      int gt = part.indexOf('>');
      if (lt >= 0 && gt > lt && part.substring(gt).replace(" ", "").contains("rel=\"next\"")) {
        String target = part.substring(lt + 1, gt);
        int api = target.indexOf("/api/v1/");
        return api < 0 ? null : target.substring(api + "/api/v1".length());
      }
    }
    return null;
  }

  /**
   * POST a JSON body (or none).
   *
   * @param path the path after /api/v1
   * @param body an object Jackson writes, or null for no body
   * @param ifMatch the ETag to send as If-Match, or null
   * @param what the object acted on, named in messages
   * @return the answer (2xx)
   */
  public Response post(String path, @Nullable Object body, @Nullable String ifMatch, String what) {
    return send("POST", path, body, ifMatch, what);
  }

  /**
   * POSTs a file as the body ({@code application/octet-stream}), streamed from disk by the JDK's
   * {@code BodyPublishers.ofFile}, never read whole. No answer timeout: the server answers when the
   * last byte has arrived and been verified.
   *
   * @param path the path after /api/v1, with its query
   * @param file the file
   * @param what the object sent, named in messages
   * @return the answer (2xx)
   */
  public Response upload(String path, java.nio.file.Path file, String what) {
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (java.io.FileNotFoundException e) {
      throw CliException.usage("--file: " + file + " cannot be read");
    }
    return exchange(request(path, null).version(java.net.http.HttpClient.Version.HTTP_1_1)
        .header("Content-Type", "application/octet-stream").POST(body), what, false);
  }

  /**
   * PUT a JSON body.
   *
   * @param path the path after /api/v1
   * @param body an object Jackson writes
   * @param ifMatch the ETag to send as If-Match, or null
   * @param what the object changed, named in messages
   * @return the answer (2xx)
   */
  public Response put(String path, Object body, @Nullable String ifMatch, String what) {
    return send("PUT", path, body, ifMatch, what);
  }

  /**
   * PATCH a JSON body.
   *
   * @param path the path after /api/v1
   * @param body an object Jackson writes
   * @param what the object changed, named in messages
   * @return the answer (2xx)
   */
  public Response patch(String path, Object body, String what) {
    return send("PATCH", path, body, null, what);
  }

  /**
   * DELETE.
   *
   * @param path the path after /api/v1
   * @param ifMatch the ETag to send as If-Match, or null
   * @param what the object deleted, named in messages
   * @return the answer (2xx)
   */
  public Response delete(String path, @Nullable String ifMatch, String what) {
    return send("DELETE", path, null, ifMatch, what);
  }

  /**
   * The current version of the stored configuration (the ETag every configuration change sends
   * back as If-Match).
   *
   * @return the ETag
   */
  public String configVersion() {
    Response r = get("/allocations", "the configuration's version");
    if (r.etag() == null) {
      throw CliException.failed("the server sent no version (ETag) with the configuration: is it a csv2 server?");
    }
    return r.etag();
  }

  private Response send(String method, String path, @Nullable Object body, @Nullable String ifMatch, String what) {
    HttpRequest.Builder b = request(path, ifMatch).timeout(timeout);
    if (body != null) {
      try {
        b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return exchange(b, what, true);
  }

  private HttpRequest.Builder request(String path, @Nullable String ifMatch) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
            .header("Accept", "application/json")
            .header("User-Agent", "csv2-cli");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return b;
  }

  private Response exchange(HttpRequest.Builder b, String what, boolean timed) {
    HttpResponse<String> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable();
    } catch (HttpTimeoutException e) {
      throw CliException.unavailable(
          "the csv2 server at " + base + " did not answer within " + timeout.toSeconds() + " s (" + what + "): try again, or look at the server's log");
    } catch (IOException e) {
      if (!timed) {
        // a server that refuses a large body before reading it closes the connection under it
        throw CliException.unavailable("the csv2 server at " + base + " closed the connection while " + what + " was sent ("
            + e.getMessage() + "): it may have refused it (too large for its limit?); see the server's log");
      }
      throw unreachable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
    Response r = new Response(res.statusCode(), res.headers().firstValue("ETag").orElse(null), res.body(), nextOf(res.headers().firstValue("Link").orElse(null)));
    if (r.status() >= 200 && r.status() < 300) {
      return r;
    }
    throw refusal(r, what);
  }

  private CliException unreachable() {
    return CliException.unavailable(
        "cannot reach the csv2 server at " + base + " (profile '" + profile + "'): is it running?"
            + " Start one with 'csv2 serve', or point the profile at another: csv2 defaults set -s " + profile + " --server-url URL");
  }

  /** The operator's message for a refused request. */
  CliException refusal(Response r, String what) {
    String detail = problemDetail(r);
    return switch (r.status()) {
      case 401 -> CliException.failed(
          "the csv2 server at " + base + " refused the token of profile '" + profile + "' (expired, revoked or never set):"
              + " make a new one under My settings (or 'csv2 my token create') and store it with"
              + " csv2 defaults set -s " + profile + " --token-file FILE");
      case 403 -> CliException.failed(what + ": not allowed: " + detail);
      case 404 -> CliException.failed(what + ": not found (or not visible to you): " + detail);
      case 409 -> CliException.failed(what + ": refused, it conflicts with the current state: " + detail);
      case 412 -> CliException.failed(
          what + ": someone changed it since this command read it (stale version): run the command again to apply it to the current version");
      case 429 -> CliException.failed(what + ": the server asks to slow down: " + detail);
      case 400, 422 -> CliException.failed(what + ": the server refused the request: " + detail);
      default -> r.status() >= 500
          ? CliException.unavailable(what + ": the server failed (HTTP " + r.status() + "): " + detail + "; try again later, or look at the server's log")
          : CliException.failed(what + ": HTTP " + r.status() + ": " + detail);
    };
  }

  /** The problem document's title and detail, or the bounded body when it is none. */
  static String problemDetail(Response r) {
    try {
      JsonNode n = JSON.readTree(r.body());
      if (n != null && n.isObject() && (n.has("title") || n.has("detail"))) {
        String title = n.path("title").asText("");
        String detail = n.path("detail").asText("");
        String s = detail.isEmpty() ? title : detail;
        return bounded(s);
      }
    } catch (IOException e) {
      // not a problem document: show the body itself
    }
    return r.body().isBlank() ? "(no detail)" : bounded(r.body().strip());
  }

  /**
   * A query string of the non-null parameters, encoded.
   *
   * @param params name, value, name, value, ...
   * @return {@code ""} or {@code ?a=b&c=d}
   */
  public static String query(@Nullable String... params) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < params.length; i += 2) {
      if (params[i + 1] != null && !params[i + 1].isEmpty()) {
        m.put(params[i], params[i + 1]);
      }
    }
    if (m.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    m.forEach((k, v) -> j.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }

  /**
   * A path segment, encoded.
   *
   * @param s the raw name
   * @return the encoded segment
   */
  public static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String bounded(String s) {
    String t = s.replaceAll("[\\p{Cntrl}&&[^\\n]]", "?");
    return t.length() <= MAX_DETAIL ? t : t.substring(0, MAX_DETAIL) + "...";
  }
}
