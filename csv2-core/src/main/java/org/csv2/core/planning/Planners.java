package org.csv2.core.planning;

import java.util.List;
import org.csv2.api.ConfigurationException;

/** Selects a planning policy by its configured name. */
public final class Planners {
  /** The project's policy. */
  public static final String DEFAULT = "default";

  /** The production cloudscheduler's rules. */
  public static final String CLASSIC = "csv2-classic";

  private Planners() {}

  /**
   * The planner of a policy.
   *
   * @param name {@code default} or {@code csv2-classic}
   * @return a new planner
   * @throws ConfigurationException naming the policies available when the name is unknown
   */
  public static Planner forPolicy(String name) {
    return switch (name) {
      case DEFAULT -> new DefaultPlanner();
      case CLASSIC -> new ClassicPlanner();
      default ->
          throw new ConfigurationException(
              List.of(
                  "engine.policy: unknown planning policy '" + name + "'; use '" + DEFAULT
                      + "' or '" + CLASSIC + "'"));
    };
  }
}
