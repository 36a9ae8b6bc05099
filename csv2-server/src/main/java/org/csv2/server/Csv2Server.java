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
package org.csv2.server;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.csv2.api.Scheduler;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.GroupName;
import org.csv2.spi.StateStore;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The csv2 server: the status pages, the REST API {@code /api/v1}, Prometheus metrics at {@code
 * /metrics}, {@code /healthz} and {@code /readyz}, over the users and roles kept in the state store.
 *
 * <pre>{@code
 * try (Csv2Server server = Csv2Server.builder()
 *     .store(store)              // the shared state store (required)
 *     .scheduler(scheduler)      // the engine in this process, if any
 *     .config(config)            // groups, clouds and allocations to show
 *     .port(8080)
 *     .build()
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>With a scheduler the server runs next to the engine; without one it attaches to a store that
 * engines elsewhere write (the pages then read the engine's samples from the store).
 *
 * <p><b>Thread safety:</b> {@link #start()} and {@link #close()} may be called from any thread;
 * requests are served by Jetty's pool.
 *
 * <p><b>Lifecycle:</b> {@link #build} creates, {@link #start()} binds the port (once), {@link #close()}
 * stops serving; the store and the scheduler belong to the caller and are not closed.
 */
public final class Csv2Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Csv2Server.class);

  private final Settings settings;
  private final Javalin app;
  private final ServerMetrics metrics;
  private final World world;
  private final java.util.List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Made by Jetty when the server starts. */
  private final ServerConnector[] connector = new ServerConnector[1];
  private boolean started;
  private boolean closed;

  private Csv2Server(Settings settings, World world, MeterRegistry registry, @Nullable PrometheusMeterRegistry prometheus) {
    this.settings = settings;
    this.world = world;
    world.watch(); // before the metrics: a cycle's end makes the shared answers stale first
    this.metrics = new ServerMetrics(world, registry, prometheus);
    Auth auth = new Auth(world.store(), world.clock(), settings.bcryptCost, settings.tls != null);
    ServerConnector[] made = connector;
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.events.handlerAdded(
                  h -> {
                    if (h.getHttpMethod().isHttpMethod()) {
                      routes.add(h.getHttpMethod().name() + " " + h.getPath());
                    }
                  });
              config.http.maxRequestSize = Http.MAX_BODY;
              config.staticFiles.enableWebjars();
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/static";
                    files.directory = "/org/csv2/server/static";
                    files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                  });
              config.jetty.modifyServer(server -> server.setStopTimeout(2_000));
              config.jetty.addConnector(
                  (server, http) -> {
                    http.setSendServerVersion(false);
                    ServerConnector c;
                    if (settings.tls != null) {
                      SslContextFactory.Server ssl = new SslContextFactory.Server();
                      ssl.setKeyStorePath(settings.tls.keyStore.toAbsolutePath().toString());
                      ssl.setKeyStorePassword(settings.tls.password);
                      ssl.setKeyStoreType(settings.tls.type);
                      http.addCustomizer(new SecureRequestCustomizer());
                      c = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
                    } else {
                      c = new ServerConnector(server, new HttpConnectionFactory(http));
                    }
                    c.setHost(settings.bind);
                    c.setPort(settings.port);
                    made[0] = c;
                    return c;
                  });
            });
    Http.install(app, auth, world, metrics, settings.publicGroups, settings.publicMetrics);
    org.csv2.core.config.ImageSettings images =
        world.config() == null ? org.csv2.core.config.ImageSettings.DEFAULTS : world.config().images();
    new ImageUploads(images.cacheDirectory(), images.cacheMaxBytes(),
        settings.imageUploadMax > 0 ? settings.imageUploadMax : images.cacheMaxBytes()).install(app, auth, world);
  }

  /**
   * A builder; {@link Builder#store} is required.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this server
   * @throws IllegalStateException if the port is taken (the message names it), or the server was
   *     started or closed before
   */
  public synchronized Csv2Server start() {
    if (started || closed) {
      throw new IllegalStateException("the server was already started or closed");
    }
    started = true;
    try {
      app.start();
    } catch (Exception e) { // Javalin (Kotlin) also throws checked exceptions undeclared
      stopQuietly();
      if (e instanceof JavalinBindException || rootCause(e) instanceof BindException || portInUse()) {
        throw portTaken(e);
      }
      throw new IllegalStateException("the csv2 server cannot start: " + e.getMessage(), e);
    }
    int connectors = app.jettyServer().server().getConnectors().length;
    if (connectors != 1) {
      throw new IllegalStateException("expected one connector, Jetty has " + connectors);
    }
    log.info("csv2 server listening on {}", uri());
    return this;
  }

  /** Whether something else listens on the configured port (after a failed start). */
  private boolean portInUse() {
    if (settings.port == 0) {
      return false;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress(settings.bind, settings.port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private void stopQuietly() {
    try {
      app.stop();
    } catch (Exception e) { // Jetty's stop may rethrow a checked exception undeclared
      log.debug("stopping after a failed start: {}", e.toString());
    }
  }

  private IllegalStateException portTaken(Exception e) {
    return new IllegalStateException(
        "cannot listen on "
            + settings.bind
            + ":"
            + settings.port
            + ": the port is already in use (another csv2 server, or another program); stop it or"
            + " choose another port",
        e);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * The port the server listens on (the real one when 0 was asked for).
   *
   * @return the port
   */
  public synchronized int port() {
    if (connector[0] == null) {
      throw new IllegalStateException("the server is not started");
    }
    return connector[0].getLocalPort();
  }

  /**
   * The server's base address.
   *
   * @return for example {@code http://127.0.0.1:8080/}
   */
  public URI uri() {
    String host = settings.bind.contains(":") ? "[" + settings.bind + "]" : settings.bind;
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    return URI.create((settings.tls != null ? "https" : "http") + "://" + host + ":" + port() + "/");
  }

  /** Every route, as "METHOD /path" (for the test that the OpenAPI document lists them all). */
  java.util.List<String> routes() {
    return java.util.List.copyOf(routes);
  }

  /**
   * The registry the server's meters are in (the embedder's own, or the Prometheus one it made).
   *
   * @return the registry
   */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** Stops serving. Idempotent. The store and the scheduler stay open. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopQuietly();
    metrics.close();
    world.close();
  }

  /** Builds a {@link Csv2Server}. */
  public static final class Builder {
    private @Nullable StateStore store;
    private @Nullable Scheduler scheduler;
    private @Nullable Csv2Config config;
    private @Nullable MeterRegistry registry;
    private Clock clock = Clock.systemUTC();
    private @Nullable Clock engineClock;
    private final Settings settings = new Settings();
    private @Nullable String adminName;
    private @Nullable String adminPassword;

    private Builder() {}

    /**
     * The state store shared with the engines (required). It must keep users.
     *
     * @param stateStore the store
     * @return this builder
     */
    public Builder store(StateStore stateStore) {
      this.store = Objects.requireNonNull(stateStore, "store");
      return this;
    }

    /**
     * The engine running in this process, if any: the status page then shows its live figures.
     *
     * @param engine the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler engine) {
      this.scheduler = Objects.requireNonNull(engine, "scheduler");
      return this;
    }

    /**
     * The configuration whose groups, clouds and allocations the pages show.
     *
     * @param configuration the configuration
     * @return this builder
     */
    public Builder config(Csv2Config configuration) {
      this.config = Objects.requireNonNull(configuration, "config");
      return this;
    }

    /**
     * The address to listen on; {@code 127.0.0.1} by default.
     *
     * @param host the address
     * @return this builder
     */
    public Builder bind(String host) {
      settings.bind = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port; 8080 by default, 0 for any free port (see {@link Csv2Server#port()}).
     *
     * @param number the port
     * @return this builder
     */
    public Builder port(int number) {
      if (number < 0 || number > 65_535) {
        throw new IllegalArgumentException("port must be 0-65535, was " + number);
      }
      settings.port = number;
      return this;
    }

    /**
     * The largest image an admin may upload ({@code POST /api/v1/images/uploads}); by default the
     * image cache's size limit ({@code images.cache-max-gib}).
     *
     * @param bytes the limit, at least 1
     * @return this builder
     */
    public Builder imageUploadLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the image upload limit must be at least 1 byte, was " + bytes);
      }
      settings.imageUploadMax = bytes;
      return this;
    }

    /**
     * Serves HTTPS with the certificate and key of a key store (PKCS12 or JKS).
     *
     * @param keyStore the key store file
     * @param password its password
     * @return this builder
     */
    public Builder tls(Path keyStore, String password) {
      if (!Files.isReadable(keyStore)) {
        throw new IllegalArgumentException("TLS key store " + keyStore + " cannot be read");
      }
      String type = keyStore.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
      settings.tls = new Tls(keyStore, Objects.requireNonNull(password, "password"), type);
      return this;
    }

    /**
     * Records the meters in this registry instead of a Prometheus registry of the server's own; {@code
     * /metrics} then answers 404 unless the registry is a {@link PrometheusMeterRegistry}.
     *
     * @param meters the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry meters) {
      this.registry = Objects.requireNonNull(meters, "meterRegistry");
      return this;
    }

    /**
     * Shows the engine's own figures on {@code /metrics}: the registry of this sink (passed to the
     * engine with {@code Csv2Scheduler.builder().metrics(sink)}) becomes the server's.
     *
     * @param sink the engine's sink
     * @return this builder
     */
    public Builder engineMetrics(MicrometerMetricsSink sink) {
      return meterRegistry(sink.registry());
    }

    /**
     * Groups whose status anybody may read at {@code /public} without signing in.
     *
     * @param groups the groups
     * @return this builder
     */
    public Builder publicGroups(Set<GroupName> groups) {
      settings.publicGroups = Set.copyOf(new LinkedHashSet<>(groups));
      return this;
    }

    /**
     * Whether {@code /metrics} may be read without signing in (for a Prometheus scraper on a
     * trusted network); by default it needs an admin's session or token.
     *
     * @param open true to open it
     * @return this builder
     */
    public Builder publicMetrics(boolean open) {
      settings.publicMetrics = open;
      return this;
    }

    /**
     * Creates this admin at start if the store has no user at all (the first sign-in).
     *
     * @param name the admin's name
     * @param password the admin's password (at least 10 characters)
     * @return this builder
     */
    public Builder initialAdmin(String name, String password) {
      this.adminName = Objects.requireNonNull(name, "name");
      this.adminPassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * The bcrypt cost of new password hashes; 12 by default. Tests may lower it (4 is the least).
     *
     * @param cost the cost
     * @return this builder
     */
    public Builder bcryptCost(int cost) {
      settings.bcryptCost = cost;
      return this;
    }

    /**
     * The clock of sessions, tokens and rate limits; the system clock by default.
     *
     * @param time the clock
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "clock");
      return this;
    }

    /**
     * The clock the engine stamps its samples with, when it is not the system clock (a simulation's
     * virtual clock): the status and plots then read "now" from it.
     *
     * @param time the engine's clock
     * @return this builder
     */
    public Builder engineClock(Clock time) {
      this.engineClock = Objects.requireNonNull(time, "engineClock");
      return this;
    }

    /**
     * Builds the server (not started).
     *
     * @return the server
     * @throws IllegalStateException if no store was given
     * @throws UnsupportedOperationException if the store keeps no users
     */
    public Csv2Server build() {
      StateStore s = store;
      if (s == null) {
        throw new IllegalStateException("Csv2Server needs a state store: call store(...)");
      }
      s.users(); // fails early, with the store's name, if the store keeps no users
      World world = new World(s, scheduler, config, engineClock == null ? clock : engineClock);
      PrometheusMeterRegistry prometheus = null;
      MeterRegistry r = registry;
      if (r == null) {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r = prometheus;
      } else if (r instanceof PrometheusMeterRegistry p) {
        prometheus = p;
      }
      if (adminName != null && adminPassword != null) {
        Auth.ensureInitialAdmin(s, adminName, adminPassword, settings.bcryptCost);
      }
      return new Csv2Server(settings, world, r, prometheus);
    }
  }

  /** Reads a password from a file (first line, trimmed), for the command line. */
  static String readSecret(Path file) {
    try {
      return Files.readAllLines(file).stream().findFirst().orElse("").trim();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static final class Settings {
    String bind = "127.0.0.1";
    int port = 8080;
    @Nullable Tls tls;
    Set<GroupName> publicGroups = Set.of();
    boolean publicMetrics;
    int bcryptCost = 12;
    long imageUploadMax = -1;
  }

  private record Tls(Path keyStore, String password, String type) {}
}
