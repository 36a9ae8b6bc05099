package org.csv2.core.config;

/** How the planner orders the flavors that fit a job shape within one priority tier. */
public enum FlavorPolicy {
  /** Least cost per job placed; ties broken by least wasted resources (the default). */
  LEAST_COST_PER_JOB,
  /** The production system's rule: the smallest flavor that fits, by cores, RAM, disk, swap. */
  SMALLEST_FIT
}
