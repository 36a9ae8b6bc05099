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

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.store.InMemoryStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/images/uploads} on its own (no engine): what it keeps (the verified bytes in
 * the image cache, one PENDING transfer per cloud) and, for every refusal, that it answers a
 * problem document and keeps nothing, no file and no transfer. The transfer carried out to a cloud
 * is tested end to end in csv2-examples ({@code ImageUploadTest}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImageUploadApiTest {
  static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
  static final String HELLO_SHA256 = AuthorizationMatrixTest.HELLO_SHA256;
  static final long LIMIT = 1 << 20;

  @TempDir Path tmp;

  private Fixture fixture(Path cache) {
    String yaml = Fixture.CONFIG + "images: { cache-dir: " + cache + " }\n";
    return new Fixture(new InMemoryStateStore(Clock.systemUTC()),
        b -> b.config(ConfigLoader.parse(yaml, k -> null, "fixture.yaml")).imageUploadLimit(LIMIT));
  }

  private static String path(String image, String sha, long size, String... clouds) {
    StringBuilder p = new StringBuilder("/api/v1/images/uploads?image=" + image + "&sha256=" + sha + "&size=" + size);
    for (String c : clouds) {
      p.append("&cloud=").append(c);
    }
    return p.toString();
  }

  private static HttpResponse<String> upload(Fixture.Client c, String path, String type, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = c.request(path).header("Content-Type", type).header(Auth.CSRF_HEADER, c.csrf);
    return c.http.send(b.POST(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void anUploadIsKeptByItsChecksumAndBecomesOnePendingTransferPerCloud() throws Exception {
    Path cache = tmp.resolve("cache");
    try (Fixture f = fixture(cache)) {
      Fixture.Client root = f.client("root");
      HttpResponse<String> r = upload(root, path("worker-v8", HELLO_SHA256, 5, "cloud-a", "cloud-b") + "&diskFormat=raw",
          "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(HELLO));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      JsonNode made = Http.JSON.readTree(r.body());
      assertThat(made).hasSize(2);
      for (JsonNode t : made) {
        assertThat(t.get("state").asText()).isEqualTo("PENDING");
        assertThat(t.get("sourceUrl").asText()).isEqualTo("csv2-upload:" + HELLO_SHA256);
        assertThat(t.get("sha256").asText()).isEqualTo(HELLO_SHA256);
        assertThat(t.get("size").asLong()).isEqualTo(5);
        assertThat(t.get("diskFormat").asText()).isEqualTo("raw");
        assertThat(t.get("requestedBy").asText()).isEqualTo("root");
      }
      assertThat(f.store.transfers(true, 10)).extracting(t -> t.target().value()).containsExactlyInAnyOrder("cloud-a", "cloud-b");
      assertThat(files(cache)).containsExactly(HELLO_SHA256 + ".img");
      assertThat(Files.readAllBytes(cache.resolve(HELLO_SHA256 + ".img"))).isEqualTo(HELLO);

      // the same image again while it is on its way: refused before its bytes are read
      HttpResponse<String> again = upload(root, path("worker-v8", HELLO_SHA256, 5, "cloud-a"), "application/octet-stream",
          HttpRequest.BodyPublishers.ofByteArray(HELLO));
      assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
      assertThat(again.body()).contains("already on its way to cloud cloud-a");
      assertThat(f.store.transfers(false, 10)).hasSize(2);
    }
  }

  @Test
  void everyRefusalIsAProblemAndKeepsNothing() throws Exception {
    Path cache = tmp.resolve("cache");
    String wrongSha = "0".repeat(64);
    try (Fixture f = fixture(cache)) {
      Fixture.Client root = f.client("root");
      record Case(String path, String type, byte[] body, int status, String says) {}
      List<Case> cases = List.of(
          new Case(path("w", HELLO_SHA256, 5, "cloud-a"), "application/json", HELLO, 415, "application/octet-stream"),
          new Case("/api/v1/images/uploads?image=w&size=5&cloud=cloud-a", "application/octet-stream", HELLO, 400, "sha256 is required"),
          new Case(path("w", "abc", 5, "cloud-a"), "application/octet-stream", HELLO, 400, "64 hex digits"),
          new Case(path("w", HELLO_SHA256, 0, "cloud-a"), "application/octet-stream", HELLO, 400, "at least 1 byte"),
          new Case("/api/v1/images/uploads?image=w&sha256=" + HELLO_SHA256 + "&size=five&cloud=cloud-a", "application/octet-stream", HELLO, 400, "a number of bytes"),
          new Case(path("w", HELLO_SHA256, 5), "application/octet-stream", HELLO, 400, "give 1 to 100 clouds"),
          new Case(path("w", HELLO_SHA256, 5, "nowhere"), "application/octet-stream", HELLO, 404, "nowhere"),
          new Case(path("w", HELLO_SHA256, 5, "Bad%20Cloud"), "application/octet-stream", HELLO, 400, "cloud"),
          new Case(path("w", HELLO_SHA256, 5, "cloud-a") + "&diskFormat=floppy", "application/octet-stream", HELLO, 400, "diskFormat: one of"),
          new Case(path("w", HELLO_SHA256, 5, "cloud-a") + "&containerFormat=ovf", "application/octet-stream", HELLO, 400, "bare containers only"),
          new Case(path("w", HELLO_SHA256, 5, "cloud-a") + "&containerFormat=tar", "application/octet-stream", HELLO, 400, "containerFormat: one of"),
          new Case(path("w", HELLO_SHA256, 6, "cloud-a"), "application/octet-stream", HELLO, 400, "Content-Length is 5"),
          new Case(path("w", HELLO_SHA256, LIMIT + 1, "cloud-a"), "application/octet-stream", HELLO, 413, "at most " + LIMIT + " bytes"),
          new Case(path("w", wrongSha, 5, "cloud-a"), "application/octet-stream", HELLO, 400, "expected 5 bytes and " + wrongSha),
          new Case(path("w%3Cscript%3E", HELLO_SHA256, 5, "cloud-a"), "application/octet-stream", "hellp".getBytes(StandardCharsets.US_ASCII), 400,
              "nothing was kept"));
      for (Case c : cases) {
        HttpResponse<String> r = upload(root, c.path(), c.type(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        assertThat(r.statusCode()).as("%s: %s", c.path(), r.body()).isEqualTo(c.status());
        assertThat(r.headers().firstValue("Content-Type")).as(c.path()).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.CONTENT_TYPE));
        assertThat(r.body()).as(c.path()).contains(c.says()).doesNotContain("<script>").doesNotContain("Exception");
      }
      // a body that does not say its length (chunked) and is longer than announced
      HttpResponse<String> longer = upload(root, path("w", HELLO_SHA256, 5, "cloud-a"), "application/octet-stream",
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("hello, world".getBytes(StandardCharsets.US_ASCII))));
      assertThat(longer.statusCode()).as(longer.body()).isEqualTo(400);
      assertThat(longer.body()).contains("more than the 5 bytes announced");
      // a member, or a token of nobody, may not upload
      HttpResponse<String> member = upload(f.client("alice"), path("w", HELLO_SHA256, 5, "cloud-a"), "application/octet-stream",
          HttpRequest.BodyPublishers.ofByteArray(HELLO));
      assertThat(member.statusCode()).isEqualTo(403);
      assertThat(files(cache)).as("nothing kept in the image cache").isEmpty();
      assertThat(f.store.transfers(false, 10)).as("no transfer stored").isEmpty();
    }
  }

  /**
   * A client that asks {@code Expect: 100-continue} (curl does for large bodies) is answered 413
   * at once and sends none of its body. (The JDK 17 HTTP client waits forever for the 100 that a
   * refusal never sends, so the command line does not ask for it.)
   */
  @Test
  void anOversizedUploadIsRefusedBeforeItsBodyIsSent() throws Exception {
    Path cache = tmp.resolve("cache");
    try (Fixture f = fixture(cache)) {
      String token = token(f);
      long size = 64L << 30;
      try (Socket s = new Socket("127.0.0.1", f.server.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("POST " + path("big", HELLO_SHA256, size, "cloud-a") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size
            + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(answer).as("the first answer, before any byte of the body").isEqualTo("HTTP/1.1 413");
      }
      assertThat(files(cache)).isEmpty();
      assertThat(f.store.transfers(false, 10)).isEmpty();
    }
  }

  /**
   * The same refusal to a client that does not ask for 100-continue (the JDK 17 client, which hangs
   * on a refused 100-continue, so the command line never asks): it still gets the 413, or the
   * connection closed under its body; either way nothing is kept.
   */
  @Test
  void anOversizedUploadWithoutExpectContinueIsRefusedToo() throws Exception {
    Path cache = tmp.resolve("cache");
    try (Fixture f = fixture(cache)) {
      Fixture.Client root = f.client("root");
      byte[] big = new byte[32 << 20];
      String outcome;
      try {
        HttpResponse<String> r = upload(root, path("big", HELLO_SHA256, big.length, "cloud-a"), "application/octet-stream",
            HttpRequest.BodyPublishers.ofByteArray(big));
        outcome = "HTTP " + r.statusCode();
        assertThat(r.body()).contains("at most " + LIMIT + " bytes");
      } catch (IOException e) {
        outcome = "closed: " + e;
      }
      System.out.println("oversized upload without 100-continue: " + outcome);
      assertThat(outcome).matches("HTTP 413|closed: .*");
      assertThat(files(cache)).isEmpty();
    }
  }

  private static String token(Fixture f) throws Exception {
    HttpResponse<String> made = f.client("root").send("POST", "/api/v1/me/tokens", "{\"label\":\"upload\",\"days\":1}");
    return Http.JSON.readTree(made.body()).get("token").asText();
  }

  @Test
  void aConnectionDroppedMidUploadLeavesNothing() throws Exception {
    Path cache = tmp.resolve("cache");
    try (Fixture f = fixture(cache)) {
      String token = token(f);
      long size = 900L << 10;
      try (Socket s = new Socket("127.0.0.1", f.server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path("w", HELLO_SHA256, size, "cloud-a") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[300 << 10]);
        out.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (files(cache).stream().noneMatch(n -> n.endsWith(".part")) && System.nanoTime() < deadline) {
          Thread.sleep(20); // the server is receiving: its part file is there
        }
        assertThat(files(cache)).as("the part file while the bytes come").anyMatch(n -> n.endsWith(".part"));
      } // dropped after 300 of 900 KiB
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!files(cache).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(files(cache)).as("nothing kept after the dropped connection").isEmpty();
      assertThat(f.store.transfers(false, 10)).as("no transfer stored").isEmpty();
    }
  }
}
