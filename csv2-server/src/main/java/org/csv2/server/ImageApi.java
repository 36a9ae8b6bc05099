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
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.csv2.api.ops.ImageAction;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.Images;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.jspecify.annotations.Nullable;

/**
 * The image and key-pair verbs under {@code /api/v1/images} and {@code /api/v1/keypairs}
 * (docs/images.md): the image x cloud matrix (a member sees the clouds of their groups only),
 * transfers with their progress and replication status (signed-in users; the replication of one
 * group: its members), asking for and cancelling transfers, deleting an image from a cloud, keeping,
 * forgetting and copying public keys to a group's clouds (admins).
 */
final class ImageApi {
  private static final String BASE = Api.BASE;

  private ImageApi() {}

  static void install(Javalin app, Auth auth, World world) {
    Images images = world.operations().images();
    app.get(
        BASE + "/images/transfers",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          int limit = OpsApi.limit(ctx, 100);
          if (u.admin()) {
            Http.json(ctx, images.transfers(OpsApi.actor(u), OpsApi.flag(ctx, "active"), limit));
            return;
          }
          java.util.function.Predicate<ImageTransfer> mine = visibleTo(p, world);
          Http.json(ctx, images.transfers(OpsApi.actor(u), OpsApi.flag(ctx, "active"), OpsApi.MAX_LIMIT).stream()
              .filter(mine).limit(limit).toList());
        });
    app.post(
        BASE + "/images/transfers",
        ctx -> {
          User u = Http.principal(ctx, auth).requireAdmin();
          Transfer t = Http.body(ctx, Transfer.class);
          ImageTransfer asked;
          try {
            String disk = t.diskFormat() == null ? "qcow2" : t.diskFormat();
            asked = t.sourceUrl() != null
                ? ImageTransfer.fromUrl(t.image(), URI.create(t.sourceUrl()), t.sha256(), CloudName.of(t.target()), disk, u.name(), world.clock().instant())
                : ImageTransfer.fromCloud(t.image(), t.group() == null ? null : GroupName.of(t.group()),
                    CloudName.of(required(t.sourceCloud(), "sourceCloud (or sourceUrl)")),
                    required(t.sourceImageId(), "sourceImageId"), CloudName.of(t.target()), disk, u.name(), world.clock().instant());
          } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.badRequest(String.valueOf(e.getMessage()));
          }
          ImageTransfer stored = images.requestTransfer(OpsApi.actor(u), asked);
          ctx.status(201);
          ctx.header("Location", BASE + "/images/transfers/" + stored.id());
          Http.json(ctx, stored);
        });
    app.get(
        BASE + "/images/transfers/{id}",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          ImageTransfer t = images.transfer(OpsApi.actor(p.require()), id(ctx));
          if (!p.admin() && !visibleTo(p, world).test(t)) {
            throw ApiException.notFound("image transfer");
          }
          Http.json(ctx, t);
        });
    app.post(
        BASE + "/images/transfers/{id}/cancel",
        ctx -> Http.json(ctx, images.cancelTransfer(OpsApi.actor(Http.principal(ctx, auth).requireAdmin()), id(ctx))));
    app.get(
        BASE + "/images/replication",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          String g = Api.param(ctx, "group");
          GroupName group = g == null ? null : OpsApi.groupName(g);
          if (group != null) {
            p.requireGroup(group);
          }
          Http.json(ctx, images.replication(OpsApi.actor(u), group).stream().filter(r -> p.canSee(r.group())).toList());
        });
    app.get(
        BASE + "/images",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          Http.json(ctx, matrix(ctx, p, images));
        });
    app.get(
        BASE + "/images/actions",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          java.util.Set<CloudName> seen = visibleClouds(p, images);
          Http.json(ctx, images.actions(OpsApi.actor(u), OpsApi.flag(ctx, "active"), OpsApi.limit(ctx, 100)).stream()
              .filter(a -> seen == null || seen.contains(a.cloud()) && (a.group() == null || p.canSee(a.group()))).toList());
        });
    app.post(
        BASE + "/images/deletes",
        ctx -> {
          User u = Http.principal(ctx, auth).requireAdmin();
          Delete d = Http.body(ctx, Delete.class);
          CloudName cloud;
          try {
            cloud = CloudName.of(d.cloud());
          } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cloud: " + e.getMessage());
          }
          ImageAction stored = images.deleteImage(OpsApi.actor(u), cloud, d.image());
          ctx.status(202);
          Http.json(ctx, stored);
        });
    app.post(
        BASE + "/keypairs/{name}/copy",
        ctx -> {
          User u = Http.principal(ctx, auth).requireAdmin();
          Copy c = Http.body(ctx, Copy.class);
          GroupName group = OpsApi.groupName(c.group());
          List<CloudName> clouds;
          try {
            clouds = c.clouds() == null ? List.of() : c.clouds().stream().map(CloudName::of).toList();
          } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("clouds: " + e.getMessage());
          }
          List<ImageAction> stored = images.copyKeyPair(OpsApi.actor(u), ctx.pathParam("name"), group, clouds);
          ctx.status(202);
          Http.json(ctx, stored);
        });
    app.get(
        BASE + "/keypairs",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          List<StoredKeyPair> all = images.keyPairs(OpsApi.actor(u));
          if (u.admin()) {
            Http.json(ctx, all);
            return;
          }
          Set<String> named = keyNames(p, world);
          Http.json(ctx, all.stream().filter(k -> named.contains(k.name())).toList());
        });
    app.post(
        BASE + "/keypairs",
        ctx -> {
          User u = Http.principal(ctx, auth).requireAdmin();
          KeyPair k = Http.body(ctx, KeyPair.class);
          ctx.status(201);
          Http.json(ctx, images.addKeyPair(OpsApi.actor(u), k.name(), k.publicKey()));
        });
    app.delete(
        BASE + "/keypairs/{name}",
        ctx -> {
          images.deleteKeyPair(OpsApi.actor(Http.principal(ctx, auth).requireAdmin()), ctx.pathParam("name"));
          ctx.status(204);
        });
  }

  /**
   * The image x cloud matrix the caller may see: an admin every cloud, a member the clouds of their
   * groups (of {@code group=} only, if given, which must be theirs).
   */
  static Images.Matrix matrix(Context ctx, Principal p, Images images) {
    User u = p.require();
    String g = Api.param(ctx, "group");
    GroupName group = g == null ? null : OpsApi.groupName(g);
    if (group != null) {
      p.requireGroup(group);
    }
    Images.Matrix m = images.matrix(OpsApi.actor(u), group);
    return p.admin() ? m : m.visibleTo(p::canSee);
  }

  /** The clouds the caller may see, or null for every cloud (an admin). */
  static java.util.@Nullable Set<CloudName> visibleClouds(Principal p, Images images) {
    User u = p.require();
    if (p.admin()) {
      return null;
    }
    java.util.Set<CloudName> out = new java.util.HashSet<>();
    images.matrix(OpsApi.actor(u), null).visibleTo(p::canSee).clouds().forEach(c -> out.add(c.cloud()));
    return out;
  }

  /**
   * Which transfers a member may see: those of their groups' replication, and operators' transfers,
   * when every cloud a transfer names (its target, and its source if a cloud) is allocated to one
   * of their groups. Another group's transfer, or one that names a cloud of other groups only, is
   * not listed (and answers 404 by id), as the server does with every other group's object.
   */
  static java.util.function.Predicate<ImageTransfer> visibleTo(Principal p, World world) {
    if (p.admin()) {
      return t -> true;
    }
    Set<CloudName> clouds = new java.util.HashSet<>();
    world.clouds(p).forEach(c -> clouds.add(c.spec().name()));
    return t -> (t.group() == null || p.canSee(t.group())) && clouds.contains(t.target()) && (t.source() == null || clouds.contains(t.source()));
  }

  /**
   * The key pairs a member may see: those their groups use, by name (the {@code key-name} of the
   * group's defaults and of its allocations). The other kept keys are other groups' or the site's.
   */
  static Set<String> keyNames(Principal p, World world) {
    User u = p.require();
    Set<String> out = new java.util.HashSet<>();
    org.csv2.api.ops.Actor a = OpsApi.actor(u);
    for (org.csv2.model.Group g : world.operations().groups(a).value()) {
      if (p.canSee(g.name()) && g.vmDefaults().keyName() != null) {
        out.add(g.vmDefaults().keyName());
      }
    }
    for (org.csv2.model.Allocation al : world.operations().allocations(a).value()) {
      if (p.canSee(al.group()) && al.overrides().keyName() != null) {
        out.add(al.overrides().keyName());
      }
    }
    return out;
  }

  private static String required(@Nullable String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  private static long id(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.notFound("image transfer");
    }
  }

  record Transfer(
      String image, @Nullable String group, @Nullable String sourceCloud, @Nullable String sourceImageId,
      @Nullable String sourceUrl, @Nullable String sha256, String target, @Nullable String diskFormat) {
    Transfer {
      if (image == null || target == null) {
        throw new IllegalArgumentException("image and target are required");
      }
    }
  }

  record Delete(String cloud, String image) {
    Delete {
      if (cloud == null || image == null) {
        throw new IllegalArgumentException("cloud and image are required");
      }
    }
  }

  record Copy(String group, @Nullable List<String> clouds) {
    Copy {
      if (group == null) {
        throw new IllegalArgumentException("group is required");
      }
    }
  }

  record KeyPair(String name, String publicKey) {
    KeyPair {
      if (name == null || publicKey == null) {
        throw new IllegalArgumentException("name and publicKey are required");
      }
    }
  }
}
