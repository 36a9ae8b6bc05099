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
package org.csv2.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.csv2.api.ConfigurationException;
import org.csv2.model.GroupName;
import org.junit.jupiter.api.Test;

/** The {@code images} section of the configuration. */
class ImageSettingsConfigTest {
  private static final String BASE = """
      job-source:
        driver: htcondor
      groups:
        - name: atlas
          vm-defaults: {image: worker-v7, key-name: ops}
        - name: cms
      """;

  private static Csv2Config parse(String yaml) {
    return ConfigLoader.parse(yaml, k -> null, "test.yaml", Path.of("/etc/csv2"));
  }

  @Test
  void defaultsWithoutTheSectionAndValuesWithIt() {
    assertThat(parse(BASE).images()).isEqualTo(ImageSettings.DEFAULTS);
    ImageSettings s = parse(BASE + """
        images:
          cache-dir: cache
          cache-max-gib: 2
          parallel-transfers: 4
          max-attempts: 5
          disk-format: raw
          replicate: [atlas]
        """).images();
    assertThat(s).isEqualTo(new ImageSettings(Path.of("/etc/csv2/cache"), 2L << 30, 4, 5, "raw", List.of(GroupName.of("atlas"))));
  }

  @Test
  void aReplicatedGroupMustExistAndNameAnImage() {
    assertThatThrownBy(() -> parse(BASE + """
        images:
          replicate: [cms, lhcb]
          disk-format: floppy
        """))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("images.replicate: group cms names no vm-defaults.image")
        .hasMessageContaining("images.replicate: group lhcb is not configured")
        .hasMessageContaining("images.disk-format");
  }
}
