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
package org.csv2.plugin.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local EC2 endpoint on 127.0.0.1 that answers each Query API action with a scripted XML body
 * (the real samples of {@code ../shared/data/ec2-samples}, or error bodies written by the tests),
 * and records every request's form parameters.
 */
final class Ec2ReplayServer implements AutoCloseable {
  /** A scripted answer. */
  record Reply(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final Map<String, java.util.Queue<Reply>> once = new ConcurrentHashMap<>();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

  Ec2ReplayServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** The shared real test data, as surefire points to it. */
  static Path sharedData() {
    String dir = System.getProperty("csv2.shared.data");
    Path path = dir != null ? Path.of(dir) : Path.of("..", "..", "shared", "data");
    if (!Files.isDirectory(path)) {
      throw new AssertionError("shared test data not found at " + path.toAbsolutePath()
          + " (set -Dcsv2.shared.data=/work/shared/data)");
    }
    return path;
  }

  static String sample(String relative) {
    try {
      return Files.readString(sharedData().resolve("ec2-samples").resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
        + "</Code><Message>" + message + "</Message></Error></Errors>"
        + "<RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>";
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Ec2ReplayServer answer(String action, String body) {
    return answer(action, 200, body);
  }

  Ec2ReplayServer answer(String action, int status, String body) {
    replies.put(action, new Reply(status, body));
    return this;
  }

  /** Answers the next request of an action with this, before the standing answer. */
  Ec2ReplayServer answerOnce(String action, int status, String body) {
    once.computeIfAbsent(action, a -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(new Reply(status, body));
    return this;
  }

  /** Every request of an action, as form parameters, in order. */
  List<Map<String, String>> requests(String action) {
    List<Map<String, String>> of = new ArrayList<>();
    for (Map<String, String> r : requests) {
      if (action.equals(r.get("Action"))) {
        of.add(r);
      }
    }
    return of;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        form.put(key, value);
      }
      requests.add(form);
      String action = form.getOrDefault("Action", "");
      java.util.Queue<Reply> queued = once.get(action);
      Reply reply = queued == null ? null : queued.poll();
      if (reply == null) {
        reply = replies.get(action);
      }
      if (reply == null) {
        reply = new Reply(400, error("InvalidAction", "no scripted answer for " + form.get("Action")));
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
