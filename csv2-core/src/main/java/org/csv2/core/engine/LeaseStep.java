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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Lease;
import org.csv2.spi.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of the cycle, <b>lease</b>: takes or renews a lease on every configured group, and on
 * every removed group that still has VMs of this engine (so they are retired, not orphaned), as the
 * lease owner (instance id plus a per-process token). The rest of the cycle acts only on the
 * groups held.
 *
 * <p>In: the configuration, the time. Out: the groups held.
 */
final class LeaseStep {
  private static final Logger log = LoggerFactory.getLogger(LeaseStep.class);

  private final StateStore store;
  private final String owner;

  LeaseStep(StateStore store, String owner) {
    this.store = store;
    this.owner = owner;
  }

  /** The owner id of this engine's leases. */
  String owner() {
    return owner;
  }

  /**
   * Takes or renews the leases.
   *
   * @return the groups this engine holds a lease on
   */
  Set<GroupName> take(Csv2Config cfg, Set<GroupName> removed, Instant now, List<String> failures) {
    Set<GroupName> held = new HashSet<>();
    for (GroupName g : groups(cfg, removed)) {
      try {
        if (store.tryLease(g, owner, now, cfg.engine().leaseTtl()).isPresent()) {
          held.add(g);
        } else {
          log.debug("group {} is served by another engine", g);
        }
      } catch (RuntimeException e) {
        failures.add("state store: lease on group " + g + " not taken: " + e.getMessage());
      }
    }
    return held;
  }

  private static List<GroupName> groups(Csv2Config cfg, Set<GroupName> removed) {
    List<GroupName> out = new ArrayList<>(cfg.groups().size() + removed.size());
    for (Group g : cfg.groups()) {
      out.add(g.name());
    }
    out.addAll(removed);
    return out;
  }

  /**
   * The groups a dry run plans for, writing nothing: those no other engine holds a live lease on.
   *
   * @return the groups this engine would hold
   */
  Set<GroupName> wouldHold(Csv2Config cfg, Set<GroupName> removed, Instant now, List<String> failures) {
    Set<GroupName> groups = new HashSet<>();
    List<Lease> leases = List.of();
    try {
      leases = store.leases();
    } catch (RuntimeException e) {
      failures.add("state store: leases not read: " + e.getMessage());
    }
    for (GroupName g : groups(cfg, removed)) {
      boolean other =
          leases.stream()
              .anyMatch(
                  l ->
                      l.group().equals(g)
                          && !l.owner().equals(owner)
                          && l.expires().isAfter(now));
      if (!other) {
        groups.add(g);
      }
    }
    return groups;
  }

  /** Gives up this engine's leases (at shutdown, so another engine takes over at once). */
  void release(Csv2Config cfg) {
    for (Group g : cfg.groups()) {
      try {
        store.releaseLease(g.name(), owner);
      } catch (RuntimeException e) {
        log.warn("lease on group {} not released", g.name(), e);
      }
    }
  }
}
