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
import java.util.regex.Pattern;

/**
 * One document of a VM's cloud-init user data, defined by the operator on a group or an
 * allocation. The engine renders {@link #template()} with the boot's variables and joins the
 * documents, ordered by {@link #priority()} then name, into one multipart MIME message.
 *
 * @param name unique within its group or allocation
 * @param priority lower comes first
 * @param mimeType the part's MIME type, such as {@code text/cloud-config} or {@code
 *     text/x-shellscript}
 * @param template the document's text, a template with {@code {{variable}}} placeholders
 * @param enabled false to keep the document but leave it out
 */
public record UserDataDocument(
    String name, int priority, String mimeType, String template, boolean enabled) {
  private static final Pattern MIME = Pattern.compile("[a-z]+/[a-z0-9.+-]+");

  /** Validates. */
  public UserDataDocument {
    Names.nonBlank(name, "user-data document name");
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(template, "template");
    if (!MIME.matcher(mimeType).matches()) {
      throw new IllegalArgumentException(
          "user-data document " + name + ": '" + mimeType + "' is not a MIME type like text/cloud-config");
    }
  }
}
