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
package org.csv2.spi;

/**
 * The image and key-pair verbs a {@link CloudDriver} offers beyond listing. A driver declares
 * what it can do in {@link CloudDriver#imageCapabilities()}; every verb it does not declare throws
 * {@link UnsupportedOperationException} (the default methods do), and the engine never calls it.
 * The testkit's {@code CloudDriverContract} checks both halves: a declared capability works, an
 * undeclared one is refused cleanly.
 */
public enum ImageCapability {
  /** {@link CloudDriver#uploadImage} stores an image from a stream the engine sends. */
  UPLOAD,
  /** {@link CloudDriver#importImage} makes the cloud fetch an image from a URL itself. */
  IMPORT_URL,
  /** {@link CloudDriver#copyImage} copies an image the cloud (or another region) already has. */
  COPY,
  /** {@link CloudDriver#downloadImage} streams an image's bytes out of the cloud. */
  DOWNLOAD,
  /** {@link CloudDriver#deleteImage} deletes an image. */
  DELETE,
  /** {@link CloudDriver#importKeyPair} stores a public key under a name. */
  KEY_PAIR_IMPORT,
  /** {@link CloudDriver#deleteKeyPair} deletes a key pair. */
  KEY_PAIR_DELETE
}
