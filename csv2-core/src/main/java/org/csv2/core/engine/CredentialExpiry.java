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

import java.time.Duration;
import java.time.Instant;
import org.csv2.core.config.EngineSettings;
import org.jspecify.annotations.Nullable;

/**
 * The engine's one rule for credentials that expire, a cloud's ({@code
 * CloudDriver.credentialsExpireAt()}) and a job source's ({@code JobSource.credentialsExpireAt()},
 * an HTCondor token): a problem from {@code engine.credential-warn} before the expiry; from {@code
 * engine.credential-stop} before, no new boots where the credential is needed. Running VMs are never
 * retired because of it.
 */
final class CredentialExpiry {
  private CredentialExpiry() {}

  /**
   * What an expiry means now.
   *
   * @param stopBoots true from {@code engine.credential-stop} before the expiry on
   * @param problem the warning or stop note for the cycle's problems, or null when there is none
   */
  record Verdict(boolean stopBoots, @Nullable String problem) {
    static final Verdict NONE = new Verdict(false, null);
  }

  /**
   * Whole days left, as status shows them (0 or less: expired).
   *
   * @param at the expiry
   * @param now the time
   * @return the days, rounded down
   */
  static int daysLeft(Instant at, Instant now) {
    return (int) Math.floorDiv(Duration.between(now, at).toSeconds(), 86_400L);
  }

  /**
   * Judges an expiry.
   *
   * @param engine the thresholds
   * @param at the expiry, or null when unknown or never
   * @param now the time
   * @param subject what expires, with its owner ({@code cloud c1: credentials})
   * @param where where boots stop ({@code there}, {@code for the group})
   * @return the verdict
   */
  static Verdict judge(EngineSettings engine, @Nullable Instant at, Instant now, String subject, String where) {
    if (at == null) {
      return Verdict.NONE;
    }
    Duration left = Duration.between(now, at);
    int days = daysLeft(at, now);
    if (left.compareTo(engine.credentialStop()) <= 0) {
      return new Verdict(
          true,
          subject + (left.isNegative() ? " expired at " : " expire at ") + at + " (" + days + " day(s) left): no new boots "
              + where + " (engine.credential-stop " + engine.credentialStop().toDays() + "d); its VMs stay. Renew them");
    }
    if (left.compareTo(engine.credentialWarn()) <= 0) {
      return new Verdict(
          false,
          subject + " expire at " + at + " (" + days + " day(s) left; engine.credential-warn " + engine.credentialWarn().toDays()
              + "d). Renew them before engine.credential-stop (" + engine.credentialStop().toDays() + "d) stops boots " + where);
    }
    return Verdict.NONE;
  }
}
