package org.csv2.model;

/**
 * One decision of a cycle. Every action carries a reason a person can read, such as "boot 3 x
 * c8-30gb on arbutus for 24 idle 1-core jobs of atlas: arbutus is priority 0 and cheapest per
 * job".
 */
public sealed interface PlanAction permits Boot, Retire, Terminate, Adopt {
  /**
   * Why the engine decided this, for people.
   *
   * @return the reason
   */
  String reason();
}
