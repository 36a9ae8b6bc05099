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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.csv2.api.CloudException;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.Vm;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Step 1 of the cycle, <b>observe</b>: reads every cloud concurrently (instances and capacity
 * every cycle, flavors and images every {@code flavor-refresh}), one call at a time per cloud,
 * each with a deadline, behind the cloud's circuit breaker; the job source's snapshot at the same
 * time; then the stored VMs.
 *
 * <p>In: the configuration, the time. Out: an {@link Observation}.
 */
final class ObserveStep {
  private static final Logger log = LoggerFactory.getLogger(ObserveStep.class);

  private final Map<CloudName, CloudGateway> gateways;
  private final JobSources jobSources;
  private final StateStore store;
  private final LongSupplier nanoTime;
  private volatile boolean recordsImages = true;

  ObserveStep(
      Map<CloudName, CloudGateway> gateways, JobSources jobSources, StateStore store, LongSupplier nanoTime) {
    this.gateways = gateways;
    this.nanoTime = nanoTime;
    this.jobSources = jobSources;
    this.store = store;
  }

  /**
   * Reads the clouds, the job source and the store. A dry run reads the same things but changes
   * no engine state: breakers are only looked at, failures and successes are not recorded and the
   * caches of flavors, images and capacity are not refreshed.
   */
  Observation observe(Csv2Config cfg, Instant now, List<String> failures, boolean dryRun) {
    Map<CloudName, CloudGateway> allowed = new LinkedHashMap<>();
    Map<CloudName, String> refused = new HashMap<>();
    for (CloudGateway g : gateways.values()) {
      if (dryRun ? g.breaker().wouldAllow(now) : g.breaker().allows(now)) {
        allowed.put(g.cloud().name(), g);
      } else {
        CircuitBreaker.View v = g.breaker().view();
        refused.put(g.cloud().name(), "circuit breaker open until " + v.retryAt() + ": " + v.reason());
      }
    }
    JobSources.Pending jobsCall = jobSources.start(cfg, now);
    Map<CloudName, List<Instance>> instances =
        phase(allowed, "instances()", CloudDriver::instances, now, failures, dryRun);
    Map<CloudName, CloudCapacity> capacity =
        phase(only(allowed, instances.keySet()), "capacity()", CloudDriver::capacity, now, failures, dryRun);
    // the administrators' policy: a failed read keeps the last one read (and counts as the cloud's failure)
    Map<CloudName, org.csv2.model.OpportunisticPolicy> policies =
        phase(only(allowed, capacity.keySet()), "opportunisticPolicy()", CloudDriver::opportunisticPolicy, now, failures, dryRun);
    // when the credentials expire, as far as the driver knows (a failed read keeps the last one)
    Map<CloudName, Optional<Instant>> expiries =
        phase(only(allowed, capacity.keySet()), "credentialsExpireAt()", CloudDriver::credentialsExpireAt, now, failures, dryRun);
    Map<CloudName, CloudGateway> stale = new LinkedHashMap<>();
    only(allowed, capacity.keySet()).forEach((n, g) -> {
      if (g.catalogStale(now)) {
        stale.put(n, g);
      }
    });
    Map<CloudName, List<Flavor>> flavors = phase(stale, "flavors()", CloudDriver::flavors, now, failures, dryRun);
    Map<CloudName, List<Image>> images =
        phase(only(stale, flavors.keySet()), "images()", CloudDriver::images, now, failures, dryRun);
    Map<CloudName, CloudView> views = new LinkedHashMap<>();
    for (CloudGateway g : gateways.values()) {
      CloudName n = g.cloud().name();
      boolean ok = capacity.containsKey(n) && (!stale.containsKey(n) || images.containsKey(n));
      boolean fresh = ok && stale.containsKey(n);
      if (policies.containsKey(n) && !dryRun) {
        g.policyRead(policies.get(n));
      }
      if (expiries.containsKey(n) && !dryRun) {
        g.credentialsExpireAt(expiries.get(n).orElse(null), now);
      }
      if (ok && !dryRun) {
        g.capacityRead(capacity.get(n));
        if (fresh) {
          g.catalogRead(flavors.get(n), images.get(n), now);
        }
        g.breaker().succeeded();
      } else if (refused.containsKey(n)) {
        failures.add("cloud " + n + ": not read, " + refused.get(n));
      }
      Cloud effective = credentialCheck(cfg, effectiveCloud(cfg, g), g, now, failures);
      String held = g.bootBackoff().heldBecause(now);
      if (held != null && effective.enabled()) {
        // boots held back: the planner places jobs elsewhere; the cloud's VMs are still managed
        effective = new Cloud(effective.name(), effective.driver(), false);
        failures.add("cloud " + n + ": " + held);
      }
      views.put(
          n,
          new CloudView(
              effective,
              ok,
              fresh ? flavors.get(n) : g.flavors(),
              fresh ? images.get(n) : g.images(),
              ok ? capacity.get(n) : g.capacity(),
              ok ? instances.get(n) : List.of(),
              policies.getOrDefault(n, g.policy())));
    }
    if (!dryRun) {
      recordImages(only(stale, images.keySet()), images, now, failures);
    }
    List<Vm> stored = null;
    try {
      stored = store.vms();
    } catch (RuntimeException e) {
      failures.add("state store: VMs not read: " + e.getMessage() + " (nothing done this cycle)");
      log.error("state store could not be read: the cycle does nothing", e);
    }
    List<Vm> storedVms = stored;
    java.util.function.Supplier<Set<GroupName>> storedGroups = () -> {
      // asked for only when a source failed among several: not a pass over every record each cycle
      Set<GroupName> gathered = new HashSet<>();
      if (storedVms != null) {
        storedVms.forEach(v -> gathered.add(v.group()));
      }
      return gathered;
    };
    JobSources.Read jobs = jobsCall.await(storedGroups, failures);
    return new Observation(views, jobs.merged(), stored, jobs.unread(), sourceCredentialCheck(cfg, now, failures));
  }

