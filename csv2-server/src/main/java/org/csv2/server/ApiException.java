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

import java.util.Objects;

/**
 * A request the server refuses, with the HTTP status and a message safe to show the caller. It
 * becomes an RFC 9457 problem document; the message must never carry data the caller may not see.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;

  ApiException(int status, String title, String detail) {
    super(Objects.requireNonNull(detail, "detail"));
    this.status = status;
    this.title = Objects.requireNonNull(title, "title");
  }

  static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad request", detail);
  }

  static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "sign in, or send an API token as 'Authorization: Bearer <token>'");
  }

  static ApiException forbidden(String detail) {
    return new ApiException(403, "Forbidden", detail);
  }

  /** Also what a member gets for another group's object: its existence is not revealed. */
  static ApiException notFound(String what) {
    return new ApiException(404, "Not found", what + " does not exist");
  }

  static ApiException conflict(String detail) {
    return new ApiException(409, "Conflict", detail);
  }

  static ApiException preconditionFailed(String detail) {
    return new ApiException(412, "Precondition failed", detail);
  }

  static ApiException preconditionRequired() {
    return new ApiException(428, "Precondition required", "send If-Match with the ETag you read");
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }
}
