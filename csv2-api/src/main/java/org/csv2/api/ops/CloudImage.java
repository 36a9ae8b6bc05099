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
package org.csv2.api.ops;

import java.time.Instant;
import java.util.Objects;
import org.csv2.model.CloudName;
import org.jspecify.annotations.Nullable;

/**
 * One image a cloud lists, as an engine recorded it when it read the cloud's images (every
 * {@code flavor-refresh}; docs/images.md): a cell of the image x cloud matrix.
 *
 * @param cloud the cloud
 * @param id the cloud's id of the image
 * @param name its name
 * @param sha256 the SHA-256 of its bytes where csv2 knows it (it moved them), else null
 * @param size its size in bytes where known, else -1
 * @param seen when the cloud was last read listing it
 */
public record CloudImage(CloudName cloud, String id, String name, @Nullable String sha256, long size, Instant seen) {
  /** Validates and bounds. */
  public CloudImage {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(seen, "seen");
    if (id.isBlank() || id.length() > ImageTransfer.MAX_TEXT || name.isBlank() || name.length() > ImageTransfer.MAX_TEXT) {
      throw new IllegalArgumentException("cloud image on " + cloud + ": the id and name must be 1 to " + ImageTransfer.MAX_TEXT + " characters");
    }
    if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("cloud image " + name + " on " + cloud + ": sha256 must be 64 lower-case hex digits");
    }
    if (size < -1) {
      throw new IllegalArgumentException("cloud image " + name + " on " + cloud + ": negative size");
    }
  }

  /**
   * This image with the identity of its bytes.
   *
   * @param sum the SHA-256
   * @param bytes the size
   * @return a copy
   */
  public CloudImage withBytes(@Nullable String sum, long bytes) {
    return new CloudImage(cloud, id, name, sum, bytes, seen);
  }
}
