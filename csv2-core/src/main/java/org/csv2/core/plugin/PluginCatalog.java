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
package org.csv2.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.csv2.api.PluginException;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.StateStoreProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of this engine, by kind and name: found once through {@link ServiceLoader} (on a
 * configurable class loader) and/or registered in code.
 *
 * <p>It fails loudly: a provider that does not load is a {@link PluginException} ({@code FAILED})
 * naming the service file's jar; two different provider classes with one name are a {@code
 * DUPLICATE} naming both; an unknown name is a {@code NOT_FOUND} listing the names available and
 * the artifact to add. The same provider class found twice (for example registered in code and
 * also listed in {@code META-INF/services}) is one provider; the instance registered in code wins.
 * Each provider is logged once at INFO with its kind, name, class, version and jar. A provider
 * whose jar's {@code Implementation-Version} has another major version than {@code csv2-api}'s is
 * {@code INCOMPATIBLE} (releases are lockstep); a missing version is accepted.
 *
 * <p><b>Thread safety:</b> immutable once built.
 */
public final class PluginCatalog {
  private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Map<String, String> ARTIFACTS =
      Map.of(
          "openstack", "org.csv2:csv2-spi-openstack",
          "ec2", "org.csv2:csv2-spi-ec2",
          "htcondor", "org.csv2:csv2-spi-htcondor",
          "jdbc", "org.csv2:csv2-spi-store-jdbc");

  private final Map<String, CloudDriverProvider> cloudDrivers;
  private final Map<String, JobSourceProvider> jobSources;
  private final Map<String, StateStoreProvider> stateStores;

  private PluginCatalog(
      Map<String, CloudDriverProvider> cloudDrivers,
      Map<String, JobSourceProvider> jobSources,
      Map<String, StateStoreProvider> stateStores) {
    this.cloudDrivers = Collections.unmodifiableMap(cloudDrivers);
    this.jobSources = Collections.unmodifiableMap(jobSources);
    this.stateStores = Collections.unmodifiableMap(stateStores);
  }

  /**
   * A builder: service loading on, the thread's context class loader (or this class's).
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The cloud driver provider of a name.
   *
   * @param name the name, from a cloud's {@code driver:}
   * @return the provider
   * @throws PluginException NOT_FOUND naming the available drivers and the artifact to add
   */
  public CloudDriverProvider cloudDriver(String name) {
    return find(cloudDrivers, Kind.CLOUD_DRIVER, name);
  }

  /**
   * The job source provider of a name.
   *
   * @param name the name, from {@code job-source.driver}
   * @return the provider
   * @throws PluginException NOT_FOUND naming the available job sources and the artifact to add
   */
  public JobSourceProvider jobSource(String name) {
    return find(jobSources, Kind.JOB_SOURCE, name);
  }

  /**
   * The state store provider of a name.
   *
   * @param name the name, from {@code state-store.driver}
   * @return the provider
   * @throws PluginException NOT_FOUND naming the available stores and the artifact to add
   */
  public StateStoreProvider stateStore(String name) {
    return find(stateStores, Kind.STATE_STORE, name);
  }

  /**
   * The cloud driver names.
   *
   * @return the names, sorted
   */
  public Set<String> cloudDriverNames() {
    return Collections.unmodifiableSet(new TreeSet<>(cloudDrivers.keySet()));
  }

  /**
   * The job source names.
   *
   * @return the names, sorted
   */
  public Set<String> jobSourceNames() {
    return Collections.unmodifiableSet(new TreeSet<>(jobSources.keySet()));
  }

  /**
   * The state store names.
   *
   * @return the names, sorted
   */
  public Set<String> stateStoreNames() {
    return Collections.unmodifiableSet(new TreeSet<>(stateStores.keySet()));
  }

  Map<String, CloudDriverProvider> cloudDrivers() {
    return cloudDrivers;
  }

  Map<String, JobSourceProvider> jobSources() {
    return jobSources;
  }

  Map<String, StateStoreProvider> stateStores() {
    return stateStores;
  }

