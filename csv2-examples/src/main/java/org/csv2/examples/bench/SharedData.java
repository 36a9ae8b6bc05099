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
package org.csv2.examples.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the third-party data folder ({@code shared/data}): the system property {@code
 * csv2.shared.data}, else {@code ../shared/data} seen from the working directory or any of its
 * parents. The data is read where it lies and never copied into the repository.
 */
public final class SharedData {
  /** The system property naming the folder. */
  public static final String PROPERTY = "csv2.shared.data";

  private SharedData() {}

  /**
   * The data folder.
   *
   * @return its path
   * @throws IllegalStateException naming where it looked, if there is none
   */
  public static Path locate() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured).toAbsolutePath().normalize();
      if (Files.isDirectory(p.resolve("catalogs"))) {
        return p;
      }
      throw new IllegalStateException(
          "-D" + PROPERTY + "=" + configured + " has no catalogs/ folder: point it at shared/data");
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      for (Path candidate : new Path[] {d.resolve("shared/data"), d.resolve("../shared/data")}) {
        if (Files.isDirectory(candidate.resolve("catalogs"))) {
          return candidate.normalize();
        }
      }
    }
    throw new IllegalStateException(
        "no shared/data folder found above "
            + dir
            + ": run from the repository (../shared/data beside it) or pass -D"
            + PROPERTY
            + "=/path/to/shared/data");
  }
}
