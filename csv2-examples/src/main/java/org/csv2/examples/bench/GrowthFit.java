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

/**
 * A power law {@code y = a * x^k} fitted by least squares on {@code log y} against {@code log x}:
 * {@code k} is the growth exponent (1 for linear cost).
 *
 * @param exponent the fitted {@code k}
 * @param coefficient the fitted {@code a}
 * @param r2 the coefficient of determination of the log-log line
 * @param points how many points were fitted
 */
public record GrowthFit(double exponent, double coefficient, double r2, int points) {
  /**
   * Fits {@code y = a * x^k}.
   *
   * @param x the sizes, all positive
   * @param y the costs, all positive, as many as {@code x}
   * @return the fit
   * @throws IllegalArgumentException with fewer than two points, a non-positive value, or all
   *     sizes equal
   */
  public static GrowthFit of(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException("need two or more (size, cost) pairs, got " + x.length + " and " + y.length);
    }
    int n = x.length;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < n; i++) {
      if (!(x[i] > 0) || !(y[i] > 0)) {
        throw new IllegalArgumentException("sizes and costs must be positive: (" + x[i] + ", " + y[i] + ")");
      }
      sx += Math.log(x[i]);
      sy += Math.log(y[i]);
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = Math.log(x[i]) - mx;
      double dy = Math.log(y[i]) - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    if (sxx == 0) {
      throw new IllegalArgumentException("all sizes are equal: no growth to fit");
    }
    double k = sxy / sxx;
    double a = Math.exp(my - k * mx);
    double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
    return new GrowthFit(k, a, r2, n);
  }
}
