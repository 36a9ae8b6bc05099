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

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a benchmark ran on: cores, memory, JVM, OS. */
public final class Machine {
  private Machine() {}

  /**
   * The machine's description, for every result object.
   *
   * @return cores, memoryMiB, jvm, os
   */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    long mem = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      mem = os.getTotalMemorySize() / (1024 * 1024);
    }
    m.put("memoryMiB", mem);
    m.put(
        "jvm",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
            + " (" + System.getProperty("java.vendor") + ")");
    m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    return m;
  }

  /**
   * One line for a Markdown report.
   *
   * @return e.g. {@code 2 cores, 23 GiB, OpenJDK 64-Bit Server VM 17.0.15}
   */
  public static String line() {
    Map<String, Object> m = describe();
    return m.get("cores") + " cores, " + ((long) m.get("memoryMiB") / 1024) + " GiB RAM, " + m.get("jvm") + ", " + m.get("os");
  }
}
