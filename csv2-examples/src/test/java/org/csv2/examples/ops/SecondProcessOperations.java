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
package org.csv2.examples.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.csv2.api.BreakerState;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentKind;
import org.csv2.api.ops.IntentStatus;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.VmFilter;
import org.csv2.api.ops.VmView;
import org.csv2.core.Csv2Operations;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.StoredConfig;
import org.csv2.model.VmState;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.jspecify.annotations.Nullable;

/**
 * One engine and a second process on one database: the engine runs with the JDBC store, a second
 * JVM ({@link OperatorProcess}) opens its own store and operates through {@link
 * Csv2Operations#over} without an engine. It reads the engine's VMs, retires one and pauses a
 * cloud; a third handle, the engine's side, sees the intent and the new configuration version,
 * the engine applies that version at its next cycle, and the second process sees the intent
 * completed and the status snapshot the engine side stored.
 */
final class SecondProcessOperations {
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final CloudName C1 = CloudName.of("c1");
  private static final Actor OPERATOR = Actor.of("alice", "admin");

  private SecondProcessOperations() {}

  static void run(String url, @Nullable String user, @Nullable String password) {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 7);
    String yaml =
        """
        engine:
          instance-id: ops1
        groups:
          - name: atlas
            vm-defaults: { image: alma9 }
        clouds:
          - name: c1
            driver: simulated
            config:
              boot-delay: { min: 10s, max: 10s }
              flavors:
                - { name: m4, cores: 4, ram-mib: 8000 }
          - name: c2
            driver: simulated
            config:
              flavors:
                - { name: m4, cores: 4, ram-mib: 8000 }
        allocations:
          - { group: atlas, cloud: c1, priority: 0 }
          - { group: atlas, cloud: c2, priority: 1 }
        job-source:
          driver: simulated
          config:
            register-delay: 10s
        state-store:
          driver: jdbc
          config:
        """
            + "    url: \"" + url + "\"\n"
            + (user == null ? "" : "    user: " + user + "\n")
            + (password == null ? "" : "    password: \"" + password + "\"\n");
    for (int i = 0; i < 4; i++) {
      world.pool().submit(ATLAS, "alice", Resources.of(4, 8000), Duration.ofHours(2), 0);
    }
    try (Scheduler engine =
            Csv2Scheduler.builder()
                .configYaml(yaml)
                .clock(clock)
                .addCloudDriverProvider(world.cloudProvider())
                .addJobSourceProvider(world.jobSourceProvider())
                .executor(new CallingThreadExecutor())
                .build();
        StateStore second = open(url, user, password, clock, "second-process");
        StateStore engineSide = open(url, user, password, clock, "engine-side")) {
      for (int n = 0; n < 12; n++) {
        CycleReport r = engine.runOnce();
        assertThat(r.failures()).as("cycle %d", r.cycle()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
      }
      Operations ops = Csv2Operations.over(second, clock);

      List<VmView> vms = ops.vms(OPERATOR, new VmFilter(ATLAS, C1, null, null, null));
      assertThat(vms).as("the engine's VMs, read by the second process").isNotEmpty();
      VmView target = vms.get(0);
      assertThat(target.vm().state()).isNotEqualTo(VmState.TERMINATED);
      assertThat(ops.configuration(OPERATOR).version()).as("the engine saved its configuration").isEqualTo(1);
      // a second JVM, with no engine, retires the VM and pauses the cloud on the same database
      long retireId = operateFromAnotherJvm(url, user, password, target.vm().id().value(), C1.value());
      Intent retire = ops.intents(OPERATOR, ATLAS, 10).get(0);
      assertThat(retire.id()).isEqualTo(retireId);
      assertThat(ops.configuration(OPERATOR).version()).as("the other JVM saved version 2").isEqualTo(2);

      assertThat(engineSide.pendingIntents(List.of(ATLAS)))
          .as("the engine side sees the second process's intent")
          .singleElement()
          .satisfies(i -> {
            assertThat(i.id()).isEqualTo(retire.id());
            assertThat(i.kind()).isEqualTo(IntentKind.RETIRE);
            assertThat(i.vm()).isEqualTo(target.vm().id());
            assertThat(i.actor()).isEqualTo(OPERATOR);
          });
      StoredConfig stored = engineSide.config().orElseThrow();
      assertThat(stored.version()).isEqualTo(2);
      assertThat(stored.updatedBy()).isEqualTo("alice");
      assertThat(stored.document()).contains("enabled: false");
      assertThat(engine.runOnce().failures()).as("the engine applies version 2 at its next cycle").isEmpty();

      // the engine carried both out: the retirement and the pause
      assertThat(ops.intents(OPERATOR, ATLAS, 10)).extracting(Intent::status).containsExactly(IntentStatus.DONE);
      assertThat(engineSide.vm(target.vm().id()).orElseThrow().state()).isIn(VmState.RETIRING, VmState.TERMINATING);
      assertThat(ops.status(OPERATOR, ATLAS)).singleElement().satisfies(s -> {
        assertThat(s.engine()).startsWith("ops1@");
        assertThat(s.configVersion()).isEqualTo(2);
        assertThat(s.clouds()).filteredOn(c -> c.cloud().equals(C1)).singleElement()
            .satisfies(c -> assertThat(c.enabled()).as("paused").isFalse());
      });
      assertThat(ops.audit(OPERATOR, Instant.EPOCH, 10))
          .extracting(a -> a.action())
          .containsExactly("vm retire", "cloud pause");
    }
  }

  /** Runs {@link OperatorProcess} in a JVM of its own and returns the id of the intent it stored. */
  private static long operateFromAnotherJvm(String url, @Nullable String user, @Nullable String password, String vm, String cloud) {
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), OperatorProcess.class.getName(), url, vm, cloud)
            .redirectErrorStream(true);
    if (user != null) {
      pb.environment().put("CSV2_DB_USER", user);
    }
    if (password != null) {
      pb.environment().put("CSV2_DB_PASSWORD", password);
    }
    try {
      Process p = pb.start();
      String out;
      try (java.io.InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the second JVM did not finish: " + out);
      }
      assertThat(p.exitValue()).as("the second JVM's exit; its output:%n%s", out).isZero();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("intent (\\d+) pid (\\d+)").matcher(out);
      assertThat(m.find()).as("the second JVM's output: %s", out).isTrue();
      assertThat(Long.parseLong(m.group(2))).as("another process").isNotEqualTo(ProcessHandle.current().pid());
      return Long.parseLong(m.group(1));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static StateStore open(String url, @Nullable String user, @Nullable String password, VirtualClock clock, String name) {
    StateStoreProvider jdbc =
        ServiceLoader.load(StateStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("jdbc"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> raw = new java.util.HashMap<>();
    raw.put("url", url);
    if (user != null) {
      raw.put("user", user);
    }
    if (password != null) {
      raw.put("password", password);
    }
    return jdbc.create(TestPluginConfig.of(raw, "state-store.config"), TestPluginContext.of(name).withClock(clock));
  }
}
