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
package org.csv2.core.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.csv2.api.CloudException;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.model.KeyPair;
import org.jspecify.annotations.Nullable;

/**
 * The images and key pairs of one simulated cloud beyond its configured image names: what the
 * image verbs of {@link SimulatedCloudDriver} act on. It behaves as Glance does: an upload creates
 * a QUEUED image that turns SAVING while bytes arrive and ACTIVE when all have; a broken upload
 * leaves its image SAVING (the driver deletes it, as csv2's real drivers do). Only ACTIVE images
 * are listed for booting.
 *
 * <p>Bytes: an image of the configuration has 64 KiB of content generated from its name; an
 * uploaded image keeps its bytes when it has at most {@link #KEEP_LIMIT} of them, else only their
 * size and SHA-256 (it cannot be downloaded then); {@link SimulatedCloud#addImageFile} serves a
 * file (a sparse one makes a large image cheaply). Failure scripts break the next upload or
 * download after a number of bytes.
 *
 * <p>Thread safety: safe. Bytes move outside the lock, so a long transfer blocks nothing else.
 */
final class SimulatedImages {
  /** The largest upload whose bytes are kept. */
  static final long KEEP_LIMIT = 16L * 1024 * 1024;

  private static final int CONFIGURED_SIZE = 64 * 1024;
  private static final int BUFFER = 64 * 1024;

  /** Glance's image states. */
  enum State {
    QUEUED,
    SAVING,
    ACTIVE
  }

  /** One stored image. */
  record Stored(String id, String name, State state, long size, @Nullable String sha256, @Nullable byte[] bytes, @Nullable Path file) {
    Image image() {
      return new Image(id, name);
    }
  }

  private final Object lock = new Object();
  private final String cloud;
  private final Map<String, Stored> images = new LinkedHashMap<>();
  private final Map<String, KeyPair> keys = new LinkedHashMap<>();
  private long nextId = 1;
  private long dropUploadAfter = -1;
  private long dropDownloadAfter = -1;
  private long uploadsStarted;
  private long largestBufferUsed;

  SimulatedImages(String cloud) {
    this.cloud = cloud;
  }

  List<Image> active() {
    synchronized (lock) {
      List<Image> out = new ArrayList<>();
      for (Stored s : images.values()) {
        if (s.state == State.ACTIVE) {
          out.add(s.image());
        }
      }
      return out;
    }
  }

  List<Stored> all() {
    synchronized (lock) {
      return List.copyOf(images.values());
    }
  }

  long uploadsStarted() {
    synchronized (lock) {
      return uploadsStarted;
    }
  }

  long largestBufferUsed() {
    synchronized (lock) {
      return largestBufferUsed;
    }
  }

  void dropNextUploadAfter(long bytes) {
    synchronized (lock) {
      dropUploadAfter = bytes;
    }
  }

  void dropNextDownloadAfter(long bytes) {
    synchronized (lock) {
      dropDownloadAfter = bytes;
    }
  }

  Image addFile(String name, Path file, long size) {
    synchronized (lock) {
      String id = newId();
      images.put(id, new Stored(id, name, State.ACTIVE, size, null, null, file));
      return new Image(id, name);
    }
  }

  String create(ImageUpload spec) {
    synchronized (lock) {
      String id = newId();
      images.put(id, new Stored(id, spec.name(), State.QUEUED, 0, null, null, null));
      uploadsStarted++;
      return id;
    }
  }

