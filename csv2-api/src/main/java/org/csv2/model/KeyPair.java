package org.csv2.model;

/**
 * A key pair a cloud knows.
 *
 * @param name its name
 * @param fingerprint its fingerprint, or empty when unknown
 */
public record KeyPair(String name, String fingerprint) {
  /** Validates. */
  public KeyPair {
    Names.nonBlank(name, "key pair name");
    java.util.Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
