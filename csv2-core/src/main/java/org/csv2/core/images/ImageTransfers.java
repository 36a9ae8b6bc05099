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

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.csv2.api.CloudException;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.CloudImage;
import org.csv2.api.ops.ImageAction;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.ImageTransfer.State;
import org.csv2.model.CloudName;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.ImageCapability;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's image transfer service (docs/images.md): carries out the transfers kept in the
 * store, at most {@code parallelism} at once, each in two phases: the bytes into the {@link
 * ImageCache} (skipped when the cache has them), then from the cache to the target cloud with
 * {@link CloudDriver#uploadImage}. Progress is written to the store every {@link
 * #PROGRESS_BYTES} bytes.
 *
 * <p>A transfer is taken by writing it RUNNING with this engine as owner (optimistic lock: of two
 * engines, one wins). One that breaks with a retryable error is restarted from the cache up to
 * {@code maxAttempts} times in all; the driver has deleted the half-made image (its contract). One
 * that is RUNNING under this engine's id but not running here (the engine restarted) is taken
 * again; a PENDING one may be taken by any engine. An operator's cancel ({@link #cancel}) is seen
 * at the next progress write, which breaks the upload stream.
 *
 * <p>Thread safety: safe. {@link #poll()} may be called from any thread (the engine calls it every
 * cycle); transfers run on the service's own threads.
 */
public final class ImageTransfers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageTransfers.class);

  /** How long a copy made by the cloud itself may take to be listed, from the transfer's request. */
  static final Duration COPY_WAIT = Duration.ofHours(1);

  /** Progress is written at least every this many bytes. */
  public static final long PROGRESS_BYTES = 64L * 1024 * 1024;

  private final StateStore store;
  private final Clock clock;
  private final String engine;
  private final Function<CloudName, Optional<CloudDriver>> drivers;
  private final ImageCache cache;
  private final int parallelism;
  private final int maxAttempts;
  private final ExecutorService pool;
  private final Map<Long, Boolean> running = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> acting = new ConcurrentHashMap<>();
  private final ExecutorService actions;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  /**
   * Creates the service.
   *
   * @param store where transfers are kept
   * @param clock the engine's clock
   * @param engine this engine's csv2 instance id
   * @param drivers the driver of a cloud, if configured
   * @param cache the image cache
   * @param parallelism the most transfers at once, at least 1
   * @param maxAttempts the most starts of one transfer, at least 1
   */
  public ImageTransfers(
      StateStore store, Clock clock, String engine, Function<CloudName, Optional<CloudDriver>> drivers,
      ImageCache cache, int parallelism, int maxAttempts) {
    if (parallelism < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("image transfers: parallelism and attempts must be at least 1");
    }
    this.store = store;
    this.clock = clock;
    this.engine = engine;
    this.drivers = drivers;
    this.cache = cache;
    this.parallelism = parallelism;
    this.maxAttempts = maxAttempts;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "csv2-image-transfer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // deletes and key-pair imports are short: their own thread, never queued behind a long transfer
    this.actions = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "csv2-image-action");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Asks for a transfer.
   *
   * @param transfer a new transfer (id 0)
   * @return it as stored
   */
  public ImageTransfer submit(ImageTransfer transfer) {
    ImageTransfer stored = store.saveTransfer(transfer);
    LOG.info("image transfer {}: {} from {} to {} asked by {}", stored.id(), stored.image(), stored.from(), stored.target(), stored.requestedBy());
    return stored;
  }

  /**
   * Cancels a transfer: PENDING ones at once, RUNNING ones at their next progress write.
   *
   * @param id the transfer
   * @param by who cancels
   * @return the transfer as stored, or empty if unknown
   */
  public Optional<ImageTransfer> cancel(long id, String by) {
    for (int tries = 0; tries < 5; tries++) {
      Optional<ImageTransfer> t = store.transfer(id);
      if (t.isEmpty() || !t.get().state().active()) {
        return t;
      }
      try {
        return Optional.of(store.saveTransfer(t.get().finish(State.CANCELLED, "cancelled by " + by, null, clock.instant())));
      } catch (StateStoreException e) {
        if (e.reason() != StateStoreException.Reason.CONFLICT) {
          throw e;
        }
      }
    }
    throw new StateStoreException(StateStoreException.Reason.CONFLICT, "transfer " + id + ": kept changing while being cancelled; try again");
  }

  /**
   * Starts what may start: PENDING transfers, and this engine's RUNNING ones that no thread runs,
   * up to the parallelism.
   *
   * @return how many were started
   */
  public int poll() {
    int started = 0;
    List<ImageTransfer> active = store.transfers(true, 1000);
    for (int i = active.size() - 1; i >= 0; i--) { // oldest first
      ImageTransfer t = active.get(i);
      if (running.size() >= parallelism) {
        break;
      }
      boolean mine = t.state() == State.RUNNING && t.owner().equals(engine);
      if (running.containsKey(t.id()) || !(t.state() == State.PENDING || mine)) {
        continue;
      }
      if (t.state() == State.PENDING && t.uploaded() && cache.lookup(java.util.Objects.requireNonNull(t.sha256())).isEmpty()) {
        continue; // uploaded to a server whose cache is not this engine's: left for an engine that has the bytes
      }
      ImageTransfer claimed;
      try {
        // a copy the cloud makes is only looked for again: no new attempt, no second copy
        boolean awaitingCopy = mine && t.targetImageId() != null;
        claimed = store.saveTransfer(awaitingCopy ? t.progress(t.bytesDone(), t.message(), clock.instant()) : t.start(engine, clock.instant()));
      } catch (StateStoreException e) {
        continue; // another engine took it, or it was cancelled
      }
      if (running.putIfAbsent(claimed.id(), Boolean.TRUE) != null) {
        continue;
      }
      started++;
      pool.execute(() -> {
        try {
          run(claimed);
        } finally {
          running.remove(claimed.id());
        }
      });
    }
    return started + pollActions();
  }

  /**
   * Starts the image actions (deletes, key-pair imports) this engine can carry out: PENDING ones on
   * a cloud it has a driver for, and its own RUNNING ones no thread runs (after a restart).
   *
   * @return how many were started
   */
  private int pollActions() {
    List<ImageAction> active;
    try {
      active = store.imageActions(true, 1000);
    } catch (UnsupportedOperationException e) {
      return 0;
    }
    int started = 0;
    for (int i = active.size() - 1; i >= 0; i--) { // oldest first
      ImageAction a = active.get(i);
      boolean mine = a.state() == ImageAction.State.RUNNING && a.owner().equals(engine);
      if (acting.containsKey(a.id()) || !(a.state() == ImageAction.State.PENDING || mine) || drivers.apply(a.cloud()).isEmpty()) {
        continue;
      }
      ImageAction claimed;
      try {
        claimed = store.saveImageAction(a.to(ImageAction.State.RUNNING, "started", engine, clock.instant()));
      } catch (StateStoreException e) {
        continue; // another engine took it
      }
      if (acting.putIfAbsent(claimed.id(), Boolean.TRUE) != null) {
        continue;
      }
      started++;
      actions.execute(() -> {
        try {
          act(claimed);
        } finally {
          acting.remove(claimed.id());
        }
      });
    }
    return started;
  }

  /** Carries out one action and writes how it ended. */
  private void act(ImageAction a) {
    ImageAction.State end = ImageAction.State.DONE;
    String why;
    try {
      CloudDriver d = driver(a.cloud(), "the");
      switch (a.kind()) {
        case DELETE_IMAGE -> {
          String id = java.util.Objects.requireNonNull(a.imageId());
          if (!d.imageCapabilities().contains(ImageCapability.DELETE)) {
            throw new CloudException(CloudException.Reason.INVALID_REQUEST,
                "cloud " + a.cloud() + " deletes no images through csv2 (its driver offers " + d.imageCapabilities() + ")");
          }
          d.deleteImage(id);
          try {
            store.deleteCloudImage(a.cloud(), id);
          } catch (UnsupportedOperationException e) {
            // nothing recorded
          }
          why = "deleted " + id + " from " + a.cloud();
        }
        case IMPORT_KEY_PAIR -> {
          if (!d.imageCapabilities().contains(ImageCapability.KEY_PAIR_IMPORT)) {
            throw new CloudException(CloudException.Reason.INVALID_REQUEST,
                "cloud " + a.cloud() + " imports no key pairs through csv2 (its driver offers " + d.imageCapabilities() + ")");
          }
          if (d.keyPairs().stream().anyMatch(k -> k.name().equals(a.name()))) {
            why = "key pair " + a.name() + " is already on " + a.cloud();
          } else {
            org.csv2.api.ops.StoredKeyPair key = store.keyPairs().stream().filter(k -> k.name().equals(a.name())).findFirst()
                .orElseThrow(() -> new CloudException(CloudException.Reason.INVALID_REQUEST,
                    "key pair " + a.name() + " is no longer kept by csv2 (csv2 keypair add keeps it)"));
            d.importKeyPair(a.name(), key.publicKey());
            why = "key pair " + a.name() + " imported into " + a.cloud();
          }
        }
        default -> throw new IllegalStateException("unknown image action " + a.kind());
      }
      LOG.info("image action {}: {}", a.id(), why);
    } catch (RuntimeException e) {
      end = ImageAction.State.FAILED;
      why = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.warn("image action {} ({} {} on {}) failed: {}", a.id(), a.kind(), a.name(), a.cloud(), why);
    }
    try {
      store.saveImageAction(a.to(end, why, engine, clock.instant()));
    } catch (RuntimeException e) {
      LOG.warn("image action {}: its end ({}) was not recorded: {}", a.id(), end, e.toString());
    }
  }

  /**
   * How many transfers run on this engine now.
   *
   * @return the count
   */
  public int runningCount() {
    return running.size();
  }

  private void run(ImageTransfer first) {
    ImageTransfer t = first;
    while (true) {
      try {
        t = attempt(t);
        return;
      } catch (Cancelled c) {
        LOG.info("image transfer {}: cancelled; no image was left on {}", t.id(), t.target());
        cache.discardPart("transfer-" + t.id());
        return;
      } catch (CloudException e) {
        ImageTransfer latest = reread(t);
        if (latest == null || !latest.state().active()) {
          return;
        }
        if (e.retryable() && latest.attempts() < maxAttempts) {
          LOG.info("image transfer {}: attempt {} broke ({}); restarting", t.id(), latest.attempts(), e.getMessage());
          t = save(latest.start(engine, clock.instant()));
          if (t == null) {
            return;
          }
          continue;
        }
        save(latest.finish(State.FAILED, e.getMessage() == null ? e.toString() : e.getMessage(), null, clock.instant()));
        LOG.warn("image transfer {}: failed: {}", t.id(), e.getMessage());
        return;
      } catch (RuntimeException e) {
        ImageTransfer latest = reread(t);
        if (latest != null && latest.state().active()) {
          save(latest.finish(State.FAILED, "csv2 bug or bad input: " + e, null, clock.instant()));
        }
        LOG.error("image transfer {}: failed", t.id(), e);
        return;
      }
    }
  }

  private ImageTransfer attempt(ImageTransfer start) {
    ImageTransfer t = start;
    CloudDriver target = driver(t.target(), "the target");
    String region = copyRegion(t, target);
    if (region == null && !target.imageCapabilities().contains(ImageCapability.UPLOAD)) {
      throw new CloudException(CloudException.Reason.INVALID_REQUEST,
          "cloud " + t.target() + " takes no image uploads (its driver offers " + target.imageCapabilities() + ")");
    }
    for (Image i : target.images()) {
      if (i.name().equals(t.image())) {
        ImageTransfer done = save(t.finish(State.DONE, "already on " + t.target(), i.id(), clock.instant()));
        if (done == null) {
          throw new Cancelled();
        }
        return done;
      }
    }
    if (region != null) {
      return copy(t, target, region);
    }
    ImageCache.Entry entry = cached(t);
    Progress p = new Progress(save(t.identified(entry.sha256(), entry.size(), "uploading to " + t.target(), clock.instant())));
    ImageUpload spec = new ImageUpload(t.image(), t.diskFormat(), "bare", entry.sha256(), entry.size(), "private", List.of("csv2"));
    Image made;
    try (InputStream in = new Counting(cache.open(entry.sha256()), p, "uploading to " + t.target())) {
      made = target.uploadImage(spec, in);
    } catch (IOException e) {
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "image transfer " + t.id() + ": reading the cache: " + e.getMessage(), e);
    } catch (CloudException e) {
      if (p.cancelled) {
        throw new Cancelled();
      }
      throw e;
    }
    ImageTransfer done = save(p.current.finish(State.DONE, "on " + t.target() + " as " + made.id(), made.id(), clock.instant()));
    if (done == null) {
      // cancelled after the bytes arrived: take the image away again
      target.deleteImage(made.id());
      throw new Cancelled();
    }
    LOG.info("image transfer {}: {} is on {} as {} ({} bytes, sha256 {})", t.id(), t.image(), t.target(), made.id(), entry.size(), entry.sha256());
    record(new CloudImage(t.target(), made.id(), t.image(), entry.sha256(), entry.size(), clock.instant()));
    return done;
  }

  /**
   * The region to copy from when the target cloud can copy the image from the source cloud itself
   * ({@link CloudDriver#copySource}), or null to move the bytes through the cache.
   */
  private @Nullable String copyRegion(ImageTransfer t, CloudDriver target) {
    if (t.source() == null || !target.imageCapabilities().contains(ImageCapability.COPY)) {
      return null;
    }
    Optional<CloudDriver> from = drivers.apply(t.source());
    return from.isEmpty() ? null : target.copySource(from.get()).orElse(null);
  }

  /**
   * The cloud copies the image itself ({@link CloudDriver#copyImage}). The transfer is DONE once the
   * target lists the copy (an EC2 copy is listed when it is available): at once, or at a later
   * {@link #poll()} (the transfer stays RUNNING meanwhile, with the copy's id, and is not copied
   * again); a copy not listed {@link #COPY_WAIT} after the transfer was asked is deleted and the
   * transfer FAILED.
   */
  private ImageTransfer copy(ImageTransfer t, CloudDriver target, String region) {
    ImageTransfer current = t;
    String copyId = t.targetImageId();
    if (copyId == null) {
      copyId = target.copyImage(java.util.Objects.requireNonNull(t.sourceImageId()), region, t.image()).id();
      current = save(t.copying(copyId, "the cloud copies " + t.from() + " from region " + region + " as " + copyId, clock.instant()));
      if (current == null) {
        target.deleteImage(copyId);
        throw new Cancelled();
      }
    }
    for (Image i : target.images()) {
      if (i.id().equals(copyId) || i.name().equals(t.image())) {
        ImageTransfer done = save(current.finish(
            State.DONE, "on " + t.target() + " as " + i.id() + " (copied by the cloud from region " + region + ")", i.id(), clock.instant()));
        if (done == null) {
          target.deleteImage(copyId);
          throw new Cancelled();
        }
        LOG.info("image transfer {}: {} copied by cloud {} from {} as {}", t.id(), t.image(), t.target(), t.from(), i.id());
        record(new CloudImage(t.target(), i.id(), t.image(), t.sha256(), t.size(), clock.instant()));
        return done;
      }
    }
    if (clock.instant().isAfter(t.created().plus(COPY_WAIT))) {
      target.deleteImage(copyId);
      throw new CloudException(CloudException.Reason.INVALID_REQUEST,
          "image transfer " + t.id() + ": the cloud's copy " + copyId + " on " + t.target() + " was not listed within " + COPY_WAIT
              + " of the request; deleted");
    }
    LOG.debug("image transfer {}: copy {} on {} not listed yet; looked for again at the next poll", t.id(), copyId, t.target());
    return current;
  }

  /** The bytes in the cache: a hit by checksum, or a fill from the source. */
  private ImageCache.Entry cached(ImageTransfer t) {
    if (t.sha256() != null) {
      Optional<ImageCache.Entry> hit = cache.lookup(t.sha256());
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    if (t.uploaded()) {
      throw new CloudException(CloudException.Reason.INVALID_REQUEST, "image transfer " + t.id() + ": the uploaded bytes (sha256 "
          + t.sha256() + ") are no longer in the image cache of engine " + engine + " (evicted): upload the image again");
    }
    Progress p = new Progress(save(t.progress(0, "caching from " + t.from(), clock.instant())));
    ImageCache.Source source;
    if (t.source() != null) {
      CloudDriver from = driver(t.source(), "the source");
      if (!from.imageCapabilities().contains(ImageCapability.DOWNLOAD)) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST,
            "cloud " + t.source() + " cannot send image bytes (its driver offers " + from.imageCapabilities() + ")");
      }
      String id = java.util.Objects.requireNonNull(t.sourceImageId());
      source = offset -> from.downloadImage(id, offset);
    } else {
      URI url = URI.create(java.util.Objects.requireNonNull(t.sourceUrl()));
      source = offset -> fetch(url, offset);
    }
    ImageCache.Entry e = cache.fill("transfer-" + t.id(), t.sha256(), t.size(), source, p::bytes);
    if (p.cancelled) {
      throw new Cancelled();
    }
    return e;
  }

  private InputStream fetch(URI url, long offset) throws IOException {
    HttpRequest.Builder get = HttpRequest.newBuilder(url).GET();
    if (offset > 0) {
      get.header("Range", "bytes=" + offset + "-");
    }
    HttpResponse<InputStream> r;
    try {
      r = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (r.statusCode() != 200 && r.statusCode() != 206) {
      r.body().close();
      throw new CloudException(CloudException.Reason.INVALID_REQUEST, "GET " + url + " answered HTTP " + r.statusCode());
    }
    InputStream in = r.body();
    if (offset > 0 && r.statusCode() == 200) {
      in.skipNBytes(offset);
    }
    return in;
  }

  /** Puts an image that arrived in the matrix at once (the cloud's list is read again only every flavor-refresh). */
  private void record(CloudImage image) {
    try {
      store.saveCloudImage(image);
    } catch (RuntimeException e) {
      LOG.debug("image {} on {}: not recorded in the matrix ({})", image.id(), image.cloud(), e.toString());
    }
  }

  private CloudDriver driver(CloudName cloud, String what) {
    return drivers.apply(cloud).orElseThrow(() -> new CloudException(
        CloudException.Reason.INVALID_REQUEST, what + " cloud " + cloud + " is not configured on engine " + engine));
  }

  /** Writes a transfer; null if it was cancelled meanwhile (the write then conflicts). */
  private ImageTransfer save(ImageTransfer t) {
    try {
      return store.saveTransfer(t);
    } catch (StateStoreException e) {
      if (e.reason() != StateStoreException.Reason.CONFLICT) {
        throw e;
      }
      ImageTransfer latest = reread(t);
      if (latest == null || !latest.state().active()) {
        return null;
      }
      return store.saveTransfer(t.stored(t.id(), latest.version()));
    }
  }

  private ImageTransfer reread(ImageTransfer t) {
    return store.transfer(t.id()).orElse(null);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    actions.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
      actions.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Progress of one phase, written every {@link #PROGRESS_BYTES}; notices a cancel. */
  private final class Progress {
    ImageTransfer current;
    long lastWritten;
    volatile boolean cancelled;

    Progress(ImageTransfer t) {
      if (t == null) {
        throw new Cancelled();
      }
      this.current = t;
    }

    void bytes(long done) {
      if (done - lastWritten < PROGRESS_BYTES) {
        return;
      }
      lastWritten = done;
      ImageTransfer next = save(current.progress(done, current.message(), clock.instant()));
      if (next == null) {
        cancelled = true;
        throw new CloudException(CloudException.Reason.INVALID_REQUEST, "transfer " + current.id() + " was cancelled");
      }
      current = next;
    }
  }

  /** Counts the bytes read and reports them; a cancel breaks the stream. */
  private static final class Counting extends FilterInputStream {
    private final Progress progress;
    private long count;

    Counting(InputStream in, Progress progress, String what) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, Math.min(len, ImageCache.BUFFER));
      if (n > 0) {
        count += n;
        try {
          progress.bytes(count);
        } catch (CloudException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
      return n;
    }
  }

  /** The transfer was cancelled by an operator. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }
}
