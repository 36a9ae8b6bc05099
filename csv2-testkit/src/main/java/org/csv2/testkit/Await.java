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

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a real server until it shows a change or a deadline passes. Real clouds and batch systems
 * are eventually consistent, so the kits poll with a bound instead of asserting on the first
 * answer.
 */
final class Await {
  static final Duration POLL = Duration.ofMillis(200);

  private Await() {}

  /**
   * Reads {@code probe} until {@code done} accepts its value.
   *
   * @return the accepted value
   * @throws AssertionError naming {@code what} and the last value when {@code timeout} passes
   */
  static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "after " + timeout.toMillis() + " ms, still not " + what + "; last seen: " + value);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while polling", e);
    }
  }
}
