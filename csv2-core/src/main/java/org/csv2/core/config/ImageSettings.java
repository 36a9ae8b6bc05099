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
package org.csv2.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.csv2.model.GroupName;
import org.csv2.model.ImageUpload;
import org.jspecify.annotations.Nullable;

/**
 * The {@code images} section (docs/images.md): the image cache, transfers and replication.
 *
 * @param cacheDir the image cache's directory, or null for {@code csv2-image-cache} in the
 *     temporary directory
 * @param cacheMaxBytes the most bytes the cache keeps
 * @param parallelTransfers the most transfers at once on this engine
 * @param maxAttempts the most starts of one transfer before it fails
 * @param diskFormat the disk format replicated images are stored with
 * @param replicate the groups whose default image and key pair are kept on every cloud they use
 */
public record ImageSettings(
    @Nullable Path cacheDir,
    long cacheMaxBytes,
    int parallelTransfers,
    int maxAttempts,
    String diskFormat,
    List<GroupName> replicate) {
  /** No replication; a 50 GiB cache; two transfers at once; three attempts; qcow2. */
  public static final ImageSettings DEFAULTS = new ImageSettings(null, 50L << 30, 2, 3, "qcow2", List.of());

  /** Validates. */
  public ImageSettings {
    Objects.requireNonNull(diskFormat, "diskFormat");
    replicate = List.copyOf(replicate);
    if (cacheMaxBytes < 1) {
      throw new IllegalArgumentException("images.cache-max-gib: must be more than 0");
    }
    if (parallelTransfers < 1 || parallelTransfers > 64) {
      throw new IllegalArgumentException("images.parallel-transfers: 1 to 64, was " + parallelTransfers);
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("images.max-attempts: 1 to 100, was " + maxAttempts);
    }
    if (!ImageUpload.DISK_FORMATS.contains(diskFormat)) {
      throw new IllegalArgumentException("images.disk-format: one of " + new java.util.TreeSet<>(ImageUpload.DISK_FORMATS));
    }
  }

  /**
   * These settings replicating some groups.
   *
   * @param groups the groups
   * @return a copy
   */
  public ImageSettings replicating(List<GroupName> groups) {
    return new ImageSettings(cacheDir, cacheMaxBytes, parallelTransfers, maxAttempts, diskFormat, groups);
  }

  /**
   * These settings with another cache directory.
   *
   * @param dir the directory
   * @return a copy
   */
  public ImageSettings withCacheDir(Path dir) {
    return new ImageSettings(dir, cacheMaxBytes, parallelTransfers, maxAttempts, diskFormat, replicate);
  }

  /**
   * The cache directory to use.
   *
   * @return {@link #cacheDir()} or the default under {@code java.io.tmpdir}
   */
  public Path cacheDirectory() {
    return cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "csv2-image-cache");
  }
}
