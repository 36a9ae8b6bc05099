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

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.ImageSettings;
import org.csv2.core.planning.CloudView;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.KeyPair;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.ImageCapability;
import org.csv2.spi.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication (docs/images.md): keeps each replicated group's default image and key pair on every
 * cloud the group uses, and keeps the planner from booting there before the image arrived.
 *
 * <p>Each cycle, for every held group named in {@code images.replicate} with a default image: each
 * enabled allocation without an image of its own needs that image on its cloud. A cloud whose
 * observed images lack it, and that has no DONE transfer of it, is <em>waiting</em>: if no
 * transfer of that image to that cloud is active, one is asked for from a cloud that lists it and
 * can send bytes. {@link #gate} then drops the group's boots on waiting clouds with the note
 * "waiting for image X on cloud Y". Every {@link #KEY_CHECK_CYCLES} cycles the group's default key
 * pair is imported into clouds that lack it, from the public key csv2 keeps.
 *
 * <p>Thread safety: called from the engine's cycle thread only.
 */
public final class ImageReplication {
  private static final Logger LOG = LoggerFactory.getLogger(ImageReplication.class);

  /** How often (in cycles) key pairs are checked; they need a driver call per cloud. */
  public static final int KEY_CHECK_CYCLES = 10;

  private final StateStore store;
  private final Clock clock;
  private final Function<CloudName, Optional<CloudDriver>> drivers;
  private final ImageTransfers transfers;
  private long cycles;
  /** (group, cloud) to the image it waits for; recomputed each cycle. */
  private Map<GroupName, Map<CloudName, String>> waiting = Map.of();

  /**
   * Creates the replication.
   *
   * @param store the state store (transfers, kept public keys)
   * @param clock the engine's clock
   * @param drivers the driver of a cloud as the engine has it now (clouds added or replaced while
   *     the engine runs included), empty for a cloud it does not know
   * @param transfers the transfer service
   */
  public ImageReplication(
      StateStore store, Clock clock, Function<CloudName, Optional<CloudDriver>> drivers, ImageTransfers transfers) {
    this.store = store;
    this.clock = clock;
    this.drivers = drivers;
    this.transfers = transfers;
  }

  /**
   * One cycle: finds what is missing, asks for transfers, imports key pairs, starts transfers.
   *
   * @param cfg the configuration
   * @param views the clouds as observed this cycle
   * @param held the groups this engine holds
   * @param failures where problems are reported
   */
  public void cycle(Csv2Config cfg, Map<CloudName, CloudView> views, Set<GroupName> held, List<String> failures) {
    cycles++;
    ImageSettings settings = cfg.images();
    List<ImageTransfer> recent;
    try {
      recent = store.transfers(false, 1000);
    } catch (RuntimeException e) {
      failures.add("image replication: reading transfers failed: " + e.getMessage());
      return;
    }
    Map<GroupName, Map<CloudName, String>> now = new LinkedHashMap<>();
    for (GroupName g : settings.replicate()) {
      Optional<Group> group = cfg.group(g);
      if (!held.contains(g) || group.isEmpty()) {
        continue;
      }
      Optional<String> image = group.get().vmDefaults().imageRef();
      if (image.isPresent()) {
        now.put(g, missing(cfg, g, image.get(), views, recent, settings, failures));
      }
      if (cycles % KEY_CHECK_CYCLES == 1) {
        Optional<String> key = Optional.ofNullable(group.get().vmDefaults().keyName());
        key.ifPresent(k -> keys(cfg, g, k, failures));
      }
    }
    waiting = now;
    try {
      transfers.poll();
    } catch (RuntimeException e) {
      failures.add("image transfers: " + e.getMessage());
    }
  }

  /**
   * Drops boots on clouds still waiting for their group's image, each with a note.
   *
   * @param plan the plan
   * @return the plan without those boots
   */
  public Plan gate(Plan plan) {
    if (waiting.isEmpty()) {
      return plan;
    }
    List<PlanAction> kept = new ArrayList<>();
    List<String> notes = new ArrayList<>(plan.notes());
    waiting.forEach((g, clouds) -> clouds.forEach((c, image) ->
        notes.add("group " + g + ": waiting for image " + image + " on cloud " + c + " (replication copies it there)")));
    for (PlanAction a : plan.actions()) {
      String image = a instanceof Boot b ? waiting.getOrDefault(b.group(), Map.of()).get(b.cloud()) : null;
      if (image != null) {
        Boot b = (Boot) a;
        notes.add("boot of " + b.count() + " " + b.flavor() + " for group " + b.group() + " on cloud " + b.cloud()
            + " held back: waiting for image " + image + " on cloud " + b.cloud());
      } else {
        kept.add(a);
      }
    }
    return new Plan(plan.at(), kept, notes);
  }

  /**
   * The observed clouds with the images that replication put there since they were last read (a
   * cloud's image list is read again only every flavor-refresh period), so that the planner may
   * use a cloud as soon as its image arrived.
   *
   * @param views the clouds as observed
   * @return the views, with the images of DONE transfers added
   */
  public Map<CloudName, CloudView> withArrivedImages(Map<CloudName, CloudView> views) {
    List<ImageTransfer> recent;
    try {
      recent = store.transfers(false, 1000);
    } catch (RuntimeException e) {
      return views;
    }
    Map<CloudName, List<Image>> arrived = new HashMap<>();
    for (ImageTransfer t : recent) {
      if (t.state() == ImageTransfer.State.DONE && t.targetImageId() != null) {
        arrived.computeIfAbsent(t.target(), k -> new ArrayList<>()).add(new Image(t.targetImageId(), t.image()));
      }
    }
    if (arrived.isEmpty()) {
      return views;
    }
    Map<CloudName, CloudView> out = new LinkedHashMap<>(views);
    arrived.forEach((c, images) -> {
      CloudView v = views.get(c);
      if (v == null || !v.reachable()) {
        return;
      }
      List<Image> all = new ArrayList<>(v.images());
      for (Image i : images) {
        if (all.stream().noneMatch(x -> x.matches(i.name()))) {
          all.add(i);
        }
      }
      if (all.size() != v.images().size()) {
        out.put(c, new CloudView(v.cloud(), v.reachable(), v.flavors(), all, v.capacity(), v.instances(), v.opportunistic()));
      }
    });
    return out;
  }

  /**
   * The clouds waiting for an image now, per group.
   *
   * @return cloud to image, per group
   */
  public Map<GroupName, Map<CloudName, String>> waiting() {
    return waiting;
  }

  private Map<CloudName, String> missing(
      Csv2Config cfg, GroupName g, String image, Map<CloudName, CloudView> views, List<ImageTransfer> recent,
      ImageSettings settings, List<String> failures) {
    Map<CloudName, String> out = new LinkedHashMap<>();
    for (Allocation a : cfg.allocations()) {
      if (!a.group().equals(g) || !a.enabled() || a.overrides().imageRef().isPresent()) {
        continue;
      }
      CloudName c = a.cloud();
      CloudView view = views.get(c);
      if (view == null || !view.cloud().enabled()) {
        continue;
      }
      boolean listed = view.reachable() && view.images().stream().anyMatch(i -> i.matches(image));
      ImageTransfer last = latest(recent, image, c);
      if (listed || last != null && last.state() == ImageTransfer.State.DONE) {
        continue;
      }
      if (!view.reachable() && last == null) {
        continue; // nothing is known; the boot would fail anyway and be reported there
      }
      out.put(c, image);
      if (last != null && last.state().active()) {
        continue;
      }
      CloudDriver target = drivers.apply(c).orElse(null);
      if (target == null || !target.imageCapabilities().contains(ImageCapability.UPLOAD)
          && !target.imageCapabilities().contains(ImageCapability.COPY)) {
        failures.add("image replication: cloud " + c + " takes no image uploads or copies; put image " + image + " there by hand for group " + g);
        continue;
      }
      Optional<Map.Entry<CloudName, Image>> source = source(image, views, target);
      if (source.isEmpty()) {
        failures.add("image replication: no cloud that cloud " + c + " can copy from or that can send image bytes lists image "
            + image + " of group " + g);
        continue;
      }
      if (last != null && last.state() == ImageTransfer.State.FAILED && last.updated().isAfter(clock.instant().minusSeconds(600))) {
        continue; // a failed transfer is asked again after 10 minutes, not every cycle
      }
      ImageTransfer t = transfers.submit(ImageTransfer.fromCloud(
          image, g, source.get().getKey(), source.get().getValue().id(), c, settings.diskFormat(), "replication", clock.instant()));
      LOG.info("image replication: group {} needs image {} on cloud {}; transfer {} from {}", g, image, c, t.id(), t.from());
    }
    return out;
  }

  /**
   * A cloud that lists the image and that the target can copy from itself ({@link
   * CloudDriver#copySource}: no bytes through csv2), else one that can send the bytes ({@code
   * DOWNLOAD}) when the target takes uploads.
   */
  private Optional<Map.Entry<CloudName, Image>> source(String image, Map<CloudName, CloudView> views, CloudDriver target) {
    if (target.imageCapabilities().contains(ImageCapability.COPY)) {
      Optional<Map.Entry<CloudName, Image>> copyable =
          listing(image, views, d -> d != target && target.copySource(d).isPresent());
      if (copyable.isPresent()) {
        return copyable;
      }
    }
    if (!target.imageCapabilities().contains(ImageCapability.UPLOAD)) {
      return Optional.empty();
    }
    return listing(image, views, d -> d.imageCapabilities().contains(ImageCapability.DOWNLOAD));
  }

  private Optional<Map.Entry<CloudName, Image>> listing(
      String image, Map<CloudName, CloudView> views, java.util.function.Predicate<CloudDriver> usable) {
    for (CloudView v : views.values()) {
      CloudDriver d = drivers.apply(v.cloud().name()).orElse(null);
      if (!v.reachable() || d == null || !usable.test(d)) {
        continue;
      }
      for (Image i : v.images()) {
        if (i.matches(image)) {
          return Optional.of(Map.entry(v.cloud().name(), i));
        }
      }
    }
    return Optional.empty();
  }

  private static ImageTransfer latest(List<ImageTransfer> recent, String image, CloudName cloud) {
    for (ImageTransfer t : recent) { // newest first
      if (t.image().equals(image) && t.target().equals(cloud)) {
        return t;
      }
    }
    return null;
  }

  private void keys(Csv2Config cfg, GroupName g, String key, List<String> failures) {
    Map<String, StoredKeyPair> kept = new HashMap<>();
    try {
      store.keyPairs().forEach(k -> kept.put(k.name(), k));
    } catch (RuntimeException e) {
      failures.add("key pair replication: reading kept public keys failed: " + e.getMessage());
      return;
    }
    StoredKeyPair stored = kept.get(key);
    for (Allocation a : cfg.allocations()) {
      if (!a.group().equals(g) || !a.enabled() || a.overrides().keyName() != null) {
        continue;
      }
      CloudDriver d = drivers.apply(a.cloud()).orElse(null);
      if (d == null || !d.imageCapabilities().contains(ImageCapability.KEY_PAIR_IMPORT)) {
        continue;
      }
      try {
        List<KeyPair> there = d.keyPairs();
        if (there.stream().anyMatch(k -> k.name().equals(key))) {
          continue;
        }
        if (stored == null) {
          failures.add("key pair replication: cloud " + a.cloud() + " lacks key pair " + key + " of group " + g
              + ", and csv2 keeps no public key of that name (csv2 keypair import)");
          continue;
        }
        d.importKeyPair(key, stored.publicKey());
        LOG.info("key pair replication: key pair {} of group {} imported into cloud {}", key, g, a.cloud());
      } catch (UnsupportedOperationException e) {
        // a driver that lists no key pairs: nothing to compare with
      } catch (RuntimeException e) {
        failures.add("key pair replication: cloud " + a.cloud() + ", key pair " + key + ": " + e.getMessage());
      }
    }
  }

}
