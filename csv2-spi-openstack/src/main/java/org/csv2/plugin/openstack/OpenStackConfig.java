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

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Secret;
import org.jspecify.annotations.Nullable;

/**
 * The {@code config:} subtree of a cloud with {@code driver: openstack}, bound by {@code
 * PluginConfig.bind}. Keys are the kebab-case forms of the components ({@code auth-url}, {@code
 * application-credential-secret}, ...). The compact constructor only fills defaults; {@link
 * #validate(String)} reports every rule broken, with its path, at once.
 *
 * <p>Two ways to authenticate, exactly one of which must be configured:
 *
 * <ul>
 *   <li>password: {@code user} (+ {@code user-domain}), {@code password}, and the project ({@code
 *       project} + {@code project-domain}, or {@code project-id});
 *   <li>application credential: {@code application-credential-id}, or {@code
 *       application-credential-name} with {@code user} (+ {@code user-domain}), and {@code
 *       application-credential-secret}; the credential implies its project.
 * </ul>
 *
 * @param authUrl the Keystone v3 endpoint, such as {@code https://keystone.example.org:5000/v3}
 * @param region the region whose endpoints to use; null uses the first the catalog lists
 * @param project the project's name (password auth)
 * @param projectId the project's id, instead of its name (password auth)
 * @param projectDomain the name of the project's domain; default {@code Default}
 * @param projectDomainId the id of the project's domain, instead of its name
 * @param user the user's name (password auth, or an application credential given by name)
 * @param userDomain the name of the user's domain; default {@code Default}
 * @param userDomainId the id of the user's domain, instead of its name
 * @param password the user's password
 * @param applicationCredentialId the application credential's id
 * @param applicationCredentialName the application credential's name (needs {@code user})
 * @param applicationCredentialSecret the application credential's secret
 * @param caCertificate a PEM file with the CA that signed the cloud's certificates
 * @param connectTimeout how long to wait for a TCP connection; default 10 s
 * @param readTimeout how long to wait for a reply; default 60 s
 * @param network default network (name or id) for VMs whose group names none
 * @param keyName default key pair for VMs whose group names none
 * @param securityGroups default security groups; empty uses the project's {@code default}
 * @param image default image (name or id) for boot requests without one
 * @param bootVolume boot from a new volume instead of the flavor's local disk; null for local disk
 * @param opportunisticMetadata where the administrators' opportunistic policy is read ({@code
 *     project}: the project's properties, {@code aggregates}: host aggregate metadata); default
 *     {@code [project]}, empty to read none (docs/opportunistic.md)
 * @param bootConcurrency how many {@code POST /servers} of one boot request may be in flight at
 *     once; default {@value #DEFAULT_BOOT_CONCURRENCY}, 1 boots one after the other
 */
