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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csv2.api.CloudException;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Glance side of the OpenStack driver against the sample server's image state: what is left
 * on the cloud after failures, the streamed upload of an image larger than anything buffered, the
 * import methods a cloud offers, and visibility.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GlanceImagesTest {
  private static OpenStackSampleServer server;
  private CloudDriver driver;

  @BeforeAll
  static void startServer() {
    server = new OpenStackSampleServer().start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void open() {
    server.reset();
    driver = new OpenStackCloudDriverProvider()
        .create(TestPluginConfig.of(SampleConfigs.password(server), "clouds[0].config"),
            new TestPluginContext(Clock.systemUTC(), "engine1", "sample-cloud"));
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void aConnectionDroppedByGlanceMidwayLeavesNoSavingImage() {
    byte[] bytes = bytes(3 * 1024 * 1024);
    server.dropNextUploadAfter(1024 * 1024);
    assertThatThrownBy(() -> driver.uploadImage(ImageUpload.of("dropped", "qcow2", sha256(bytes), bytes.length), new ByteArrayInputStream(bytes)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.UNAVAILABLE));
    assertThat(server.imageStates()).as("images on the cloud after the drop").noneMatch(s -> s.startsWith("dropped="));
    Image again = driver.uploadImage(ImageUpload.of("dropped", "qcow2", sha256(bytes), bytes.length), new ByteArrayInputStream(bytes));
    assertThat(server.imageStates()).contains("dropped=active");
    assertThat(server.images().get(again.id()).path("size").asLong()).isEqualTo(bytes.length);
  }

  @Test
  void aWrongChecksumNeverBecomesActiveAndIsDeleted() {
    byte[] bytes = bytes(100_000);
    byte[] other = bytes(10);
    assertThatThrownBy(() -> driver.uploadImage(ImageUpload.of("wrong", "raw", sha256(other), bytes.length), new ByteArrayInputStream(bytes)))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("sample-cloud", "SHA-256", sha256(other));
        });
    assertThat(server.imageStates()).noneMatch(s -> s.startsWith("wrong="));
    assertThat(server.requests()).anyMatch(r -> r.startsWith("DELETE /image/v2/images/"));
  }

  @Test
  void anImageLargerThanGlancesKeptBytesIsStreamedAndVerifiedBySizeAndMd5() {
    long size = OpenStackSampleServer.KEEP_IMAGE_BYTES + 5L * 1024 * 1024;
    MessageDigest sha = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    feed(size, sha, md5);
    String sum = HexFormat.of().formatHex(sha.digest());
    Image image = driver.uploadImage(ImageUpload.of("big", "raw", sum, size), generated(size));
    assertThat(server.images().get(image.id()).path("checksum").asText()).isEqualTo(HexFormat.of().formatHex(md5.digest()));
    assertThat(server.images().get(image.id()).path("size").asLong()).isEqualTo(size);
  }

  @Test
  void downloadsResumeFromAnOffset() throws Exception {
    byte[] bytes = bytes(200_000);
    Image image = driver.uploadImage(ImageUpload.of("dl", "raw", sha256(bytes), bytes.length), new ByteArrayInputStream(bytes));
    try (InputStream in = driver.downloadImage(image.id(), 150_000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 150_000, bytes.length));
    }
    assertThatThrownBy(() -> driver.downloadImage("00000000-0000-0000-0000-000000000000", 0))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.NOT_FOUND));
  }

  @Test
  void importFromAUrlIsRefusedWhenTheCloudDoesNotOfferWebDownload() {
    server.importMethods(List.of("glance-direct"));
    ImageUpload spec = ImageUpload.of("imp", "raw", sha256(new byte[0]), 0);
    assertThatThrownBy(() -> driver.importImage(spec, URI.create("http://127.0.0.1:9/x.img")))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("web-download", "glance-direct");
        });
    assertThat(server.imageStates()).noneMatch(s -> s.startsWith("imp="));
    assertThatThrownBy(() -> driver.importImage(spec, URI.create("file:///etc/passwd")))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST));
  }

  @Test
  void sharedVisibilityAndTagsReachGlance() {
    byte[] bytes = bytes(1000);
    Image image = driver.uploadImage(
        new ImageUpload("vis", "qcow2", "bare", sha256(bytes), bytes.length, "shared", List.of("csv2", "worker")),
        new ByteArrayInputStream(bytes));
    var stored = server.images().get(image.id());
    assertThat(stored.path("visibility").asText()).isEqualTo("shared");
    assertThat(stored.path("disk_format").asText()).isEqualTo("qcow2");
    assertThat(stored.path("tags").toString()).contains("csv2", "worker");
  }

  @Test
  void keyPairsAreImportedWithNovasFingerprintAndANameTakenIsAnInvalidRequest() {
    String key = org.csv2.testkit.SshKeys.rsaPublicKey("me@example");
    var k = driver.importKeyPair("mine", key);
    assertThat(k.fingerprint()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
    assertThat(server.keyPairs()).containsKey("mine");
    assertThatThrownBy(() -> driver.importKeyPair("mine", key))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST));
    driver.deleteKeyPair("mine");
    assertThat(server.keyPairs()).doesNotContainKey("mine");
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    return b;
  }

  /** {@code size} bytes generated on the fly, never held: the same as {@link #feed}. */
  private static InputStream generated(long size) {
    return new InputStream() {
      long pos;

      @Override
      public int read() {
        return pos < size ? (int) (pos++ % 251) : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - pos);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) ((pos + i) % 251);
        }
        pos += n;
        return n;
      }
    };
  }

  private static void feed(long size, MessageDigest... digests) {
    try (InputStream in = generated(size)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (MessageDigest d : digests) {
          d.update(buf, 0, n);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] b) {
    return HexFormat.of().formatHex(digest("SHA-256").digest(b));
  }

  private static MessageDigest digest(String a) {
    try {
      return MessageDigest.getInstance(a);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
