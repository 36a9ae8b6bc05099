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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Lease;
import org.csv2.spi.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of the cycle, <b>lease</b>: takes or renews its share of the leases on the configured
 * groups, and on every removed group that still has VMs of this engine (so they are retired, not
 * orphaned), as the lease owner (instance id plus a per-process token). Engines sharing a store
 * split the groups between them by count (see {@link #take}). The rest of the cycle acts only on
 * the groups held.
 *
 * <p>In: the configuration, the time. Out: the groups held.
 */
final class LeaseStep {
  private static final Logger log = LoggerFactory.getLogger(LeaseStep.class);

  private final StateStore store;
  private final String owner;

  /** This engine's presence lease, and each group's rank for this owner: computed once, not every cycle. */
  private final GroupName presence;
  private final Map<GroupName, Long> ranks = new HashMap<>();

  LeaseStep(StateStore store, String owner) {
    this.store = store;
    this.owner = owner;
    this.presence = presence(owner);
  }

  private long rankOf(GroupName g) {
    if (ranks.size() > 4096) {
      ranks.clear();
    }
    return ranks.computeIfAbsent(g, x -> rank(x, owner));
  }

  /** The owner id of this engine's leases. */
  String owner() {
    return owner;
  }

  /**
   * Takes, renews and gives up leases so that the engines sharing the store split the groups
   * between them by count: each engine renews a presence lease (a lease on {@link
   * #presence(String)}), the live engines are those with a live presence lease, sorted by owner,
   * and the {@code i}-th of {@code n} engines holds {@code floor(G/n)} groups, one more if {@code i
   * < G mod n}. An engine over its share gives up the groups it ranks last (by a hash of group and
   * owner, so engines prefer different groups); an engine under its share takes free or expired
   * groups until it holds its share. So a joining engine is given groups within a cycle or two,
   * and the groups of an engine that died are taken once its leases expire (at most one lease
   * period plus a cycle).
   *
   * @return the groups this engine holds a lease on
   */
  Set<GroupName> take(Csv2Config cfg, Set<GroupName> removed, Instant now, List<String> failures) {
    Duration ttl = cfg.engine().leaseTtl();
    List<GroupName> groups = groups(cfg, removed);
    List<Lease> leases;
    // a lease of ours that the store shows live for long enough is not written again this cycle
    Instant renewBy = renewBy(cfg, now, ttl);
    Map<GroupName, Lease> byGroup = new HashMap<>();
    try {
      leases = store.leases();
      for (Lease l : leases) {
        byGroup.put(l.group(), l);
      }
      if (!heldUntilAfter(byGroup, presence, renewBy)) {
        store.tryLease(presence, owner, now, ttl);
      }
    } catch (RuntimeException e) {
      failures.add("state store: leases not read: " + e.getMessage());
      return Set.of();
    }
    int share = share(groups.size(), engines(leases, now), owner);
    Map<GroupName, String> holders = new HashMap<>();
    for (Lease l : leases) {
      if (l.expires().isAfter(now)) {
        holders.put(l.group(), l.owner());
      }
    }
    List<GroupName> mine = new ArrayList<>();
    List<GroupName> free = new ArrayList<>();
    for (GroupName g : groups) {
      String holder = holders.get(g);
      if (owner.equals(holder)) {
        mine.add(g);
      } else if (holder == null) {
        free.add(g);
      }
    }
    Comparator<GroupName> preference = Comparator.comparingLong(this::rankOf).thenComparing(g -> g);
    mine.sort(preference);
    free.sort(preference);
    Set<GroupName> held = new HashSet<>();
    for (int i = 0; i < mine.size(); i++) {
      GroupName g = mine.get(i);
      try {
        if (i >= share) {
          store.releaseLease(g, owner);
          log.info("lease on group {} given up: {} engines share the store, this one holds {} groups at most", g,
              engines(leases, now).size(), share);
        } else if (heldUntilAfter(byGroup, g, renewBy) || store.tryLease(g, owner, now, ttl).isPresent()) {
          held.add(g);
        }
      } catch (RuntimeException e) {
        failures.add("state store: lease on group " + g + " not renewed: " + e.getMessage());
      }
    }
    for (GroupName g : free) {
      if (held.size() >= share) {
        break;
      }
      try {
        if (store.tryLease(g, owner, now, ttl).isPresent()) {
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

  /** Whether leases are renewed only when due (false: every cycle, as before; for tests). */
  private boolean renewWhenDue = true;

  /**
   * Sets whether a lease is renewed only when due.
   *
   * @param on false to renew every held lease every cycle
   */
  void renewWhenDue(boolean on) {
    renewWhenDue = on;
  }

  /**
   * The instant a held lease must outlive not to be renewed this cycle: half the lease period and
   * at least two cycle periods ahead, so a lease is renewed at least once before it could lapse
   * even if a cycle runs late; {@link Instant#MAX} (renew every cycle) when that leaves no room.
   */
  private Instant renewBy(Csv2Config cfg, Instant now, Duration ttl) {
    Duration margin = ttl.dividedBy(2);
    Duration twoCycles = cfg.engine().timers().cycle().multipliedBy(2);
    if (margin.compareTo(twoCycles) < 0) {
      margin = twoCycles;
    }
    return !renewWhenDue || margin.compareTo(ttl) >= 0 ? Instant.MAX : now.plus(margin);
  }

  /**
   * Whether the store shows this engine holding {@code group}'s lease past {@code by}: such a lease
   * is held, and a renewal could only move its expiry (a live lease is only ever renewed by its
   * owner).
   */
  private boolean heldUntilAfter(Map<GroupName, Lease> leases, GroupName group, Instant by) {
    if (by == Instant.MAX) {
      return false;
    }
    Lease l = leases.get(group);
    return l != null && l.owner().equals(owner) && l.expires().isAfter(by);
  }

  /**
   * The lease that says an engine is alive: a group name no configuration can use (the
   * configuration refuses group names starting {@value #PRESENCE_PREFIX}).
   */
  static GroupName presence(String owner) {
    return GroupName.of(PRESENCE_PREFIX + Long.toHexString(hash(owner) & Long.MAX_VALUE));
  }

  /** The prefix of presence leases, one the configuration refuses for groups. */
  static final String PRESENCE_PREFIX = org.csv2.core.config.ConfigLoader.RESERVED_GROUP_PREFIX;

  /** The owners of live presence leases, this engine included, sorted. */
  private List<String> engines(List<Lease> leases, Instant now) {
    Set<String> live = new TreeSet<>();
    live.add(owner);
    for (Lease l : leases) {
      if (l.expires().isAfter(now) && l.group().value().startsWith(PRESENCE_PREFIX)) {
        live.add(l.owner());
      }
    }
    return new ArrayList<>(live);
  }

  /** How many of {@code groups} groups the engine {@code owner} holds among {@code engines}. */
  static int share(int groups, List<String> engines, String owner) {
    int n = engines.size();
    int index = Math.max(0, engines.indexOf(owner));
    return groups / n + (index < groups % n ? 1 : 0);
  }

  private static long rank(GroupName group, String owner) {
    return hash(group.value() + "\u0000" + owner);
  }

  /** A stable 64-bit FNV-1a hash, the same in every JVM. */
  private static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
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
    try {
      store.releaseLease(presence(owner), owner);
    } catch (RuntimeException e) {
      log.warn("presence lease of {} not released", owner, e);
    }
  }
}
