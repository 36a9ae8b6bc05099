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
package org.csv2.plugin.jdbc;

import org.csv2.plugin.jdbc.testing.ReservationRace;
import org.csv2.plugin.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ReservationRace} on an H2 file opened by two processes ({@code AUTO_SERVER=TRUE}). */
class ReservationRaceTest {
  @Test
  @Timeout(180)
  void twoProcessesAndManyThreadsBookTheLastSlotOnH2() throws Exception {
    TestDatabase h2 = TestDatabase.h2("race");
    TestDatabase shared = new TestDatabase("h2", h2.url() + ";AUTO_SERVER=TRUE", null, null, h2.dropper());
    try {
      ReservationRace.run(shared);
    } finally {
      shared.drop();
    }
  }
}
