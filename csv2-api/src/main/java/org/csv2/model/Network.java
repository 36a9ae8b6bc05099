package org.csv2.model;

/**
 * A network a cloud offers.
 *
 * @param id the cloud's id
 * @param name its name
 */
public record Network(String id, String name) {
  /** Validates. */
  public Network {
    Names.nonBlank(id, "network id");
    Names.nonBlank(name, "network name");
  }
}
