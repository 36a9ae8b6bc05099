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
package org.csv2.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.KeyPair;
import org.csv2.model.Limits;
import org.csv2.model.Network;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.PluginContext;

/** A minimal in-memory cloud that the kit's own tests run the driver contract against. */
public final class FakeCloud {
  private final Object lock = new Object();
  private final Map<InstanceId, Instance> instances = new LinkedHashMap<>();
  private final List<Flavor> flavors =
      List.of(Flavor.of("m1.large", Resources.of(4, 8192, 40)), Flavor.of("m1.small", Resources.of(1, 2048, 20)));
  private final List<Image> images = List.of(new Image("0b7c5e9a-img", "centos-7"));
  private final Set<Bug> bugs;
  private int instanceQuota = 20;
  private Map<String, String> metadata = Map.of();

  /** The deliberate bugs a fake cloud can have, to prove the contract catches each. */
  enum Bug {
    /** boot does not add the csv2-vm tag. */
    NO_NAME_TAG,
    /** instances() lists every engine's instances. */
    LISTS_OTHER_ENGINES,
    /** instances() leaves out PENDING instances (every instance of this cloud stays PENDING). */
    OMITS_PENDING,
    /** terminate deletes every instance of the project. */
    TERMINATES_ALL,
    /** capacity() reports nothing used, and boot never checks the quota. */
    ZERO_USAGE_NO_QUOTA,
    /** terminateEach reports success for every id but leaves the last one running. */
    TERMINATE_EACH_SKIPS_LAST,
    /** bootEach names every instance after the first request's first VM. */
    BOOT_EACH_ONE_NAME,
    /** opportunisticPolicy ignores the administrators' metadata. */
    POLICY_IGNORES_METADATA
  }

  public FakeCloud() {
    this.bugs = EnumSet.noneOf(Bug.class);
  }

  /** A cloud with deliberate bugs, to prove the contract catches them. */
  FakeCloud(Bug first, Bug... more) {
    this.bugs = EnumSet.of(first, more);
  }

  /** Sets the instance quota of the drivers with every capability. */
  void instanceQuota(int max) {
    synchronized (lock) {
      instanceQuota = max;
    }
  }

  /** Sets the administrators' metadata for opportunistic use. */
  void metadata(Map<String, String> pairs) {
    synchronized (lock) {
      metadata = Map.copyOf(pairs);
    }
  }

  public CloudDriver driver(PluginContext context, boolean extras) {
    return extras ? new Driver(context) : new BasicDriver(context);
  }

  /** A driver without key pairs, networks or quota. */
  private class BasicDriver implements CloudDriver {
    final PluginContext context;

    BasicDriver(PluginContext context) {
      this.context = context;
    }

    @Override
    public List<Flavor> flavors() {
      return flavors;
    }

    @Override
    public List<Image> images() {
      return images;
    }

    @Override
    public CloudCapacity capacity() {
      return new CloudCapacity(Limits.NONE, used());
    }

    Limits used() {
      if (bugs.contains(Bug.ZERO_USAGE_NO_QUOTA)) {
        return Limits.ZERO;
      }
      synchronized (lock) {
        Limits used = Limits.ZERO;
        for (Instance i : instances.values()) {
          used = used.plus(Limits.of(flavor(i.flavor()).resources()));
        }
        return used;
      }
    }

    Flavor flavor(org.csv2.model.FlavorName name) {
      return flavors.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** Refuses a boot beyond the quota; a driver without quota accepts everything. */
    void checkQuota(BootRequest request) {}

    @Override
    public List<Instance> boot(BootRequest request) {
      if (flavors.stream().noneMatch(f -> f.name().equals(request.flavor()))) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST, "cloud " + context.name() + ": no flavor " + request.flavor());
      }
      if (images.stream().noneMatch(i -> i.matches(request.image()))) {
        throw new CloudException(CloudException.Reason.INVALID_REQUEST, "cloud " + context.name() + ": no image " + request.image());
      }
      List<Instance> booted = new ArrayList<>();
      synchronized (lock) {
        checkQuota(request);
        for (VmId name : request.names()) {
          Map<String, String> tags = new HashMap<>(request.tags());
          if (!bugs.contains(Bug.NO_NAME_TAG)) {
            tags.put(Csv2Tags.VM_NAME, name.value());
          }
          Instance i =
              new Instance(
                  InstanceId.of(UUID.randomUUID().toString()), name, request.flavor(), InstanceState.PENDING, "", tags, Instant.EPOCH);
          instances.put(i.id(), i);
          booted.add(i);
        }
      }
      return booted;
    }

    @Override
    public List<Instance> instances() {
      synchronized (lock) {
        return instances.values().stream()
            .filter(i -> bugs.contains(Bug.LISTS_OTHER_ENGINES) || i.tag(Csv2Tags.INSTANCE_ID).orElse("").equals(context.instanceId()))
            .filter(i -> !bugs.contains(Bug.OMITS_PENDING) || i.state() != InstanceState.PENDING)
            .toList();
      }
    }

    @Override
    public void terminate(InstanceId id) {
      synchronized (lock) {
        if (bugs.contains(Bug.TERMINATES_ALL)) {
          instances.clear();
        } else {
          instances.remove(id);
        }
      }
    }

    @Override
    public Map<InstanceId, CloudException> terminateEach(List<InstanceId> ids) {
      if (bugs.contains(Bug.TERMINATE_EACH_SKIPS_LAST)) {
        ids.subList(0, ids.size() - 1).forEach(this::terminate);
        return Map.of();
      }
      return CloudDriver.super.terminateEach(ids);
    }

    @Override
    public List<Instance> bootEach(List<BootRequest> requests) {
      if (!bugs.contains(Bug.BOOT_EACH_ONE_NAME)) {
        return CloudDriver.super.bootEach(requests);
      }
      VmId first = requests.get(0).names().get(0);
      List<Instance> out = new ArrayList<>();
      for (BootRequest r : requests) {
        List<VmId> same = java.util.Collections.nCopies(r.count(), first);
        out.addAll(boot(new BootRequest(r.group(), r.flavor(), r.image(), same, r.userData(), r.tags(), r.vm(), r.maxPrice())));
      }
      return out;
    }

    @Override
    public org.csv2.model.OpportunisticPolicy opportunisticPolicy() {
      synchronized (lock) {
        if (bugs.contains(Bug.POLICY_IGNORES_METADATA)) {
          return org.csv2.model.OpportunisticPolicy.NONE;
        }
        return org.csv2.spi.OpportunisticMetadata.parse(metadata, "metadata of fake cloud");
      }
    }

    @Override
    public void close() {}
  }

  /** A driver with every capability. */
  private final class Driver extends BasicDriver {
    Driver(PluginContext context) {
      super(context);
    }

    @Override
    public CloudCapacity capacity() {
      synchronized (lock) {
        return new CloudCapacity(new Limits(100, 409_600, instanceQuota), used());
      }
    }

    @Override
    void checkQuota(BootRequest request) {
      if (bugs.contains(Bug.ZERO_USAGE_NO_QUOTA)) {
        return;
      }
      int used = instances.size();
      if (used + request.count() > instanceQuota) {
        throw new CloudException(
            CloudException.Reason.QUOTA_EXCEEDED,
            String.format("cloud %s: %d instances asked, %d of %d in use", context.name(), request.count(), used, instanceQuota));
      }
    }

    @Override
    public List<KeyPair> keyPairs() {
      return List.of(new KeyPair("ops", "aa:bb"));
    }

    @Override
    public List<Network> networks() {
      return List.of(new Network("net-1", "private"));
    }
  }
}
