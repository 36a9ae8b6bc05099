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

import java.time.Clock;

/**
 * The only door from a plugin into the engine. It deliberately offers no executor: threads belong
 * to the engine.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread.
 *
 * <p><b>Lifecycle:</b> valid for the whole life of the plugin instance it was given to. New
 * services are added as default methods only.
 */
public interface PluginContext {
  /**
   * The engine's clock. Plugins read time only from it, so that simulations run in virtual time.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * This csv2 engine's instance id: the tag that marks the clouds' instances and the batch
   * system's workers as this engine's.
   *
   * @return the instance id (lower-case letters, digits and dashes)
   */
  String instanceId();

  /**
   * The name of the configured element this plugin serves, such as the cloud's name, for messages.
   *
   * @return the name
   */
  String name();

  /**
   * Where to report the plugin's own figures.
   *
   * @return the sink; {@link MetricsSink#NONE} by default
   */
  default MetricsSink metrics() {
    return MetricsSink.NONE;
  }

  /**
   * Whether the engine was built for dry runs only ({@code csv2 plan}, {@code csv2 validate}): it
   * reads and plans but changes nothing outside its process. A plugin then changes nothing either:
   * a state store neither creates nor migrates its database and writes no row (it refuses with a
   * clear message when its schema is behind this version's), a cloud driver or job source makes no
   * call that changes anything (the engine calls none of their mutating verbs anyway).
   *
   * @return true for a dry-run engine; false by default
   */
  default boolean readOnly() {
    return false;
  }

  /**
   * Reports a record from outside that the plugin left out because it is malformed or out of
   * range: a job or worker ad, a cloud's server, flavor or image, a stored row. The plugin goes on
   * with the other records; one bad record never fails a whole call. The engine logs the record
   * at WARN (once per record and reason), counts it ({@code csv2.records.rejected}) and lists it in
   * the cycle's {@link org.csv2.api.CycleReport#rejected()} and the status's problems.
   *
   * <p>Records that are merely not this engine's (a foreign job, another engine's instance) are
   * not rejected: they are counted where the SPI says so.
   *
   * @param record names the record for people, such as {@code job schedd1#12.0} or {@code server
   *     4f1c... (vm-7)}; kept short (the engine truncates it)
   * @param reason why it was left out, such as {@code QDate 9.2E18 is not a time}
   */
  default void rejected(String record, String reason) {
    System.getLogger(PluginContext.class.getName())
        .log(System.Logger.Level.WARNING, "{0}: rejected {1}: {2}", name(), record, reason);
  }
}
