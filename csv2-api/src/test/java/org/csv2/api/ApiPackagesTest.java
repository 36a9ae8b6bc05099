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
package org.csv2.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * The packages of csv2-api are its public API (docs/versioning.md): each one is documented in a
 * package-info and null-marked, so a package added to the API cannot skip either.
 */
class ApiPackagesTest {

  /** The API packages docs/versioning.md lists; a new one is added there and here. */
  private static final List<String> DOCUMENTED = List.of("org.csv2.api", "org.csv2.api.ops", "org.csv2.model", "org.csv2.spi");

  @Test
  void everyPackageOfTheJarIsDocumentedAndNullMarked() throws Exception {
    Path classes = Path.of(Csv2Exception.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> packages;
    try (Stream<Path> files = Files.walk(classes)) {
      packages =
          files
              .filter(f -> f.toString().endsWith(".class"))
              .map(f -> classes.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."))
              .distinct()
              .sorted()
              .toList();
    }
    assertThat(packages).as("packages of csv2-api").isNotEmpty();
    assertThat(DOCUMENTED).as("packages listed in docs/versioning.md").containsAll(packages);
    for (String name : packages) {
      Class<?> info = Class.forName(name + ".package-info");
      assertThat(info.isAnnotationPresent(NullMarked.class))
          .as("package-info of %s is @NullMarked", name)
          .isTrue();
    }
  }
}
