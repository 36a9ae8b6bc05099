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
package org.csv2.core.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.CloudImage;
import org.csv2.api.ops.ImageAction;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.Images;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The image and key-pair verbs over a state store ({@link Images}; docs/images.md). Transfers asked
 * here are stored PENDING; the transfer service of an engine takes them. Replication status is read
 * from the configuration ({@code images.replicate}, the groups' default images and allocations) and
 * the stored transfers, as {@code ImageReplication} reads them.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; the store arbitrates.
 */
public final class ImageDesk implements Images {
  /** How many transfers replication status looks through (newest first). */
  private static final int RECENT = 1000;

  private final StateStore store;
  private final Clock clock;
  private final Supplier<Optional<Csv2Config>> config;

  /**
   * Creates the verbs.
   *
   * @param store the state store the engines use
   * @param clock now
   * @param config the configuration the engines run with (empty before one is stored)
   */
  public ImageDesk(StateStore store, Clock clock, Supplier<Optional<Csv2Config>> config) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public List<ImageTransfer> transfers(Actor actor, boolean activeOnly, int limit) {
    Objects.requireNonNull(actor, "actor");
    if (limit < 1) {
      throw refused("transfers: the limit must be at least 1, was " + limit);
    }
    return images(() -> store.transfers(activeOnly, limit));
  }

  @Override
  public ImageTransfer transfer(Actor actor, long id) {
    Objects.requireNonNull(actor, "actor");
    return images(() -> store.transfer(id)).orElseThrow(() -> notFound("image transfer " + id + " does not exist"));
  }

  @Override
  public ImageTransfer requestTransfer(Actor actor, ImageTransfer request) {
    checkTransfer(actor, request);
    ImageTransfer asked = new ImageTransfer(0, request.image(), request.group(), request.source(), request.sourceImageId(),
        request.sourceUrl(), request.target(), request.diskFormat(), request.sha256(), request.uploaded() ? request.size() : -1, 0,
        ImageTransfer.State.PENDING, request.message(), null, 0, "", actor.name(), clock.instant(), null, clock.instant(), 0);
    ImageTransfer stored = images(() -> store.saveTransfer(asked));
    audit(actor, "image transfer", "image transfer " + stored.id(), "", stored.image() + " from " + stored.from() + " to " + stored.target());
    return stored;
  }

  @Override
  public void checkTransfer(Actor actor, ImageTransfer request) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(request, "request");
    if (request.id() != 0 || request.state() != ImageTransfer.State.PENDING) {
      throw refused("transfer of " + request.image() + ": a new transfer is PENDING with id 0");
    }
    Csv2Config cfg = config.get().orElseThrow(() -> notFound("the state store holds no configuration yet, so no cloud is known"));
    cloud(cfg, request.target(), "target");
    if (request.source() != null) {
      cloud(cfg, request.source(), "source");
      if (request.source().equals(request.target())) {
        throw refused("transfer of " + request.image() + ": the source and target cloud are both " + request.target());
      }
    }
    if (request.group() != null && cfg.group(request.group()).isEmpty()) {
      throw notFound("group " + request.group() + " is not configured");
    }
    for (ImageTransfer t : images(() -> store.transfers(true, RECENT))) {
      if (t.image().equals(request.image()) && t.target().equals(request.target())) {
        throw refused("image " + request.image() + " is already on its way to cloud " + request.target() + " (transfer " + t.id()
            + ", " + t.state() + "); cancel it first to start again");
      }
    }
  }

  @Override
  public ImageTransfer cancelTransfer(Actor actor, long id) {
    Objects.requireNonNull(actor, "actor");
    for (int tries = 0; tries < 5; tries++) {
      ImageTransfer t = transfer(actor, id);
      if (!t.state().active()) {
        throw refused("image transfer " + id + " is over (" + t.state() + "): there is nothing to cancel");
      }
      try {
        ImageTransfer done = store.saveTransfer(t.finish(ImageTransfer.State.CANCELLED, "cancelled by " + actor.name(), null, clock.instant()));
        audit(actor, "image cancel", "image transfer " + id, t.state().name(), done.state().name());
        return done;
      } catch (StateStoreException e) {
        if (e.reason() != StateStoreException.Reason.CONFLICT) {
          throw e;
        }
      }
    }
    throw new StateStoreException(StateStoreException.Reason.CONFLICT, "image transfer " + id + ": kept changing while being cancelled; try again");
  }

  @Override
  public List<Replication> replication(Actor actor, @Nullable GroupName group) {
    Objects.requireNonNull(actor, "actor");
    Optional<Csv2Config> cfg = config.get();
    if (cfg.isEmpty()) {
      return List.of();
    }
    List<ImageTransfer> recent = images(() -> store.transfers(false, RECENT));
    List<Replication> out = new ArrayList<>();
    for (GroupName g : cfg.get().images().replicate()) {
      Optional<Group> grp = cfg.get().group(g);
      if (group != null && !group.equals(g) || grp.isEmpty() || grp.get().vmDefaults().imageRef().isEmpty()) {
        continue;
      }
      String image = grp.get().vmDefaults().imageRef().get();
      for (Allocation a : cfg.get().allocations()) {
        if (!a.group().equals(g) || !a.enabled() || a.overrides().imageRef().isPresent()) {
          continue;
        }
        ImageTransfer last = null;
        boolean source = false;
        for (ImageTransfer t : recent) { // newest first
          if (t.image().equals(image) && t.target().equals(a.cloud()) && last == null) {
            last = t;
          }
          source |= t.image().equals(image) && a.cloud().equals(t.source());
        }
        Replication.State state;
        if (last == null) {
          state = source ? Replication.State.PRESENT : Replication.State.UNKNOWN;
        } else {
          state = switch (last.state()) {
            case DONE -> Replication.State.PRESENT;
            case PENDING, RUNNING -> Replication.State.MOVING;
            case FAILED -> Replication.State.FAILED;
            case CANCELLED -> source ? Replication.State.PRESENT : Replication.State.UNKNOWN;
          };
        }
        out.add(new Replication(g, a.cloud(), image, state, last));
      }
    }
    return out;
  }

  @Override
  public Matrix matrix(Actor actor, @Nullable GroupName group) {
    Objects.requireNonNull(actor, "actor");
    Optional<Csv2Config> cfg = config.get();
    if (cfg.isEmpty()) {
      if (group != null) {
        throw notFound("group " + group + " is not configured");
      }
      return new Matrix(List.of(), List.of());
    }
    if (group != null && cfg.get().group(group).isEmpty()) {
      throw notFound("group " + group + " is not configured");
    }
    List<CloudImage> all = images(store::cloudImages);
    List<Column> columns = new ArrayList<>();
    java.util.Map<CloudName, Integer> order = new java.util.HashMap<>();
    for (CloudConfig cc : cfg.get().clouds()) {
      CloudName c = cc.cloud().name();
      List<GroupName> groups = cfg.get().allocations().stream()
          .filter(a -> a.cloud().equals(c)).map(Allocation::group).distinct().toList();
      if (group != null && !groups.contains(group)) {
        continue;
      }
      java.time.Instant read = null;
      int count = 0;
      for (CloudImage i : all) {
        if (i.cloud().equals(c)) {
          count++;
          read = read == null || i.seen().isAfter(read) ? i.seen() : read;
        }
      }
      order.put(c, columns.size());
      columns.add(new Column(c, groups, read, count));
    }
    java.util.TreeMap<String, List<CloudImage>> byName = new java.util.TreeMap<>();
    for (CloudImage i : all) {
      if (order.containsKey(i.cloud())) {
        byName.computeIfAbsent(i.name(), k -> new ArrayList<>()).add(i);
      }
    }
    List<Row> rows = new ArrayList<>();
    byName.forEach((name, on) -> rows.add(new Row(name, on.stream()
        .sorted(java.util.Comparator.comparing((CloudImage i) -> order.get(i.cloud())).thenComparing(CloudImage::id)).toList())));
    return new Matrix(columns, rows);
  }

  @Override
  public ImageAction deleteImage(Actor actor, CloudName cloud, String image) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(image, "image");
    Csv2Config cfg = config.get().orElseThrow(() -> notFound("the state store holds no configuration yet, so no cloud is known"));
    cloud(cfg, cloud, "");
    List<CloudImage> on = images(store::cloudImages).stream().filter(i -> i.cloud().equals(cloud)).toList();
    List<CloudImage> byId = on.stream().filter(i -> i.id().equals(image)).toList();
    List<CloudImage> match = byId.isEmpty() ? on.stream().filter(i -> i.name().equals(image)).toList() : byId;
    if (match.isEmpty()) {
      throw notFound("cloud " + cloud + " was not seen listing an image named " + image
          + " (csv2 image list shows what each cloud lists)");
    }
    if (match.size() > 1) {
      throw refused("cloud " + cloud + " lists " + match.size() + " images named " + image + " ("
          + String.join(", ", match.stream().map(CloudImage::id).toList()) + "); give the id");
    }
    CloudImage target = match.get(0);
    for (ImageAction a : images(() -> store.imageActions(true, RECENT))) {
      if (a.kind() == ImageAction.Kind.DELETE_IMAGE && a.cloud().equals(cloud) && target.id().equals(a.imageId())) {
        throw refused("image " + target.name() + " (" + target.id() + ") on cloud " + cloud + " is already being deleted (action "
            + a.id() + ", " + a.state() + ")");
      }
    }
    ImageAction stored = images(() -> store.saveImageAction(
        ImageAction.of(ImageAction.Kind.DELETE_IMAGE, cloud, target.name(), target.id(), null, actor.name(), clock.instant())));
    audit(actor, "image delete", "image " + target.name() + " on cloud " + cloud, target.id(), "delete asked (action " + stored.id() + ")");
    return stored;
  }

  @Override
  public List<ImageAction> copyKeyPair(Actor actor, String name, GroupName group, List<CloudName> clouds) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    Csv2Config cfg = config.get().orElseThrow(() -> notFound("the state store holds no configuration yet, so no group is known"));
    if (cfg.group(group).isEmpty()) {
      throw notFound("group " + group + " is not configured");
    }
    if (images(store::keyPairs).stream().noneMatch(k -> k.name().equals(name))) {
      throw notFound("key pair " + name + " is not kept by csv2; keep it first with csv2 keypair add");
    }
    List<CloudName> ofGroup = cfg.allocations().stream()
        .filter(a -> a.group().equals(group) && a.enabled()).map(Allocation::cloud).distinct().toList();
    for (CloudName c : clouds) {
      if (!ofGroup.contains(c)) {
        throw notFound("group " + group + " has no enabled allocation on cloud " + c);
      }
    }
    List<CloudName> targets = clouds.isEmpty() ? ofGroup : ofGroup.stream().filter(clouds::contains).toList();
    if (targets.isEmpty()) {
      throw notFound("group " + group + " has no enabled cloud to copy key pair " + name + " to");
    }
    List<ImageAction> out = new ArrayList<>();
    for (CloudName c : targets) {
      ImageAction stored = images(() -> store.saveImageAction(
          ImageAction.of(ImageAction.Kind.IMPORT_KEY_PAIR, c, name, null, group, actor.name(), clock.instant())));
      audit(actor, "keypair copy", "key pair " + name + " to cloud " + c, "", "import asked (action " + stored.id() + ")");
      out.add(stored);
    }
    return out;
  }

  @Override
  public List<ImageAction> actions(Actor actor, boolean activeOnly, int limit) {
    Objects.requireNonNull(actor, "actor");
    if (limit < 1) {
      throw refused("image actions: the limit must be at least 1, was " + limit);
    }
    return images(() -> store.imageActions(activeOnly, limit));
  }

  @Override
  public List<StoredKeyPair> keyPairs(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    return images(store::keyPairs).stream().sorted(java.util.Comparator.comparing(StoredKeyPair::name)).toList();
  }

  @Override
  public StoredKeyPair addKeyPair(Actor actor, String name, String publicKey) {
    Objects.requireNonNull(actor, "actor");
    StoredKeyPair key;
    try {
      String line = publicKey.strip();
      new StoredKeyPair(name, line, "", clock.instant()); // the name and the line's form, named in its message
      key = new StoredKeyPair(name, line, fingerprint(line), clock.instant());
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage().startsWith("key pair") ? e.getMessage() : "key pair " + name + ": " + e.getMessage());
    }
    Optional<StoredKeyPair> before = images(store::keyPairs).stream().filter(k -> k.name().equals(name)).findFirst();
    images(() -> {
      store.saveKeyPair(key);
      return null;
    });
    audit(actor, "keypair add", "key pair " + name, before.map(StoredKeyPair::fingerprint).orElse(""), key.fingerprint());
    return key;
  }

  @Override
  public void deleteKeyPair(Actor actor, String name) {
    Objects.requireNonNull(actor, "actor");
    if (!images(() -> store.deleteKeyPair(name))) {
      throw notFound("key pair " + name + " is not kept by csv2 (csv2 keypair list shows those that are)");
    }
    audit(actor, "keypair delete", "key pair " + name, "kept", "");
  }

  /**
   * OpenSSH's SHA-256 fingerprint of a public key line ({@code SHA256:} and the unpadded base64 of
   * the digest of the key's decoded blob), as {@code ssh-keygen -lf} prints it.
   *
   * @param line {@code type base64 [comment]}
   * @return the fingerprint
   * @throws IllegalArgumentException when the key's second field is not base64
   */
  static String fingerprint(String line) {
    String[] parts = line.trim().split("\\s+");
    if (parts.length < 2) {
      throw new IllegalArgumentException("the public key must be one OpenSSH line ('ssh-ed25519 AAAA... comment')");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1].getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the public key's second field is not base64: " + e.getMessage(), e);
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void cloud(Csv2Config cfg, CloudName c, String role) {
    if (cfg.clouds().stream().noneMatch(cc -> cc.cloud().name().equals(c))) {
      throw notFound("the " + (role.isEmpty() ? "" : role + " ") + "cloud " + c + " is not configured");
    }
  }

  private void audit(Actor actor, String action, String target, String before, String after) {
    AuditEntry entry = AuditEntry.of(clock.instant(), actor, action, target, before, after);
    store.submit(new OperatorWrite(null, 0, actor.name(), List.of(), List.of(entry)));
  }

  private <T> T images(Supplier<T> call) {
    try {
      return call.get();
    } catch (UnsupportedOperationException e) {
      throw refused("the state store keeps no image records (" + store.getClass().getSimpleName() + ")");
    }
  }

  private static OperationException refused(String message) {
    return new OperationException(OperationException.Reason.REFUSED, message);
  }

  private static OperationException notFound(String message) {
    return new OperationException(OperationException.Reason.NOT_FOUND, message);
  }
}
