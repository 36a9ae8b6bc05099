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
package org.csv2.core.planning;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What changed between two versions of a snapshot list, by identity: the elements of the old list
 * not found in the new one ({@link #removed}) and those of the new list not found in the old one
 * ({@link #added}). The lists are walked side by side; where they differ, a short look-ahead finds
 * where they agree again (an element replaced, inserted or dropped). Whatever the alignment, the
 * new list holds, as a multiset, the old one without {@code removed} and with {@code added}; the
 * look-ahead only keeps the delta short when the order of the unchanged elements is kept (the job
 * source's and the store's lists are: they change by a few records a cycle).
 *
 * <p>Plugins that cache hand out the very same records while nothing changed, so the walk is a
 * pointer comparison per element. The engine's {@code SameLists} asks the same question of whole
 * lists; the engine's reservation step keeps its boot leads up to date with it.
 *
 * @param <T> the element type
 * @param removed the old elements that are gone
 * @param added the new elements
 */
public record ListDelta<T>(List<T> removed, List<T> added) {
  /** How far ahead the walk looks for the lists to agree again, in elements of each list. */
  private static final int LOOK_AHEAD = 8;

  /**
   * The delta between two lists, or null when it has more than {@code limit} elements (building
   * from scratch is then as cheap).
   *
   * @param before the old list
   * @param after the new list
   * @param limit the most elements removed plus added worth a delta
   * @return the delta, or null
   */
  public static <T> @Nullable ListDelta<T> of(List<T> before, List<T> after, int limit) {
    if (before == after) {
      return new ListDelta<>(List.of(), List.of()); // the very same (immutable) list: no walk
    }
    List<T> removed = new ArrayList<>();
    List<T> added = new ArrayList<>();
    int n = before.size();
    int m = after.size();
    if (Math.abs(n - m) > limit) {
      return null;
    }
    int i = 0;
    int j = 0;
    while (i < n && j < m) {
      if (before.get(i) == after.get(j)) {
        i++;
        j++;
        continue;
      }
      // the nearest (p, q) with before[i + p] == after[j + q]: p dropped, q added
      int skipBefore = 1;
      int skipAfter = 1;
      search:
      for (int s = 1; s <= 2 * LOOK_AHEAD; s++) {
        for (int p = 0; p <= s; p++) {
          int q = s - p;
          if (p > LOOK_AHEAD || q > LOOK_AHEAD || i + p >= n || j + q >= m) {
            continue;
          }
          if (before.get(i + p) == after.get(j + q)) {
            skipBefore = p;
            skipAfter = q;
            break search;
          }
        }
      }
      for (int k = 0; k < skipBefore; k++) {
        removed.add(before.get(i++));
      }
      for (int k = 0; k < skipAfter; k++) {
        added.add(after.get(j++));
      }
      if (removed.size() + added.size() > limit) {
        return null;
      }
    }
    while (i < n) {
      removed.add(before.get(i++));
    }
    while (j < m) {
      added.add(after.get(j++));
    }
    return removed.size() + added.size() > limit ? null : new ListDelta<>(removed, added);
  }

  /**
   * Whether two lists hold the same objects in the same order (identity: an equal but new record
   * counts as a change). The engine's {@code SameLists.identical} is this.
   *
   * @param a a list
   * @param b another
   * @return whether they hold the same objects in order
   */
  public static boolean identical(List<?> a, List<?> b) {
    if (a == b) {
      return true;
    }
    int n = a.size();
    if (n != b.size()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return removed.isEmpty() && added.isEmpty();
  }
}
