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
import java.util.Objects;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * An operator's request for an engine to act on one cloud's images or key pairs ({@code csv2 image
 * delete}, {@code csv2 keypair copy}; docs/images.md), kept in the state store like a transfer: the
 * transfer service of an engine that has the cloud takes it and carries it out on its own threads.
 *
 * @param id the store's id (0 before it is stored)
 * @param kind what to do
 * @param cloud the cloud
 * @param name the image's or key pair's name
 * @param imageId the image's id on the cloud (DELETE_IMAGE), else null
 * @param group the group it was asked for, or null
 * @param state where it is
 * @param message what happened last (at most {@link ImageTransfer#MAX_TEXT} characters)
 * @param owner the csv2 instance id of the engine carrying it out, or empty
 * @param requestedBy who asked
 * @param created when it was asked for
 * @param updated when it was last written
 * @param version the optimistic-lock version (0 before it is stored)
 */
public record ImageAction(
    long id,
    Kind kind,
    CloudName cloud,
    String name,
    @Nullable String imageId,
    @Nullable GroupName group,
    State state,
    String message,
    String owner,
    String requestedBy,
    Instant created,
    Instant updated,
    long version) {
  /** What an action does. */
  public enum Kind {
    /** Delete an image from the cloud ({@code CloudDriver.deleteImage}). */
    DELETE_IMAGE,
    /** Import a key pair csv2 keeps into the cloud ({@code CloudDriver.importKeyPair}). */
    IMPORT_KEY_PAIR
  }

  /** Where an action is. */
  public enum State {
    /** Waiting for an engine. */
    PENDING,
    /** An engine is carrying it out. */
    RUNNING,
    /** Done. */
    DONE,
    /** It failed; the message says why. */
    FAILED;

    /**
     * Whether it is still to be carried out.
     *
     * @return true for PENDING and RUNNING
     */
    public boolean active() {
      return this == PENDING || this == RUNNING;
    }
  }

  /** Validates and bounds. */
  public ImageAction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
    if (name.isBlank() || name.length() > ImageTransfer.MAX_TEXT || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(kind + ": the name must be 1 to " + ImageTransfer.MAX_TEXT + " printable characters");
    }
    if (kind == Kind.DELETE_IMAGE
        && (imageId == null || imageId.isBlank() || imageId.length() > ImageTransfer.MAX_TEXT)) {
      throw new IllegalArgumentException("delete of image " + name + " on " + cloud + ": the image's id there is needed");
    }
    if (id < 0 || version < 0) {
      throw new IllegalArgumentException(kind + " " + name + ": negative id or version");
    }
    if (message.length() > ImageTransfer.MAX_TEXT) {
      message = message.substring(0, ImageTransfer.MAX_TEXT - 3) + "...";
    }
    if (owner.length() > 64 || requestedBy.length() > 64) {
      throw new IllegalArgumentException(kind + " " + name + ": owner and requester are at most 64 characters");
    }
  }

  /**
   * A new action, PENDING, not yet stored.
   *
   * @param kind what to do
   * @param cloud the cloud
   * @param name the image's or key pair's name
   * @param imageId the image's id (DELETE_IMAGE), else null
   * @param group the group it is asked for, or null
   * @param requestedBy who asks
   * @param now the time
   * @return the action
   */
  public static ImageAction of(
      Kind kind, CloudName cloud, String name, @Nullable String imageId, @Nullable GroupName group, String requestedBy, Instant now) {
    return new ImageAction(0, kind, cloud, name, imageId, group, State.PENDING, "", "", requestedBy, now, now, 0);
  }

  /**
   * This action in another state.
   *
   * @param next the state
   * @param why what happened
   * @param engine the engine carrying it out
   * @param now the time
   * @return a copy
   */
  public ImageAction to(State next, String why, String engine, Instant now) {
    return new ImageAction(id, kind, cloud, name, imageId, group, next, why, engine, requestedBy, created, now, version);
  }

  /**
   * This action as a store keeps it.
   *
   * @param storedId the id
   * @param storedVersion the version
   * @return a copy
   */
  public ImageAction stored(long storedId, long storedVersion) {
    return new ImageAction(storedId, kind, cloud, name, imageId, group, state, message, owner, requestedBy, created, updated, storedVersion);
  }
}