  private static <T> T find(Map<String, T> providers, Kind kind, String name) {
    T provider = providers.get(name);
    if (provider != null) {
      return provider;
    }
    String available = providers.isEmpty() ? "none" : String.join(", ", new TreeSet<>(providers.keySet()));
    String artifact = ARTIFACTS.get(name);
    String fix =
        artifact != null
            ? "add the artifact " + artifact + " to the classpath"
            : "add the jar that provides it to the classpath (listed in META-INF/services/"
                + kind.type.getName() + ") or register it in code, or correct the name";
    throw new PluginException(
        PluginException.Reason.NOT_FOUND,
        String.format("no %s named '%s'; available: %s; %s", kind.label, name, available, fix));
  }

  /** The plugin kinds, for messages and logs. */
  private enum Kind {
    CLOUD_DRIVER("cloud driver", CloudDriverProvider.class),
    JOB_SOURCE("job source", JobSourceProvider.class),
    STATE_STORE("state store", StateStoreProvider.class);

    final String label;
    final Class<?> type;

    Kind(String label, Class<?> type) {
      this.label = label;
      this.type = type;
    }
  }

  /** Builds a catalog. Not thread-safe. */
  public static final class Builder {
    private @Nullable ClassLoader classLoader;
    private boolean serviceLoading = true;
    private final List<CloudDriverProvider> cloudDrivers = new ArrayList<>();
    private final List<JobSourceProvider> jobSources = new ArrayList<>();
    private final List<StateStoreProvider> stateStores = new ArrayList<>();

    private Builder() {}

    /**
     * The class loader to search for providers.
     *
     * @param loader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Whether to search the class loader at all (default true); off, only providers registered in
     * code are known.
     *
     * @param enabled whether to use {@link ServiceLoader}
     * @return this builder
     */
    public Builder serviceLoading(boolean enabled) {
      this.serviceLoading = enabled;
      return this;
    }

    /**
     * Registers a cloud driver provider in code.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addCloudDriverProvider(CloudDriverProvider provider) {
      cloudDrivers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Registers a job source provider in code.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addJobSourceProvider(JobSourceProvider provider) {
      jobSources.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Registers a state store provider in code.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addStateStoreProvider(StateStoreProvider provider) {
      stateStores.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Loads and checks the providers.
     *
     * @return the catalog
     * <p>A provider registered in code replaces a provider of the same name found by
     * ServiceLoader; two providers of one name registered the same way are a DUPLICATE.
     *
     * @throws PluginException FAILED when a provider does not load or has an invalid name,
     *     DUPLICATE when two provider classes registered the same way share a name
     */
    public PluginCatalog build() {
      ClassLoader loader = classLoader;
      if (loader == null) {
        loader = Thread.currentThread().getContextClassLoader();
      }
      if (loader == null) {
        loader = PluginCatalog.class.getClassLoader();
      }
      return new PluginCatalog(
          collect(Kind.CLOUD_DRIVER, CloudDriverProvider.class, cloudDrivers, CloudDriverProvider::name, loader),
          collect(Kind.JOB_SOURCE, JobSourceProvider.class, jobSources, JobSourceProvider::name, loader),
          collect(Kind.STATE_STORE, StateStoreProvider.class, stateStores, StateStoreProvider::name, loader));
    }

    private <T> Map<String, T> collect(
        Kind kind, Class<T> type, List<T> registered, Function<T, String> nameOf, ClassLoader loader) {
      Map<String, T> byName = new LinkedHashMap<>();
      for (T provider : registered) {
        add(byName, kind, provider, nameOf, "registered in code, " + location(provider.getClass()));
      }
      Set<String> namedInCode = new HashSet<>(byName.keySet());
      if (serviceLoading) {
        Iterator<ServiceLoader.Provider<T>> it = ServiceLoader.load(type, loader).stream().iterator();
        while (true) {
          ServiceLoader.Provider<T> found;
          try {
            if (!it.hasNext()) {
              break;
            }
            found = it.next();
          } catch (ServiceConfigurationError e) {
            throw failed(type, loader, e);
          }
          Class<? extends T> cls = found.type();
          T provider;
          try {
            provider = found.get();
          } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new PluginException(
                PluginException.Reason.FAILED,
                String.format(
                    "%s provider %s from %s failed to load: %s", kind.label, cls.getName(), location(cls), e),
                e);
          }
          T existing = findByClass(byName, cls);
          if (existing != null) {
            log.debug("{} provider {} is registered in code and also found by ServiceLoader; using the one from code", kind.label, cls.getName());
            continue;
          }
          String foundName = nameOrNull(provider, nameOf);
          if (foundName != null && namedInCode.contains(foundName)) {
            // Registering in code is explicit intent (a test harness's own simulated world, say):
            // it replaces the provider of that name found on the classpath.
            log.info(
                "csv2 plugin: {} '{}' registered in code replaces {} found in {}",
                kind.label, foundName, cls.getName(), location(cls));
            continue;
          }
          add(byName, kind, provider, nameOf, "found in " + location(cls));
        }
      }
      return byName;
    }

