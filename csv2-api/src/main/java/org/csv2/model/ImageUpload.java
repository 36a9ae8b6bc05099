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

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an image to store on a cloud is: the attributes the cloud records, and the checksum and
 * size its bytes must have. Built by the engine; drivers read it.
 *
 * @param name the image's name on the cloud (1 to 255 printable characters)
 * @param diskFormat the disk format, such as {@code qcow2} or {@code raw} (one of {@link
 *     #DISK_FORMATS})
 * @param containerFormat the container format, usually {@code bare} (one of {@link
 *     #CONTAINER_FORMATS})
 * @param sha256 the SHA-256 of the bytes, 64 lower-case hex digits; the driver checks it
 * @param size the number of bytes, at least 0; the driver checks it
 * @param visibility {@code private}, {@code shared}, {@code community} or {@code public}
 * @param tags tags to set (at most 32, each 1 to 255 characters)
 */
public record ImageUpload(
    String name,
    String diskFormat,
    String containerFormat,
    String sha256,
    long size,
    String visibility,
    List<String> tags) {
  /** The disk formats Glance v2 accepts. */
  public static final Set<String> DISK_FORMATS =
      Set.of("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop");

  /** The container formats Glance v2 accepts. */
  public static final Set<String> CONTAINER_FORMATS =
      Set.of("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed");

  /** The visibilities Glance v2 accepts. */
  public static final Set<String> VISIBILITIES = Set.of("private", "shared", "community", "public");

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Validates. */
  public ImageUpload {
    Names.nonBlank(name, "image name");
    if (name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("image name: 1 to 255 printable characters, was " + name.length());
    }
    oneOf(diskFormat, DISK_FORMATS, "disk format");
    oneOf(containerFormat, CONTAINER_FORMATS, "container format");
    oneOf(visibility, VISIBILITIES, "visibility");
    Objects.requireNonNull(sha256, "sha256");
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("image " + name + ": sha256 must be 64 lower-case hex digits");
    }
    if (size < 0) {
      throw new IllegalArgumentException("image " + name + ": size must be >= 0, was " + size);
    }
    tags = List.copyOf(tags);
    if (tags.size() > 32) {
      throw new IllegalArgumentException("image " + name + ": at most 32 tags, was " + tags.size());
    }
    for (String t : tags) {
      if (t.isEmpty() || t.length() > 255 || t.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("image " + name + ": tags are 1 to 255 printable characters");
      }
    }
  }

  /**
   * A private, bare image with no tags.
   *
   * @param name the name
   * @param diskFormat the disk format
   * @param sha256 the SHA-256 of the bytes
   * @param size the number of bytes
   * @return the upload
   */
  public static ImageUpload of(String name, String diskFormat, String sha256, long size) {
    return new ImageUpload(name, diskFormat, "bare", sha256, size, "private", List.of());
  }

  /**
   * This upload under another name.
   *
   * @param newName the name
   * @return a copy
   */
  public ImageUpload withName(String newName) {
    return new ImageUpload(newName, diskFormat, containerFormat, sha256, size, visibility, tags);
  }

  private static void oneOf(String value, Set<String> allowed, String what) {
    Objects.requireNonNull(value, what);
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(what + " '" + abbreviate(value) + "' is not one of " + new java.util.TreeSet<>(allowed));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
