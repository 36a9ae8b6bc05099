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

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.csv2.api.CloudException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.Images;
import org.csv2.core.images.ImageCache;
import org.csv2.model.CloudName;
import org.csv2.model.ImageUpload;
import org.csv2.model.User;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/images/uploads} (docs/images.md): an admin's image bytes, streamed as the
 * request body into the server's image cache and verified there, then one transfer per asked
 * cloud from the cache, which an engine's transfer service carries out.
 *
 * <p>Everything that can be checked is checked before a byte is read (who asks, the parameters,
 * the size against the limit and the cache, the clouds and transfers already on their way), so a
 * client that sends {@code Expect: 100-continue} sends no body to be refused. The body goes
 * through the cache's one buffer to a part file that becomes {@code <sha256>.img} only when its
 * size and SHA-256 are the announced ones: a wrong checksum, a body longer or shorter than
 * announced or a dropped connection leaves no file and no transfer.
 *
 * <p>Thread safety: safe; the cache is made at the first upload.
 */
final class ImageUploads {
  private static final Logger LOG = LoggerFactory.getLogger(ImageUploads.class);

  /** The most clouds one upload is sent to. */
  static final int MAX_CLOUDS = 100;

  private final Path dir;
  private final long cacheMaxBytes;
  private final long maxBytes;
  private @Nullable ImageCache cache;

  /**
   * The uploads of one server.
   *
   * @param dir the image cache's directory (the engine's, when it runs in this process)
   * @param cacheMaxBytes the cache's size limit
   * @param maxBytes the largest upload taken
   */
  ImageUploads(Path dir, long cacheMaxBytes, long maxBytes) {
    this.dir = dir;
    this.cacheMaxBytes = cacheMaxBytes;
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  private synchronized ImageCache cache() {
    if (cache == null) {
      cache = new ImageCache(dir, cacheMaxBytes);
    }
    return cache;
  }

  void install(Javalin app, Auth auth, World world) {
    Images images = world.operations().images();
    app.post(Api.BASE + "/images/uploads", ctx -> {
      User u = Http.principal(ctx, auth).requireAdmin();
      Actor actor = OpsApi.actor(u);
      String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
      if (!type.startsWith("application/octet-stream")) {
        throw new ApiException(415, "Unsupported media type", "send the image's bytes as the body, Content-Type application/octet-stream");
      }
      String image = required(ctx, "image");
      String disk = oneOf(ctx, "diskFormat", "qcow2", ImageUpload.DISK_FORMATS);
      String container = oneOf(ctx, "containerFormat", "bare", ImageUpload.CONTAINER_FORMATS);
      if (!container.equals("bare")) {
        throw ApiException.badRequest("containerFormat: transfers store images in bare containers only; " + container + " is not carried yet");
      }
      String sha = required(ctx, "sha256").toLowerCase(Locale.ROOT);
      if (!sha.matches("[0-9a-f]{64}")) {
        throw ApiException.badRequest("sha256: 64 hex digits (sha256sum's)");
      }
      long size = size(ctx);
      long length = ctx.req().getContentLengthLong();
      if (length >= 0 && length != size) {
        throw ApiException.badRequest("size is " + size + " but the body's Content-Length is " + length);
      }
      List<String> names = ctx.queryParams("cloud");
      if (names.isEmpty() || names.size() > MAX_CLOUDS) {
        throw ApiException.badRequest("cloud: give 1 to " + MAX_CLOUDS + " clouds (cloud=a&cloud=b)");
      }
      List<ImageTransfer> asked = new ArrayList<>();
      for (String c : new LinkedHashSet<>(names)) {
        try {
          asked.add(ImageTransfer.fromUpload(image, sha, size, CloudName.of(c), disk, u.name(), world.clock().instant()));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(Http.bounded(String.valueOf(e.getMessage())));
        }
      }
      for (ImageTransfer t : asked) {
        images.checkTransfer(actor, t); // 404 for an unknown cloud, 409 for one already on its way: before any byte is read
      }
      ImageCache c = cache();
      Optional<ImageCache.Entry> had = c.lookup(sha);
      if (had.isPresent() && had.get().size() != size) {
        throw ApiException.badRequest("size: the image of sha256 " + sha + " is " + had.get().size() + " bytes, not " + size);
      }
      if (had.isEmpty()) {
        receive(ctx, c, sha, size, image);
      }
      List<ImageTransfer> stored = new ArrayList<>();
      for (ImageTransfer t : asked) {
        stored.add(images.requestTransfer(actor, t));
      }
      LOG.info("image upload {} ({} bytes, sha256 {}) by {}{}: transfers {}", image, size, sha, u.name(),
          had.isPresent() ? " (already cached)" : "", stored.stream().map(ImageTransfer::id).toList());
      ctx.status(201);
      Http.json(ctx, stored);
    });
  }

  private void receive(Context ctx, ImageCache c, String sha, long size, String image) {
    try (InputStream in = ctx.req().getInputStream()) {
      c.receive("upload-" + UUID.randomUUID(), sha, size, in, n -> {});
    } catch (CloudException e) {
      LOG.info("image upload {} (sha256 {}): refused: {}", image, sha, e.getMessage());
      throw ApiException.badRequest(Http.bounded2k(String.valueOf(e.getMessage())));
    } catch (IOException e) {
      throw ApiException.badRequest("the upload broke off: " + Http.bounded(String.valueOf(e.getMessage())));
    }
  }

  private long size(Context ctx) {
    String v = required(ctx, "size");
    long size;
    try {
      size = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("size: a number of bytes");
    }
    if (size < 1) {
      throw ApiException.badRequest("size: at least 1 byte");
    }
    if (size > maxBytes) {
      throw new ApiException(413, "Content too large",
          "the image is " + size + " bytes; this server takes uploads of at most " + maxBytes + " bytes (csv2 serve --image-upload-max-gib)");
    }
    if (size > cacheMaxBytes) {
      throw new ApiException(413, "Content too large",
          "the image is " + size + " bytes; the image cache holds at most " + cacheMaxBytes + " bytes (images.cache-max-gib)");
    }
    return size;
  }

  private static String required(Context ctx, String name) {
    String v = Api.param(ctx, name);
    if (v == null || v.isBlank()) {
      throw ApiException.badRequest(name + " is required");
    }
    return v;
  }

  private static String oneOf(Context ctx, String name, String otherwise, java.util.Set<String> allowed) {
    String v = Api.param(ctx, name);
    if (v == null) {
      return otherwise;
    }
    if (!allowed.contains(v)) {
      throw ApiException.badRequest(name + ": one of " + new java.util.TreeSet<>(allowed));
    }
    return v;
  }
}