    private static <T> @Nullable String nameOrNull(T provider, Function<T, String> nameOf) {
      try {
        return nameOf.apply(provider);
      } catch (RuntimeException e) {
        return null;
      }
    }

    private static <T> @Nullable T findByClass(Map<String, T> byName, Class<?> cls) {
      for (T p : byName.values()) {
        if (p.getClass() == cls) {
          return p;
        }
      }
      return null;
    }

    private static <T> void add(Map<String, T> byName, Kind kind, T provider, Function<T, String> nameOf, String origin) {
      Class<?> cls = provider.getClass();
      String name;
      try {
        name = nameOf.apply(provider);
      } catch (RuntimeException e) {
        throw new PluginException(
            PluginException.Reason.FAILED,
            String.format("%s provider %s (%s): name() failed: %s", kind.label, cls.getName(), origin, e),
            e);
      }
      if (name == null || !NAME.matcher(name).matches()) {
        throw new PluginException(
            PluginException.Reason.FAILED,
            String.format(
                "%s provider %s (%s) has the invalid name '%s'; a name matches [a-z][a-z0-9-]*",
                kind.label, cls.getName(), origin, name));
      }
      String version = version(cls);
      String api = version(kind.type);
      if (!compatible(api, version)) {
        throw new PluginException(
            PluginException.Reason.INCOMPATIBLE,
            String.format(
                "%s provider '%s' (%s, %s) is version %s, built for another major version than this csv2-api %s;"
                    + " use the plugin release that matches csv2 %s",
                kind.label, name, cls.getName(), origin, version, api, api));
      }
      T other = byName.get(name);
      if (other != null) {
        if (other.getClass() == cls) {
          return;
        }
        throw new PluginException(
            PluginException.Reason.DUPLICATE,
            String.format(
                "two %s providers are named '%s': %s (%s) and %s (%s); remove one of them from the classpath",
                kind.label, name, other.getClass().getName(), location(other.getClass()), cls.getName(), origin));
      }
      byName.put(name, provider);
      log.info(
          "csv2 plugin: {} '{}' class {} version {} ({})",
          kind.label,
          name,
          cls.getName(),
          version,
          origin);
    }

    private static PluginException failed(Class<?> type, ClassLoader loader, ServiceConfigurationError e) {
      List<String> files = new ArrayList<>();
      try {
        for (URL url : Collections.list(loader.getResources("META-INF/services/" + type.getName()))) {
          files.add(url.toString());
        }
      } catch (IOException io) {
        files.add("(cannot list: " + io + ")");
      }
      return new PluginException(
          PluginException.Reason.FAILED,
          String.format(
              "cannot load a %s: %s; service files: %s; fix or remove the jar that lists it",
              type.getName(), e.getMessage(), files.isEmpty() ? "none" : String.join(", ", files)),
          e);
    }

    private static String version(Class<?> cls) {
      Package p = cls.getPackage();
      String v = p == null ? null : p.getImplementationVersion();
      return v == null ? "unknown" : v;
    }
  }

  /**
   * Whether a plugin built as {@code plugin} can run with the api {@code api}: the same major
   * version (lockstep releases). An unknown version (no manifest, as in tests and IDEs) is
   * accepted.
   */
  static boolean compatible(String api, String plugin) {
    if ("unknown".equals(api) || "unknown".equals(plugin)) {
      return true;
    }
    return major(api).equals(major(plugin));
  }

  private static String major(String version) {
    int dot = version.indexOf('.');
    return dot < 0 ? version : version.substring(0, dot);
  }

  static String location(Class<?> cls) {
    try {
      CodeSource source = cls.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      return url == null ? "unknown location" : url.toString();
    } catch (SecurityException e) {
      return "unknown location";
    }
  }
}
