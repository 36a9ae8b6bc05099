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
package org.csv2.core.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.csv2.api.CloudException;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedCloudConfig;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.Image;
import org.csv2.spi.CloudDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The image cache and the transfer service between simulated clouds. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ImageTransfersTest {
  private static final CloudName EAST = CloudName.of("east");
  private static final CloudName WEST = CloudName.of("west");

  @TempDir Path tmp;

  private final SimulatedWorld world = new SimulatedWorld(Clock.systemUTC(), 7);
  private final SimulatedCloud east = world.addCloud(EAST, SimulatedCloudConfig.DEFAULTS);
  private final SimulatedCloud west = world.addCloud(WEST, SimulatedCloudConfig.DEFAULTS);
  private final CloudDriver eastDriver = east.driver("engine-a");
  private final CloudDriver westDriver = west.driver("engine-a");
  private final InMemoryStateStore store = new InMemoryStateStore(Clock.systemUTC());
  private ImageTransfers transfers;

  @AfterEach
  void close() {
    if (transfers != null) {
      transfers.close();
    }
  }

  private ImageTransfers service(ImageCache cache, int attempts) {
    transfers = new ImageTransfers(store, Clock.systemUTC(), "engine-a",
        c -> Optional.ofNullable(Map.of(EAST, eastDriver, WEST, westDriver).get(c)), cache, 2, attempts);
    return transfers;
  }

  private ImageTransfer awaitFinished(long id) {
    return until(Duration.ofMinutes(8), "transfer " + id + " finished",
        () -> {
          transfers.poll();
          return store.transfer(id).orElseThrow();
        },
        t -> !t.state().active());
  }

  /**
   * An upload to a server (bytes in a cache directory, a transfer from {@code csv2-upload:<sha256>}):
   * an engine whose cache lacks the bytes leaves the transfer PENDING (an attached server's upload
   * waits); one whose cache directory holds them, put there by another process's cache, takes it
   * and the image arrives on the cloud. A stream that breaks or a wrong checksum leaves no file.
   */
  @Test
  void anUploadedImageIsCarriedOutOnlyByAnEngineWhoseCacheHoldsItsBytes() throws Exception {
    byte[] bytes = "an uploaded image\n".repeat(5000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String sum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    Path shared = tmp.resolve("shared");
    ImageCache server = new ImageCache(shared, 1L << 30);
    ImageCache engine = new ImageCache(shared, 1L << 30); // opened before the upload: it finds the file by its name later
    assertThatThrownBy(() -> server.receive("upload-1", "0".repeat(64), bytes.length, new java.io.ByteArrayInputStream(bytes), n -> {}))
        .hasMessageContaining("nothing was kept");
    java.io.InputStream broken = new java.io.InputStream() {
      int left = 1000;

      @Override
      public int read() throws java.io.IOException {
        if (left-- <= 0) {
          throw new java.io.IOException("connection reset");
        }
        return 'x';
      }
    };
    assertThatThrownBy(() -> server.receive("upload-2", sum, bytes.length, broken, n -> {})).hasMessageContaining("broke off after 1000");
    try (var files = java.nio.file.Files.list(shared)) {
      assertThat(files).as("files after a wrong checksum and a broken stream").isEmpty();
    }
    server.receive("upload-3", sum, bytes.length, new java.io.ByteArrayInputStream(bytes), n -> {});

    ImageTransfer asked = store.saveTransfer(
        ImageTransfer.fromUpload("uploaded-v1", sum, bytes.length, WEST, "raw", "alice", Clock.systemUTC().instant()));
    ImageTransfers elsewhere = new ImageTransfers(store, Clock.systemUTC(), "engine-b",
        c -> Optional.ofNullable(Map.of(EAST, eastDriver, WEST, westDriver).get(c)), new ImageCache(tmp.resolve("other"), 1L << 30), 2, 3);
    try {
      assertThat(elsewhere.poll()).as("transfers an engine without the bytes starts").isZero();
    } finally {
      elsewhere.close();
    }
    assertThat(store.transfer(asked.id()).orElseThrow().state()).isEqualTo(ImageTransfer.State.PENDING);

    service(engine, 3);
    ImageTransfer done = awaitFinished(asked.id());
    assertThat(done.state()).as(done.message()).isEqualTo(ImageTransfer.State.DONE);
    assertThat(done.owner()).isEqualTo("engine-a");
    assertThat(westDriver.images()).extracting(Image::name).contains("uploaded-v1");
  }

  @Test
  void aMultiGigabyteImageCrossesTwoDroppedConnectionsWithItsChecksumAndNoHalfMadeImageInFlatMemory() throws Exception {
    long size = 2L * 1024 * 1024 * 1024 + 12345; // more than 2 GiB: no byte array can hold it
    Path sparse = tmp.resolve("worker.img");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(size); // a sparse file: holes read as zeros
      for (long at : new long[] {0, 1L << 20, 1L << 30, size - 4}) {
        f.seek(at);
        f.writeInt((int) (at * 31 + 7)); // some non-zero bytes so that position matters
      }
    }
    String expected = sha256(sparse);
    Image source = east.addImageFile("worker-v1", sparse);
    east.dropNextDownloadAfter(700L * 1024 * 1024); // the cache fill is resumed from byte 700 MiB
    west.dropNextUploadAfter(1200L * 1024 * 1024); // the upload is restarted from the cache
    ImageCache cache = new ImageCache(tmp.resolve("cache"), 3L * 1024 * 1024 * 1024);
    service(cache, 3);
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    System.gc();
    long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);

    ImageTransfer asked = transfers.submit(
        ImageTransfer.fromCloud("worker-v1", null, EAST, source.id(), WEST, "raw", "alice", Clock.systemUTC().instant()));
    ImageTransfer done = awaitFinished(asked.id());

    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    assertThat(done.state()).as("state of %s", done).isEqualTo(ImageTransfer.State.DONE);
    assertThat(done.sha256()).as("checksum recorded").isEqualTo(expected);
    assertThat(done.size()).isEqualTo(size);
    assertThat(done.bytesDone()).isEqualTo(size);
    assertThat(done.attempts()).as("the dropped upload restarted once").isEqualTo(2);
    assertThat(west.uploadsStarted()).isEqualTo(2);
    assertThat(west.storedImages()).as("images on the target: the one, complete").containsExactly("worker-v1=ACTIVE");
    assertThat(westDriver.images()).extracting(Image::id).contains(done.targetImageId());
    assertThat(cache.entries()).singleElement().satisfies(e -> {
      assertThat(e.sha256()).isEqualTo(expected);
      assertThat(Files.size(e.file())).isEqualTo(size);
    });
    try (var parts = Files.list(tmp.resolve("cache"))) {
      assertThat(parts.map(p -> p.getFileName().toString())).as("cache files").containsExactly(expected + ".img");
    }
    assertThat(peak - before)
        .as("heap growth while moving %d bytes twice (streamed through %d-byte buffers)", size, ImageCache.BUFFER)
        .isLessThan(size / 8);
  }

  @Test
  void aSecondTransferOfTheSameBytesIsServedFromTheCacheAndAnImageAlreadyThereIsDone() throws Exception {
    byte[] bytes = new byte[300_000];
    new java.util.Random(1).nextBytes(bytes);
    Path f = tmp.resolve("small.img");
    Files.write(f, bytes);
    Image source = east.addImageFile("small", f);
    ImageCache cache = new ImageCache(tmp.resolve("cache"), 10_000_000);
    service(cache, 1);
    ImageTransfer first = awaitFinished(transfers.submit(ImageTransfer.fromCloud("small", null, EAST, source.id(), WEST, "raw", "a", Clock.systemUTC().instant())).id());
    assertThat(first.state()).isEqualTo(ImageTransfer.State.DONE);
    east.dropNextDownloadAfter(0); // a download now would fail: the cache must serve
    ImageTransfer renamed = awaitFinished(transfers.submit(new ImageTransfer(0, "small-copy", null, EAST, source.id(), null, WEST, "raw",
        first.sha256(), first.size(), 0, ImageTransfer.State.PENDING, "", null, 0, "", "a", Clock.systemUTC().instant(), null,
        Clock.systemUTC().instant(), 0)).id());
    assertThat(renamed.state()).as("%s", renamed).isEqualTo(ImageTransfer.State.DONE);
    ImageTransfer again = awaitFinished(transfers.submit(ImageTransfer.fromCloud("small", null, EAST, source.id(), WEST, "raw", "a", Clock.systemUTC().instant())).id());
    assertThat(again.state()).isEqualTo(ImageTransfer.State.DONE);
    assertThat(again.message()).contains("already on west");
    assertThat(west.uploadsStarted()).isEqualTo(2);
  }

  @Test
  void aTransferOutOfAttemptsFailsWithNoImageLeft() throws Exception {
    byte[] bytes = new byte[200_000];
    Path f = tmp.resolve("b.img");
    Files.write(f, bytes);
    Image source = east.addImageFile("b", f);
    service(new ImageCache(tmp.resolve("cache"), 10_000_000), 1);
    west.dropNextUploadAfter(1000);
    ImageTransfer t = transfers.submit(ImageTransfer.fromCloud("b", null, EAST, source.id(), WEST, "raw", "a", Clock.systemUTC().instant()));
    ImageTransfer failed = awaitFinished(t.id());
    assertThat(failed.state()).isEqualTo(ImageTransfer.State.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.message()).contains("connection dropped");
    assertThat(west.uploadsStarted()).isEqualTo(1);
    assertThat(west.storedImages()).as("no half-made image on the target").isEmpty();
  }

  @Test
  void theCacheEvictsTheLeastRecentlyUsedButNeverAnImageBeingRead() throws Exception {
    ImageCache cache = new ImageCache(tmp.resolve("c"), 250);
    ImageCache.Entry a = cache.fill("a", null, -1, o -> stream(100, 1, o), n -> {});
    ImageCache.Entry b = cache.fill("b", null, -1, o -> stream(100, 2, o), n -> {});
    assertThat(cache.lookup(a.sha256())).isPresent(); // a is now the most recently used
    try (InputStream reading = cache.open(b.sha256())) {
      ImageCache.Entry c = cache.fill("c", null, -1, o -> stream(100, 3, o), n -> {});
      assertThat(cache.entries()).extracting(ImageCache.Entry::sha256)
          .as("b is being read, so a (least recently used of the others) goes")
          .containsExactly(b.sha256(), c.sha256());
      assertThat(reading.readAllBytes()).hasSize(100);
    }
    assertThat(cache.usedBytes()).isEqualTo(200);
    assertThatThrownBy(() -> cache.fill("d", null, 300, o -> stream(300, 4, o), n -> {}))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage()).contains("larger than the cache"));
    ImageCache reopened = new ImageCache(tmp.resolve("c"), 250);
    assertThat(reopened.usedBytes()).as("an index rebuilt from the files").isEqualTo(200);
  }

  @Test
  void anImageAnotherProcessPutInTheDirectoryCountsAtOnceAndOlderOnesAreEvicted() throws Exception {
    ImageCache cache = new ImageCache(tmp.resolve("c"), 250);
    ImageCache.Entry a = cache.fill("a", null, -1, o -> stream(100, 1, o), n -> {});
    ImageCache.Entry b = cache.fill("b", null, -1, o -> stream(100, 2, o), n -> {});
    byte[] uploaded = stream(100, 3, 0).readAllBytes();
    String sum = sha256(uploaded);
    Files.write(tmp.resolve("c").resolve(sum + ".img"), uploaded); // a server next to the engine took it

    assertThat(cache.lookup(sum)).as("adopted on first sight").isPresent();
    assertThat(cache.usedBytes()).as("never over the limit after the adoption").isEqualTo(200);
    assertThat(cache.entries()).extracting(ImageCache.Entry::sha256).containsExactly(b.sha256(), sum);
    assertThat(Files.exists(a.file())).as("the least recently used image made room").isFalse();
  }

  @Test
  void aFillRefusesMoreBytesThanAnnouncedAndWritesNoneOfTheExcess() throws Exception {
    ImageCache cache = new ImageCache(tmp.resolve("c"), 10_000);
    assertThatThrownBy(() -> cache.fill("long", null, 50, o -> stream(120, 4, o), n -> {}))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("long sent more than 50 bytes");
        });
    assertThat(cache.entries()).isEmpty();
    assertThat(Files.size(tmp.resolve("c").resolve("long.part"))).as("bytes beyond the announced size are never written").isLessThanOrEqualTo(50);
  }

  @Test
  void aFillResumesItsPartFileAndRefusesBytesWithTheWrongChecksum() throws Exception {
    ImageCache cache = new ImageCache(tmp.resolve("c"), 10_000);
    byte[] all = new byte[5000];
    new java.util.Random(5).nextBytes(all);
    Files.write(tmp.resolve("c").resolve("k.part"), java.util.Arrays.copyOf(all, 1234));
    long[] openedAt = {-1};
    ImageCache.Entry e = cache.fill("k", sha256(all), all.length, o -> {
      openedAt[0] = o;
      return new ByteArrayInputStream(all, (int) o, all.length - (int) o);
    }, n -> {});
    assertThat(openedAt[0]).as("resumed from the part file's end").isEqualTo(1234);
    assertThat(Files.readAllBytes(e.file())).isEqualTo(all);
    assertThatThrownBy(() -> cache.fill("w", "0".repeat(64), -1, o -> stream(10, 9, o), n -> {}))
        .isInstanceOfSatisfying(CloudException.class, ex -> assertThat(ex.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST));
    assertThat(Files.exists(tmp.resolve("c").resolve("w.part"))).isFalse();
  }

  static <T> T until(Duration timeout, String what, java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = probe.get();
      if (done.test(v)) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last " + v);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static InputStream stream(int n, int seed, long offset) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return new ByteArrayInputStream(b, (int) offset, n - (int) offset);
  }

  private static String sha256(Path p) throws IOException {
    var md = ImageCache.sha256();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(p)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String sha256(byte[] b) {
    return HexFormat.of().formatHex(ImageCache.sha256().digest(b));
  }
}
