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
package org.csv2.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.core.config.BoundPluginConfig;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.JobSource;
import org.csv2.spi.PluginContext;
import org.junit.jupiter.api.Test;

/** The README's minimal configuration is real: it loads, and its plugins accept their subtrees. */
class ReadmeTest {
  @Test
  void theMinimalConfigurationInTheReadmeLoadsAndItsPluginsAcceptIt() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README.md has a yaml block").isTrue();
    Map<String, String> env = Map.of("OS_PASSWORD", "not-a-real-one", "CONDOR_TOKEN", "t0ken");
    Csv2Config config = ConfigLoader.parse(m.group(1), env::get, "README.md");

    assertThat(config.groups()).singleElement().satisfies(g -> assertThat(g.userData()).hasSize(1));
    PluginCatalog catalog = PluginCatalog.builder().build();
    for (CloudConfig cloud : config.clouds()) {
      try (CloudDriver driver =
          catalog.cloudDriver(cloud.cloud().driver()).create(BoundPluginConfig.of(cloud.driver()), context(cloud.cloud().name().value()))) {
        assertThat(driver).isNotNull();
      }
    }
    try (JobSource source =
        catalog.jobSource(config.jobSource().driver()).create(BoundPluginConfig.of(config.jobSource()), context("job-source"))) {
      assertThat(source).isNotNull();
    }
  }

  private static PluginContext context(String name) {
    return new PluginContext() {
      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }

      @Override
      public String instanceId() {
        return "readme";
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
