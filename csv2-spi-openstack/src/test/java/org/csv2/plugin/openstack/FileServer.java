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

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A plain HTTP server on 127.0.0.1 serving byte arrays, for Glance's web-download import. */
final class FileServer implements AutoCloseable {
  private final HttpServer http;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  FileServer() {
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.createContext("/", ex -> {
      try (ex) {
        byte[] b = files.get(ex.getRequestURI().getPath());
        if (b == null) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(b);
        }
      }
    });
    http.start();
  }

  /** Serves the bytes at a new URL. */
  URI serve(byte[] content) {
    String path = "/" + UUID.randomUUID() + ".img";
    files.put(path, content.clone());
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
