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
package org.csv2.examples.accounting;

import java.nio.file.Path;
import java.time.Instant;
import org.csv2.core.accounting.ApelExporter;
import org.csv2.spi.StateStore;

/**
 * The child JVM of {@link ApelCrashIT}: exports the simulated week's APEL records from the jdbc
 * store and, at the {@code n}-th checkpoint of kind {@code step} (staged, prepared, moved), prints
 * {@code AT <checkpoint>} and waits to be killed.
 *
 * <p>Arguments: db-url, db-user, outgoing directory, step, n; the password in {@code
 * CSV2_ACCT_DB_PASSWORD}.
 */
public final class ApelCrashChild {
  private ApelCrashChild() {}

  /**
   * Runs the export.
   *
   * @param args see the class comment
   * @throws Exception if it fails
   */
  public static void main(String[] args) throws Exception {
    String step = args[3];
    int n = Integer.parseInt(args[4]);
    int[] seen = {0};
    try (StateStore store = SimulatedWeek.openJdbc(args[0], args[1], System.getenv("CSV2_ACCT_DB_PASSWORD"))) {
      ApelExporter exporter =
          new ApelExporter(store, SimulatedWeek.settings(Path.of(args[2])), SimulatedWeek.CLOUD_TYPES, new java.util.Random(),
              checkpoint -> {
                if (checkpoint.startsWith(step + " ") && ++seen[0] == n) {
                  System.out.println("AT " + checkpoint);
                  System.out.flush();
                  try {
                    Thread.sleep(600_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              });
      ApelExporter.Result r = exporter.export(SimulatedWeek.START, SimulatedWeek.AT);
      System.out.println("DONE " + r.messages());
    }
  }

  static Instant at() {
    return SimulatedWeek.AT;
  }
}
