package org.csv2.plugin.archfixture;

/** Breaks the plugin rule on purpose: a public class that is not a provider. */
public final class PublicHelper {
  private PublicHelper() {}
}
