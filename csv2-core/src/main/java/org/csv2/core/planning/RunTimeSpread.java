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

/**
 * The expected run times of one shape's idle jobs, as a histogram of log run times (four buckets
 * per doubling, 1 s to about 12 days): bounded, and independent of the order jobs come in. It
 * answers how much longer a VM that takes n of these jobs lives than one job runs on average:
 * {@code E[max of n] / mean}, with the n drawn at random from the shape's jobs (the batch system,
 * not the planner, decides which jobs share a VM). For memoryless run times that ratio is H(n); for
 * equal run times it is 1.
 *
 * <p><b>Thread safety:</b> not thread-safe; one plan's.
 */
final class RunTimeSpread {
  private static final int PER_DOUBLING = 4;
  private static final int BUCKETS = 20 * PER_DOUBLING;

  private final int[] counts = new int[BUCKETS];
  private int known;
  private int unknown;
  private double mean = Double.NaN;
  private double[] cumulative = new double[0];
  private int distinct;

  /**
   * Adds one job.
   *
   * @param seconds its expected run time, or negative when unknown
   */
  void add(double seconds) {
    if (seconds < 0) {
      unknown++;
      return;
    }
    int b = (int) Math.floor(PER_DOUBLING * Math.log(Math.max(1, seconds)) / Math.log(2));
    counts[Math.min(BUCKETS - 1, Math.max(0, b))]++;
    known++;
    mean = Double.NaN;
  }

  /**
   * Whether most of the shape's jobs have an estimate (only then does the spread replace the
   * policy's default).
   *
   * @return true when at least half are known
   */
  boolean known() {
    return known > 0 && known >= unknown;
  }

  private static double value(int bucket) {
    return Math.pow(2, (bucket + 0.5) / PER_DOUBLING);
  }

  /**
   * {@code E[max of n] / mean} over the known estimates.
   *
   * @param n jobs per VM, at least 1
   * @return at least 1 (1 when n is 1)
   */
  double ratio(int n) {
    if (n <= 1 || known == 0) {
      return 1;
    }
    if (Double.isNaN(mean)) {
      double sum = 0;
      cumulative = new double[BUCKETS];
      int c = 0;
      distinct = 0;
      for (int b = 0; b < BUCKETS; b++) {
        if (counts[b] > 0) distinct++;
        sum += counts[b] * value(b);
        c += counts[b];
        cumulative[b] = (double) c / known;
      }
      mean = sum / known;
    }
    if (distinct == 1) {
      return 1; // all alike: exactly 1, so that ties and reasons read as without run times
    }
    double max = 0;
    double before = 0;
    for (int b = 0; b < BUCKETS; b++) {
      if (counts[b] == 0) {
        continue;
      }
      double now = Math.pow(cumulative[b], n);
      max += value(b) * (now - before);
      before = now;
    }
    return Math.max(1, max / mean);
  }
}
