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
package org.csv2.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits failed sign-in attempts, per client address and per user name: after {@link #MAX_FAILURES}
 * failures within {@link #WINDOW}, further attempts are refused (HTTP 429) until the oldest failure
 * leaves the window. Successful sign-ins do not count. The tracked keys are bounded (least recently
 * used go first), so a flood of addresses cannot exhaust memory.
 *
 * <p><b>Thread safety:</b> safe for concurrent use (one lock).
 */
final class SignInLimiter {
  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(5);
  private static final int MAX_KEYS = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
          return size() > MAX_KEYS;
        }
      };

  SignInLimiter(Clock clock) {
    this.clock = clock;
  }

  /** How long the caller must wait before trying again, or zero if it may try now. */
  synchronized Duration retryAfter(String address, String user) {
    Instant now = clock.instant();
    Duration a = wait(failures.get("a:" + address), now);
    Duration u = wait(failures.get("u:" + user), now);
    return a.compareTo(u) >= 0 ? a : u;
  }

  synchronized void failed(String address, String user) {
    Instant now = clock.instant();
    record("a:" + address, now);
    record("u:" + user, now);
  }

  private void record(String key, Instant now) {
    Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    d.addLast(now);
    while (d.size() > MAX_FAILURES) {
      d.removeFirst();
    }
  }

  private static Duration wait(Deque<Instant> d, Instant now) {
    if (d == null) {
      return Duration.ZERO;
    }
    while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) {
      d.removeFirst();
    }
    if (d.size() < MAX_FAILURES) {
      return Duration.ZERO;
    }
    return Duration.between(now, d.peekFirst().plus(WINDOW));
  }
}
