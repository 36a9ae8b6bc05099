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

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link SecondProcessOperations} on one H2 file database. */
class SecondProcessOperationsTest {
  @Test
  @Timeout(120)
  void aSecondProcessOperatesOnTheEnginesH2Store(@TempDir Path dir) {
    // two processes may open one H2 file only through AUTO_SERVER
    SecondProcessOperations.run("jdbc:h2:file:" + dir.resolve("csv2").toAbsolutePath() + ";AUTO_SERVER=TRUE", null, null);
  }
}
