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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final boolean tagsNames;
  private final boolean filtersByEngine;

  public FakeCloud() {
    this(true, true);
  }

  /** A cloud with a deliberate bug, to prove the contract catches it. */
  FakeCloud(boolean tagsNames, boolean filtersByEngine) {
    this.tagsNames = tagsNames;
    this.filtersByEngine = filtersByEngine;
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
      synchronized (lock) {
        return new Limits(0, 0, instances.size());
      }
    }

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
        for (VmId name : request.names()) {
          Map<String, String> tags = new HashMap<>(request.tags());
          if (tagsNames) {
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
        return instances.values().stream().filter(i -> !filtersByEngine || i.tag(Csv2Tags.INSTANCE_ID).orElse("").equals(context.instanceId())).toList();
      }
    }

    @Override
    public void terminate(InstanceId id) {
      synchronized (lock) {
        instances.remove(id);
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
      return new CloudCapacity(new Limits(100, 409_600, 20), used());
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
