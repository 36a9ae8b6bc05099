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
package org.csv2.core.plugin;

import java.time.Instant;
import java.util.List;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.Throttles;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Planners;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.Group;
import org.csv2.model.Job;
import org.csv2.model.Vm;
import org.csv2.model.Worker;
import org.csv2.spi.CloudObservation;
import org.csv2.spi.PlanningView;

/**
 * Converts between the engine's {@link Snapshot} and the {@link PlanningView} of the planner SPI.
 * The view of a snapshot shares its immutable lists (the cloud list is converted once, on first
 * use), so handing a cycle to a third-party planner copies no job or VM.
 */
public final class PlanningViews {
  private PlanningViews() {}

  /**
   * The SPI view of an engine snapshot.
   *
   * @param snapshot the snapshot
   * @return its view
   */
  public static PlanningView of(Snapshot snapshot) {
    return new SnapshotView(snapshot);
  }

  /**
   * The engine snapshot of a view: the very snapshot when the view is one of {@link #of}, else one
   * built with the engine's default settings for the policy (the throttles production's rules
   * use for {@code csv2-classic}).
   *
   * @param view the view
   * @param policy the policy that plans it
   * @return the snapshot
   */
  public static Snapshot snapshot(PlanningView view, String policy) {
    if (view instanceof SnapshotView s) {
      return s.snapshot;
    }
    EngineSettings settings = EngineSettings.defaults(view.instanceId()).withPolicy(policy);
    if (Planners.CLASSIC.equals(policy)) {
      settings = settings.withThrottles(Throttles.CLASSIC);
    }
    List<CloudView> clouds =
        view.clouds().stream()
            .map(c -> new CloudView(c.cloud(), c.reachable(), c.flavors(), c.images(), c.capacity(), c.instances()))
            .toList();
    return new Snapshot(
        view.now(), settings, view.groups(), view.allocations(), view.aliases(), clouds, view.jobs(), view.workers(), view.vms());
  }

  private static final class SnapshotView implements PlanningView {
    private final Snapshot snapshot;
    private volatile List<CloudObservation> clouds;

    SnapshotView(Snapshot snapshot) {
      this.snapshot = snapshot;
    }

    @Override
    public Instant now() {
      return snapshot.now();
    }

    @Override
    public String instanceId() {
      return snapshot.settings().instanceId();
    }

    @Override
    public List<Group> groups() {
      return snapshot.groups();
    }

    @Override
    public List<Allocation> allocations() {
      return snapshot.allocations();
    }

    @Override
    public List<Alias> aliases() {
      return snapshot.aliases();
    }

    @Override
    public List<CloudObservation> clouds() {
      List<CloudObservation> c = clouds;
      if (c == null) {
        c =
            snapshot.clouds().stream()
                .map(v -> new CloudObservation(v.cloud(), v.reachable(), v.flavors(), v.images(), v.capacity(), v.instances()))
                .toList();
        clouds = c;
      }
      return c;
    }

    @Override
    public List<Job> jobs() {
      return snapshot.jobs();
    }

    @Override
    public List<Worker> workers() {
      return snapshot.workers();
    }

    @Override
    public List<Vm> vms() {
      return snapshot.vms();
    }
  }
}