  /** Receives the bytes of a created image; the image stays SAVING if anything fails. */
  Image receive(String id, ImageUpload spec, InputStream data) {
    long dropAfter;
    synchronized (lock) {
      Stored s = images.get(id);
      if (s == null || s.state != State.QUEUED) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST, "simulated cloud " + cloud + ": image " + id + " is not queued");
      }
      images.put(id, new Stored(id, s.name, State.SAVING, 0, null, null, null));
      dropAfter = dropUploadAfter;
      dropUploadAfter = -1;
      largestBufferUsed = Math.max(largestBufferUsed, BUFFER);
    }
    MessageDigest sha = sha256();
    ByteArrayOutputStream kept = spec.size() <= KEEP_LIMIT ? new ByteArrayOutputStream((int) spec.size()) : null;
    byte[] buf = new byte[BUFFER];
    long total = 0;
    try {
      int n;
      while ((n = data.read(buf)) >= 0) {
        if (dropAfter >= 0 && total + n > dropAfter) {
          throw new CloudException(
              CloudException.Reason.UNAVAILABLE,
              "simulated cloud " + cloud + ": connection dropped after " + dropAfter + " bytes of image " + spec.name() + " (injected)");
        }
        sha.update(buf, 0, n);
        total += n;
        if (kept != null && total <= KEEP_LIMIT) {
          kept.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      throw new CloudException(
          CloudException.Reason.UNAVAILABLE,
          "simulated cloud " + cloud + ": reading the bytes of image " + spec.name() + " failed after " + total + " bytes: " + e.getMessage(),
          e);
    }
    String got = HexFormat.of().formatHex(sha.digest());
    if (total != spec.size() || !got.equals(spec.sha256())) {
      throw new CloudException(
          CloudException.Reason.INVALID_REQUEST,
          "simulated cloud " + cloud + ": image " + spec.name() + " arrived with " + total + " bytes and SHA-256 " + got
              + ", expected " + spec.size() + " bytes and " + spec.sha256());
    }
    synchronized (lock) {
      if (!images.containsKey(id)) {
        throw new CloudException(CloudException.Reason.NOT_FOUND, "simulated cloud " + cloud + ": image " + id + " was deleted during its upload");
      }
      Stored done = new Stored(id, spec.name(), State.ACTIVE, total, got,
          kept != null && total <= KEEP_LIMIT ? kept.toByteArray() : null, null);
      images.put(id, done);
      return done.image();
    }
  }

  Image copy(Image source, @Nullable Stored stored, String name) {
    synchronized (lock) {
      String id = newId();
      Stored s = stored != null
          ? new Stored(id, name, State.ACTIVE, stored.size, stored.sha256, stored.bytes, stored.file)
          : new Stored(id, name, State.ACTIVE, CONFIGURED_SIZE, null, configuredBytes(source.name()), null);
      images.put(id, s);
      return s.image();
    }
  }

  @Nullable Stored get(String id) {
    synchronized (lock) {
      return images.get(id);
    }
  }

  boolean delete(String id) {
    synchronized (lock) {
      return images.remove(id) != null;
    }
  }

  /** The bytes of an image from an offset; {@code configuredName} when it is a configured one. */
  InputStream download(String id, @Nullable String configuredName, long offset) {
    Stored s;
    long dropAfter;
    synchronized (lock) {
      s = images.get(id);
      dropAfter = dropDownloadAfter;
      dropDownloadAfter = -1;
    }
    InputStream in;
    long size;
    if (s == null && configuredName != null) {
      byte[] b = configuredBytes(configuredName);
      in = new java.io.ByteArrayInputStream(b);
      size = b.length;
    } else if (s == null || s.state != State.ACTIVE) {
      throw new CloudException(CloudException.Reason.NOT_FOUND, "simulated cloud " + cloud + ": no active image " + id);
    } else if (s.bytes != null) {
      in = new java.io.ByteArrayInputStream(s.bytes);
      size = s.bytes.length;
    } else if (s.file != null) {
      try {
        FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ);
        in = Channels.newInputStream(ch);
        size = s.size;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      throw new CloudException(
          CloudException.Reason.INVALID_REQUEST,
          "simulated cloud " + cloud + ": image " + s.name + " has " + s.size + " bytes; only its checksum was kept");
    }
    if (offset < 0 || offset > size) {
      throw new CloudException(CloudException.Reason.INVALID_REQUEST, "simulated cloud " + cloud + ": offset " + offset + " outside image " + id);
    }
    try {
      in.skipNBytes(offset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dropAfter < 0 ? in : new Dropping(in, dropAfter);
  }

  List<KeyPair> keyPairs() {
    synchronized (lock) {
      return List.copyOf(keys.values());
    }
  }

  KeyPair importKey(String name, String publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    String[] parts = publicKey.trim().split("\\s+");
    if (parts.length < 2 || !parts[0].startsWith("ssh-") && !parts[0].startsWith("ecdsa-")) {
      throw new CloudException(CloudException.Reason.INVALID_REQUEST, "simulated cloud " + cloud + ": key pair " + name + ": not an OpenSSH public key");
    }
    byte[] blob;
    try {
      blob = java.util.Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new CloudException(CloudException.Reason.INVALID_REQUEST, "simulated cloud " + cloud + ": key pair " + name + ": the key is not base64");
    }
    synchronized (lock) {
      if (keys.containsKey(name)) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST, "simulated cloud " + cloud + ": key pair " + name + " already exists");
      }
      byte[] md5;
      try {
        md5 = MessageDigest.getInstance("MD5").digest(blob);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      String hex = HexFormat.ofDelimiter(":").formatHex(md5);
      KeyPair k = new KeyPair(name, hex);
      keys.put(name, k);
      return k;
    }
  }

  boolean deleteKey(String name) {
    synchronized (lock) {
      return keys.remove(name) != null;
    }
  }

  static byte[] configuredBytes(String name) {
    byte[] b = new byte[CONFIGURED_SIZE];
    new SplittableRandom(name.hashCode()).nextBytes(b);
    return b;
  }

  private String newId() {
    return "sim-image-" + cloud + "-" + nextId++;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stream that breaks after a number of bytes, as a dropped connection does. */
  private static final class Dropping extends java.io.FilterInputStream {
    private long left;

    Dropping(InputStream in, long after) {
      super(in);
      this.left = after;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("connection reset (simulated, injected)");
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
