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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Pattern;
import org.csv2.api.CloudException;
import org.jspecify.annotations.Nullable;
import org.openstack4j.core.transport.HttpResponse;
import org.openstack4j.openstack.compute.internal.BaseComputeServices;
import org.openstack4j.openstack.image.v2.internal.BaseImageServices;

/**
 * The driver's {@code DELETE}s (a server, an image, a key pair), sent through OpenStack4j's
 * transport (its endpoint lookup, token and one re-authentication on 401) but with the reply's
 * status read here.
 *
 * <p>Why not OpenStack4j's own {@code delete()}: it returns an {@code ActionResponse} that is
 * wrong for the replies that matter most at scale. Nova's {@code servers().delete} calls 429,
 * 502, 503 and 504 a success (a rate limiter or an overloaded API would make csv2 forget servers
 * that still run and cost) and turns a 500 without a JSON body into a 409 "Instance currently is
 * in build state"; Glance's and the key pairs' fail on an HTML body sent as JSON. Here every
 * status is mapped by {@link OpenStackErrors#byStatus} like every other call: 2xx deleted, 404
 * already gone, anything else a {@link Refusal} carrying OpenStack's message, or the text of an
 * HTML error page (as proxies and load balancers send), and {@code Retry-After} when given.
 *
 * <p>Thread safety: safe; each call binds its own client (see {@link OpenStackSession}).
 */
final class NovaDelete {
  /** What a reply body is read up to; error bodies are short, a proxy's page may not be. */
  private static final int MAX_BODY = 8192;

  private static final int MAX_MESSAGE = 300;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SCRIPT_OR_STYLE =
      Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
  private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  /** Where the resource lives. */
  enum Service {
    /** Nova ({@code /servers/{id}}, {@code /os-keypairs/{name}}). */
    COMPUTE,
    /** Glance v2 ({@code /images/{id}}). */
    IMAGE
  }

  /**
   * A delete the cloud refused.
   *
   * @param status the HTTP status
   * @param error the mapped failure
   */
  record Refusal(int status, CloudException error) {}

  private final OpenStackSession session;
  private final OpenStackErrors errors;

  NovaDelete(OpenStackSession session, OpenStackErrors errors) {
    this.session = session;
    this.errors = errors;
  }

  /**
   * Deletes one resource.
   *
   * @param action what is being done, for messages ({@code terminating server ...})
   * @param service the service the path belongs to
   * @param pathTemplate the path below the service's endpoint, with one {@code %s}
   * @param id the resource's id or name, put into the path
   * @return null when it is deleted or was already gone (404); otherwise the refusal
   * @throws CloudException when there was no reply (connection failed, timed out)
   */
  @Nullable Refusal delete(String action, Service service, String pathTemplate, String id) {
    return session.call(
        action,
        os -> {
          HttpResponse r =
              service == Service.COMPUTE
                  ? new Compute().send(pathTemplate, id)
                  : new Image().send(pathTemplate, id);
          try {
            return refusal(action, r);
          } finally {
            close(r);
          }
        });
  }

  private @Nullable Refusal refusal(String action, HttpResponse r) {
    int status = r.getStatus();
    if ((status >= 200 && status < 300) || status == 404) {
      return null;
    }
    String said = message(r);
    String retryAfter = r.header("Retry-After");
    if (retryAfter != null && !retryAfter.isBlank()) {
      said = said + " (Retry-After: " + clip(retryAfter.strip(), 40) + ")";
    }
    return new Refusal(status, errors.byStatus(action, status, said, null));
  }

  /** OpenStack's message from a JSON error body, the text of an HTML page, or the status line. */
  private static String message(HttpResponse r) {
    String body = body(r);
    String statusLine = r.getStatusMessage() == null ? "" : r.getStatusMessage().strip();
    if (body.isBlank()) {
      return statusLine.isEmpty() ? "(no message)" : statusLine;
    }
    String trimmed = body.strip();
    if (trimmed.startsWith("{")) {
      try {
        String m = jsonMessage(JSON.readTree(trimmed));
        if (m != null) {
          return clip(m, MAX_MESSAGE);
        }
      } catch (IOException e) {
        // not JSON after all (a truncated body, or a page that starts with a brace): read as text
      }
    }
    String type = r.getContentType() == null ? "" : r.getContentType().toLowerCase(Locale.ROOT);
    String text = trimmed;
    if (type.contains("html") || trimmed.startsWith("<")) {
      text = SCRIPT_OR_STYLE.matcher(text).replaceAll(" ");
      text = TAG.matcher(text).replaceAll(" ");
      text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
          .replace("&#39;", "'").replace("&amp;", "&");
      text = "an HTML page (not OpenStack's reply; a proxy or load balancer?): " + SPACE.matcher(text).replaceAll(" ").strip();
    } else {
      text = SPACE.matcher(text).replaceAll(" ");
    }
    return clip(text, MAX_MESSAGE);
  }

  /** {@code {"message": ...}}, or one level down as Nova nests it ({@code {"computeFault": {...}}}). */
  private static @Nullable String jsonMessage(JsonNode n) {
    if (n.path("message").isTextual()) {
      return n.path("message").asText();
    }
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      JsonNode child = it.next();
      if (child.path("message").isTextual()) {
        return child.path("message").asText();
      }
      if (child.path("title").isTextual()) { // Glance's and Keystone's {"error": {"title": ...}}
        return child.path("title").asText();
      }
    }
    return null;
  }

  private static String body(HttpResponse r) {
    try {
      InputStream in = r.getInputStream();
      if (in == null) {
        return "";
      }
      byte[] b = in.readNBytes(MAX_BODY);
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void close(HttpResponse r) {
    try {
      r.close();
    } catch (IOException | RuntimeException e) {
      // nothing more to read from it
    }
  }

  private static String clip(String s, int max) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), max + 3));
    for (int i = 0; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return s.length() > max ? out + "..." : out.toString();
  }

  /** Nova's endpoint, with OpenStack4j's transport. */
  private static final class Compute extends BaseComputeServices {
    HttpResponse send(String template, String id) {
      return deleteWithResponse(uri(template, id)).executeWithResponse();
    }
  }

  /** Glance v2's endpoint (OpenStack4j adds {@code /v2} when the catalog's URL lacks it). */
  private static final class Image extends BaseImageServices {
    HttpResponse send(String template, String id) {
      return deleteWithResponse(uri(template, id)).executeWithResponse();
    }
  }
}
