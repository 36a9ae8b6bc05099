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
package org.csv2.plugin.jdbc;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.csv2.api.StateStoreException;
import org.csv2.api.StateStoreException.Reason;

/**
 * The file of an embedded H2 database: refused when it was emptied, kept readable by its owner
 * only.
 *
 * <p>H2 creates a database whose file is missing, and also one whose file is empty (0 bytes, as a
 * full disk or a careless copy leaves it): that silently loses every VM record, the history and the
 * accounting, and the next cycle boots VMs the clouds already run. An empty file is therefore
 * refused with a message saying how to start afresh (move the file away). The database holds
 * stored configurations, which may hold literal secrets, so its directory (when csv2 creates it)
 * and its file are made owner-only ({@code 0700}, {@code 0600}) on POSIX file systems.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class H2Files {
  /** H2's MVStore file suffix. */
  static final String SUFFIX = ".mv.db";

  private static final Set<PosixFilePermission> OWNER_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private H2Files() {}

  /**
   * The database file of an H2 URL in file mode ({@code jdbc:h2:file:PATH} or {@code
   * jdbc:h2:PATH}); empty for in-memory and server URLs.
   *
   * @param url the JDBC URL
   * @return the file
   */
  static Optional<Path> file(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:h2:")) {
      return Optional.empty();
    }
    String rest = url.substring("jdbc:h2:".length());
    String restLower = rest.toLowerCase(Locale.ROOT);
    if (restLower.startsWith("mem:") || restLower.startsWith("tcp:") || restLower.startsWith("ssl:")
        || restLower.startsWith("zip:")) {
      return Optional.empty();
    }
    if (restLower.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    int semicolon = rest.indexOf(';');
    String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
    if (path.isBlank()) {
      return Optional.empty();
    }
    if (path.startsWith("~/") || path.equals("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return Optional.of(Path.of(path + SUFFIX));
  }

  /**
   * Before H2 opens the file: refuses an empty one and creates a missing directory owner-only.
   *
   * @param file the database file
   * @param where the redacted URL, for messages
   * @throws StateStoreException CORRUPT when the file exists and is empty
   */
  static void beforeOpen(Path file, String where) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) == 0) {
        throw new StateStoreException(
            Reason.CORRUPT,
            "state store " + where + ": the database file " + file.toAbsolutePath() + " is empty (0 bytes): it held"
                + " data once, or was emptied by a full disk or a copy; csv2 does not create a new database over it"
                + " (every VM record, the history and the accounting would be lost and VMs booted twice). Restore"
                + " it from a backup, or move it away to start afresh");
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !Files.exists(dir)) {
        if (posix()) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
    } catch (IOException e) {
      throw new StateStoreException(
          Reason.UNAVAILABLE, "state store " + where + ": cannot check the database file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * After H2 opened (and perhaps created) the file: makes it owner-only.
   *
   * @param file the database file
   * @throws StateStoreException UNAVAILABLE when its permissions cannot be set
   */
  static void afterOpen(Path file, String where) {
    if (!posix() || !Files.isRegularFile(file)) {
      return;
    }
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
        Files.setPosixFilePermissions(file, OWNER_FILE);
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new StateStoreException(
          Reason.UNAVAILABLE,
          "state store " + where + ": cannot make the database file " + file + " readable by its owner only: " + e.getMessage(),
          e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
