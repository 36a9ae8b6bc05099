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

/**
 * A boot image a cloud offers.
 *
 * @param id the cloud's id of the image
 * @param name its name (may equal the id)
 */
public record Image(String id, String name) {
  /** Validates. */
  public Image {
    Names.nonBlank(id, "image id");
    Names.nonBlank(name, "image name");
  }

  /**
   * Whether a reference (a name or an id) designates this image.
   *
   * @param reference a name or id
   * @return true if it is this image's id or name
   */
  public boolean matches(String reference) {
    return id.equals(reference) || name.equals(reference);
  }
}
