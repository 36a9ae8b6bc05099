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

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, held in the server's memory: a random id in an HttpOnly, SameSite=Strict
 * cookie, and a CSRF token per session that every form and every state-changing request must carry.
 *
 * <p>Sessions end after {@link #IDLE} without a request, at sign-out, and with the process (users
 * sign in again after a restart; API tokens are in the store and survive it). The count is bounded.
 *
 * <p><b>Thread safety:</b> safe for concurrent use.
 */
final class Sessions {
  static final String COOKIE = "csv2_session";
  static final Duration IDLE = Duration.ofHours(8);
  static final int MAX = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** A session of a user who just signed in. */
  Session open(String user) {
    Instant now = clock.instant();
    if (byId.size() >= MAX) {
      purge(now);
      if (byId.size() >= MAX) {
        // the oldest go first: a flood of sign-ins cannot grow memory without bound
        byId.values().stream()
            .sorted(java.util.Comparator.comparing(Session::lastSeen))
            .limit(MAX / 10)
            .forEach(s -> byId.remove(s.id()));
      }
    }
    Session s = new Session(random(), user, random(), now);
    byId.put(s.id(), s);
    return s;
  }

  Optional<Session> find(String id) {
    Session s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (s.lastSeen().plus(IDLE).isBefore(now)) {
      byId.remove(id);
      return Optional.empty();
    }
    Session touched = new Session(s.id(), s.user(), s.csrf(), now);
    byId.put(id, touched);
    return Optional.of(touched);
  }

  void close(String id) {
    byId.remove(id);
  }

  /** Ends every session of a user (deleted, or their password changed). */
  void closeAll(String user) {
    byId.values().removeIf(s -> s.user().equals(user));
  }

  private void purge(Instant now) {
    for (Iterator<Session> it = byId.values().iterator(); it.hasNext(); ) {
      if (it.next().lastSeen().plus(IDLE).isBefore(now)) {
        it.remove();
      }
    }
  }

  static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** One signed-in browser. */
  record Session(String id, String user, String csrf, Instant lastSeen) {}
}
