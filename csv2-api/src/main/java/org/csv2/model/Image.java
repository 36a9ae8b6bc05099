package org.csv2.model;

/**
 * A boot image a cloud offers.
 *
 * @param id the cloud's id of the image
 * @param name its name (may equal the id)
 */
public record Image(String id, String name) {
  /** Validates. */
  public Image {
    Names.nonBlank(id, "image id");
    Names.nonBlank(name, "image name");
  }

  /**
   * Whether a reference (a name or an id) designates this image.
   *
   * @param reference a name or id
   * @return true if it is this image's id or name
   */
  public boolean matches(String reference) {
    return id.equals(reference) || name.equals(reference);
  }
}