  /**
   * Records the image lists just read in the store (the image x cloud matrix, docs/images.md); a
   * store that keeps no image records is asked once. A failed write is the cycle's problem, not the
   * cloud's: the lists are read again at the next {@code flavor-refresh}.
   */
  private void recordImages(
      Map<CloudName, CloudGateway> read, Map<CloudName, List<Image>> images, Instant now, List<String> failures) {
    if (!recordsImages) {
      return;
    }
    for (CloudName n : read.keySet()) {
      try {
        store.saveCloudImages(n, images.get(n), now);
      } catch (UnsupportedOperationException e) {
        recordsImages = false;
        return;
      } catch (RuntimeException e) {
        failures.add("cloud " + n + ": its image list was read but not recorded in the state store: " + e.getMessage());
      }
    }
  }

  /**
   * Per configured group, the expiry of its job source's credential (an HTCondor token): a warning
   * within {@code engine.credential-warn}; within {@code engine.credential-stop} the group boots
   * nothing (on any cloud) and its VMs stay and are managed as usual. Other groups go on.
   */
  private Map<GroupName, String> sourceCredentialCheck(Csv2Config cfg, Instant now, List<String> failures) {
    Map<GroupName, String> stopped = new LinkedHashMap<>();
    for (org.csv2.model.Group group : cfg.groups()) {
      Map.Entry<String, Instant> at = jobSources.credentialsExpireAt(group.name());
      if (at == null) {
        continue;
      }
      CredentialExpiry.Verdict v = CredentialExpiry.judge(
          cfg.engine(), at.getValue(), now, "group " + group.name() + ": credentials of job source " + at.getKey(), "for the group");
      if (v.problem() != null) {
        failures.add(v.problem());
      }
      if (v.stopBoots()) {
        stopped.put(group.name(), Objects.requireNonNull(v.problem()));
      }
    }
    return stopped;
  }

  /**
   * The cloud as configured now; a cloud the configuration dropped is still read (its VMs are
   * retired and tracked until gone) but is not enabled: nothing boots there.
   */
  private static Cloud effectiveCloud(Csv2Config cfg, CloudGateway g) {
    return cfg.cloud(g.cloud().name())
        .map(CloudConfig::cloud)
        .orElseGet(() -> new Cloud(g.cloud().name(), g.cloud().driver(), false));
  }

  /**
   * Warns when the cloud's credentials expire within {@code engine.credential-warn}; within {@code
   * engine.credential-stop} the cloud counts as not enabled for this cycle: nothing boots there,
   * and its VMs stay and are managed as usual.
   */
  private static Cloud credentialCheck(Csv2Config cfg, Cloud cloud, CloudGateway g, Instant now, List<String> failures) {
    CredentialExpiry.Verdict v =
        CredentialExpiry.judge(cfg.engine(), g.credentialsExpireAt(), now, "cloud " + cloud.name() + ": credentials", "there");
    if (v.problem() != null) {
      failures.add(v.problem());
    }
    return v.stopBoots() && cloud.enabled() ? new Cloud(cloud.name(), cloud.driver(), false) : cloud;
  }

  @SuppressWarnings("try") // the MDC entry is the resource's whole point
  private <T> Map<CloudName, T> phase(
      Map<CloudName, CloudGateway> clouds,
      String verb,
      Function<CloudDriver, T> call,
      Instant now,
      List<String> failures,
      boolean dryRun) {
    Map<CloudName, CallGuard.Pending<T>> pending = new LinkedHashMap<>();
    clouds.forEach(
        (n, g) ->
            pending.put(
                n,
                g.guard().start(verb, () -> {
                  long t0 = nanoTime.getAsLong();
                  T value = call.apply(g.driver());
                  if (!dryRun) {
                    g.latencyMeasured(nanoTime.getAsLong() - t0);
                  }
                  return value;
                })));
    Map<CloudName, T> results = new LinkedHashMap<>();
    pending.forEach(
        (n, p) -> {
          try (MDC.MDCCloseable c = MDC.putCloseable("cloud", n.value())) {
            T value = p.await();
            if (value == null) {
              throw new CloudException(
                  CloudException.Reason.UNAVAILABLE, "cloud " + n + ": " + verb + " returned null");
            }
            results.put(n, value);
          } catch (RuntimeException e) {
            if (!dryRun) {
              clouds.get(n).recordFailure(CycleLog.asCloudFailure(e, n, verb), now);
            }
            failures.add("cloud " + n + ": " + verb + " failed: " + e.getMessage());
            CycleLog.warnFailure(log, "cloud " + n + ": " + verb + " failed, the cloud counts as unreachable this cycle", e);
          }
        });
    return results;
  }

  private static <V> Map<CloudName, V> only(Map<CloudName, V> map, Set<CloudName> keys) {
    Map<CloudName, V> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (keys.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
