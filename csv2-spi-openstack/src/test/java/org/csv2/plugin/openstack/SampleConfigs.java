package org.csv2.plugin.openstack;

import java.util.LinkedHashMap;
import java.util.Map;

/** Driver configurations that point at an {@link OpenStackSampleServer}. */
final class SampleConfigs {
  private SampleConfigs() {}

  /**
   * Password authentication against the server, with short timeouts.
   *
   * @param server the server
   * @return a mutable raw config subtree
   */
  static Map<String, Object> password(OpenStackSampleServer server) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("auth-url", server.authUrl());
    raw.put("region", "RegionOne");
    raw.put("project", OpenStackSampleServer.PROJECT);
    raw.put("user", OpenStackSampleServer.USER);
    raw.put("password", OpenStackSampleServer.PASSWORD);
    raw.put("connect-timeout", "2s");
    raw.put("read-timeout", "5s");
    return raw;
  }

  /**
   * Application-credential authentication (by id) against the server.
   *
   * @param server the server
   * @return a mutable raw config subtree
   */
  static Map<String, Object> applicationCredential(OpenStackSampleServer server) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("auth-url", server.authUrl());
    raw.put("application-credential-id", OpenStackSampleServer.APP_ID);
    raw.put("application-credential-secret", OpenStackSampleServer.APP_SECRET);
    raw.put("connect-timeout", "2s");
    raw.put("read-timeout", "5s");
    return raw;
  }
}
