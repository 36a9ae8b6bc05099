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
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.jspecify.annotations.Nullable;

/**
 * Who sent a request: a signed-in user (by session cookie or API token) or nobody.
 *
 * @param user the user, or null for an anonymous request
 * @param session the browser session, or null for a token or anonymous request
 */
record Principal(@Nullable User user, Sessions.@Nullable Session session) {
  static final Principal ANONYMOUS = new Principal(null, null);

  boolean anonymous() {
    return user == null;
  }

  boolean admin() {
    return user != null && user.admin();
  }

  boolean canSee(GroupName group) {
    return user != null && user.canSee(group);
  }

  /** The user, for a route that needs one; 401 otherwise. */
  User require() {
    if (user == null) {
      throw ApiException.unauthorized();
    }
    return user;
  }

  /** The admin, for a route only admins may use; 401 or 403 otherwise. */
  User requireAdmin() {
    User u = require();
    if (!u.admin()) {
      throw ApiException.forbidden("only an admin may do this");
    }
    return u;
  }

  /** The user if they may act on the group; 401, or 404 (the group is not revealed) otherwise. */
  User requireGroup(GroupName group) {
    User u = require();
    if (!u.canSee(group)) {
      throw ApiException.notFound("the group");
    }
    return u;
  }

  String name() {
    return user == null ? "anonymous" : Objects.requireNonNull(user).name();
  }
}
