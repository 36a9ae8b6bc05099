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
package org.csv2.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.jspecify.annotations.Nullable;

/** A scriptable in-test cloud. */
class FakeCloud implements CloudDriver {
  final Map<InstanceId, Instance> instances = new ConcurrentHashMap<>();
  final List<BootRequest> boots = new CopyOnWriteArrayList<>();
  final List<InstanceId> terminated = new CopyOnWriteArrayList<>();
  final AtomicInteger instanceCalls = new AtomicInteger();
  final AtomicInteger mutatingCalls = new AtomicInteger();
  volatile @Nullable CloudException failReads;
  volatile @Nullable CloudException failBoot;
  volatile boolean loseBootReply;
  /** How many instances a boot creates at most (the driver gave up on the rest). */
  volatile int bootLimit = Integer.MAX_VALUE;
  /** Terminate calls answer but the instances stay. */
  volatile boolean ignoreTerminate;
  volatile @Nullable InstanceId failTerminateOf;
  volatile CloudException.Reason failTerminateReason = CloudException.Reason.UNAVAILABLE;
  volatile Consumer<BootRequest> beforeBoot = r -> {};
  volatile Runnable onInstances = () -> {};
  volatile java.util.Optional<java.time.Instant> credentialsExpireAt = java.util.Optional.empty();
  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public List<Flavor> flavors() {
    return List.of(Flavor.of("small", Resources.of(2, 4096, 20)), Flavor.of("big", Resources.of(8, 16384, 80)));
  }

  @Override
  public List<Image> images() {
    return List.of(new Image("img-1", "centos"));
  }

  @Override
  public CloudCapacity capacity() {
    fail();
    return CloudCapacity.UNLIMITED;
  }

  @Override
  public List<Instance> boot(BootRequest request) {
    mutatingCalls.incrementAndGet();
    boots.add(request);
    beforeBoot.accept(request);
    CloudException f = failBoot;
    if (f != null) {
      throw f;
    }
    List<Instance> made = new ArrayList<>();
    for (var name : request.names().subList(0, Math.min(bootLimit, request.names().size()))) {
      Map<String, String> tags = new java.util.HashMap<>(request.tags());
      tags.put(Csv2Tags.VM_NAME, name.value());
      Instance i =
          new Instance(InstanceId.of("i-" + ids.incrementAndGet()), name, request.flavor(), InstanceState.PENDING, "", tags, null);
      instances.put(i.id(), i);
      made.add(i);
    }
    if (loseBootReply) {
      throw new CloudException(CloudException.Reason.UNAVAILABLE, "reply lost");
    }
    return made;
  }

  @Override
  public List<Instance> instances() {
    instanceCalls.incrementAndGet();
    onInstances.run();
    fail();
    // the same list object while nothing changed, as a driver that answers from a cache gives it
    List<Instance> now = List.copyOf(instances.values());
    if (!now.equals(lastInstances)) {
      lastInstances = now;
    }
    return lastInstances;
  }

  private volatile List<Instance> lastInstances = List.of();

  @Override
  public void terminate(InstanceId id) {
    mutatingCalls.incrementAndGet();
    if (id.equals(failTerminateOf)) {
      throw new CloudException(failTerminateReason, "terminate of " + id + " failed");
    }
    terminated.add(id);
    if (!ignoreTerminate) {
      instances.remove(id);
    }
  }

  /** A fake cloud that takes several terminations in one call (it records each call's size). */
  static final class Batching extends FakeCloud {
    final List<Integer> batches = new CopyOnWriteArrayList<>();

    @Override
    public Map<InstanceId, CloudException> terminateEach(List<InstanceId> ids) {
      batches.add(ids.size());
      return org.csv2.spi.BootBurst.terminateEach(ids, null, this::terminate);
    }
  }

  void setAll(InstanceState state) {
    instances.replaceAll((k, v) -> v.withState(state, ""));
  }

  private void fail() {
    CloudException f = failReads;
    if (f != null) {
      throw f;
    }
  }

  @Override
  public java.util.Optional<java.time.Instant> credentialsExpireAt() {
    return credentialsExpireAt;
  }

  @Override
  public void close() {}
}
