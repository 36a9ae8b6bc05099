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
