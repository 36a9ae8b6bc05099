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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.csv2.api.PluginException;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.PluginProvider;
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
 * Each provider is logged once at INFO with its kind, name, class, the csv2-api version it was
 * compiled against, its jar's own {@code Implementation-Version} (the plugin's release, which is
 * not compared with anything) and its jar.
 *
 * <p>Compatibility is checked when a provider is looked up for use ({@link #cloudDriver}, {@link
 * #jobSource}, {@link #stateStore}), so a plugin on the class path that the configuration does not
 * name never stops the engine: a provider whose {@link PluginProvider#apiVersion()} (the {@link
 * Csv2Api#VERSION} compiled into it) is not {@link Csv2Api#compatible compatible} with the csv2-api
 * at run time is {@code INCOMPATIBLE}; one that declares no version is accepted with a warning.
 *
 * <p><b>Thread safety:</b> immutable once built (apart from the set of warnings already logged).
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
  private final Map<String, PlannerProvider> planners;
  private final Set<String> warnedUndeclared = ConcurrentHashMap.newKeySet();

  private PluginCatalog(
      Map<String, CloudDriverProvider> cloudDrivers,
      Map<String, JobSourceProvider> jobSources,
      Map<String, StateStoreProvider> stateStores,
      Map<String, PlannerProvider> planners) {
    this.cloudDrivers = Collections.unmodifiableMap(cloudDrivers);
    this.jobSources = Collections.unmodifiableMap(jobSources);
    this.stateStores = Collections.unmodifiableMap(stateStores);
    this.planners = Collections.unmodifiableMap(planners);
  }

  /**
   * A catalog of given providers by name (the engine's Guice map bindings), checked as a built one:
   * names valid and equal to their keys.
   *
   * @throws PluginException FAILED naming a provider whose name is invalid or not its key
   */
  static PluginCatalog of(
      Map<String, CloudDriverProvider> clouds,
      Map<String, JobSourceProvider> sources,
      Map<String, StateStoreProvider> stores,
      Map<String, PlannerProvider> planners) {
    checkKeys(Kind.CLOUD_DRIVER, clouds);
    checkKeys(Kind.JOB_SOURCE, sources);
    checkKeys(Kind.STATE_STORE, stores);
    checkKeys(Kind.PLANNER, planners);
    return new PluginCatalog(
        new LinkedHashMap<>(clouds), new LinkedHashMap<>(sources), new LinkedHashMap<>(stores), new LinkedHashMap<>(planners));
  }

  private static void checkKeys(Kind kind, Map<String, ? extends PluginProvider> providers) {
    providers.forEach((key, provider) -> {
      String name;
      try {
        name = provider.name();
      } catch (RuntimeException e) {
        throw new PluginException(
            PluginException.Reason.FAILED,
            String.format("%s provider %s: name() failed: %s", kind.label, provider.getClass().getName(), e),
            e);
      }
      if (!key.equals(name) || !NAME.matcher(key).matches()) {
        throw new PluginException(
            PluginException.Reason.FAILED,
            String.format(
                "%s provider %s is bound under '%s' but is named '%s'; bind it under its name, which matches [a-z][a-z0-9-]*",
                kind.label, provider.getClass().getName(), key, name));
      }
    });
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
   * The planner provider of a name.
   *
   * @param name the name, from {@code engine.policy}
   * @return the provider
   * @throws PluginException NOT_FOUND naming the available policies
   */
  public PlannerProvider planner(String name) {
    return find(planners, Kind.PLANNER, name);
  }

  /**
   * The planning policy names.
   *
   * @return the names, sorted
   */
  public Set<String> plannerNames() {
    return Collections.unmodifiableSet(new TreeSet<>(planners.keySet()));
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

  Map<String, PlannerProvider> planners() {
    return planners;
  }

  private <T extends PluginProvider> T find(Map<String, T> providers, Kind kind, String name) {
    T provider = providers.get(name);
    if (provider != null) {
      checkApi(kind, name, provider);
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

  /**
   * Refuses a provider compiled against a csv2-api this one cannot run.
   *
   * @throws PluginException INCOMPATIBLE naming both versions and the fix
   */
  private void checkApi(Kind kind, String name, PluginProvider provider) {
    String runtime = Csv2Api.runtimeVersion();
    String compiled = apiVersionOf(kind, provider);
    Class<?> cls = provider.getClass();
    if (compiled == null) {
      if (warnedUndeclared.add(kind.label + " " + name)) {
        log.warn(
            "csv2 plugin: {} '{}' ({}, {}) does not say which csv2-api it was compiled against;"
                + " accepted, but its author should implement apiVersion() as 'return Csv2Api.VERSION;'",
            kind.label, name, cls.getName(), location(cls));
      }
      return;
    }
    boolean ok;
    try {
      ok = Csv2Api.compatible(compiled, runtime);
    } catch (IllegalArgumentException e) {
      throw new PluginException(
          PluginException.Reason.INCOMPATIBLE,
          String.format(
              "%s provider '%s' (%s, %s) reports an invalid csv2-api version: %s",
              kind.label, name, cls.getName(), location(cls), e.getMessage()),
          e);
    }
    if (!ok) {
      throw new PluginException(
          PluginException.Reason.INCOMPATIBLE,
          String.format(
              "%s provider '%s' (%s, %s) was compiled against csv2-api %s, which this engine's csv2-api %s"
                  + " cannot run (it runs plugins compiled against %s.0 to %s); use a release of the plugin"
                  + " built for csv2-api %s",
              kind.label, name, cls.getName(), location(cls), bounded(compiled), runtime,
              runtime.substring(0, runtime.indexOf('.')), runtime, runtime));
    }
  }

  private static @Nullable String apiVersionOf(Kind kind, PluginProvider provider) {
    try {
      return provider.apiVersion();
    } catch (RuntimeException | LinkageError e) {
      throw new PluginException(
          PluginException.Reason.FAILED,
          String.format("%s provider %s: apiVersion() failed: %s", kind.label, provider.getClass().getName(), e),
          e);
    }
  }

  private static String bounded(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The plugin kinds, for messages and logs. */
  private enum Kind {
    CLOUD_DRIVER("cloud driver", CloudDriverProvider.class),
    JOB_SOURCE("job source", JobSourceProvider.class),
    STATE_STORE("state store", StateStoreProvider.class),
    PLANNER("planner", PlannerProvider.class);

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
    private final List<PlannerProvider> planners = new ArrayList<>();

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
     * Registers a planner provider in code.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addPlannerProvider(PlannerProvider provider) {
      planners.add(Objects.requireNonNull(provider, "provider"));
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
          collect(Kind.STATE_STORE, StateStoreProvider.class, stateStores, StateStoreProvider::name, loader),
          collect(Kind.PLANNER, PlannerProvider.class, withBuiltInPlanners(), PlannerProvider::name, loader));
    }

    /**
     * The planners registered in code plus the engine's own policies, which are always known (also
     * without service loading); they are listed in core's services file as well, as any planner is.
     */
    private List<PlannerProvider> withBuiltInPlanners() {
      List<PlannerProvider> all = new ArrayList<>(planners);
      for (PlannerProvider builtIn : List.of(new DefaultPlannerProvider(), new ClassicPlannerProvider())) {
        if (all.stream().noneMatch(p -> p.getClass() == builtIn.getClass())) {
          all.add(builtIn);
        }
      }
      return all;
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
      String api;
      try {
        api = provider instanceof PluginProvider p ? String.valueOf(p.apiVersion()) : "null";
      } catch (RuntimeException | LinkageError e) {
        api = "(apiVersion() failed: " + e + ")";
      }
      log.info(
          "csv2 plugin: {} '{}' class {} compiled against csv2-api {}, release {} ({})",
          kind.label,
          name,
          cls.getName(),
          "null".equals(api) ? "(not declared)" : api,
          version(cls),
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
