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
package org.csv2.model;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A person (or a robot) who signs in to the csv2 server, as the state store keeps it.
 *
 * <p>An admin may do everything; a member may act only inside {@link #groups()} and sees nothing
 * of other groups. The password is kept only as a hash made by the server (bcrypt); the store
 * never sees a clear-text password. {@link #version()} is the optimistic version: 0 for a user not
 * yet stored, then 1, 2, ... for each save.
 *
 * @param name the sign-in name: 1-64 letters, digits, '.', '_', '@' or '-'
 * @param passwordHash the password hash, or empty when the user may sign in only with tokens
 * @param admin whether the user has the admin role
 * @param groups the groups the user is a member of
 * @param defaultGroup the group the pages open on, or null for the first of {@code groups}
 * @param refreshSeconds how often the status page refreshes itself, 0 for never
 * @param version the stored version, 0 for a new user
 */
public record User(
    String name,
    String passwordHash,
    boolean admin,
    Set<GroupName> groups,
    @Nullable GroupName defaultGroup,
    int refreshSeconds,
    long version) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  /** Validates and copies. */
  public User {
    Objects.requireNonNull(name, "user name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "user name is invalid: use 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    Objects.requireNonNull(passwordHash, "passwordHash");
    if (passwordHash.length() > 255) {
      throw new IllegalArgumentException("password hash of user " + name + " is longer than 255 characters");
    }
    groups = Set.copyOf(new TreeSet<>(groups));
    if (refreshSeconds < 0 || refreshSeconds > 86_400) {
      throw new IllegalArgumentException(
          "refresh of user " + name + " must be 0-86400 seconds, was " + refreshSeconds);
    }
    if (version < 0) {
      throw new IllegalArgumentException("version of user " + name + " must be >= 0, was " + version);
    }
  }

  /**
   * Whether a user name is valid.
   *
   * @param name the name
   * @return whether {@link User} accepts it
   */
  public static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * A new user, not yet stored.
   *
   * @param name the sign-in name
   * @param passwordHash the password hash
   * @param admin whether the user is an admin
   * @param groups the groups
   * @return the user, version 0
   */
  public static User of(String name, String passwordHash, boolean admin, Set<GroupName> groups) {
    return new User(name, passwordHash, admin, groups, null, 30, 0);
  }

  /**
   * Whether this user may see and act on a group.
   *
   * @param group the group
   * @return true for an admin or a member of the group
   */
  public boolean canSee(GroupName group) {
    return admin || groups.contains(group);
  }

  /**
   * This user with another password hash.
   *
   * @param hash the hash
   * @return the copy
   */
  public User withPasswordHash(String hash) {
    return new User(name, hash, admin, groups, defaultGroup, refreshSeconds, version);
  }

  /**
   * This user with other roles.
   *
   * @param isAdmin whether admin
   * @param memberOf the groups
   * @return the copy
   */
  public User withRoles(boolean isAdmin, Set<GroupName> memberOf) {
    return new User(name, passwordHash, isAdmin, memberOf, defaultGroup, refreshSeconds, version);
  }

  /**
   * This user with other page settings.
   *
   * @param group the default group, or null
   * @param seconds the status page's refresh, 0 for never
   * @return the copy
   */
  public User withSettings(@Nullable GroupName group, int seconds) {
    return new User(name, passwordHash, admin, groups, group, seconds, version);
  }

  /**
   * This user at another stored version.
   *
   * @param stored the version
   * @return the copy
   */
  public User withVersion(long stored) {
    return new User(name, passwordHash, admin, groups, defaultGroup, refreshSeconds, stored);
  }

  /** Never prints the password hash. */
  @Override
  public String toString() {
    return "User[" + name + (admin ? ", admin" : "") + ", groups=" + groups + ", version=" + version + "]";
  }
}
