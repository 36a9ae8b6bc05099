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
package org.csv2.testkit;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.csv2.spi.PluginContext;

/**
 * A {@link PluginContext} for tests: a clock, an engine instance id and the name of the element
 * the plugin serves. Its metrics sink drops everything; the records the plugin rejects ({@link
 * PluginContext#rejected}) are kept in {@link #rejections()} for the test to check.
 *
 * <p><b>Thread safety:</b> immutable; its clock is as thread-safe as the one given.
 *
 * @param clock the clock the plugin reads time from
 * @param instanceId the csv2 engine instance id (lower-case letters, digits and dashes)
 * @param name the configured element's name, such as the cloud's name
 * @param rejections the records rejected so far, as {@code record: reason} (a live, thread-safe
 *     list the context appends to)
 */
public record TestPluginContext(Clock clock, String instanceId, String name, List<String> rejections)
    implements PluginContext {
  /** Validates. */
  public TestPluginContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rejections, "rejections");
    if (!instanceId.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "instance id '" + instanceId + "' is invalid: use lower-case letters, digits and '-'");
    }
  }

  /**
   * A context that has rejected nothing yet.
   *
   * @param clock the clock the plugin reads time from
   * @param instanceId the csv2 engine instance id
   * @param name the configured element's name
   */
  public TestPluginContext(Clock clock, String instanceId, String name) {
    this(clock, instanceId, name, new CopyOnWriteArrayList<>());
  }

  @Override
  public void rejected(String record, String reason) {
    rejections.add(record + ": " + reason);
  }

  /**
   * A context with the system UTC clock and a fresh random instance id such as {@code t1a2b3c4d}.
   *
   * @param name the configured element's name, such as the cloud's name
   * @return the context
   */
  public static TestPluginContext of(String name) {
    return new TestPluginContext(Clock.systemUTC(), randomInstanceId(), name);
  }

  /**
   * A fresh random instance id: {@code t} and 8 hexadecimal digits.
   *
   * @return the id
   */
  public static String randomInstanceId() {
    return String.format("t%08x", ThreadLocalRandom.current().nextInt());
  }

  /**
   * The same context with another instance id (another engine on the same cloud).
   *
   * @param id the instance id
   * @return the copy
   */
  public TestPluginContext withInstanceId(String id) {
    return new TestPluginContext(clock, id, name);
  }

  /**
   * The same context with another clock.
   *
   * @param c the clock
   * @return the copy
   */
  public TestPluginContext withClock(Clock c) {
    return new TestPluginContext(c, instanceId, name);
  }
}
