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
package org.csv2.core.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.csv2.api.StateStoreException;
import org.csv2.model.ApiToken;
import org.csv2.model.User;

/**
 * The users and API tokens of an {@link InMemoryStateStore}, kept apart from its VM records.
 *
 * <p><b>Thread safety:</b> every method holds this object's lock.
 */
final class InMemoryUsers {
  private final Map<String, User> users = new TreeMap<>();
  private final Map<String, ApiToken> tokens = new LinkedHashMap<>();

  synchronized List<User> users() {
    return List.copyOf(users.values());
  }

  synchronized Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  synchronized User save(User user, long expectedVersion) {
    Objects.requireNonNull(user, "user");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, was " + expectedVersion);
    }
    User held = users.get(user.name());
    long stored = held == null ? 0 : held.version();
    if (stored != expectedVersion) {
      throw new StateStoreException(
          StateStoreException.Reason.CONFLICT,
          "user "
              + user.name()
              + ": version "
              + expectedVersion
              + " was read but version "
              + stored
              + " is stored; read the user again and reapply the change");
    }
    User saved = user.withVersion(stored + 1);
    users.put(saved.name(), saved);
    return saved;
  }

  synchronized boolean delete(String name) {
    tokens.values().removeIf(t -> t.user().equals(name));
    return users.remove(name) != null;
  }

  synchronized void saveToken(ApiToken token) {
    Objects.requireNonNull(token, "token");
    if (!users.containsKey(token.user())) {
      throw new StateStoreException(
          StateStoreException.Reason.CONFLICT, "token owner " + token.user() + " is not a user");
    }
    if (tokens.containsKey(token.id())) {
      throw new StateStoreException(
          StateStoreException.Reason.CONFLICT, "token id " + token.id() + " exists");
    }
    tokens.put(token.id(), token);
  }

  synchronized Optional<ApiToken> token(String id) {
    return Optional.ofNullable(tokens.get(id));
  }

  synchronized List<ApiToken> tokens(String user) {
    List<ApiToken> out = new ArrayList<>();
    for (ApiToken t : tokens.values()) {
      if (t.user().equals(user)) {
        out.add(t);
      }
    }
    out.sort(Comparator.comparing(ApiToken::created).thenComparing(ApiToken::id));
    return out;
  }

  synchronized boolean deleteToken(String id) {
    return tokens.remove(id) != null;
  }
}
