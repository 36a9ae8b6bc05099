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
package org.csv2.examples.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a cloud driver provider so that every instance its drivers hand to the engine (in a boot
 * reply or a listing) is appended to a ledger file, {@code <instance id> <vm name> <boot|list> .}
 * per line,
 * <em>before</em> the engine sees it. The ledger outlives the process (a SIGKILL loses no written
 * bytes), so after a crash test it names every instance the engine ever learned of; an instance the
 * engine never learned of is still in the cloud's state file (nothing but the engine deletes), so
 * together they cover every instance the cloud created.
 */
final class LedgerCloudDriverProvider implements CloudDriverProvider {
  private final CloudDriverProvider delegate;
  private final Path ledger;
  private final Set<String> written = new HashSet<>();

  LedgerCloudDriverProvider(CloudDriverProvider delegate, Path ledger) {
    this.delegate = delegate;
    this.ledger = ledger;
    written.addAll(read(ledger).keySet());
    try {
      if (Files.exists(ledger) && Files.size(ledger) > 0) {
        byte[] all = Files.readAllBytes(ledger);
        if (all[all.length - 1] != '\n') {
          // the last process was killed in the middle of a line: end it, so that it reads as cut short
          Files.write(ledger, new byte[] {'\n'}, StandardOpenOption.APPEND);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot repair the ledger " + ledger, e);
    }
  }

  /**
   * One ledger entry.
   *
   * @param id the instance id
   * @param name the VM name
   * @param source {@code boot} when the engine first learned of it from a boot reply, {@code list}
   *     when from a listing (a lost reply, or an instance a killed engine left behind)
   */
  record Entry(String id, String name, String source) {}

  /** The ledger: instance id to entry, in the order first seen. */
  static Map<String, Entry> read(Path ledger) {
    Map<String, Entry> out = new LinkedHashMap<>();
    if (!Files.exists(ledger)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ");
        // a line cut short by a kill lacks its final "."; its instance is listed again later
        if (parts.length == 4 && parts[3].equals(".")) {
          out.putIfAbsent(parts[0], new Entry(parts[0], parts[1], parts[2]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ledger " + ledger, e);
    }
    return out;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public @Nullable String apiVersion() {
    return delegate.apiVersion();
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    CloudDriver d = delegate.create(config, context);
    return new CloudDriver() {
      @Override
      public List<Flavor> flavors() {
        return d.flavors();
      }

      @Override
      public List<Image> images() {
        return d.images();
      }

      @Override
      public CloudCapacity capacity() {
        return d.capacity();
      }

      @Override
      public List<Instance> boot(BootRequest request) {
        return record(d.boot(request), "boot");
      }

      @Override
      public List<Instance> instances() {
        return record(d.instances(), "list");
      }

      @Override
      public void terminate(InstanceId id) {
        d.terminate(id);
      }

      @Override
      public void close() {
        d.close();
      }
    };
  }

  private synchronized List<Instance> record(List<Instance> instances, String source) {
    List<String> lines = new ArrayList<>();
    for (Instance i : instances) {
      if (written.add(i.id().value())) {
        lines.add(i.id().value() + " " + i.name().value() + " " + source + " .");
      }
    }
    if (!lines.isEmpty()) {
      try {
        Files.write(
            ledger,
            lines,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to the ledger " + ledger, e);
      }
    }
    return instances;
  }
}
