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
package org.csv2.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures the heap a value holds: used heap after forced collections with the value referenced,
 * minus used heap after it is dropped, over several runs; the median is reported.
 */
public final class SnapshotHeap {
  private SnapshotHeap() {}

  /**
   * The result.
   *
   * @param medianBytes the median retained size
   * @param runsBytes every run's retained size
   */
  public record Result(long medianBytes, List<Long> runsBytes) {
    /** Copies. */
    public Result {
      runsBytes = List.copyOf(runsBytes);
    }
  }

  /**
   * Builds the value {@code runs} times and measures what each holds.
   *
   * @param runs how many runs (odd is best for a median)
   * @param build makes a fresh value
   * @return the retained sizes
   */
  public static Result measure(int runs, Supplier<?> build) {
    long[] sizes = new long[runs];
    for (int r = 0; r < runs; r++) {
      Object[] holder = {build.get()};
      long with = settledUsed();
      holder[0] = null;
      long without = settledUsed();
      sizes[r] = Math.max(0, with - without);
    }
    List<Long> all = new ArrayList<>();
    for (long s : sizes) {
      all.add(s);
    }
    long[] sorted = sizes.clone();
    Arrays.sort(sorted);
    long median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return new Result(median, all);
  }

  /** Used heap once repeated full collections no longer free anything. */
  static long settledUsed() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 10; i++) {
      System.gc();
      used = mem.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 64 * 1024) {
        break;
      }
      previous = used;
    }
    return used;
  }
}
