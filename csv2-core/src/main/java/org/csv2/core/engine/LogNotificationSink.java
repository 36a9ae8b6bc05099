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
package org.csv2.core.engine;

import org.csv2.spi.NotificationSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's default {@link NotificationSink}: one INFO line per notification (user, kind,
 * subject), texts made one line and cut at 300 characters.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class LogNotificationSink implements NotificationSink {
  private static final Logger log = LoggerFactory.getLogger(LogNotificationSink.class);

  @Override
  public void send(Notification n) {
    log.info("notify {} ({}, reservation {}): {}", line(n.user()), n.kind(), n.reservation(), line(n.subject()));
  }

  private static String line(String s) {
    String one = s.replaceAll("[\\r\\n\\t]+", " ");
    return one.length() > 300 ? one.substring(0, 300) + "..." : one;
  }
}
