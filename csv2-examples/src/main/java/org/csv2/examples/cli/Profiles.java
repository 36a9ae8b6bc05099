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
package org.csv2.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Server profiles, like production's {@code cloudscheduler defaults}: each a server URL, an active
 * group and an API token, under {@code ~/.csv2/profiles/} ({@code NAME.json} and {@code NAME.token},
 * the token file readable and writable by its owner only). {@code CSV2_HOME} (or the system
 * property {@code csv2.home}) moves the directory.
 */
public final class Profiles {
  /** The profile used without {@code -s}. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path dir;

  /**
   * The profiles under a directory.
   *
   * @param home the csv2 directory (its {@code profiles/} holds the profiles)
   */
  public Profiles(Path home) {
    this.dir = home.resolve("profiles");
  }

  /**
   * The profiles of this user: {@code csv2.home}, else {@code CSV2_HOME}, else {@code ~/.csv2}.
   *
   * @return the profiles
   */
  public static Profiles ofUser() {
    String p = System.getProperty("csv2.home");
    if (p == null || p.isBlank()) {
      p = System.getenv("CSV2_HOME");
    }
    if (p == null || p.isBlank()) {
      return new Profiles(Path.of(System.getProperty("user.home"), ".csv2"));
    }
    return new Profiles(Path.of(p));
  }

  /** One profile. */
  public record Profile(String name, @Nullable String serverUrl, @Nullable String group, boolean hasToken) {}

  /**
   * Checks a profile name.
   *
   * @param name the name
   * @return the name
   */
  public static String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw CliException.usage("-s: '" + Csv2Client.bounded(name) + "' is not a profile name (1-64 letters, digits, '.', '_', '-')");
    }
    return name;
  }

  /**
   * The profile of that name.
   *
   * @param name the name
   * @return the profile, if stored
   */
  public Optional<Profile> find(String name) {
    Path f = dir.resolve(checkName(name) + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      var n = Csv2Client.JSON.readTree(f.toFile());
      String url = n.hasNonNull("serverUrl") ? n.get("serverUrl").asText() : null;
      String group = n.hasNonNull("group") ? n.get("group").asText() : null;
      return Optional.of(new Profile(name, url, group, Files.exists(tokenFile(name))));
    } catch (IOException e) {
      throw CliException.failed("profile '" + name + "': cannot read " + f + " (" + e.getMessage() + "): fix or delete it (csv2 defaults delete -s " + name + ")");
    }
  }

  /**
   * Every stored profile, by name.
   *
   * @return the profiles
   */
  public List<Profile> list() {
    List<Profile> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - 5))
          .filter(n -> NAME.matcher(n).matches())
          .sorted()
          .forEach(n -> find(n).ifPresent(out::add));
    } catch (IOException e) {
      throw CliException.failed("cannot list the profiles in " + dir + ": " + e.getMessage());
    }
    return out;
  }

  /**
   * The stored token of a profile.
   *
   * @param name the profile
   * @return the token, if stored
   */
  public Optional<String> token(String name) {
    Path f = tokenFile(name);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Files.readAllLines(f).stream().map(String::trim).filter(s -> !s.isEmpty()).findFirst();
    } catch (IOException e) {
      throw CliException.failed("profile '" + name + "': cannot read its token " + f + ": " + e.getMessage());
    }
  }

  /**
   * Creates or changes a profile: the values given replace the stored ones, the others stay.
   *
   * @param name the profile
   * @param serverUrl the server's URL, or null to keep
   * @param group the active group, or null to keep ("" removes it)
   * @param token the API token, or null to keep
   * @return the profile as stored
   */
  public Profile set(String name, @Nullable String serverUrl, @Nullable String group, @Nullable String token) {
    checkName(name);
    Optional<Profile> old = find(name);
    String url = serverUrl != null ? Csv2Client.baseUri(serverUrl).toString() : old.map(Profile::serverUrl).orElse(null);
    if (url == null) {
      throw CliException.usage("profile '" + name + "' is new: give its --server-url (e.g. http://127.0.0.1:8080)");
    }
    String g = group != null ? (group.isEmpty() ? null : group) : old.map(Profile::group).orElse(null);
    try {
      createPrivateDir();
      ObjectNode n = Csv2Client.JSON.createObjectNode();
      n.put("serverUrl", url);
      if (g != null) {
        n.put("group", g);
      }
      writePrivate(dir.resolve(name + ".json"), Csv2Client.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
      if (token != null) {
        String t = token.trim();
        if (t.isEmpty() || t.length() > 512 || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
          throw CliException.usage("--token: not an API token (csv2_<id>_<secret>, made under My settings)");
        }
        writePrivate(tokenFile(name), t + "\n");
      }
    } catch (IOException e) {
      throw CliException.failed("profile '" + name + "': cannot write under " + dir + ": " + e.getMessage());
    }
    return find(name).orElseThrow();
  }

  /**
   * Deletes a profile and its token.
   *
   * @param name the profile
   * @return whether it existed
   */
  public boolean delete(String name) {
    checkName(name);
    try {
      boolean a = Files.deleteIfExists(dir.resolve(name + ".json"));
      boolean b = Files.deleteIfExists(tokenFile(name));
      return a || b;
    } catch (IOException e) {
      throw CliException.failed("profile '" + name + "': cannot delete it under " + dir + ": " + e.getMessage());
    }
  }

  /**
   * The token file of a profile.
   *
   * @param name the profile
   * @return its path (it may not exist)
   */
  public Path tokenFile(String name) {
    return dir.resolve(checkName(name) + ".token");
  }

  private void createPrivateDir() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir.getRoot() == null ? Path.of(".") : dir.getRoot())) {
      Path parent = dir.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      }
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Writes a file that only its owner can read, created so from the start (no window). */
  private static void writePrivate(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix(target.getParent())) {
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException e) {
        throw new IOException("another csv2 is writing " + target + ": try again", e);
      }
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean posix(Path p) {
    return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
