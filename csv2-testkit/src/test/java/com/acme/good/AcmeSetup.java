package com.acme.good;

import org.csv2.api.ConfigurationException;

/** Package-private, as a plugin's helpers are. */
final class AcmeSetup {
  ConfigurationException refused(String cloud) {
    return new ConfigurationException(java.util.List.of("clouds." + cloud + ": the acme fixture makes no drivers"));
  }
}
