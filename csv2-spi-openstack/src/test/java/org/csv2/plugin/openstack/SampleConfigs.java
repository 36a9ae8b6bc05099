/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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
