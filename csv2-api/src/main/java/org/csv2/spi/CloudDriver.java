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
package org.csv2.spi;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.KeyPair;
import org.csv2.model.Network;
import org.csv2.model.OpportunisticPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Talks to one cloud: one endpoint, project and region.
 *
 * <p>Every failure is a {@link org.csv2.api.CloudException} whose reason says what the engine
 * should do: {@code UNAVAILABLE} and {@code CAPACITY_UNAVAILABLE} are retried later, {@code
 * QUOTA_EXCEEDED} shrinks what the engine asks for, the others need an operator. A driver never
 * sleeps and retries on its own, except inside one client call (re-authenticating once on an
 * expired token is fine).
 *
 * <p><b>Thread safety:</b> the engine calls each instance from one thread at a time (one call per
 * cloud at a time, each with a deadline); {@link #close()} may come from any thread.
 *
 * <p><b>Lifecycle:</b> created by {@link CloudDriverProvider#create}; the engine calls the verbs
 * every cycle and {@link #close()} once at shutdown, after which no verb is called. {@code close()}
 * is idempotent and releases clients and connections.
 */
public interface CloudDriver extends AutoCloseable {
  /**
   * The flavors this project may boot, with prices where the driver knows them.
   *
   * @return the flavors; stable across calls while the cloud does not change
   */
  List<Flavor> flavors();

  /**
   * The images this project may boot.
   *
   * @return the images
   */
  List<Image> images();

  /**
   * The project's quota and everything used in it, by csv2 and by others.
   *
   * @return the capacity
   */
  CloudCapacity capacity();

  /**
   * Boots {@code request.count()} identical VMs, in one call where the cloud allows it. Each
   * instance gets the name the engine chose, the user data, and every tag of the request plus
   * {@link Csv2Tags#VM_NAME} with its own name.
   *
   * @param request what to boot
   * @return the instances the cloud created (usually PENDING); never empty
   * @throws org.csv2.api.CloudException with {@code INVALID_REQUEST} for an unknown flavor or
   *     image (naming it), {@code QUOTA_EXCEEDED}, {@code CAPACITY_UNAVAILABLE}, {@code
   *     AUTHENTICATION} or {@code UNAVAILABLE}
   */
  List<Instance> boot(BootRequest request);

  /**
   * Boots several requests in one call: what the engine sends when each VM of a boot needs its
   * own request (its user data names the VM). The default boots them one after the other with
   * {@link #boot}; a driver whose cloud takes concurrent calls overrides it to overlap them
   * (bounded; {@link BootBurst} does it for one call per VM). Either way: if the first request
   * fails, its exception is thrown; once a later one fails, no further request is sent and the
   * instances accepted so far are returned (the engine treats the missing names as not booted).
   *
   * @param requests the requests, at least one
   * @return every instance the cloud created, for all requests; never empty
   * @throws org.csv2.api.CloudException as {@link #boot} does, for the first request
   */
  default List<Instance> bootEach(List<BootRequest> requests) {
    List<Instance> out = new java.util.ArrayList<>();
    for (BootRequest r : requests) {
      try {
        out.addAll(boot(r));
      } catch (org.csv2.api.CloudException e) {
        if (out.isEmpty()) {
          throw e;
        }
        break;
      }
    }
    return List.copyOf(out);
  }

  /**
   * Every instance tagged with this engine's instance id ({@link PluginContext#instanceId()}), in
   * any state but gone; instances of other engines or people are never listed.
   *
   * @return the instances
   */
  List<Instance> instances();

  /**
   * Deletes an instance. Idempotent: an instance that is already gone is success.
   *
   * @param id the instance
   */
  void terminate(InstanceId id);

  /**
   * Deletes several instances in one call: what the engine sends when it terminates more than one
   * VM of a cloud in a cycle (at most {@value #TERMINATE_BATCH} per call). Optional: the default
   * calls {@link #terminate} for each, one after the other, and sends no more once one fails with
   * {@code UNAVAILABLE} or {@code AUTHENTICATION} (the cloud or the credentials are down, so the
   * rest would fail alike). A driver whose cloud deletes many instances in one request (EC2's
   * {@code TerminateInstances}) or takes concurrent requests ({@link BootBurst#each}) overrides it;
   * the engine sends batches only to a driver that does.
   *
   * <p>Like {@link #terminate}, idempotent: an instance already gone is a success. One instance's
   * failure never hides another's success: every id asked is either in the answer, with why it was
   * not terminated (those not sent: with the failure that stopped the sending), or was terminated.
   *
   * @param ids the instances, at least one, each once
   * @return the instances not terminated, each with why; empty when every instance is gone or
   *     going. Holds no id that was not asked.
   */
  default java.util.Map<InstanceId, org.csv2.api.CloudException> terminateEach(List<InstanceId> ids) {
    return BootBurst.terminateEach(ids, null, this::terminate);
  }

  /** The most instances the engine asks {@link #terminateEach} to delete in one call. */
  int TERMINATE_BATCH = 100;

  /**
   * The key pairs of the project.
   *
   * @return the key pairs
   * @throws UnsupportedOperationException if the driver does not list key pairs
   */
  default List<KeyPair> keyPairs() {
    throw new UnsupportedOperationException(getClass().getName() + " does not list key pairs");
  }

  /**
   * The networks of the project.
   *
   * @return the networks
   * @throws UnsupportedOperationException if the driver does not list networks
   */
  default List<Network> networks() {
    throw new UnsupportedOperationException(getClass().getName() + " does not list networks");
  }

  /**
   * What the cloud's administrators allow opportunistic groups to use, read from metadata they
   * control ({@link OpportunisticMetadata}, docs/opportunistic.md). Optional: the default governs
   * nothing, so csv2's own configuration alone applies. The engine calls it every cycle, after
   * {@link #capacity()}; a driver may cache for a short while.
   *
   * <p>Malformed, missing or contradictory metadata is never an exception: the driver returns the
   * safe values of {@link OpportunisticMetadata#parse} with notes. A source the driver may not read
   * (no permission) gives a policy with a note; only a failed call ({@code UNAVAILABLE}) throws, and
   * the engine then keeps the last policy it read.
   *
   * @return the policy; {@link OpportunisticPolicy#NONE} when the cloud has none
   */
  default OpportunisticPolicy opportunisticPolicy() {
    return OpportunisticPolicy.NONE;
  }

  /**
   * When the credentials the driver signs in with stop working, if the cloud says: an OpenStack
   * application credential's {@code expires_at}, the expiration of EC2 session credentials.
   * Optional: the default (and a driver whose credentials do not expire, such as an OpenStack
   * password) answers empty. The engine calls it every cycle after a successful {@link
   * #capacity()}: answer from what the driver already knows, asking the cloud at most now and then.
   * The engine warns from 28 days before and boots nothing more on the cloud from 7 days before
   * (configurable), and never retires running VMs because of it.
   *
   * @return the expiry, or empty when unknown or never
   * @throws org.csv2.api.CloudException only for a failed call; the engine then keeps the last
   *     answer
   */
  default Optional<Instant> credentialsExpireAt() {
    return Optional.empty();
  }

  /**
   * The image and key-pair verbs this driver offers (docs/images.md). Optional: the default is
   * none, and every verb below then throws {@link UnsupportedOperationException}. The set is fixed
   * for the driver's life.
   *
   * <p><b>Thread safety</b> of the verbs below: the engine's transfer service calls them from its
   * own threads, at the same time as the cycle calls the other verbs; a driver that declares a
   * capability allows that (at most a few transfers per cloud run at once).
   *
   * @return the capabilities; empty by default
   */
  default Set<ImageCapability> imageCapabilities() {
    return Set.of();
  }

  /**
   * Stores an image from a stream: creates it with the attributes of {@code image}, sends the
   * bytes without holding them all in memory, and checks on arrival that their number is {@link
   * ImageUpload#size()} and their SHA-256 is {@link ImageUpload#sha256()} (and whatever checksum
   * the cloud reports). An image this call created is deleted again when anything fails, so an
   * interrupted upload leaves no half-made image behind. Does not close {@code data}.
   *
   * @param image what to create
   * @param data the bytes
   * @return the image, ready to boot
   * @throws org.csv2.api.CloudException {@code INVALID_REQUEST} on a size or checksum mismatch,
   *     {@code UNAVAILABLE} if the stream or the cloud failed midway (retry from the start),
   *     {@code QUOTA_EXCEEDED} when the cloud's image quota is full
   * @throws UnsupportedOperationException without {@link ImageCapability#UPLOAD}
   */
  default Image uploadImage(ImageUpload image, InputStream data) {
    throw unsupported(ImageCapability.UPLOAD);
  }

  /**
   * Makes the cloud fetch an image from a URL itself (Glance's {@code web-download}). The call
   * returns once the cloud accepted the import; the image is listed by {@link #images()} when it is
   * ready. The cloud checks size and checksum where it can; a failed import deletes the image.
   *
   * @param image what to create
   * @param source an http or https URL the cloud can reach
   * @return the image being imported (not yet ready to boot)
   * @throws org.csv2.api.CloudException {@code INVALID_REQUEST} if the cloud does not offer
   *     importing from a URL now or refuses the URL
   * @throws UnsupportedOperationException without {@link ImageCapability#IMPORT_URL}
   */
  default Image importImage(ImageUpload image, URI source) {
    throw unsupported(ImageCapability.IMPORT_URL);
  }

  /**
   * Copies an image the cloud already has, or that another region of the same cloud has, under a
   * new name into this driver's project and region (EC2's {@code CopyImage}).
   *
   * @param sourceImageId the image to copy
   * @param sourceRegion the region it is in, or null for this driver's region
   * @param name the copy's name
   * @return the copy (it may become ready to boot later)
   * @throws org.csv2.api.CloudException {@code NOT_FOUND} for an unknown source image
   * @throws UnsupportedOperationException without {@link ImageCapability#COPY}
   */
  default Image copyImage(String sourceImageId, @Nullable String sourceRegion, String name) {
    throw unsupported(ImageCapability.COPY);
  }

  /**
   * Whether {@link #copyImage} can take an image straight from the cloud another driver reaches,
   * without its bytes passing through csv2 (EC2's {@code CopyImage} from another region of the same
   * account). The engine's transfers then copy instead of downloading and uploading. Optional: the
   * default answers empty (no copy between clouds). Only asked of a driver that declares {@link
   * ImageCapability#COPY}; must be cheap and call nothing remote.
   *
   * @param source the driver of the cloud that holds the image (possibly of another plugin)
   * @return the region to pass to {@link #copyImage} as {@code sourceRegion}, or empty when this
   *     driver cannot copy from that cloud
   */
  default Optional<String> copySource(CloudDriver source) {
    return Optional.empty();
  }

  /**
   * Streams an image's bytes out of the cloud, from an offset (to resume a broken download). The
   * caller closes the stream; an interrupted stream throws {@link java.io.IOException} from
   * {@code read}.
   *
   * @param imageId the image
   * @param offset the first byte to send, 0 for all
   * @return the bytes from {@code offset} on
   * @throws org.csv2.api.CloudException {@code NOT_FOUND} for an unknown image
   * @throws UnsupportedOperationException without {@link ImageCapability#DOWNLOAD}
   */
  default InputStream downloadImage(String imageId, long offset) {
    throw unsupported(ImageCapability.DOWNLOAD);
  }

  /**
   * Deletes an image. Idempotent: an image that is already gone is success.
   *
   * @param imageId the image
   * @throws UnsupportedOperationException without {@link ImageCapability#DELETE}
   */
  default void deleteImage(String imageId) {
    throw unsupported(ImageCapability.DELETE);
  }

  /**
   * Stores a public key under a name.
   *
   * @param name the key pair's name
   * @param publicKey the public key in OpenSSH format ({@code ssh-rsa AAAA... comment})
   * @return the key pair, with its fingerprint where the cloud tells it
   * @throws org.csv2.api.CloudException {@code INVALID_REQUEST} if the name is taken or the key
   *     malformed
   * @throws UnsupportedOperationException without {@link ImageCapability#KEY_PAIR_IMPORT}
   */
  default KeyPair importKeyPair(String name, String publicKey) {
    throw unsupported(ImageCapability.KEY_PAIR_IMPORT);
  }

  /**
   * Deletes a key pair. Idempotent: a key pair that is already gone is success.
   *
   * @param name the key pair's name
   * @throws UnsupportedOperationException without {@link ImageCapability#KEY_PAIR_DELETE}
   */
  default void deleteKeyPair(String name) {
    throw unsupported(ImageCapability.KEY_PAIR_DELETE);
  }

  private UnsupportedOperationException unsupported(ImageCapability capability) {
    return new UnsupportedOperationException(getClass().getName() + " does not offer " + capability);
  }

  /** Releases the driver's clients. Idempotent; throws nothing checked. */
  @Override
  void close();
}
