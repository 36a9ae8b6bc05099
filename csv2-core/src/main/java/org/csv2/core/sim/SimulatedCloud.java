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

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.csv2.api.CloudException;
import org.csv2.api.ConfigurationException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated cloud (one project on one endpoint) inside a {@link SimulatedWorld}: its flavors,
 * images, quota, the usage of others, and every instance ever booted on it by any engine.
 *
 * <p>Semantics of its drivers ({@link #driver(String)}):
 *
 * <ul>
 *   <li>{@code boot} checks the flavor and the image ({@code INVALID_REQUEST} naming them), then the
 *       quota ({@code QUOTA_EXCEEDED} when used + foreign + requested exceeds a limited component),
 *       then draws the injected failures; it creates the instances PENDING with the request's tags
 *       plus {@link Csv2Tags}; each becomes ACTIVE (or ERROR, if so injected) after its boot delay,
 *       evaluated lazily at the clock's time.
 *   <li>{@code instances} lists the instances tagged with the driver's engine instance id that are
 *       not gone.
 *   <li>{@code terminate} is idempotent: the instance is TERMINATING for the configured {@code
 *       terminate-delay}, then gone (TERMINATED, no longer listed); with the default delay of 0 it
 *       is gone at once. It stops counting against the quota when it is gone.
 *   <li>{@code capacity} reports the quota and the usage: foreign usage plus every instance not
 *       gone, of every engine.
 *   <li>{@code opportunisticPolicy} parses what {@link #setAdministratorMetadata} set, as a real
 *       cloud's driver parses its administrators' metadata.
 * </ul>
 *
 * <p>Scripted failures ({@link #failNext}) come before everything else and make the next call of
 * that method throw without acting.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; guarded by the world's lock.
 */
public final class SimulatedCloud {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCloud.class);
  private static final Set<String> METHODS =
      Set.of("flavors", "images", "capacity", "boot", "instances", "terminate");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What a cloud has done so far.
   *
   * @param bootCalls boot calls received
   * @param instancesBooted instances created
   * @param instancesTerminated instances terminated
   * @param quotaRefusals boot calls refused for quota
   * @param invalidRequests boot calls refused for an unknown flavor or image
   * @param bootErrors injected boot errors (UNAVAILABLE, nothing created)
   * @param capacityErrors injected capacity errors (CAPACITY_UNAVAILABLE, nothing created)
   * @param lostReplies injected lost replies (instances created, then UNAVAILABLE)
   * @param timeouts injected time-outs (instances created, then UNAVAILABLE "timed out")
   * @param errorsAfterBoot instances injected to go to ERROR instead of ACTIVE
   * @param scriptedFailures failures scripted with {@link #failNext}, all methods
   */
  public record Counters(
      long bootCalls,
      long instancesBooted,
      long instancesTerminated,
      long quotaRefusals,
      long invalidRequests,
      long bootErrors,
      long capacityErrors,
      long lostReplies,
      long timeouts,
      long errorsAfterBoot,
      long scriptedFailures) {
    /**
     * Every injected boot failure: boot errors, capacity errors, lost replies, time-outs and errors
     * after boot (not scripted failures, quota refusals or invalid requests).
     *
     * @return the sum
     */
    public long bootFailuresInjected() {
      return bootErrors + capacityErrors + lostReplies + timeouts + errorsAfterBoot;
    }
  }

  /** One instance's timeline; its state at any time follows from it. */
  static final class SimInstance {
    final InstanceId id;
    final VmId name;
    final Flavor flavor;
    final Map<String, String> tags;
    final Instant bootedAt;
    final Instant readyAt;
    final boolean fails;
    @Nullable Instant terminatedAt;
    @Nullable Instant goneAt;
    private @Nullable Instance view;

    SimInstance(
        InstanceId id,
        VmId name,
        Flavor flavor,
        Map<String, String> tags,
        Instant bootedAt,
        Instant readyAt,
        boolean fails) {
      this.id = id;
      this.name = name;
      this.flavor = flavor;
      this.tags = Map.copyOf(tags);
      this.bootedAt = bootedAt;
      this.readyAt = readyAt;
      this.fails = fails;
    }

    InstanceState state(Instant now) {
      if (goneAt != null && !now.isBefore(goneAt)) {
        return InstanceState.TERMINATED;
      }
      if (terminatedAt != null) {
        return InstanceState.TERMINATING;
      }
      if (now.isBefore(readyAt)) {
        return InstanceState.PENDING;
      }
      return fails ? InstanceState.ERROR : InstanceState.ACTIVE;
    }

    boolean gone(Instant now) {
      return goneAt != null && !now.isBefore(goneAt);
    }

    Instance view(Instant now) {
      InstanceState s = state(now);
      Instance v = view;
      if (v == null || v.state() != s) {
        String fault = s == InstanceState.ERROR ? "simulated boot failure (injected)" : "";
        v = new Instance(id, name, flavor.name(), s, fault, tags, bootedAt);
        view = v;
      }
      return v;
    }
  }

  private final SimulatedWorld world;
  private final CloudName name;
  private SimulatedCloudConfig config;
  private List<Flavor> flavors;
  private Map<FlavorName, Flavor> flavorsByName;
  private List<Image> images;
  private final SimulatedImages imageStore;
  private Limits quota;
  private Limits foreign;
  private Map<String, String> administratorMetadata = Map.of();
  private final SplittableRandom rng;
  private final Map<InstanceId, SimInstance> live = new LinkedHashMap<>();
  /**
   * The answers of {@code instances()} per engine and of the usage, kept until an instance is
   * booted or terminated or the next instance changes state on its own ({@link #viewsUntil}): an
   * engine reads every cycle, mostly with nothing changed.
   */
  private final Map<String, List<Instance>> views = new HashMap<>();
  private @Nullable Limits usedView;
  /** When the cached answers expire (an instance becomes ACTIVE or gone), null if never. */
  private @Nullable Instant viewsUntil;
  private final List<SimInstance> all = new ArrayList<>();
  private final Map<String, Deque<CloudException.Reason>> scripted = new HashMap<>();
  private int lostRepliesScripted;
  private long nextId = 1;
  private long bootCalls;
  private long instancesBooted;
  private long instancesTerminated;
  private long quotaRefusals;
  private long invalidRequests;
  private long bootErrors;
  private long capacityErrors;
  private long lostReplies;
  private long timeouts;
  private long errorsAfterBoot;
  private long scriptedFailures;

  SimulatedCloud(SimulatedWorld world, CloudName name, SimulatedCloudConfig config) {
    this.world = world;
    this.name = name;
    this.config = config;
    this.flavors = config.modelFlavors();
    this.flavorsByName = index(flavors);
    this.images = images(config);
    this.imageStore = new SimulatedImages(name.value());
    this.quota = Objects.requireNonNull(config.quota()).limits();
    this.foreign = Objects.requireNonNull(config.foreignUsage()).limits();
    long s = config.seed() != null ? config.seed() : world.seed() * 31 + name.value().hashCode();
    this.rng = new SplittableRandom(s);
  }

  /**
   * The cloud's name.
   *
   * @return the name
   */
  public CloudName name() {
    return name;
  }

  /**
   * The cloud's configuration.
   *
   * @return the configuration
   */
  public SimulatedCloudConfig config() {
    synchronized (world.lock) {
      return config;
    }
  }

  /**
   * A driver for one engine: it lists only instances tagged with {@code engineInstanceId} and tags
   * what it boots with it.
   *
   * @param engineInstanceId the engine's csv2 instance id
   * @return the driver
   */
  public CloudDriver driver(String engineInstanceId) {
    return new SimulatedCloudDriver(this, Objects.requireNonNull(engineInstanceId, "engineInstanceId"));
  }

  /**
   * Makes the next call of a driver method fail without acting. Several scripted failures of one
   * method are used in order.
   *
   * @param method {@code flavors}, {@code images}, {@code capacity}, {@code boot}, {@code
   *     instances} or {@code terminate}
   * @param reason the reason of the exception
   */
  public void failNext(String method, CloudException.Reason reason) {
    Objects.requireNonNull(reason, "reason");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("unknown method '" + method + "'; use one of " + METHODS);
    }
    synchronized (world.lock) {
      scripted.computeIfAbsent(method, k -> new ArrayDeque<>()).add(reason);
    }
  }

  /**
   * Makes the next boot call that would succeed create its instances and then fail with
   * UNAVAILABLE, as if the reply were lost.
   */
  public void loseNextBootReply() {
    synchronized (world.lock) {
      lostRepliesScripted++;
    }
  }

  /**
   * Sets the metadata the cloud's administrators govern opportunistic use with (the keys of {@link
   * org.csv2.spi.OpportunisticMetadata}), replacing what was set; an empty map governs nothing. The
   * drivers' {@code opportunisticPolicy()} reads it from the next call on.
   *
   * @param metadata the key/value pairs
   */
  public void setAdministratorMetadata(Map<String, String> metadata) {
    Objects.requireNonNull(metadata, "metadata");
    synchronized (world.lock) {
      administratorMetadata = Map.copyOf(metadata);
    }
  }

  /**
   * Changes what others use in the project.
   *
   * @param usage the foreign usage
   */
  public void setForeignUsage(Limits usage) {
    Objects.requireNonNull(usage, "usage");
    synchronized (world.lock) {
      foreign = usage;
    }
  }

  /**
   * Every instance ever booted on this cloud, by any engine, in boot order, in its state at the
   * clock's time (gone ones as TERMINATED).
   *
   * @return the instances
   */
  public List<Instance> instances() {
    synchronized (world.lock) {
      world.sync();
      Instant now = world.now();
      List<Instance> out = new ArrayList<>(all.size());
      for (SimInstance i : all) {
        out.add(i.view(now));
      }
      return List.copyOf(out);
    }
  }

  /**
   * What the cloud has done so far.
   *
   * @return the counters
   */
  public Counters counters() {
    synchronized (world.lock) {
      return new Counters(
          bootCalls,
          instancesBooted,
          instancesTerminated,
          quotaRefusals,
          invalidRequests,
          bootErrors,
          capacityErrors,
          lostReplies,
          timeouts,
          errorsAfterBoot,
          scriptedFailures);
    }
  }

  /**
   * The quota and the usage, as a driver reports them.
   *
   * @return the capacity
   */
  public CloudCapacity capacity() {
    synchronized (world.lock) {
      world.sync();
      Instant now = world.now();
      expireViews(now);
      Limits used = usedView;
      if (used == null) {
        used = usedByInstances(now);
        usedView = used;
      }
      return new CloudCapacity(quota, foreign.plus(used));
    }
  }

  // ---- driver verbs, package-private ----

  List<Flavor> flavors() {
    synchronized (world.lock) {
      scripted("flavors");
      return flavors;
    }
  }

  List<Image> imageList() {
    synchronized (world.lock) {
      scripted("images");
      return bootableImages();
    }
  }

  /** The configured images and the ACTIVE ones uploaded, copied or added since. */
  private List<Image> bootableImages() {
    List<Image> extra = imageStore.active();
    if (extra.isEmpty()) {
      return images;
    }
    List<Image> out = new ArrayList<>(images);
    out.addAll(extra);
    return out;
  }

  /** The configured image with this id, if any (their ids are their names). */
  @Nullable Image configuredImage(String id) {
    synchronized (world.lock) {
      return images.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
    }
  }

  SimulatedImages imageStore() {
    return imageStore;
  }

  /**
   * Adds an ACTIVE image whose bytes are a file (a sparse file makes a large image cheaply); it can
   * be downloaded, copied and booted.
   *
   * @param imageName the image's name
   * @param file the bytes
   * @return the image
   */
  public Image addImageFile(String imageName, java.nio.file.Path file) {
    try {
      return imageStore.addFile(imageName, file, java.nio.file.Files.size(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Makes the next image upload fail with UNAVAILABLE after this many bytes arrived, as a dropped
   * connection does; the half-made image stays SAVING until the driver deletes it.
   *
   * @param bytes how many bytes arrive first
   */
  public void dropNextUploadAfter(long bytes) {
    imageStore.dropNextUploadAfter(bytes);
  }

  /**
   * Makes the next image download break after this many bytes ({@code IOException} from read).
   *
   * @param bytes how many bytes are sent first
   */
  public void dropNextDownloadAfter(long bytes) {
    imageStore.dropNextDownloadAfter(bytes);
  }

  /**
   * Every image uploaded, copied or added, whatever its state, as {@code name=STATE}: a half-made
   * image shows as QUEUED or SAVING.
   *
   * @return the images
   */
  public List<String> storedImages() {
    return imageStore.all().stream().map(i -> i.name() + "=" + i.state()).toList();
  }

  /**
   * How many uploads were started.
   *
   * @return the count
   */
  public long uploadsStarted() {
    return imageStore.uploadsStarted();
  }

  org.csv2.model.OpportunisticPolicy opportunisticPolicy() {
    synchronized (world.lock) {
      scripted("opportunisticPolicy");
      return org.csv2.spi.OpportunisticMetadata.parse(administratorMetadata, "metadata of simulated cloud " + name);
    }
  }

  CloudCapacity capacityVerb() {
    synchronized (world.lock) {
      scripted("capacity");
      return capacity();
    }
  }

  List<Instance> instancesOf(String engineInstanceId) {
    synchronized (world.lock) {
      scripted("instances");
      world.sync();
      Instant now = world.now();
      expireViews(now);
      List<Instance> cached = views.get(engineInstanceId);
      if (cached != null) {
        return cached;
      }
      prune(now);
      List<Instance> out = new ArrayList<>();
      for (SimInstance i : live.values()) {
        if (engineInstanceId.equals(i.tags.get(Csv2Tags.INSTANCE_ID))) {
          out.add(i.view(now));
        }
      }
      List<Instance> answer = List.copyOf(out);
      views.put(engineInstanceId, answer);
      return answer;
    }
  }

  List<Instance> boot(String engineInstanceId, BootRequest request) {
    synchronized (world.lock) {
      scripted("boot");
      world.sync();
      Instant now = world.now();
      bootCalls++;
      Flavor flavor = flavorsByName.get(request.flavor());
      if (flavor == null) {
        invalidRequests++;
        throw new CloudException(
            CloudException.Reason.INVALID_REQUEST,
            String.format(
                "cloud %s: unknown flavor '%s'; this cloud has %s",
                name, request.flavor(), flavorsByName.keySet()));
      }
      List<Image> bootable = bootableImages();
      if (bootable.stream().noneMatch(i -> i.matches(request.image()))) {
        invalidRequests++;
        throw new CloudException(
            CloudException.Reason.INVALID_REQUEST,
            String.format(
                "cloud %s: unknown image '%s'; this cloud has %s",
                name, request.image(), bootable.stream().map(Image::name).toList()));
      }
      int count = request.count();
      Resources r = flavor.resources();
      prune(now);
      Limits used = foreign.plus(usedByInstances(now));
      checkQuota("cores", used.cores(), (long) r.cores() * count, quota.cores(), count, flavor);
      checkQuota("ram-mib", used.ramMiB(), r.ramMiB() * count, quota.ramMiB(), count, flavor);
      checkQuota("instances", used.instances(), count, quota.instances(), count, flavor);
      SimulatedCloudConfig.Failures f = Objects.requireNonNull(config.failures());
      if (draw(f.capacityErrorRate())) {
        capacityErrors++;
        throw new CloudException(
            CloudException.Reason.CAPACITY_UNAVAILABLE,
            String.format("cloud %s: no valid host for %d x %s (injected)", name, count, flavor.name()));
      }
      if (draw(f.bootErrorRate())) {
        bootErrors++;
        throw new CloudException(
            CloudException.Reason.UNAVAILABLE,
            String.format("cloud %s: boot of %d x %s failed with HTTP 500 (injected)", name, count, flavor.name()));
      }
      SimulatedCloudConfig.BootDelay delay = Objects.requireNonNull(config.bootDelay());
      long minMs = Objects.requireNonNull(delay.min()).toMillis();
      long maxMs = Objects.requireNonNull(delay.max()).toMillis();
      List<Instance> out = new ArrayList<>(count);
      for (VmId vm : request.names()) {
        Map<String, String> tags = new HashMap<>(request.tags());
        tags.put(Csv2Tags.INSTANCE_ID, engineInstanceId);
        tags.put(Csv2Tags.GROUP, request.group().value());
        tags.put(Csv2Tags.CLOUD, name.value());
        tags.put(Csv2Tags.VM_NAME, vm.value());
        long d = maxMs == minMs ? minMs : minMs + rng.nextLong(maxMs - minMs + 1);
        boolean fails = draw(f.errorRateAfterBoot());
        if (fails) {
          errorsAfterBoot++;
        }
        InstanceId id = InstanceId.of(String.format(Locale.ROOT, "%s-%08d", name.value(), nextId++));
        SimInstance inst = new SimInstance(id, vm, flavor, tags, now, now.plusMillis(d), fails);
        live.put(id, inst);
        changed();
        all.add(inst);
        instancesBooted++;
        world.instanceCreated(this, inst, true);
        out.add(inst.view(now));
      }
      persist();
      boolean lost = draw(f.lostReplyRate());
      boolean timedOut = draw(f.timeoutRate());
      if (!lost && !timedOut && lostRepliesScripted > 0) {
        lostRepliesScripted--;
        scriptedFailures++;
        lost = true;
      } else if (lost) {
        lostReplies++;
      } else if (timedOut) {
        timeouts++;
      }
      if (lost) {
        throw new CloudException(
            CloudException.Reason.UNAVAILABLE,
            String.format(
                "cloud %s: no reply to the boot of %s (connection reset; injected)",
                name, request.names()));
      }
      if (timedOut) {
        throw new CloudException(
            CloudException.Reason.UNAVAILABLE,
            String.format("cloud %s: boot of %s timed out (injected)", name, request.names()));
      }
      return List.copyOf(out);
    }
  }

  void terminate(InstanceId id) {
    synchronized (world.lock) {
      scripted("terminate");
      world.sync();
      Instant now = world.now();
      SimInstance inst = live.get(id);
      if (inst == null || inst.terminatedAt != null) {
        return;
      }
      inst.terminatedAt = now;
      inst.goneAt = now.plus(Objects.requireNonNull(config.terminateDelay()));
      changed();
      instancesTerminated++;
      world.instanceTerminated(inst, now);
      prune(now);
      persist();
    }
  }

  void reconfigure(SimulatedCloudConfig newConfig) {
    log.info("simulated cloud {} reconfigured", name);
    config = newConfig;
    flavors = newConfig.modelFlavors();
    flavorsByName = index(flavors);
    images = images(newConfig);
    quota = Objects.requireNonNull(newConfig.quota()).limits();
    foreign = Objects.requireNonNull(newConfig.foreignUsage()).limits();
  }

  // ---- state file ----

  /** The saved form of an instance. */
  record StoredInstance(
      String id,
      String name,
      String flavor,
      int cores,
      long ramMib,
      long diskGib,
      int gpus,
      double pricePerHour,
      Map<String, String> tags,
      Instant bootedAt,
      Instant readyAt,
      boolean fails,
      @Nullable Instant terminatedAt,
      @Nullable Instant goneAt) {}

  /** The saved form of a cloud. */
  record StoredCloud(String cloud, long nextId, List<StoredInstance> instances) {}

  void load() {
    Path file = stateFile();
    if (file == null || !Files.exists(file)) {
      return;
    }
    StoredCloud stored;
    try {
      stored = JSON.readValue(file.toFile(), StoredCloud.class);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(
          "cloud " + name + ": state-file " + file + " cannot be read (" + e.getMessage()
              + "); delete it to start with an empty cloud",
          e);
    }
    nextId = Math.max(nextId, stored.nextId());
    Instant now = world.now();
    for (StoredInstance s : stored.instances()) {
      Flavor flavor =
          new Flavor(
              FlavorName.of(s.flavor()),
              new Resources(s.cores(), s.ramMib(), s.diskGib(), 0, s.gpus()),
              s.pricePerHour(),
              true,
              Map.of());
      SimInstance inst =
          new SimInstance(
              InstanceId.of(s.id()), VmId.of(s.name()), flavor, s.tags(), s.bootedAt(), s.readyAt(), s.fails());
      inst.terminatedAt = s.terminatedAt();
      inst.goneAt = s.goneAt();
      if (inst.gone(now)) {
        continue;
      }
      live.put(inst.id, inst);
      changed();
      all.add(inst);
      if (inst.terminatedAt == null) {
        world.instanceCreated(this, inst, false);
      }
    }
    log.info("simulated cloud {}: {} instances loaded from {}", name, live.size(), file);
  }

  private void persist() {
    Path file = stateFile();
    if (file == null) {
      return;
    }
    List<StoredInstance> list = new ArrayList<>(live.size());
    for (SimInstance i : live.values()) {
      Resources r = i.flavor.resources();
      list.add(
          new StoredInstance(
              i.id.value(),
              i.name.value(),
              i.flavor.name().value(),
              r.cores(),
              r.ramMiB(),
              r.diskGiB(),
              r.gpus(),
              i.flavor.pricePerHour(),
              i.tags,
              i.bootedAt,
              i.readyAt,
              i.fails,
              i.terminatedAt,
              i.goneAt));
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), new StoredCloud(name.value(), nextId, list));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.warn("simulated cloud {}: cannot write state-file {}; the state will not outlive this process", name, file, e);
    }
  }

  private @Nullable Path stateFile() {
    String f = config.stateFile();
    return f == null || f.isBlank() ? null : Path.of(f);
  }

  // ---- helpers ----

  private void scripted(String method) {
    Deque<CloudException.Reason> q = scripted.get(method);
    if (q != null && !q.isEmpty()) {
      CloudException.Reason reason = q.poll();
      scriptedFailures++;
      throw new CloudException(
          reason, String.format("cloud %s: %s failed: scripted %s failure", name, method, reason));
    }
  }

  private boolean draw(@Nullable Double rate) {
    double p = rate == null ? 0.0 : rate;
    return p > 0 && rng.nextDouble() < p;
  }

  private void checkQuota(String what, long used, long asked, long max, int count, Flavor flavor) {
    if (max >= 0 && used + asked > max) {
      quotaRefusals++;
      throw new CloudException(
          CloudException.Reason.QUOTA_EXCEEDED,
          String.format(
              "cloud %s: quota exceeded for %s: %d used + %d asked for %d x %s > %d allowed",
              name, what, used, asked, count, flavor.name(), max));
    }
  }

  /** Drops the cached answers when an instance has changed state on its own since they were made. */
  private void expireViews(Instant now) {
    if (viewsUntil != null && !now.isBefore(viewsUntil)) {
      changed();
    }
    if (views.isEmpty() && usedView == null) {
      viewsUntil = nextChange(now);
    }
  }

  /** Drops the cached answers: an instance was booted, terminated or loaded. */
  private void changed() {
    views.clear();
    usedView = null;
    viewsUntil = null;
  }

  /** The next time an instance changes state on its own (ACTIVE or ERROR, then gone), or null. */
  private @Nullable Instant nextChange(Instant now) {
    Instant next = null;
    for (SimInstance i : live.values()) {
      Instant t = i.terminatedAt == null ? i.readyAt : i.goneAt;
      if (t != null && now.isBefore(t) && (next == null || t.isBefore(next))) {
        next = t;
      }
    }
    return next;
  }

  private Limits usedByInstances(Instant now) {
    long cores = 0;
    long ram = 0;
    int n = 0;
    for (SimInstance i : live.values()) {
      if (!i.gone(now)) {
        cores += i.flavor.resources().cores();
        ram += i.flavor.resources().ramMiB();
        n++;
      }
    }
    return new Limits((int) Math.min(Integer.MAX_VALUE, cores), ram, n);
  }

  private void prune(Instant now) {
    for (Iterator<SimInstance> it = live.values().iterator(); it.hasNext(); ) {
      if (it.next().gone(now)) {
        it.remove();
      }
    }
  }

  private static Map<FlavorName, Flavor> index(List<Flavor> flavors) {
    Map<FlavorName, Flavor> m = new LinkedHashMap<>();
    for (Flavor f : flavors) {
      m.put(f.name(), f);
    }
    return m;
  }

  private static List<Image> images(SimulatedCloudConfig config) {
    List<Image> out = new ArrayList<>();
    for (String n : Objects.requireNonNull(config.images())) {
      out.add(new Image(n, n));
    }
    return List.copyOf(out);
  }
}
