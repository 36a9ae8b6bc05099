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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.csv2.api.CloudException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's local image cache (docs/images.md): images pulled once from a cloud or a URL, kept
 * as files named by their SHA-256 ({@code <sha256>.img}) in one directory, at most {@code maxBytes}
 * of them; the least recently used go first when room is needed, never one being read.
 *
 * <p>Bytes are streamed through one {@link #BUFFER}-byte buffer per copy, never held whole. A fill
 * writes {@code <key>.part} and hashes as it goes; a broken source stream is reopened from the
 * byte reached (up to {@link #RESUMES} times in one fill), and a part file left by a crash or an
 * earlier fill of the same key is resumed (its bytes are hashed again first). A complete file
 * whose SHA-256 is not the one expected is deleted.
 *
 * <p>Thread safety: safe; the index is guarded by the cache's lock, bytes move outside it. Two
 * fills of the same key at once are refused.
 */
public final class ImageCache {
  private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

  /** The size of the one buffer a copy uses. */
  public static final int BUFFER = 1024 * 1024;

  /** How many times one fill reopens a source that broke. */
  public static final int RESUMES = 3;

  private static final Pattern IMAGE_FILE = Pattern.compile("[0-9a-f]{64}\\.img");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Where a fill reads from: the source's bytes from an offset. */
  @FunctionalInterface
  public interface Source {
    /**
     * Opens the bytes from an offset.
     *
     * @param offset the first byte
     * @return the stream, closed by the cache
     * @throws IOException if the source cannot be read
     */
    InputStream open(long offset) throws IOException;
  }

  /**
   * A cached image.
   *
   * @param sha256 its SHA-256
   * @param size its bytes
   * @param file where it is
   */
  public record Entry(String sha256, long size, Path file) {}

  private final Path dir;
  private final long maxBytes;
  private final Object lock = new Object();
  /** SHA-256 to size, least recently used first. */
  private final LinkedHashMap<String, Long> lru = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Integer> pins = new HashMap<>();
  private final java.util.Set<String> filling = new java.util.HashSet<>();
  private long used;

  /**
   * Opens the cache over a directory (created if missing), indexing the images already there by
   * their modification time.
   *
   * @param dir the directory
   * @param maxBytes the most bytes kept, at least 1
   */
  public ImageCache(Path dir, long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("image cache: the size limit must be at least 1 byte, was " + maxBytes);
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      List<Path> found = new ArrayList<>();
      try (var files = Files.list(dir)) {
        files.filter(p -> IMAGE_FILE.matcher(p.getFileName().toString()).matches()).forEach(found::add);
      }
      found.sort((a, b) -> lastModified(a).compareTo(lastModified(b)));
      for (Path p : found) {
        long size = Files.size(p);
        lru.put(p.getFileName().toString().substring(0, 64), size);
        used += size;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("image cache " + dir + ": cannot open: " + e.getMessage(), e);
    }
    LOG.info("image cache {}: {} images, {} of {} bytes", dir, lru.size(), used, maxBytes);
  }

  /**
   * The directory.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /**
   * The size limit.
   *
   * @return bytes
   */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * The bytes kept now.
   *
   * @return bytes
   */
  public long usedBytes() {
    synchronized (lock) {
      return used;
    }
  }

  /**
   * The images kept, least recently used first.
   *
   * @return the entries
   */
  public List<Entry> entries() {
    synchronized (lock) {
      List<Entry> out = new ArrayList<>();
      lru.forEach((sha, size) -> out.add(new Entry(sha, size, file(sha))));
      return out;
    }
  }

  /**
   * A cached image, marked as used now.
   *
   * @param sha256 its SHA-256
   * @return the entry, or empty
   */
  public Optional<Entry> lookup(String sha256) {
    synchronized (lock) {
      Long size = lru.get(sha256);
      if (size == null) {
        return adopt(sha256);
      }
      if (!Files.isRegularFile(file(sha256))) {
        lru.remove(sha256);
        used -= size;
        return Optional.empty();
      }
      return Optional.of(new Entry(sha256, size, file(sha256)));
    }
  }

  /**
   * An image another process put in the same directory (a csv2 server taking an upload, next to
   * the engine or on a shared file system): indexed on first sight, trusted by its name as at
   * startup, since only a verified file is ever given its checksum's name. Its bytes count at
   * once, so older images are evicted if the cache now stands over its limit.
   */
  private Optional<Entry> adopt(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    Path f = file(sha256);
    try {
      long size = Files.size(f);
      lru.put(sha256, size);
      used += size;
      pins.merge(sha256, 1, Integer::sum); // like an admitted image, not evicted to make room for itself
      try {
        evict();
      } finally {
        unpinLocked(sha256);
      }
      return Optional.of(new Entry(sha256, size, f));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Takes an image's bytes from a stream that cannot be reopened (an upload to the server): they
   * are written to {@code <key>.part} and hashed as they come, and become {@code <sha256>.img} only
   * if they are exactly {@code expectedSize} bytes with SHA-256 {@code expectedSha256}. Whatever
   * else happens (a wrong checksum or size, a stream that breaks, a full disk), the part file is
   * deleted: nothing is left.
   *
   * @param key names the part file
   * @param expectedSha256 the SHA-256 the bytes must have
   * @param expectedSize their size
   * @param in the bytes; not closed here
   * @param progress told the bytes received so far
   * @return the entry
   * @throws CloudException {@code INVALID_REQUEST} for bytes other than the expected ones, or more
   *     than the cache holds; {@code UNAVAILABLE} if the stream broke or the file could not be written
   */
  public Entry receive(String key, String expectedSha256, long expectedSize, InputStream in, LongConsumer progress) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("image cache: bad key '" + key + "'");
    }
    if (!SHA256.matcher(expectedSha256).matches() || expectedSize < 0) {
      throw new IllegalArgumentException("image cache: give the SHA-256 (64 lower-case hex digits) and size of " + key);
    }
    if (expectedSize > maxBytes) {
      throw new CloudException(CloudException.Reason.INVALID_REQUEST,
          "image cache " + dir + ": an image of " + expectedSize + " bytes is larger than the cache (" + maxBytes + " bytes)");
    }
    synchronized (lock) {
      if (!filling.add(key)) {
        throw new IllegalStateException("image cache: " + key + " is being filled already");
      }
    }
    Path part = dir.resolve(key + ".part");
    boolean admitted = false;
    try {
      MessageDigest sha = sha256();
      long[] have = {0};
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        copy(in, out, sha, new byte[BUFFER], have, expectedSize, progress,
            () -> "the image sent more than the " + expectedSize + " bytes announced; nothing was kept");
      } catch (IOException e) {
        throw new CloudException(CloudException.Reason.UNAVAILABLE,
            "the image broke off after " + have[0] + " of " + expectedSize + " bytes (" + e.getMessage() + "); nothing was kept", e);
      }
      String got = HexFormat.of().formatHex(sha.digest());
      if (have[0] != expectedSize || !got.equals(expectedSha256)) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST,
            "the image arrived with " + have[0] + " bytes and SHA-256 " + got + ", expected " + expectedSize
                + " bytes and " + expectedSha256 + "; nothing was kept");
      }
      Entry e = admit(part, got, have[0]);
      admitted = true;
      return e;
    } catch (IOException e) {
      LOG.warn("image cache {}: writing {} failed: {}", dir, part.getFileName(), e.toString());
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "the image cache could not keep the image; nothing was kept", e);
    } finally {
      if (!admitted) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException e) {
          LOG.warn("image cache {}: cannot delete {}: {}", dir, part.getFileName(), e.toString());
        }
      }
      synchronized (lock) {
        filling.remove(key);
      }
    }
  }

  /**
   * Opens a cached image for reading; it is not evicted until the stream is closed.
   *
   * @param sha256 its SHA-256
   * @return the stream
   * @throws NoSuchFileException if it is not cached
   * @throws IOException if it cannot be opened
   */
  public InputStream open(String sha256) throws IOException {
    Entry e = lookup(sha256).orElseThrow(() -> new NoSuchFileException(file(sha256).toString()));
    synchronized (lock) {
      pins.merge(sha256, 1, Integer::sum);
    }
    InputStream in;
    try {
      in = Files.newInputStream(e.file());
    } catch (IOException ex) {
      unpin(sha256);
      throw ex;
    }
    return new java.io.FilterInputStream(in) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          if (!closed) {
            closed = true;
            unpin(sha256);
          }
        }
      }
    };
  }

  /**
   * Pulls an image into the cache, resuming the part file of {@code key} if one is there.
   *
   * @param key names the fill (a transfer id, say); the part file is {@code <key>.part}
   * @param expectedSha256 the SHA-256 the bytes must have, or null to take what arrives
   * @param expectedSize the size they must have, or -1
   * @param source the bytes
   * @param progress told the bytes in the part file as they grow
   * @return the entry
   * @throws CloudException {@code UNAVAILABLE} if the source kept breaking (the part file stays, to
   *     be resumed), {@code INVALID_REQUEST} if the bytes are not the ones expected or larger than
   *     the cache
   */
  public Entry fill(String key, @Nullable String expectedSha256, long expectedSize, Source source, LongConsumer progress) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("image cache: bad fill key '" + key + "'");
    }
    if (expectedSha256 != null) {
      Optional<Entry> hit = lookup(expectedSha256);
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    if (expectedSize > maxBytes) {
      throw new CloudException(
          CloudException.Reason.INVALID_REQUEST,
          "image cache " + dir + ": an image of " + expectedSize + " bytes is larger than the cache (" + maxBytes + " bytes)");
    }
    synchronized (lock) {
      if (!filling.add(key)) {
        throw new IllegalStateException("image cache: " + key + " is being filled already");
      }
    }
    Path part = dir.resolve(key + ".part");
    try {
      MessageDigest sha = sha256();
      byte[] buf = new byte[BUFFER];
      long limit = expectedSize < 0 ? maxBytes : Math.min(maxBytes, expectedSize);
      long[] have = {0};
      if (Files.exists(part)) {
        try (InputStream old = Files.newInputStream(part)) {
          copy(old, OutputStream.nullOutputStream(), sha, buf, have, Long.MAX_VALUE, n -> {}, () -> "");
        }
        LOG.info("image cache {}: resuming {} at byte {}", dir, key, have[0]);
      }
      int resumes = 0;
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        while (true) {
          try (InputStream in = source.open(have[0])) {
            copy(in, out, sha, buf, have, limit, progress, () -> "image cache " + dir + ": " + key + " sent more than " + limit + " bytes");
            break;
          } catch (IOException e) {
            out.flush();
            if (++resumes > RESUMES) {
              throw new CloudException(
                  CloudException.Reason.UNAVAILABLE,
                  "image cache " + dir + ": the source of " + key + " broke " + resumes + " times, last at byte " + have[0] + ": " + e.getMessage()
                      + " (the part file is kept and resumed next time)",
                  e);
            }
            LOG.info("image cache {}: the source of {} broke at byte {} ({}); resuming", dir, key, have[0], e.toString());
          }
        }
      }
      String got = HexFormat.of().formatHex(sha.digest());
      if (expectedSha256 != null && !expectedSha256.equals(got) || expectedSize >= 0 && expectedSize != have[0]) {
        Files.deleteIfExists(part);
        throw new CloudException(
            CloudException.Reason.INVALID_REQUEST,
            "image cache " + dir + ": " + key + " arrived with " + have[0] + " bytes and SHA-256 " + got + ", expected "
                + (expectedSize < 0 ? "any size" : expectedSize + " bytes") + " and " + (expectedSha256 == null ? "any SHA-256" : expectedSha256));
      }
      return admit(part, got, have[0]);
    } catch (IOException e) {
      throw new CloudException(
          CloudException.Reason.UNAVAILABLE, "image cache " + dir + ": writing " + part.getFileName() + " failed: " + e.getMessage(), e);
    } finally {
      synchronized (lock) {
        filling.remove(key);
      }
    }
  }

  /**
   * Forgets a part file (a transfer given up or cancelled).
   *
   * @param key the fill's key
   */
  public void discardPart(String key) {
    if (KEY.matcher(key).matches()) {
      try {
        Files.deleteIfExists(dir.resolve(key + ".part"));
      } catch (IOException e) {
        LOG.warn("image cache {}: cannot delete {}.part: {}", dir, key, e.toString());
      }
    }
  }

  /**
   * The one copy loop of a fill and an upload: reads {@code in} to its end through {@code buf},
   * refusing any byte beyond {@code limit} before it is written, and writes, hashes and reports
   * the rest. {@code have} holds the bytes copied so far (a fill resumes from a part file's end)
   * and is current when an {@link IOException} of either stream breaks the copy off.
   */
  private static void copy(InputStream in, OutputStream out, MessageDigest sha, byte[] buf, long[] have, long limit,
      LongConsumer progress, java.util.function.Supplier<String> tooLong) throws IOException {
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (have[0] + n > limit) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST, tooLong.get());
      }
      out.write(buf, 0, n);
      sha.update(buf, 0, n);
      have[0] += n;
      progress.accept(have[0]);
    }
  }

  private Entry admit(Path part, String sha, long size) throws IOException {
    synchronized (lock) {
      Path target = file(sha);
      if (lru.containsKey(sha)) {
        Files.deleteIfExists(part);
      } else {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lru.put(sha, size);
        used += size;
      }
      pins.merge(sha, 1, Integer::sum); // not evicted to make room for itself
      try {
        evict();
      } finally {
        unpinLocked(sha);
      }
      return new Entry(sha, size, target);
    }
  }

  /** Deletes least recently used images, never a pinned one, until the cache fits. */
  private void evict() {
    for (Iterator<Map.Entry<String, Long>> it = lru.entrySet().iterator(); used > maxBytes && it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (pins.containsKey(e.getKey())) {
        continue;
      }
      try {
        Files.deleteIfExists(file(e.getKey()));
      } catch (IOException ex) {
        LOG.warn("image cache {}: cannot evict {}: {}", dir, e.getKey(), ex.toString());
        continue;
      }
      used -= e.getValue();
      it.remove();
      LOG.info("image cache {}: evicted {} ({} bytes, least recently used)", dir, e.getKey(), e.getValue());
    }
  }

  private void unpin(String sha) {
    synchronized (lock) {
      unpinLocked(sha);
      evict();
    }
  }

  private void unpinLocked(String sha) {
    pins.computeIfPresent(sha, (k, n) -> n <= 1 ? null : n - 1);
  }

  private Path file(String sha) {
    return dir.resolve(sha + ".img");
  }

  private static FileTime lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
