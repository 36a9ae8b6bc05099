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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The image and key-pair verbs (docs/images.md): image transfers between clouds with their
 * progress ({@code csv2 image list|transfer|cancel}), the replication of each group's default image
 * to its clouds ({@code csv2 image replication}), and the public keys csv2 keeps to import into
 * clouds ({@code csv2 keypair list|add|delete}). They read and write the state store; the engines'
 * transfer service and replication carry the transfers out, in any process.
 *
 * <p><b>Thread safety:</b> implementations are safe for concurrent use.
 */
public interface Images {
  /**
   * Image transfers, newest first.
   *
   * @param actor who asks
   * @param activeOnly only PENDING and RUNNING ones
   * @param limit the most to return
   * @return the transfers
   */
  List<ImageTransfer> transfers(Actor actor, boolean activeOnly, int limit);

  /**
   * One transfer.
   *
   * @param actor who asks
   * @param id its id
   * @return the transfer
   * @throws OperationException NOT_FOUND for an unknown id
   */
  ImageTransfer transfer(Actor actor, long id);

  /**
   * Checks a transfer as {@link #requestTransfer} would, storing nothing: a server checks an
   * upload's transfers before it reads the image's bytes.
   *
   * @param actor who asks
   * @param request a new transfer
   * @throws OperationException NOT_FOUND for a cloud or group not configured, CONFLICT for a
   *     transfer of the same image to the same cloud already on its way
   */
  void checkTransfer(Actor actor, ImageTransfer request);

  /**
   * Asks for a transfer ({@code csv2 image transfer}, production's Glint "transfer"): stored
   * PENDING, with an audit entry; an engine's transfer service takes it.
   *
   * @param actor who asks (recorded as the requester)
   * @param request a new transfer ({@link ImageTransfer#fromCloud} or {@link ImageTransfer#fromUrl})
   * @return the stored transfer
   * @throws OperationException NOT_FOUND for a source or target cloud not configured; REFUSED when
   *     the same image is already on its way to that cloud
   */
  ImageTransfer requestTransfer(Actor actor, ImageTransfer request);

  /**
   * Cancels a transfer: a PENDING one at once, a RUNNING one at its next progress write.
   *
   * @param actor who asks
   * @param id the transfer
   * @return the stored transfer
   * @throws OperationException NOT_FOUND for an unknown id, REFUSED for one that is over
   */
  ImageTransfer cancelTransfer(Actor actor, long id);

  /**
   * For each group that replicates its default image ({@code images.replicate}) and each cloud it
   * is allocated on, where that image stands there, as the transfers in the store say.
   *
   * @param actor who asks
   * @param group only this group's, or null for all
   * @return the rows, by group then cloud in the group's order
   */
  List<Replication> replication(Actor actor, @Nullable GroupName group);

  /**
   * The public keys csv2 keeps to import into clouds, by name.
   *
   * @param actor who asks
   * @return the key pairs
   */
  List<StoredKeyPair> keyPairs(Actor actor);

  /**
   * Keeps (or replaces) a public key under a name ({@code csv2 keypair add}): replication imports
   * it into every cloud of a group whose {@code key-name} it is.
   *
   * @param actor who asks
   * @param name the key pair's name
   * @param publicKey one OpenSSH public key line
   * @return the stored key pair, with its SHA-256 fingerprint
   * @throws OperationException REFUSED for a name or key that is not valid, naming which
   */
  StoredKeyPair addKeyPair(Actor actor, String name, String publicKey);

  /**
   * Forgets a kept public key ({@code csv2 keypair delete}); key pairs already imported into clouds
   * stay there.
   *
   * @param actor who asks
   * @param name the key pair's name
   * @throws OperationException NOT_FOUND for an unknown name
   */
  void deleteKeyPair(Actor actor, String name);

  /**
   * The image x cloud matrix ({@code csv2 image list}, production's Glint matrix): what each cloud
   * listed when an engine last read its images, one row per image name, one column per cloud.
   *
   * @param actor who asks
   * @param group only the clouds this group is allocated on, or null for every configured cloud
   * @return the matrix; callers that may not see every group narrow it with {@link
   *     Matrix#visibleTo}
   * @throws OperationException NOT_FOUND for a group that is not configured
   */
  Matrix matrix(Actor actor, @Nullable GroupName group);