record OpenStackConfig(
    @Nullable String authUrl,
    @Nullable String region,
    @Nullable String project,
    @Nullable String projectId,
    @Nullable String projectDomain,
    @Nullable String projectDomainId,
    @Nullable String user,
    @Nullable String userDomain,
    @Nullable String userDomainId,
    @Nullable Secret password,
    @Nullable String applicationCredentialId,
    @Nullable String applicationCredentialName,
    @Nullable Secret applicationCredentialSecret,
    @Nullable String caCertificate,
    @Nullable Duration connectTimeout,
    @Nullable Duration readTimeout,
    @Nullable String network,
    @Nullable String keyName,
    @Nullable List<String> securityGroups,
    @Nullable String image,
    @Nullable BootVolume bootVolume,
    @Nullable List<String> opportunisticMetadata,
    @Nullable Integer bootConcurrency) {

  /** The default number of boot requests in flight at once. */
  static final int DEFAULT_BOOT_CONCURRENCY = 8;

  /** The most boot requests in flight at once that may be configured. */
  static final int MAX_BOOT_CONCURRENCY = 64;

  /** The project's properties as a source of the administrators' policy. */
  static final String SOURCE_PROJECT = "project";

  /** Host aggregate metadata as a source of the administrators' policy. */
  static final String SOURCE_AGGREGATES = "aggregates";

  /** The default connect timeout. */
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The default read timeout. */
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** The domain used when none is named. */
  static final String DEFAULT_DOMAIN = "Default";

  /** Fills defaults; never throws. */
  OpenStackConfig {
    if (connectTimeout == null) {
      connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    }
    if (readTimeout == null) {
      readTimeout = DEFAULT_READ_TIMEOUT;
    }
    if (projectDomain == null && projectDomainId == null) {
      projectDomain = DEFAULT_DOMAIN;
    }
    if (userDomain == null && userDomainId == null) {
      userDomain = DEFAULT_DOMAIN;
    }
    securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    opportunisticMetadata =
        opportunisticMetadata == null ? List.of(SOURCE_PROJECT) : List.copyOf(opportunisticMetadata);
    if (bootConcurrency == null) {
      bootConcurrency = DEFAULT_BOOT_CONCURRENCY;
    }
  }

  /**
   * A boot volume made from the image for every VM, deleted with it by default.
   *
   * @param sizeGb fixed part of the size, in GB; default 0
   * @param gbPerCore GB added per core of the flavor; default 0
   * @param volumeType the Cinder volume type; null for the cloud's default
   * @param deleteOnTermination whether the volume goes with the server; default true
   */
  record BootVolume(
      @Nullable Integer sizeGb,
      @Nullable Integer gbPerCore,
      @Nullable String volumeType,
      @Nullable Boolean deleteOnTermination) {
    /** Fills defaults; never throws. */
    BootVolume {
      if (sizeGb == null) {
        sizeGb = 0;
      }
      if (gbPerCore == null) {
        gbPerCore = 0;
      }
      if (deleteOnTermination == null) {
        deleteOnTermination = Boolean.TRUE;
      }
    }

    /**
     * The volume size for a flavor.
     *
     * @param cores the flavor's cores
     * @return {@code size-gb + gb-per-core * cores}
     */
    int sizeFor(int cores) {
      return Math.addExact(sizeGbValue(), Math.multiplyExact(gbPerCoreValue(), cores));
    }

    int sizeGbValue() {
      return sizeGb == null ? 0 : sizeGb;
    }

    int gbPerCoreValue() {
      return gbPerCore == null ? 0 : gbPerCore;
    }

    boolean deleteOnTerminationValue() {
      return deleteOnTermination == null || deleteOnTermination;
    }
  }

  /** How the driver authenticates. */
  enum AuthMethod {
    PASSWORD,
    APPLICATION_CREDENTIAL
  }

  /**
   * The configured auth method; only meaningful after {@link #validate(String)} passed.
   *
   * @return the method
   */
  AuthMethod authMethod() {
    return hasApplicationCredential() ? AuthMethod.APPLICATION_CREDENTIAL : AuthMethod.PASSWORD;
  }

  private boolean hasApplicationCredential() {
    return applicationCredentialId != null
        || applicationCredentialName != null
        || applicationCredentialSecret != null;
  }

  /**
   * Checks every rule and throws one exception listing all problems. Secret values never appear
   * in the messages.
   *
   * @param path the YAML path of this subtree, such as {@code clouds[0].config}
   * @return this configuration
   * @throws ConfigurationException listing every problem with its path
   */
  OpenStackConfig validate(String path) {
    List<String> problems = new ArrayList<>();
    String p = path.isEmpty() ? "" : path + ".";
    if (blank(authUrl)) {
      problems.add(p + "auth-url: is required (the Keystone v3 endpoint, e.g. https://keystone.example.org:5000/v3)");
    } else {
      checkUrl(p, authUrl, problems);
    }
    checkNotBlankIfSet(p, "region", region, problems);
    checkNotBlankIfSet(p, "network", network, problems);
    checkNotBlankIfSet(p, "key-name", keyName, problems);
    checkNotBlankIfSet(p, "image", image, problems);
    checkOneOf(p, "project-domain", projectDomain, "project-domain-id", projectDomainId, problems);
    checkOneOf(p, "user-domain", userDomain, "user-domain-id", userDomainId, problems);
    boolean passwordSet = password != null;
    boolean applicationSet = hasApplicationCredential();
    if (passwordSet && applicationSet) {
      problems.add(
          p
              + "password, application-credential-*: both a password and an application credential are"
              + " set; use exactly one auth method");
    } else if (!passwordSet && !applicationSet) {
      problems.add(
          p
              + "password, application-credential-*: no auth method is set; set user and password, or"
              + " application-credential-id (or -name with user) and application-credential-secret");
    } else if (passwordSet) {
      if (blank(user)) {
        problems.add(p + "user: is required with password authentication");
      }
      if (password.isEmpty()) {
        problems.add(p + "password: must not be empty");
      }
      if (blank(project) == blank(projectId)) {
        problems.add(
            p + "project, project-id: set exactly one of them (the project to work in) with password authentication");
      }
    } else {
      if (blank(applicationCredentialId) == blank(applicationCredentialName)) {
        problems.add(
            p + "application-credential-id, application-credential-name: set exactly one of them");
      }
      if (applicationCredentialName != null && blank(user)) {
        problems.add(p + "user: is required when the application credential is given by name");
      }
      if (applicationCredentialSecret == null || applicationCredentialSecret.isEmpty()) {
        problems.add(p + "application-credential-secret: is required with an application credential");
      }
      if (project != null || projectId != null) {
        problems.add(
            p
                + "project, project-id: an application credential implies its project; remove these"
                + " keys");
      }
    }
    if (caCertificate != null) {
      problems.add(
          p
              + "ca-certificate: OpenStack4j's OkHttp connector cannot use a custom CA on Java 9 and"
              + " later (OkHttp 3 refuses a socket factory without its trust manager); import the CA"
              + " into the JVM trust store (-Djavax.net.ssl.trustStore=...) and remove this key");
    }
    checkTimeout(p, "connect-timeout", connectTimeout, problems);
    checkTimeout(p, "read-timeout", readTimeout, problems);
    List<String> groups = securityGroups == null ? List.of() : securityGroups;
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).isBlank()) {
        problems.add(p + "security-groups[" + i + "]: must not be blank");
      }
    }
    List<String> sources = opportunisticMetadata == null ? List.of() : opportunisticMetadata;
    for (int i = 0; i < sources.size(); i++) {
      if (!SOURCE_PROJECT.equals(sources.get(i)) && !SOURCE_AGGREGATES.equals(sources.get(i))) {
        problems.add(
            p + "opportunistic-metadata[" + i + "]: '" + sources.get(i) + "' is not " + SOURCE_PROJECT + " or "
                + SOURCE_AGGREGATES);
      }
    }
    if (bootConcurrency != null && (bootConcurrency < 1 || bootConcurrency > MAX_BOOT_CONCURRENCY)) {
      problems.add(p + "boot-concurrency: must be 1-" + MAX_BOOT_CONCURRENCY + ", was " + bootConcurrency);
    }
    if (bootVolume != null) {
      if (bootVolume.sizeGbValue() < 0) {
        problems.add(p + "boot-volume.size-gb: must be >= 0, was " + bootVolume.sizeGbValue());
      }
      if (bootVolume.gbPerCoreValue() < 0) {
        problems.add(p + "boot-volume.gb-per-core: must be >= 0, was " + bootVolume.gbPerCoreValue());
      }
      if (bootVolume.sizeGbValue() <= 0 && bootVolume.gbPerCoreValue() <= 0) {
        problems.add(p + "boot-volume: set size-gb and/or gb-per-core so that the volume has a size");
      }
      checkNotBlankIfSet(p, "boot-volume.volume-type", bootVolume.volumeType(), problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return this;
  }

  private static void checkUrl(String p, String url, List<String> problems) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null) {
        problems.add(p + "auth-url: '" + url + "' is not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      problems.add(p + "auth-url: '" + url + "' is not a URL: " + e.getReason());
    }
  }

  private static void checkTimeout(String p, String key, @Nullable Duration value, List<String> problems) {
    if (value != null && (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE)) {
      problems.add(p + key + ": must be positive (and below 24 days), was " + value);
    }
  }

  private static void checkOneOf(
      String p, String a, @Nullable String av, String b, @Nullable String bv, List<String> problems) {
    if (av != null && bv != null) {
      problems.add(p + a + ", " + b + ": set only one of them");
    }
    checkNotBlankIfSet(p, a, av, problems);
    checkNotBlankIfSet(p, b, bv, problems);
  }

  private static void checkNotBlankIfSet(String p, String key, @Nullable String value, List<String> problems) {
    if (value != null && value.isBlank()) {
      problems.add(p + key + ": must not be blank");
    }
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
