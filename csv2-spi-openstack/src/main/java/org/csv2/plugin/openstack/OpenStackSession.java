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

import java.util.Objects;
import java.util.function.Function;
import org.csv2.api.CloudException;
import org.jspecify.annotations.Nullable;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.client.CloudProvider;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.identity.v3.domain.KeystoneAuth;
import org.openstack4j.openstack.identity.v3.domain.KeystoneAuth.AuthScope;
import org.openstack4j.openstack.internal.OSAuthenticator;

/**
 * One Keystone session of a driver, shared by the threads the engine calls the driver from.
 *
 * <p>OpenStack4j keeps its session in a thread-local. This class keeps the token instead and, for
 * every call, binds a client made from it to the calling thread ({@link OSFactory#clientFromToken}),
 * so the engine may call from any thread. The first call authenticates. On a 401 OpenStack4j's
 * connector re-authenticates once with the stored credentials and repeats the request; the renewed
 * token is kept for the next call. A second 401 becomes {@code AUTHENTICATION}.
 *
 * <p>Thread safety: safe; the token is a volatile reference, and two threads that authenticate at
 * once merely both get a valid token.
 */
final class OpenStackSession {
  private final OpenStackConfig config;
  private final OpenStackErrors errors;
  private final Config clientConfig;
  private final KeystoneAuth auth;
  private volatile @Nullable Token token;

  OpenStackSession(OpenStackConfig config, OpenStackErrors errors) {
    this.config = config;
    this.errors = errors;
    this.clientConfig =
        Config.newConfig()
            .withConnectionTimeout(millis(config.connectTimeout()))
            .withReadTimeout(millis(config.readTimeout()));
    this.auth = auth(config);
  }

  /**
   * Runs one client call, mapping every failure to a {@link CloudException}.
   *
   * @param <T> the result type
   * @param action what is being done, for messages
   * @param call the call
   * @return its result
   */
  <T> T call(String action, Function<OSClientV3, T> call) {
    try {
      OSClientV3 client = client();
      try {
        return call.apply(client);
      } finally {
        Token renewed = client.getToken();
        if (renewed != null) {
          token = renewed;
        }
      }
    } catch (CloudException e) {
      throw e;
    } catch (RuntimeException e) {
      throw errors.map(action, e);
    }
  }

  /**
   * The URL of a service's endpoint and a valid token, for the few calls csv2 makes without
   * OpenStack4j (streamed image bytes, which its HTTP connector would buffer whole).
   *
   * @param action what is being done, for messages
   * @param type the service
   * @return the endpoint without a trailing slash, and the token id
   */
  Endpoint endpoint(String action, org.openstack4j.api.types.ServiceType type) {
    return call(
        action,
        os -> {
          org.openstack4j.openstack.internal.OSClientSession<?, ?> session =
              (org.openstack4j.openstack.internal.OSClientSession<?, ?>) os;
          String url = session.getEndpoint(type);
          String id = session.getTokenId();
          if (url == null || id == null) {
            throw new CloudException(
                CloudException.Reason.UNAVAILABLE, errors.message(action, "the catalog names no " + type + " endpoint"));
          }
          return new Endpoint(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, id);
        });
  }

  /** A service endpoint and the token to call it with. */
  record Endpoint(String url, String token) {
    @Override
    public String toString() {
      return "Endpoint[" + url + "]";
    }
  }

  /** Forgets the token; the next call authenticates again. */
  void forget() {
    token = null;
  }

  private OSClientV3 client() {
    Token current = token;
    OSClientV3 client;
    if (current == null) {
      OSClient<?> fresh =
          OSAuthenticator.invoke(
              auth, Objects.requireNonNull(config.authUrl()), Facing.PUBLIC, clientConfig, CloudProvider.UNKNOWN);
      client = (OSClientV3) fresh;
      token = client.getToken();
    } else {
      client = OSFactory.clientFromToken(current, Facing.PUBLIC, clientConfig);
    }
    String region = config.region();
    if (region != null) {
      client.useRegion(region);
    }
    return client;
  }

  private static KeystoneAuth auth(OpenStackConfig c) {
    Identifier userDomain =
        c.userDomainId() != null
            ? Identifier.byId(c.userDomainId())
            : Identifier.byName(Objects.requireNonNullElse(c.userDomain(), OpenStackConfig.DEFAULT_DOMAIN));
    if (c.authMethod() == OpenStackConfig.AuthMethod.APPLICATION_CREDENTIAL) {
      return new ApplicationCredentialAuth(
          c.applicationCredentialId(),
          c.applicationCredentialName(),
          c.user(),
          c.userDomain(),
          c.userDomainId(),
          Objects.requireNonNull(c.applicationCredentialSecret()).reveal());
    }
    AuthScope scope;
    if (c.projectId() != null) {
      scope = AuthScope.project(Identifier.byId(c.projectId()));
    } else {
      Identifier projectDomain =
          c.projectDomainId() != null
              ? Identifier.byId(c.projectDomainId())
              : Identifier.byName(Objects.requireNonNullElse(c.projectDomain(), OpenStackConfig.DEFAULT_DOMAIN));
      scope = AuthScope.project(Identifier.byName(Objects.requireNonNull(c.project())), projectDomain);
    }
    return new KeystoneAuth(
        Objects.requireNonNull(c.user()), Objects.requireNonNull(c.password()).reveal(), userDomain, scope);
  }

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
