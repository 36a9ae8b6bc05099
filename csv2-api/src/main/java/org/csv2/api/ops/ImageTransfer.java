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
package org.csv2.api.ops;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * One image transfer to one cloud, as the store keeps it: an operator's or the replication's
 * request, carried out by an engine's transfer service, with its progress (docs/images.md).
 *
 * <p>The bytes come from a source cloud's image ({@code source} and {@code sourceImageId}), or
 * from a URL ({@code sourceUrl}), through the engine's image cache, and go to {@code target} as
 * {@code image}. {@code sha256} and {@code size} are known once the bytes are in the cache (or
 * when the requester gave them); they are checked on arrival.
 *
 * @param id the store's id (0 before it is stored)
 * @param image the image's name on the target cloud
 * @param group the group whose replication asked for it, or null for an operator's transfer
 * @param source the cloud the bytes come from, or null for a URL
 * @param sourceImageId the image id on the source cloud, or null for a URL
 * @param sourceUrl the http(s) URL the bytes come from, or null
 * @param target the cloud to store the image on
 * @param diskFormat the disk format (as {@link org.csv2.model.ImageUpload#diskFormat()})
 * @param sha256 the SHA-256 of the bytes, once known, else null
 * @param size the number of bytes, or -1 while unknown
 * @param bytesDone bytes moved in the current phase (into the cache, then to the cloud)
 * @param state where it is
 * @param message what happened last (at most {@link #MAX_TEXT} characters)
 * @param targetImageId the image's id on the target once DONE, else null
 * @param attempts how many times the transfer was started or restarted
 * @param owner the csv2 instance id of the engine carrying it out, or empty
 * @param requestedBy who asked
 * @param created when it was asked for
 * @param started when the current phase began, or null before
 * @param updated when it was last written
 * @param version the optimistic-lock version (0 before it is stored)
 */
public record ImageTransfer(
    long id,
    String image,
    @Nullable GroupName group,
    @Nullable CloudName source,
    @Nullable String sourceImageId,
    @Nullable String sourceUrl,
    CloudName target,
    String diskFormat,
    @Nullable String sha256,
    long size,
    long bytesDone,
    State state,
    String message,
    @Nullable String targetImageId,
    int attempts,
    String owner,
    String requestedBy,
    Instant created,
    @Nullable Instant started,
    Instant updated,
    long version) {
  /** The longest message, image name or id kept. */
  public static final int MAX_TEXT = 255;

  /** The longest source URL. */
  public static final int MAX_URL = 2000;

  /**
   * The scheme of the source of an uploaded image: {@code csv2-upload:<sha256>} names bytes an
   * operator uploaded to a csv2 server, kept in the image cache by their SHA-256.
   */
  public static final String UPLOAD_SCHEME = "csv2-upload";

  /** Where a transfer is. */
  public enum State {
    /** Waiting for an engine to start it. */
    PENDING,
    /** An engine is moving bytes (into its cache, then to the cloud). */
    RUNNING,
    /** The image is on the target cloud. */
    DONE,
    /** It failed for good; the message says why. */
    FAILED,
    /** An operator cancelled it; no half-made image was left. */
    CANCELLED;

    /**
     * Whether the transfer is still to be carried out.
     *
     * @return true for PENDING and RUNNING
     */
    public boolean active() {
      return this == PENDING || this == RUNNING;
    }
  }

  /** Validates and bounds. */
  public ImageTransfer {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(diskFormat, "diskFormat");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
    if (image.isBlank() || image.length() > MAX_TEXT || image.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("transfer: the image name must be 1 to " + MAX_TEXT + " printable characters");
    }
    if ((source == null) == (sourceUrl == null)) {
      throw new IllegalArgumentException("transfer of " + image + ": give either a source cloud or a source URL");
    }
    if (source != null && (sourceImageId == null || sourceImageId.isBlank() || sourceImageId.length() > MAX_TEXT)) {
      throw new IllegalArgumentException("transfer of " + image + ": a source cloud needs the image's id there");
    }
    if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("transfer of " + image + ": sha256 must be 64 lower-case hex digits");
    }
    if (sourceUrl != null && sourceUrl.startsWith(UPLOAD_SCHEME + ":")) {
      if (!sourceUrl.equals(UPLOAD_SCHEME + ":" + sha256) || size < 0) {
        throw new IllegalArgumentException("transfer of " + image + ": an uploaded image's source is " + UPLOAD_SCHEME
            + ":<its sha256>, with its size");
      }
    } else if (sourceUrl != null) {
      checkUrl(sourceUrl);
    }
    if (size < -1 || bytesDone < 0 || attempts < 0 || id < 0 || version < 0) {
      throw new IllegalArgumentException("transfer of " + image + ": negative size, bytes, attempts, id or version");
    }
    if (message.length() > MAX_TEXT) {
      message = message.substring(0, MAX_TEXT - 3) + "...";
    }
    if (owner.length() > 64 || requestedBy.length() > 64) {
      throw new IllegalArgumentException("transfer of " + image + ": owner and requester are at most 64 characters");
    }
  }

  /**
   * A new transfer from a cloud's image, PENDING, not yet stored.
   *
   * @param image the name on the target
   * @param group the replicating group, or null
   * @param source the source cloud
   * @param sourceImageId the image's id there
   * @param target the target cloud
   * @param diskFormat the disk format
   * @param requestedBy who asks
   * @param now the time
   * @return the transfer
   */
  public static ImageTransfer fromCloud(
      String image, @Nullable GroupName group, CloudName source, String sourceImageId, CloudName target,
      String diskFormat, String requestedBy, Instant now) {
    return new ImageTransfer(0, image, group, source, sourceImageId, null, target, diskFormat, null, -1, 0,
        State.PENDING, "", null, 0, "", requestedBy, now, null, now, 0);
  }

  /**
   * A new transfer from a URL, PENDING, not yet stored.
   *
   * @param image the name on the target
   * @param url the http(s) URL
   * @param sha256 the expected SHA-256, or null to take what arrives
   * @param target the target cloud
   * @param diskFormat the disk format
   * @param requestedBy who asks
   * @param now the time
   * @return the transfer
   */
  public static ImageTransfer fromUrl(
      String image, URI url, @Nullable String sha256, CloudName target, String diskFormat, String requestedBy, Instant now) {
    checkUrl(url.toString());
    return new ImageTransfer(0, image, null, null, null, url.toString(), target, diskFormat, sha256, -1, 0,
        State.PENDING, "", null, 0, "", requestedBy, now, null, now, 0);
  }

  /**
   * A new transfer of bytes uploaded to a csv2 server and kept in its image cache, PENDING, not yet
   * stored. An engine whose image cache holds the bytes carries it out (docs/images.md).
   *
   * @param image the name on the target
   * @param sha256 the bytes' SHA-256, verified when they arrived
   * @param size their size
   * @param target the target cloud
   * @param diskFormat the disk format
   * @param requestedBy who uploaded
   * @param now the time
   * @return the transfer
   */
  public static ImageTransfer fromUpload(
      String image, String sha256, long size, CloudName target, String diskFormat, String requestedBy, Instant now) {
    return new ImageTransfer(0, image, null, null, null, UPLOAD_SCHEME + ":" + sha256, target, diskFormat, sha256, size, 0,
        State.PENDING, "waiting for an engine whose image cache holds the upload", null, 0, "", requestedBy, now, null, now, 0);
  }

  /**
   * Whether the bytes are an upload kept in an image cache ({@link #fromUpload}), not a cloud's
   * image or a URL's.
   *
   * @return true for an uploaded image
   */
  public boolean uploaded() {
    return sourceUrl != null && sourceUrl.startsWith(UPLOAD_SCHEME + ":");
  }

  /**
   * This transfer taken by an engine: RUNNING, one more attempt, progress from zero.
   *
   * @param engine the engine's csv2 instance id
   * @param now the time
   * @return a copy
   */
  public ImageTransfer start(String engine, Instant now) {
    return new ImageTransfer(id, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sha256, size, 0,
        State.RUNNING, attempts == 0 ? "started" : "restarted (attempt " + (attempts + 1) + ")", targetImageId,
        attempts + 1, engine, requestedBy, created, now, now, version);
  }

  /**
   * This transfer with progress.
   *
   * @param bytes the bytes moved in the current phase
   * @param what what it is doing
   * @param now the time
   * @return a copy
   */
  public ImageTransfer progress(long bytes, String what, Instant now) {
    return new ImageTransfer(id, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sha256, size, bytes,
        state, what, targetImageId, attempts, owner, requestedBy, created, started, now, version);
  }

  /**
   * This transfer with the bytes' identity known, starting its next phase.
   *
   * @param sum the SHA-256
   * @param bytes the size
   * @param what what it is doing now
   * @param now the time
   * @return a copy, progress from zero
   */
  public ImageTransfer identified(String sum, long bytes, String what, Instant now) {
    return new ImageTransfer(id, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sum, bytes, 0,
        state, what, targetImageId, attempts, owner, requestedBy, created, now, now, version);
  }

  /**
   * This transfer waiting for a copy the target cloud makes itself ({@code CloudDriver.copyImage}):
   * still RUNNING, with the copy's id, so that it is looked for again rather than copied twice.
   *
   * @param imageId the copy's id on the target
   * @param what what it is doing
   * @param now the time
   * @return a copy
   */
  public ImageTransfer copying(String imageId, String what, Instant now) {
    Objects.requireNonNull(imageId, "imageId");
    return new ImageTransfer(id, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sha256, size, bytesDone,
        state, what, imageId, attempts, owner, requestedBy, created, started, now, version);
  }

  /**
   * This transfer finished.
   *
   * @param next DONE, FAILED or CANCELLED
   * @param why what happened
   * @param imageId the target's image id (DONE), or null
   * @param now the time
   * @return a copy
   */
  public ImageTransfer finish(State next, String why, @Nullable String imageId, Instant now) {
    return new ImageTransfer(id, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sha256, size,
        next == State.DONE ? Math.max(0, size) : bytesDone, next, why, imageId, attempts, owner, requestedBy, created,
        started, now, version);
  }

  /**
   * This transfer back to PENDING, to be started again (by any engine).
   *
   * @param why what happened
   * @param now the time
   * @return a copy
   */
  public ImageTransfer retry(String why, Instant now) {
    return new ImageTransfer(id, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sha256, size, 0,
        State.PENDING, why, null, attempts, "", requestedBy, created, null, now, version);
  }

  /**
   * This transfer as a store keeps it.
   *
   * @param storedId the id
   * @param storedVersion the version
   * @return a copy
   */
  public ImageTransfer stored(long storedId, long storedVersion) {
    return new ImageTransfer(storedId, image, group, source, sourceImageId, sourceUrl, target, diskFormat, sha256, size,
        bytesDone, state, message, targetImageId, attempts, owner, requestedBy, created, started, updated, storedVersion);
  }

  /**
   * The rate of the current phase.
   *
   * @return bytes per second, 0 before any progress
   */
  public double bytesPerSecond() {
    if (started == null || bytesDone == 0) {
      return 0;
    }
    double seconds = Duration.between(started, updated).toMillis() / 1000.0;
    return seconds <= 0 ? 0 : bytesDone / seconds;
  }

  /**
   * How long the current phase still takes at its rate.
   *
   * @return the estimate, empty while the size or the rate is unknown
   */
  public Optional<Duration> eta() {
    double rate = bytesPerSecond();
    if (state != State.RUNNING || size < 0 || rate <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis((long) (Math.max(0, size - bytesDone) / rate * 1000)));
  }

  /**
   * Where the bytes come from, for messages.
   *
   * @return {@code cloud/imageId}, the URL, or {@code csv2-upload:<sha256>}
   */
  public String from() {
    return source != null ? source + "/" + sourceImageId : Objects.requireNonNull(sourceUrl);
  }

  private static void checkUrl(String url) {
    if (url.length() > MAX_URL) {
      throw new IllegalArgumentException("transfer: the source URL is longer than " + MAX_URL + " characters");
    }
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("transfer: the source URL is not a URL: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
      throw new IllegalArgumentException("transfer: the source URL must be http or https with a host");
    }
  }
}
