package org.csv2.api.ops;

import java.util.Map;
import java.util.Objects;
import org.csv2.model.CloudName;

/**
 * A cloud as configured ({@code clouds[]} in the YAML): what {@code cloud add} and {@code cloud
 * update} take and {@link CloudView} shows.
 *
 * @param name the cloud
 * @param driver the driver name ({@code openstack}, {@code ec2}, ...)
 * @param enabled whether groups may boot there
 * @param config the driver's settings as YAML values (maps, lists, strings, numbers, booleans);
 *     give secrets as {@code ${ENV}} references, which are stored as written. Views show secret
 *     values redacted as {@code ***}.
 */
public record CloudSpec(CloudName name, String driver, boolean enabled, Map<String, Object> config) {
  /** Validates and copies. */
  public CloudSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    config = Map.copyOf(config);
  }
}
