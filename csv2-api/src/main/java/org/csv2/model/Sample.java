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

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a time series the engine writes every cycle (idle jobs per group, VMs by state,
 * cores per cloud, plan time).
 *
 * @param at when
 * @param metric the series name, such as {@code jobs.idle}
 * @param labels its labels, such as {@code group=atlas}
 * @param value the value
 */
public record Sample(Instant at, String metric, Map<String, String> labels, double value) {
  /** Validates and copies. */
  public Sample {
    Objects.requireNonNull(at, "at");
    Names.nonBlank(metric, "metric");
    labels = Map.copyOf(labels);
  }
}
