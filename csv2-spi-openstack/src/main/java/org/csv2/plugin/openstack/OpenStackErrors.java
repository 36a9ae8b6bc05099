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
package org.csv2.plugin.openstack;

import java.util.List;
import java.util.Locale;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import org.jspecify.annotations.Nullable;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.RegionEndpointNotFoundException;
import org.openstack4j.api.exceptions.ResponseException;

/**
 * Turns OpenStack4j's failures, and the statuses of the replies {@link NovaDelete} reads, into
 * {@link CloudException}s whose reason tells the engine what to do. Messages name the cloud and never
 * contain a configured secret.
 *
 * <p>Thread safety: immutable.
 */
final class OpenStackErrors {
  private static final List<String> CAPACITY_MARKERS =
      List.of(
          "no valid host",
          "exceeded max scheduling attempts",
          "insufficient compute resources",
          "not enough hosts available",
          "no host available");

  private final String cloud;
  private final List<String> secrets;

  /**
   * Creates the mapper.
   *
   * @param cloud the cloud's name, for messages
   * @param secrets the configured secret values, blanked out of every message
   */
  OpenStackErrors(String cloud, List<String> secrets) {
    this.cloud = cloud;
    this.secrets = secrets.stream().filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Whether a message reports a scheduling failure (no host could take the server).
   *
   * @param message a fault or error message
   * @return true for "No valid host was found" and its relatives
   */
  static boolean isCapacityFailure(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return CAPACITY_MARKERS.stream().anyMatch(m::contains);
  }

  /**
   * Whether a message reports an exceeded quota.
   *
   * @param message an error message
   * @return true for Nova's and Cinder's quota messages
   */
  static boolean isQuotaFailure(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("quota exceeded") || m.contains("exceeded quota") || m.contains("quota_exceeded")
        || m.contains("overquota") || m.contains("over quota");
  }

  /**
   * Maps an exception from a client call.
   *
   * @param action what was being done, such as {@code booting 2 VMs of flavor m1.small}
   * @param e what the client threw
   * @return the exception to throw
   */
  CloudException map(String action, RuntimeException e) {
    if (e instanceof CloudException ce) {
      return ce;
    }
    if (e instanceof ConnectionException) {
      return new CloudException(
          Reason.UNAVAILABLE,
          message(action, "cannot reach the cloud (connection failed or timed out): " + text(e.getMessage())),
          e);
    }
    if (e instanceof AuthenticationException) {
      return new CloudException(
          Reason.AUTHENTICATION,
          message(
              action,
              "the credentials were refused (HTTP 401) even after re-authenticating: "
                  + text(e.getMessage())
                  + "; check the user, password or application credential and the project"),
          e);
    }
    if (e instanceof ResponseException re) {
      return byStatus(action, re.getStatus(), re.getMessage(), e);
    }
    if (e instanceof RegionEndpointNotFoundException) {
      return new CloudException(
          Reason.INVALID_REQUEST,
          message(action, "the service catalog has no usable endpoint: " + text(e.getMessage()) + "; check region"),
          e);
    }
    return new CloudException(
        Reason.UNAVAILABLE,
        message(action, "unexpected failure or malformed reply: " + e.getClass().getSimpleName() + ": " + text(e.getMessage())),
        e);
  }

  /**
   * Maps an HTTP status and OpenStack's message.
   *
   * @param action what was being done
   * @param status the HTTP status (0 when there was no reply)
   * @param openStackMessage the message the cloud sent
   * @param cause the client's exception, or null
   * @return the exception to throw
   */
  CloudException byStatus(String action, int status, @Nullable String openStackMessage, @Nullable Throwable cause) {
    String said = text(openStackMessage);
    Reason reason;
    String what;
    if (isCapacityFailure(openStackMessage)) {
      reason = Reason.CAPACITY_UNAVAILABLE;
      what = "no room for it now (HTTP " + status + "): " + said;
    } else if (isQuotaFailure(openStackMessage) || status == 413) {
      reason = Reason.QUOTA_EXCEEDED;
      what = "the project's quota would be exceeded (HTTP " + status + "): " + said;
    } else if (status == 401) {
      reason = Reason.AUTHENTICATION;
      what = "the credentials were refused (HTTP 401) even after re-authenticating: " + said;
    } else if (status == 403) {
      reason = Reason.QUOTA_EXCEEDED;
      what = "refused (HTTP 403, treated as quota): " + said;
    } else if (status == 404) {
      reason = Reason.NOT_FOUND;
      what = "not found (HTTP 404): " + said;
    } else if (status == 0 || status == 408 || status == 409 || status == 429 || status >= 500) {
      reason = Reason.UNAVAILABLE;
      what = "the cloud failed or is busy (HTTP " + status + "): " + said;
    } else {
      reason = Reason.INVALID_REQUEST;
      what = "the cloud rejected the request (HTTP " + status + "): " + said;
    }
    String msg = message(action, what);
    return cause == null ? new CloudException(reason, msg) : new CloudException(reason, msg, cause);
  }

  /**
   * A message naming the cloud and the action, with secrets blanked out.
   *
   * @param action what was being done
   * @param what what happened
   * @return the message
   */
  String message(String action, String what) {
    return redact("cloud " + cloud + ": " + action + ": " + what);
  }

  /**
   * Blanks every configured secret out of a text.
   *
   * @param s the text
   * @return the text with {@code ****} for each secret
   */
  String redact(String s) {
    String out = s;
    for (String secret : secrets) {
      out = out.replace(secret, "****");
    }
    return out;
  }

  private static String text(@Nullable String s) {
    return s == null || s.isBlank() ? "(no message)" : s.strip();
  }
}
