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
package org.csv2.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.Set;
import org.csv2.api.StateStoreException;
import org.csv2.model.GroupName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing shared by the API and the pages: JSON, problem documents, who is asking, CSRF,
 * health and metrics endpoints.
 */
final class Http {
  /** The largest request body accepted (JSON or form). */
  static final long MAX_BODY = 256 * 1024;

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new NamesModule())
          // Resources.isZero() is derived, not a field: written, it could not be read back (csv2 group update)
          .addMixIn(org.csv2.model.Resources.class, NoZero.class)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Leaves the derived {@code zero} of {@link org.csv2.model.Resources} out of the JSON. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"zero"})
  private interface NoZero {}

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(64 * 1024).maxNumberLength(32).build());
  }

  private static final Logger log = LoggerFactory.getLogger(Http.class);
  private static final String PRINCIPAL = "csv2.principal";
  private static final Set<HandlerType> CHANGES = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  private Http() {}

  static void install(
      Javalin app, Auth auth, World world, ServerMetrics metrics, Set<GroupName> publicGroups, boolean publicMetrics) {
    app.before(
        ctx -> {
          ctx.header("X-Content-Type-Options", "nosniff");
          ctx.header("X-Frame-Options", "DENY");
          ctx.header("Referrer-Policy", "same-origin");
          ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
          if (CHANGES.contains(ctx.method())) {
            // the sign-in form checks its own (pre-session) CSRF token
            if (!ctx.path().equals("/login")) {
              auth.checkCsrf(ctx, principal(ctx, auth));
            }
          }
        });
    app.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
    app.get(
        "/readyz",
        ctx -> {
          String why = world.notReady();
          if (why == null) {
            ctx.contentType("text/plain").result("ready\n");
          } else {
            ctx.status(503).contentType("text/plain").result("not ready: " + why + "\n");
          }
        });
    app.get(
        "/metrics",
        ctx -> {
          if (!publicMetrics) {
            principal(ctx, auth).requireAdmin();
          }
          String text = metrics.scrape();
          if (text == null) {
            throw ApiException.notFound("/metrics (the embedder's meter registry is not a Prometheus one)");
          }
          ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(text);
        });
    Api.install(app, auth, world);
    OpsApi.install(app, auth, world);
    ReservationApi.install(app, auth, world);
    AccountingApi.install(app, auth, world);
    ImageApi.install(app, auth, world);
    Pages.install(app, auth, world, publicGroups);
    OpsPages.install(app, auth, world);
    ReservationPages.install(app, auth, world);
    ImagePages.install(app, auth, world);
    app.exception(ApiException.class, (e, ctx) -> problem(ctx, e.status(), e.title(), e.getMessage()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> problem(ctx, e.getStatus(), statusTitle(e.getStatus()), e.getStatus() == 413 ? "the request body is larger than " + MAX_BODY + " bytes" : null));
    app.exception(
        org.csv2.api.ops.OperationException.class,
        (e, ctx) -> {
          if (e.reason() == org.csv2.api.ops.OperationException.Reason.NOT_FOUND) {
            problem(ctx, 404, "Not found", bounded2k(e.getMessage()));
          } else {
            problem(ctx, 409, "Conflict", bounded2k(e.getMessage()));
          }
        });
    app.exception(
        org.csv2.api.ConfigurationException.class,
        (e, ctx) -> problem(ctx, 400, "Invalid configuration", bounded2k(e.getMessage())));
    app.exception(
        StateStoreException.class,
        (e, ctx) -> {
          if (e.reason() == StateStoreException.Reason.CONFLICT) {
            boolean precondition = ctx.header("If-Match") != null;
            problem(ctx, precondition ? 412 : 409, precondition ? "Precondition failed" : "Conflict",
                "somebody changed it first: read it again (new ETag) and reapply the change");
          } else {
            log.warn("request {} {}: state store failed: {}", ctx.method(), ctx.path(), e.getMessage());
            problem(ctx, 503, "Service unavailable", "the state store cannot be reached; try again later");
          }
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("request {} {} failed", ctx.method(), ctx.path(), e);
          problem(ctx, 500, "Internal server error", "the server failed; the log says why");
        });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint")) {
        problem(ctx, 404, "Not found", "no such page or endpoint");
      }
    });
    app.error(405, ctx -> problem(ctx, 405, "Method not allowed", null));
  }

  /** The principal of a request, found once and kept on the context. */
  static Principal principal(Context ctx, Auth auth) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      p = auth.principal(ctx);
      ctx.attribute(PRINCIPAL, p);
    }
    return p;
  }

  static void problem(Context ctx, int status, String title, String detail) {
    ctx.status(status);
    if (wantsHtml(ctx)) {
      Pages.error(ctx, status, title, detail);
      return;
    }
    try {
      ctx.contentType(Problem.CONTENT_TYPE)
          .result(JSON.writeValueAsString(new Problem("about:blank", title, status, detail, ctx.path())));
    } catch (JsonProcessingException e) {
      ctx.result("{}");
    }
  }

  /** Pages get HTML errors; the API, metrics and anything asking for JSON get problem documents. */
  private static boolean wantsHtml(Context ctx) {
    String path = ctx.path();
    if (path.startsWith("/api/") || path.equals("/metrics")) {
      return false;
    }
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/html");
  }

  static String statusTitle(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 409 -> "Conflict";
      case 413 -> "Content too large";
      case 415 -> "Unsupported media type";
      case 429 -> "Too many requests";
      default -> status >= 500 ? "Server error" : "Error";
    };
  }

  /** Reads a JSON body into a record: 415 unless JSON, 400 naming the field for anything malformed. */
  static <T> T body(Context ctx, Class<T> type) {
    String ct = ctx.contentType();
    if (ct == null || !(ct.startsWith("application/json") || ct.startsWith("application/merge-patch+json"))) {
      throw new ApiException(415, "Unsupported media type", "send the body as application/json");
    }
    String text = ctx.body();
    try {
      com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(text);
      if (tree != null && tree.isObject() && type.isRecord()) {
        // unknown fields are named before the record's own checks run
        java.util.Set<String> known = new java.util.HashSet<>();
        for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
          known.add(c.getName());
        }
        for (java.util.Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (!known.contains(name)) {
            throw ApiException.badRequest("unknown field '" + bounded(name) + "'");
          }
        }
      }
      T value = tree == null || tree.isMissingNode() ? null : JSON.treeToValue(tree, type);
      if (value == null) {
        throw ApiException.badRequest("the body must be a JSON object");
      }
      return value;
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      throw ApiException.badRequest("unknown field '" + bounded(e.getPropertyName()) + "'");
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApiException a) {
        throw a;
      }
      if (cause instanceof IllegalArgumentException iae) {
        throw ApiException.badRequest(bounded(iae.getMessage()));
      }
      throw ApiException.badRequest("the JSON does not match: " + path(e));
    } catch (JsonProcessingException e) {
      if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
        throw ApiException.badRequest("the JSON is nested too deep or has too long a value");
      }
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw ApiException.badRequest(
          at == null ? "malformed JSON" : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
  }

  private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(bounded(r.getFieldName()));
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "the body has the wrong shape" : "field '" + b + "' has the wrong type or is missing";
  }

  /** A message of the engine's own (validation errors), cut to a size a page can show. */
  static String bounded2k(String text) {
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }

  /** A caller's text quoted back in a message: bounded, printable only. */
  static String bounded(String text) {
    if (text == null) {
      return "";
    }
    String t = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return t.replaceAll("[^\\p{Print}]", "?");
  }

  /**
   * An answer shared by readers who see the same ({@link World#recently}): its JSON written once,
   * the strong ETag of those bytes, and the link to the next page of a list (or null). A request
   * copies the bytes, or answers 304 when its If-None-Match names the ETag.
   */
  record Shared(byte[] body, String etag, @org.jspecify.annotations.Nullable String next) {
    static Shared of(Object value, @org.jspecify.annotations.Nullable String next) {
      byte[] body;
      try {
        body = JSON.writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
      byte[] digest;
      try {
        digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
      String tag = "\"" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 18)) + "\"";
      return new Shared(body, tag, next);
    }
  }

  /** Sends a shared answer: its ETag, its next link, and its bytes, or 304 when the caller has them. */
  static void shared(Context ctx, Shared a) {
    ctx.header("ETag", a.etag());
    ctx.header("Cache-Control", "private, no-cache");
    if (a.next() != null) {
      ctx.header("Link", "<" + a.next() + ">; rel=\"next\"");
    }
    if (notModified(ctx.header("If-None-Match"), a.etag())) {
      ctx.status(304);
      return;
    }
    ctx.contentType("application/json").result(a.body());
  }

  /** Whether an If-None-Match header names this ETag (or is {@code *}); weak comparison (RFC 9110 13.1.2). */
  static boolean notModified(@org.jspecify.annotations.Nullable String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.length() > 4096) {
      return false;
    }
    for (String t : ifNoneMatch.split(",")) {
      String tag = t.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  static void json(Context ctx, Object value) {
    try {
      ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
