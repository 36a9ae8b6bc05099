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

import java.time.Instant;
import java.util.Objects;
import org.csv2.model.GroupName;

/**
 * Where the engine sends what a user must hear about their reservations: the cluster started, its
 * end is near (the warning, {@code timers.reservation-warning} before the end), it ended, it
 * failed. The engine's default logs them; an embedder binds another (csv2-server's SMTP sink mails
 * them, docs/reservations.md).
 *
 * <p><b>Thread safety:</b> called from the engine's cycle thread, one call at a time per engine;
 * an implementation shared by several engines must be safe for concurrent use. A failing {@link
 * #send} is logged by the engine and never stops the cycle; the engine does not send again.
 */
@FunctionalInterface
public interface NotificationSink {
  /**
   * Delivers one notification. Should not block for long (the cycle waits).
   *
   * @param notification what to say to whom
   */
  void send(Notification notification);

  /** What a notification is about. */
  enum Kind {
    /** The reservation's cluster runs. */
    STARTED,
    /** The reservation ends soon. */
    ENDING,
    /** The reservation ended, its VMs are terminated. */
    ENDED,
    /** The reservation failed. */
    FAILED
  }

  /**
   * One message to a user.
   *
   * @param kind what it is about
   * @param user the user's name (the reservation's owner)
   * @param group the reservation's group
   * @param reservation the reservation's id
   * @param subject a one-line subject
   * @param body the text
   * @param at when the engine sent it
   */
  record Notification(
      Kind kind, String user, GroupName group, long reservation, String subject, String body, Instant at) {
    /** Validates. */
    public Notification {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(at, "at");
    }
  }
}
