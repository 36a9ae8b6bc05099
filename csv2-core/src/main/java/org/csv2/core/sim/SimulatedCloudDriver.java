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

import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.model.KeyPair;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.ImageCapability;
import org.jspecify.annotations.Nullable;

/** One engine's driver of a {@link SimulatedCloud}; see there for the semantics. */
final class SimulatedCloudDriver implements CloudDriver {
  private static final Set<ImageCapability> CAPABILITIES =
      java.util.Collections.unmodifiableSet(java.util.EnumSet.complementOf(java.util.EnumSet.of(ImageCapability.IMPORT_URL)));

  private final SimulatedCloud cloud;
  private final String engineInstanceId;
  private volatile boolean closed;

  SimulatedCloudDriver(SimulatedCloud cloud, String engineInstanceId) {
    this.cloud = cloud;
    this.engineInstanceId = engineInstanceId;
  }

  @Override
  public List<Flavor> flavors() {
    open();
    return cloud.flavors();
  }

  @Override
  public List<Image> images() {
    open();
    return cloud.imageList();
  }

  @Override
  public CloudCapacity capacity() {
    open();
    return cloud.capacityVerb();
  }

  @Override
  public org.csv2.model.OpportunisticPolicy opportunisticPolicy() {
    open();
    return cloud.opportunisticPolicy();
  }

  @Override
  public List<Instance> boot(BootRequest request) {
    open();
    return cloud.boot(engineInstanceId, request);
  }

  @Override
  public List<Instance> instances() {
    open();
    return cloud.instancesOf(engineInstanceId);
  }

  @Override
  public void terminate(InstanceId id) {
    open();
    cloud.terminate(id);
  }

  @Override
  public Set<ImageCapability> imageCapabilities() {
    return CAPABILITIES;
  }

  @Override
  public List<KeyPair> keyPairs() {
    open();
    return cloud.imageStore().keyPairs();
  }

  @Override
  public Image uploadImage(ImageUpload image, InputStream data) {
    open();
    SimulatedImages store = cloud.imageStore();
    String id = store.create(image);
    try {
      return store.receive(id, image, data);
    } catch (RuntimeException e) {
      store.delete(id); // no half-made image stays behind
      throw e;
    }
  }

  @Override
  public Image copyImage(String sourceImageId, @Nullable String sourceRegion, String name) {
    open();
    SimulatedImages store = cloud.imageStore();
    SimulatedImages.Stored stored = store.get(sourceImageId);
    Image configured = cloud.configuredImage(sourceImageId);
    if (stored == null && configured == null) {
      throw new CloudException(CloudException.Reason.NOT_FOUND, "simulated cloud " + cloud.name() + ": no image " + sourceImageId);
    }
    return store.copy(configured != null ? configured : stored.image(), stored, name);
  }

  @Override
  public InputStream downloadImage(String imageId, long offset) {
    open();
    Image configured = cloud.configuredImage(imageId);
    return cloud.imageStore().download(imageId, configured == null ? null : configured.name(), offset);
  }

  @Override
  public void deleteImage(String imageId) {
    open();
    cloud.imageStore().delete(imageId);
  }

  @Override
  public KeyPair importKeyPair(String name, String publicKey) {
    open();
    return cloud.imageStore().importKey(name, publicKey);
  }

  @Override
  public void deleteKeyPair(String name) {
    open();
    cloud.imageStore().deleteKey(name);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("the simulated driver of cloud " + cloud.name() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "SimulatedCloudDriver[" + cloud.name() + ", " + engineInstanceId + "]";
  }
}
