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
package org.csv2.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link Csv2Api#VERSION} says the same as the Maven version a plugin author declares. */
class Csv2ApiVersionTest {

  @Test
  void versionIsTheMajorAndMinorOfTheArtifact() throws IOException {
    // Surefire runs in the module's directory; the version is inherited from csv2-parent.
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>csv2-parent</artifactId>\\s*<version>(\\d+)\\.(\\d+)[^<]*</version>")
            .matcher(pom);
    assertThat(m.find()).as("csv2-api's pom names its parent's version").isTrue();
    assertThat(Csv2Api.VERSION)
        .as("Csv2Api.VERSION is MAJOR.MINOR of the artifact version; change both together")
        .isEqualTo(m.group(1) + "." + m.group(2));
  }

  @Test
  void aPluginRunsOnlyWhereTheVersionPromisesIt() {
    assertThat(Csv2Api.compatible(Csv2Api.VERSION, Csv2Api.runtimeVersion())).isTrue();
    assertThat(Csv2Api.compatible("1.2", "1.3")).as("1.x minor versions only add").isTrue();
    assertThat(Csv2Api.compatible("1.3", "1.2")).as("a newer plugin on an older API").isFalse();
    assertThat(Csv2Api.compatible("0.1", "0.2")).as("0.x minor versions may break").isFalse();
  }
}
