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

import org.csv2.api.CloudException;
import org.csv2.api.Csv2Exception;
import org.csv2.model.Adopt;
import org.csv2.model.Boot;
import org.csv2.model.CloudName;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.slf4j.Logger;

/** How the cycle's steps name actions and log the failures the engine survives. */
final class CycleLog {
  private CycleLog() {}

  /**
   * Logs a failure the engine survives. A typed csv2 failure (a cloud refusing, a job source
   * down) is operations news: one line at WARN, its stack trace at DEBUG. Anything else is a
   * bug somewhere and keeps its stack trace at WARN.
   */
  static void warnFailure(Logger log, String message, RuntimeException e) {
    if (e instanceof Csv2Exception) {
      log.warn("{}: {}", message, e.getMessage());
      log.debug("{}", message, e);
    } else {
      log.warn(message, e);
    }
  }

  /** A plan action in the words of the failures and notes. */
  static String describe(PlanAction a) {
    if (a instanceof Boot b) {
      return "boot " + b.count() + " x " + b.flavor() + " for " + b.group() + " on " + b.cloud();
    }
    if (a instanceof Retire r) {
      return "retire " + r.vm();
    }
    if (a instanceof Terminate t) {
      return "terminate " + t.vm();
    }
    if (a instanceof Adopt ad) {
      return "adopt " + ad.instance().name() + " on " + ad.cloud();
    }
    return a.toString();
  }

  /** A failure of a cloud call as a {@link CloudException}, for the cloud's circuit breaker. */
  static RuntimeException asCloudFailure(RuntimeException e, CloudName cloud, String verb) {
    if (e instanceof CloudException) {
      return e;
    }
    return new CloudException(
        CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": " + verb + " failed: " + e, e);
  }
}