  /**
   * Asks an engine to delete an image from a cloud ({@code csv2 image delete}): stored PENDING with
   * an audit entry, carried out by the transfer service of an engine that has the cloud.
   *
   * @param actor who asks
   * @param cloud the cloud
   * @param image the image's name or id there, as the matrix lists it
   * @return the stored action
   * @throws OperationException NOT_FOUND for a cloud not configured or an image the cloud was not
   *     seen listing; REFUSED for a name several images share (give the id)
   */
  ImageAction deleteImage(Actor actor, CloudName cloud, String image);

  /**
   * Asks for a kept key pair to be imported into clouds ({@code csv2 keypair copy}): one action per
   * cloud, each stored PENDING with an audit entry.
   *
   * @param actor who asks
   * @param name the kept key pair
   * @param group the group whose enabled clouds get it
   * @param clouds only these of the group's clouds, or empty for all of them
   * @return the stored actions, one per cloud
   * @throws OperationException NOT_FOUND for a key pair not kept, a group not configured or a cloud
   *     the group is not on
   */
  List<ImageAction> copyKeyPair(Actor actor, String name, GroupName group, List<CloudName> clouds);

  /**
   * Image deletes and key-pair imports, newest first.
   *
   * @param actor who asks
   * @param activeOnly only PENDING and RUNNING ones
   * @param limit the most to return
   * @return the actions
   */
  List<ImageAction> actions(Actor actor, boolean activeOnly, int limit);

  /**
   * The image x cloud matrix.
   *
   * @param clouds the columns, in the configuration's order
   * @param rows one per image name, by name
   */
  record Matrix(List<Column> clouds, List<Row> rows) {
    /** Copies. */
    public Matrix {
      clouds = List.copyOf(clouds);
      rows = List.copyOf(rows);
    }

    /**
     * The part of the matrix a caller may see: the clouds allocated to a group it can see (naming
     * only those groups), and the rows that have an image on one of them.
     *
     * @param canSee whether the caller may see a group
     * @return the narrowed matrix
     */
    public Matrix visibleTo(Predicate<GroupName> canSee) {
      List<Column> cols = clouds.stream().filter(c -> c.groups().stream().anyMatch(canSee))
          .map(c -> new Column(c.cloud(), c.groups().stream().filter(canSee).toList(), c.read(), c.images())).toList();
      Set<CloudName> names = new HashSet<>();
      cols.forEach(c -> names.add(c.cloud()));
      List<Row> kept = new ArrayList<>();
      for (Row r : rows) {
        List<CloudImage> on = r.on().stream().filter(i -> names.contains(i.cloud())).toList();
        if (!on.isEmpty()) {
          kept.add(new Row(r.image(), on));
        }
      }
      return new Matrix(cols, kept);
    }
  }

  /**
   * One cloud of the matrix.
   *
   * @param cloud the cloud
   * @param groups the groups allocated on it
   * @param read when an engine last recorded its image list, or null if none did yet
   * @param images how many images it listed
   */
  record Column(CloudName cloud, List<GroupName> groups, @Nullable Instant read, int images) {
    /** Copies. */
    public Column {
      Objects.requireNonNull(cloud, "cloud");
      groups = List.copyOf(groups);
    }
  }

  /**
   * One image name of the matrix.
   *
   * @param image the name
   * @param on the clouds that list an image of that name, in the columns' order (a cloud may list
   *     several of one name)
   */
  record Row(String image, List<CloudImage> on) {
    /** Copies. */
    public Row {
      Objects.requireNonNull(image, "image");
      on = List.copyOf(on);
    }
  }

  /**
   * Where a group's default image stands on one cloud.
   *
   * @param group the group
   * @param cloud the cloud
   * @param image the group's default image
   * @param state PRESENT (a transfer to the cloud is done, or the cloud was its source), MOVING (a
   *     transfer is pending or running), FAILED (the last transfer failed), UNKNOWN (no transfer: the
   *     cloud may have it already; the engine checks its image list every cycle)
   * @param transfer the latest transfer of the image to the cloud, or null
   */
  record Replication(GroupName group, CloudName cloud, String image, State state, @Nullable ImageTransfer transfer) {
    /** Checks. */
    public Replication {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(cloud, "cloud");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(state, "state");
    }

    /** Where the image stands. */
    public enum State {
      /** There. */
      PRESENT,
      /** On its way. */
      MOVING,
      /** The last transfer failed. */
      FAILED,
      /** No transfer in the store. */
      UNKNOWN
    }
  }
}
