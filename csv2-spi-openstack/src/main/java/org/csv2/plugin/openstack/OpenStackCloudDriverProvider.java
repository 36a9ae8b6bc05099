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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.Secret;

/**
 * The {@code openstack} cloud driver: OpenStack clouds through Keystone v3 (password or
 * application credential), Nova, Glance v2 and Neutron, with OpenStack4j and its OkHttp connector.
 *
 * <p>Configuration keys are listed in {@code docs/openstack.md}; for example:
 *
 * <pre>{@code
 * clouds:
 *   - name: arbutus
 *     driver: openstack
 *     config:
 *       auth-url: https://keystone.example.org:5000/v3
 *       region: RegionOne
 *       application-credential-id: 423f19a4ac1e4f48bbb4180756e6eb6c
 *       application-credential-secret: ${OS_APP_SECRET}
 *       network: private
 *       key-name: csv2
 * }</pre>
 *
 * <p><b>Thread safety:</b> stateless; {@link #create} may be called from any thread. It does not
 * call the cloud: the first verb authenticates.
 */
public final class OpenStackCloudDriverProvider implements CloudDriverProvider {
  /** The name used in YAML: {@code driver: openstack}. */
  public static final String NAME = "openstack";

  /** Creates the provider; cheap, no I/O. */
  public OpenStackCloudDriverProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    OpenStackConfig c = config.bind(OpenStackConfig.class).validate(config.path());
    List<String> secrets = new ArrayList<>();
    for (Secret s : new Secret[] {c.password(), c.applicationCredentialSecret()}) {
      if (s != null) {
        secrets.add(s.reveal());
      }
    }
    OpenStackErrors errors = new OpenStackErrors(context.name(), secrets);
    return new OpenStackCloudDriver(c, context, new OpenStackSession(c, errors), errors);
  }
}
