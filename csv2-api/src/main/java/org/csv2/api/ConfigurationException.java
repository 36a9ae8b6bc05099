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

import java.util.List;

/**
 * Invalid configuration: YAML that does not parse or bind, or values that break a rule. The
 * message lists every problem at once, each with its path, such as {@code clouds[2].config.auth-url:
 * must be https}.
 */
public final class ConfigurationException extends Csv2Exception {
  private final List<String> problems;

  /**
   * Creates the exception from its problems.
   *
   * @param problems every problem, each starting with its path
   */
  public ConfigurationException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Creates the exception from one problem.
   *
   * @param problem the problem, starting with its path
   * @param cause the underlying exception, or null
   */
  public ConfigurationException(String problem, Throwable cause) {
    super(format(List.of(problem)), cause);
    this.problems = List.of(problem);
  }

  /**
   * Every problem, each starting with its path.
   *
   * @return the problems
   */
  public List<String> problems() {
    return problems;
  }

  /** Never: the same configuration fails the same way. */
  @Override
  public boolean retryable() {
    return false;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.get(0);
    }
    return "invalid configuration (" + problems.size() + " problems):\n  - " + String.join("\n  - ", problems);
  }
}
