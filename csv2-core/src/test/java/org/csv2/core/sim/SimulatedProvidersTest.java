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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.csv2.api.ConfigurationException;
import org.csv2.model.CloudName;
import org.csv2.model.Instance;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedProvidersTest {
  private static final String WORLD = "providers-test";

  /** Binds like the engine's binder: strict, kebab-case (durations as ISO here). */
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private record MapConfig(Map<String, Object> raw) implements PluginConfig {
    @Override
    public <T extends Record> T bind(Class<T> type) {
      return MAPPER.convertValue(raw, type);
    }

    @Override
    public String path() {
      return "clouds[0].config";
    }
  }

  @AfterEach
  void dropWorld() {
    SimulatedWorld.dropShared(WORLD);
  }

  @Test
  void bothProvidersAreFoundByServiceLoaderAsSimulated() {
    assertThat(ServiceLoader.load(CloudDriverProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(SimulatedCloudProvider.class);
          assertThat(p.name()).isEqualTo("simulated");
        });
    assertThat(ServiceLoader.load(JobSourceProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(SimulatedJobSourceProvider.class);
          assertThat(p.name()).isEqualTo("simulated");
        });
  }

  @Test
  void configurationBindsFromKebabCaseMapsWithDefaults() {
    Map<String, Object> raw =
        Map.of(
            "world", WORLD,
            "flavors", List.of(Map.of("name", "p8", "cores", 8, "ram-mib", 30000, "price-per-hour", 0.3)),
            "quota", Map.of("cores", 64),
            "foreign-usage", Map.of("instances", 2),
            "boot-delay", Map.of("min", "PT30S", "max", "PT40S"),
            "failures", Map.of("boot-error-rate", 0.01, "error-rate-after-boot", 0.02),
            "state-file", "/tmp/x.json");
    SimulatedCloudConfig c = new MapConfig(raw).bind(SimulatedCloudConfig.class);
    assertThat(c.world()).isEqualTo(WORLD);
    assertThat(c.flavors()).singleElement().satisfies(f -> {
      assertThat(f.cores()).isEqualTo(8);
      assertThat(f.diskGib()).isZero();
      assertThat(f.pricePerHour()).isEqualTo(0.3);
    });
    assertThat(c.images()).containsExactly("centos7", "alma9");
    assertThat(c.quota().limits().cores()).isEqualTo(64);
    assertThat(c.quota().limits().instances()).isEqualTo(-1);
    assertThat(c.foreignUsage().limits().instances()).isEqualTo(2);
    assertThat(c.bootDelay().min()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.failures().bootErrorRate()).isEqualTo(0.01);
    assertThat(c.failures().timeoutRate()).isZero();
    assertThat(c.terminateDelay()).isZero();
    assertThat(new MapConfig(Map.of()).bind(SimulatedCloudConfig.class)).isEqualTo(SimulatedCloudConfig.DEFAULTS);

    SimulatedJobSourceConfig j =
        new MapConfig(
                Map.of(
                    "workload", Map.of("synthetic", Map.of("jobs", 10, "duration", Map.of("min", "PT1M"))),
                    "register-delay", "PT0S"))
            .bind(SimulatedJobSourceConfig.class);
    assertThat(j.workload().synthetic().jobs()).isEqualTo(10);
    assertThat(j.workload().synthetic().duration().max()).isEqualTo(Duration.ofMinutes(1));
    assertThat(j.registerDelay()).isZero();
    assertThatThrownBy(() -> new MapConfig(Map.of("colour", "red")).bind(SimulatedCloudConfig.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour");
  }

  @Test
  void theEnginesBinderReadsTheDocumentedKeys() {
    Map<String, Object> cloud =
        Map.of(
            "flavors", List.of(Map.of("name", "c8-30gb", "cores", 8, "ram-mib", 30000, "disk-gib", 186)),
            "boot-delay", Map.of("min", "30s", "max", "2m"),
            "terminate-delay", "5s",
            "failures", Map.of("lost-reply-rate", 0.05),
            "quota", Map.of("cores", 400, "instances", 60));
    SimulatedCloudConfig c =
        org.csv2.core.config.BoundPluginConfig.of(cloud, "clouds[0].config").bind(SimulatedCloudConfig.class);
    assertThat(c.bootDelay().max()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.terminateDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.flavors().get(0).diskGib()).isEqualTo(186);
    assertThat(c.quota().limits().ramMiB()).isEqualTo(-1);
    assertThat(c.failures().lostReplyRate()).isEqualTo(0.05);
    Map<String, Object> source =
        Map.of(
            "register-delay", "10s",
            "workload",
            Map.of("trace", Map.of("path", "x.swf.gz", "groups", List.of("atlas", "belle2"), "start-offset", "1h")));
    SimulatedJobSourceConfig j =
        org.csv2.core.config.BoundPluginConfig.of(source, "job-source.config").bind(SimulatedJobSourceConfig.class);
    assertThat(j.registerDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(j.workload().trace().startOffset()).isEqualTo(Duration.ofHours(1));
    assertThat(j.workload().trace().groups()).containsExactly("atlas", "belle2");
    assertThat(org.csv2.core.config.BoundPluginConfig.of(Map.of(), "x").bind(SimulatedJobSourceConfig.class))
        .isEqualTo(SimulatedJobSourceConfig.DEFAULTS);
    assertThatThrownBy(
            () ->
                SimulatedCloudProvider.bind(
                    org.csv2.core.config.BoundPluginConfig.of(Map.of("boot-delay", Map.of("min", "3m", "max", "1m")), "clouds[2].config")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("clouds[2].config");
  }

  @Test
  void providersShareTheWorldNamedInTheirConfiguration() {
    VirtualClock clock = new VirtualClock();
    TestPluginContext ctx = new TestPluginContext(clock, "engine-x", "cloud-one");
    CloudDriver d =
        new SimulatedCloudProvider()
            .create(
                new MapConfig(Map.of("world", WORLD, "boot-delay", Map.of("min", "PT0S", "max", "PT0S"))), ctx);
    JobSource s =
        new SimulatedJobSourceProvider()
            .create(new MapConfig(Map.of("world", WORLD, "register-delay", "PT0S")), ctx);
    SimulatedWorld world = SimulatedWorld.shared(WORLD, clock);
    assertThat(world.cloud(CloudName.of("cloud-one"))).isPresent();
    Instance i = d.boot(SimFixtures.boot("c1-4gb", 1)).get(0);
    assertThat(i.tags()).containsEntry("csv2-instance", "engine-x");
    assertThat(s.snapshot().workers()).extracting(w -> w.vm()).containsExactly(i.name());
    assertThat(SimulatedWorld.shared(WORLD, new VirtualClock())).as("another clock, a new world").isNotSameAs(world);
  }

  @Test
  void aWorkloadIsScheduledOncePerWorld() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 1);
    Map<String, Object> raw = Map.of("workload", Map.of("synthetic", Map.of("jobs", 5, "arrival-window", "PT0S")));
    world.jobSourceProvider().create(new MapConfig(raw), new TestPluginContext(clock, "engine-a", "js"));
    JobSource b = world.jobSourceProvider().create(new MapConfig(raw), new TestPluginContext(clock, "engine-b", "js"));
    assertThat(b.snapshot().jobs()).hasSize(5);
  }

  @Test
  void aMissingTraceIsAConfigurationErrorWithItsPath() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 1);
    Map<String, Object> raw = Map.of("workload", Map.of("trace", Map.of("path", "/nonexistent/x.swf")));
    assertThatThrownBy(
            () -> world.jobSourceProvider().create(new MapConfig(raw), new TestPluginContext(clock, "e", "js")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("clouds[0].config.workload.trace.path")
        .hasMessageContaining("/nonexistent/x.swf");
  }

  @Test
  void invalidValuesBecomeConfigurationErrorsWithThePath() {
    PluginConfig bad =
        new PluginConfig() {
          @Override
          public <T extends Record> T bind(Class<T> type) {
            return type.cast(new SimulatedCloudConfig.Failures(2.0, null, null, null, null));
          }

          @Override
          public String path() {
            return "clouds[1].config";
          }

          @Override
          public Map<String, Object> raw() {
            return Map.of("failures", Map.of("boot-error-rate", 2.0));
          }
        };
    assertThatThrownBy(() -> SimulatedCloudProvider.bind(bad))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("clouds[1].config.failures.boot-error-rate");
  }

  @Test
  void contextNamesThatAreNotCloudNamesAreSanitised() {
    assertThat(SimulatedCloudProvider.cloudName("My Cloud!")).isEqualTo(CloudName.of("my-cloud"));
    assertThat(SimulatedCloudProvider.cloudName("ok-name")).isEqualTo(CloudName.of("ok-name"));
  }
}
