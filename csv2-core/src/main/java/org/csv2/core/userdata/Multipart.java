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
package org.csv2.core.userdata;

import java.util.List;
import org.csv2.model.UserDataDocument;

/**
 * Joins rendered documents into one {@code multipart/mixed} MIME message as cloud-init reads it
 * (the layout of cloud-init's {@code make-mime}). Lines end with LF; the boundary appears in no
 * part.
 */
final class Multipart {
  private static final String BOUNDARY_BASE = "==csv2-boundary==";

  private Multipart() {}

  static String join(List<UserDataDocument> documents, List<String> bodies) {
    String boundary = boundary(bodies);
    StringBuilder b = new StringBuilder();
    b.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\n");
    b.append("MIME-Version: 1.0\n\n");
    for (int i = 0; i < documents.size(); i++) {
      UserDataDocument d = documents.get(i);
      String body = bodies.get(i);
      b.append("--").append(boundary).append('\n');
      b.append("Content-Type: ").append(d.mimeType()).append("; charset=\"utf-8\"\n");
      b.append("MIME-Version: 1.0\n");
      b.append("Content-Transfer-Encoding: ").append(isAscii(body) ? "7bit" : "8bit").append('\n');
      b.append("Content-Disposition: attachment; filename=\"").append(filename(d.name())).append("\"\n\n");
      b.append(body);
      if (!body.endsWith("\n")) {
        b.append('\n');
      }
    }
    b.append("--").append(boundary).append("--\n");
    return b.toString();
  }

  /** The first of {@code ==csv2-boundary==}, {@code ==csv2-boundary==1}, ... that no body contains. */
  static String boundary(List<String> bodies) {
    String candidate = BOUNDARY_BASE;
    for (int n = 1; contained(candidate, bodies); n++) {
      candidate = BOUNDARY_BASE + n;
    }
    return candidate;
  }

  private static boolean contained(String boundary, List<String> bodies) {
    for (String body : bodies) {
      if (body.contains(boundary)) {
        return true;
      }
    }
    return false;
  }

  private static String filename(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      b.append(c == '"' || c == '\\' || c < 0x20 || c == 0x7f ? '_' : c);
    }
    return b.toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
