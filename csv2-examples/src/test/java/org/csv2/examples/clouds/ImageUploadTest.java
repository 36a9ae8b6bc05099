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
package org.csv2.examples.clouds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.plugin.openstack.OpenStackSampleServer;
import org.csv2.server.Csv2Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload from a file, end to end: a real csv2 server with its engine in process, one OpenStack
 * cloud ({@link OpenStackSampleServer}, whose Glance keeps an upload's size and MD5). A sparse
 * file of 300 MiB is streamed to {@code POST /api/v1/images/uploads}; the server keeps it in the
 * engine's image cache, the engine's transfer service sends it to Glance, and the image there has
 * the file's size and MD5. An upload with a wrong checksum leaves nothing: no cache file, no
 * transfer, no Glance image. (Refusals and a dropped connection: csv2-server's ImageUploadApiTest.)
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ImageUploadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final String PASSWORD = "image-upload-admin";
  private static final long SIZE = 300L << 20;

  @TempDir Path tmp;

  @Test
  void aFileUploadedToTheServerReachesTheCloudWithItsChecksum() throws Exception {
    Path file = tmp.resolve("worker.qcow2");
    String[] sums = sparseImage(file);
    Path cache = tmp.resolve("cache");
    try (OpenStackSampleServer os = new OpenStackSampleServer().start()) {
      InMemoryStateStore store = new InMemoryStateStore(Clock.systemUTC());
      String yaml = yaml(os, cache);
      try (Scheduler engine = Csv2Scheduler.builder().configYaml(yaml).addStateStoreProvider(EngineRun.memoryStore(store)).build();
          Csv2Server server = Csv2Server.builder().store(store).scheduler(engine)
              .config(ConfigLoader.parse(yaml, k -> null, "upload.yaml")).port(0).bcryptCost(4).initialAdmin("admin", PASSWORD)
              .build().start()) {
        engine.runOnce(); // stores the configuration the transfers are checked against
        String token = adminToken(server.uri());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // a wrong checksum: refused once the bytes are in, nothing kept anywhere
        HttpResponse<String> wrong = http.send(upload(server.uri(), token, "wrong", "0".repeat(64), 5, "hello".getBytes(StandardCharsets.US_ASCII)),
            HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
        assertThat(wrong.body()).contains("nothing was kept");
        assertThat(files(cache)).isEmpty();
        assertThat(store.transfers(false, 10)).isEmpty();

        List<java.lang.management.MemoryPoolMXBean> heap = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).toList();
        System.gc();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(uri(server.uri(), "worker-up", sums[0], SIZE)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").version(HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
            HttpResponse.BodyHandlers.ofString());
        double upload = (System.nanoTime() - t0) / 1e9;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode asked = JSON.readTree(r.body());
        assertThat(asked).hasSize(1);
        long id = asked.get(0).get("id").asLong();
        assertThat(files(cache)).containsExactly(sums[0] + ".img");

        ImageTransfer t = store.transfer(id).orElseThrow();
        for (int cycle = 0; cycle < 600 && t.state().active(); cycle++) {
          engine.runOnce();
          Thread.sleep(200); // the transfer runs on the service's own thread, in real time
          t = store.transfer(id).orElseThrow();
        }
        double total = (System.nanoTime() - t0) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        // printed, not asserted: the pools' peak counts the garbage of the JDK client's, Jetty's and the
        // sample server's per-chunk buffers too (about 200 MiB here), which no GC had to collect yet
        System.out.printf(Locale.ROOT, "image upload: %d MiB to the server in %.1f s, on the cloud after %.1f s, heap growth %d MiB%n",
            SIZE >> 20, upload, total, (peak - before) >> 20);
        assertThat(t.state()).as(t.message()).isEqualTo(ImageTransfer.State.DONE);
        JsonNode glance = os.images().get(t.targetImageId());
        assertThat(glance).as("the image on Glance").isNotNull();
        assertThat(glance.path("name").asText()).isEqualTo("worker-up");
        assertThat(glance.path("status").asText()).isEqualTo("active");
        assertThat(glance.path("size").asLong()).isEqualTo(SIZE);
        assertThat(glance.path("checksum").asText()).as("Glance's MD5 of what arrived").isEqualTo(sums[1]);
        assertThat(os.images().values()).as("images of that name on the cloud")
            .filteredOn(i -> i.path("name").asText().equals("worker-up")).hasSize(1);
        assertThat(os.images().values()).filteredOn(i -> i.path("name").asText().equals("wrong")).isEmpty();
      }
    }
  }

  /** A sparse file of {@link #SIZE} bytes, random at both ends; its SHA-256 and MD5. */
  private static String[] sparseImage(Path file) throws Exception {
    Random random = new Random(17);
    byte[] ends = new byte[1 << 20];
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(SIZE);
      random.nextBytes(ends);
      f.write(ends);
      f.seek(SIZE - ends.length);
      random.nextBytes(ends);
      f.write(ends);
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        sha.update(buf, 0, n);
        md5.update(buf, 0, n);
      }
    }
    return new String[] {HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest())};
  }

  private static URI uri(URI server, String image, String sha, long size) {
    return server.resolve("/api/v1/images/uploads?image=" + image + "&sha256=" + sha + "&size=" + size + "&cloud=sample-os");
  }

  private static HttpRequest upload(URI server, String token, String image, String sha, long size, byte[] body) {
    return HttpRequest.newBuilder(uri(server, image, sha, size)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static List<String> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String yaml(OpenStackSampleServer os, Path cache) {
    return """
        engine: { instance-id: upload1 }
        groups:
          - name: atlas
        clouds:
          - name: sample-os
            driver: openstack
            config:
              auth-url: "%s"
              region: RegionOne
              project: %s
              user: %s
              password: "%s"
              connect-timeout: 2s
              read-timeout: 30s
        allocations:
          - { group: atlas, cloud: sample-os }
        job-source: { driver: simulated }
        state-store: { driver: memory }
        images: { cache-dir: "%s" }
        """.formatted(os.authUrl(), OpenStackSampleServer.PROJECT, OpenStackSampleServer.USER, OpenStackSampleServer.PASSWORD, cache);
  }

  /** Signs in as the admin through the sign-in form and makes an API token. */
  private static String adminToken(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    String login = http.send(HttpRequest.newBuilder(uri.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
    String form = "_csrf=" + csrf(login) + "&name=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&next=/settings";
    http.send(HttpRequest.newBuilder(uri.resolve("/login")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    String settings = http.send(HttpRequest.newBuilder(uri.resolve("/settings")).build(), HttpResponse.BodyHandlers.ofString()).body();
    HttpResponse<String> t = http.send(
        HttpRequest.newBuilder(uri.resolve("/api/v1/me/tokens")).header("Content-Type", "application/json")
            .header("X-CSRF-Token", csrf(settings)).POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"upload\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(t.statusCode()).as(t.body()).isEqualTo(201);
    return JSON.readTree(t.body()).path("token").asText();
  }

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token in the page: " + html);
    }
    return m.group(1);
  }
}
