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
package org.csv2.core.engine;

import java.util.List;
import org.csv2.core.planning.ListDelta;

/**
 * The cycle's one test of "nothing changed" for the lists the steps reuse work across cycles
 * for. Plugins that cache (the in-memory store, the simulated clouds and pool) return the very
 * same objects while nothing changed, so the element-wise identity test is cheap and exact.
 */
final class SameLists {
  private SameLists() {}

  /**
   * The same objects in the same order (identity: an equal but new record counts as a change).
   *
   * @param a a list
   * @param b another
   * @return whether they hold the same objects in order
   */
  static boolean identical(List<?> a, List<?> b) {
    return ListDelta.identical(a, b);
  }

  /**
   * Equal elements in the same order (the same objects first: cheap when nothing changed).
   *
   * @param a a list
   * @param b another
   * @return whether they hold equal elements in order
   */
  static boolean equal(List<?> a, List<?> b) {
    if (a == b) {
      return true;
    }
    int n = a.size();
    if (n != b.size()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }
}
