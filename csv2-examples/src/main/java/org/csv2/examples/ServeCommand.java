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
package org.csv2.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.BoundPluginConfig;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.GroupName;
import org.csv2.server.Csv2Server;
import org.csv2.server.MicrometerMetricsSink;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The csv2 server (status pages, REST API, metrics) with the engine in the same process, or attached
 * to a store that engines elsewhere write; or, with {@code --quickstart}, on the quickstart's
 * simulated world running in accelerated time.
 */
@Command(
    name = "serve",
    description = {
      "Run the csv2 server: status pages, the REST API /api/v1 and /metrics.",
      "With --config the engine runs in this process (or, with --attach, only reads the shared store);",
      "with --quickstart it serves the quickstart's simulated world in accelerated time."
    })
final class ServeCommand implements Callable<Integer> {
  private static final Instant SIM_START = Instant.parse("2026-01-05T08:00:00Z");

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--config", description = "The engine's YAML configuration file.")
    Path config;

    @Option(names = "--quickstart", description = "Serve the quickstart's simulated world (H2 in memory).")
    boolean quickstart;
  }

  @Option(names = "--attach", description = "Do not run an engine: only read and write the shared state store.")
  boolean attach;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(names = "--keystore", description = "Serve HTTPS with this PKCS12 (or .jks) key store.")
  Path keyStore;

  @Option(names = "--keystore-password-file", description = "File whose first line is the key store's password.")
  Path keyStorePasswordFile;

  @Option(names = "--admin", defaultValue = "admin", description = "Name of the admin created when the store has no user (default ${DEFAULT-VALUE}).")
  String admin;

  @Option(names = "--admin-password-file", description = "File whose first line is that admin's password (else CSV2_ADMIN_PASSWORD).")
  Path adminPasswordFile;

  @Option(names = "--public-group", description = "A group anybody may see on /public (repeatable).")
  List<String> publicGroups = List.of();

  @Option(names = "--public-metrics", description = "Let anybody read /metrics (default: admins and their tokens only).")
  boolean publicMetrics;

  @Option(names = "--image-upload-max-gib", paramLabel = "GIB",
      description = "The largest image an admin may upload (POST /api/v1/images/uploads; default: the image cache's size, images.cache-max-gib).")
  Long imageUploadMaxGib;

  @Option(names = "--speed", defaultValue = "30", description = "With --quickstart: simulated seconds per real second (default ${DEFAULT-VALUE}).")
  int speed;

  @Option(names = "--smtp-relay", description = "Mail reservation notifications through this SMTP relay (host:port; default: log them).")
  String smtpRelay;

  @Option(names = "--smtp-from", defaultValue = "csv2@localhost", description = "Sender of the notification mails (default ${DEFAULT-VALUE}).")
  String smtpFrom;

  @Option(names = "--mail-domain", defaultValue = "localhost", description = "Mail domain of the users: alice gets alice@DOMAIN (default ${DEFAULT-VALUE}).")
  String mailDomain;

  /** The engine's modules: the SMTP notification sink when a relay is given. */
  private com.google.inject.Module[] notificationModules() {
    if (smtpRelay == null) {
      return new com.google.inject.Module[0];
    }
    int colon = smtpRelay.lastIndexOf(':');
    String host = colon < 0 ? smtpRelay : smtpRelay.substring(0, colon);
    int smtpPort;
    try {
      smtpPort = colon < 0 ? 25 : Integer.parseInt(smtpRelay.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--smtp-relay: not host:port: " + smtpRelay);
    }
    SmtpNotifications sink = new SmtpNotifications(host, smtpPort, smtpFrom, mailDomain, 10_000);
    return new com.google.inject.Module[] {
      new com.google.inject.AbstractModule() {
        @Override
        protected void configure() {
          com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), org.csv2.spi.NotificationSink.class)
              .setBinding().toInstance(sink);
        }
      }
    };
  }

  @Option(
      names = "--cycles",
      paramLabel = "N",
      description = "With --quickstart: run N cycles at once, then keep the world still (a fixed world for demonstrations and tests; default: keep running at --speed).")
  Integer cycles;

  @Override
  public Integer call() throws InterruptedException {
    if (imageUploadMaxGib != null && (imageUploadMaxGib < 1 || imageUploadMaxGib > (1L << 20))) {
      System.err.println("csv2 serve: --image-upload-max-gib: 1 to 1048576");
      return ExitCodes.USAGE;
    }
    String adminPassword = adminPassword();
    if (adminPassword == null && source.quickstart) {
      // a newcomer's first look: an admin to sign in as, without reading the docs first
      byte[] b = new byte[12];
      new java.security.SecureRandom().nextBytes(b);
      adminPassword = java.util.HexFormat.of().formatHex(b);
      System.out.println("sign in as '" + admin + "' with the password " + adminPassword + " (made up now; CSV2_ADMIN_PASSWORD chooses one)");
    }
    Clock engineClock = Clock.systemUTC();
    String worldName = null;
    Csv2Config cfg;
    String quickstartYaml = null;
    if (source.quickstart) {
      worldName = "serve-quickstart";
      VirtualClock clock = new VirtualClock(SIM_START);
      SimulatedWorld.shared(worldName, clock);
      engineClock = clock;
      quickstartYaml = quickstartYaml(worldName);
      cfg = ConfigLoader.parse(quickstartYaml, k -> null, "quickstart.yaml");
    } else {
      cfg = ConfigLoader.parse(read(source.config), System::getenv, source.config.toString());
    }
    Clock clock = engineClock;
    StateStore store = openStore(cfg, clock);
    // the engine's figures (cycle duration, cloud calls by verb) go to the server's /metrics
    MicrometerMetricsSink engineMetrics = MicrometerMetricsSink.prometheus();
    // the quickstart's engine is built from the YAML text so that it stores it: the operators'
    // configuration verbs (csv2 cloud update, group defaults, ...) change that stored version
    Scheduler scheduler = attach ? null
        : quickstartYaml != null
            ? Csv2Scheduler.builder().configYaml(quickstartYaml).clock(clock).metrics(engineMetrics)
                .modules(notificationModules()).build()
            : Csv2Scheduler.builder().config(cfg).clock(clock).metrics(engineMetrics)
                .modules(notificationModules()).build();
    ScheduledExecutorService ticker = null;
    Csv2Server.Builder b =
        Csv2Server.builder()
            .store(store)
            .config(cfg)
            .bind(bind)
            .port(port)
            .engineClock(clock)
            .engineMetrics(engineMetrics)
            .publicMetrics(publicMetrics)
            .publicGroups(publicGroups.stream().map(GroupName::of).collect(Collectors.toSet()));
    if (scheduler != null) {
      b.scheduler(scheduler);
    }
    if (imageUploadMaxGib != null) {
      b.imageUploadLimit(imageUploadMaxGib << 30);
    }
    if (adminPassword != null) {
      b.initialAdmin(admin, adminPassword);
    }
    if (keyStore != null) {
      if (keyStorePasswordFile == null) {
        System.err.println("csv2 serve: --keystore needs --keystore-password-file");
        return ExitCodes.USAGE;
      }
      b.tls(keyStore, firstLine(keyStorePasswordFile));
    }
    Csv2Server server;
    try {
      server = b.build().start();
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println("csv2 serve: " + e.getMessage());
      if (scheduler != null) {
        scheduler.close();
      }
      store.close();
      return ExitCodes.FAILED;
    }
    if (store.users().isEmpty()) {
      System.err.println("the store has no user: set CSV2_ADMIN_PASSWORD (or --admin-password-file) to create one");
    }
    if (scheduler != null) {
      if (source.quickstart && cycles != null) {
        VirtualClock vc = (VirtualClock) clock;
        Duration cycle = cfg.engine().timers().cycle();
        for (int i = 0; i < cycles; i++) {
          scheduler.runOnce();
          vc.advance(cycle);
        }
      } else if (source.quickstart) {
        VirtualClock vc = (VirtualClock) clock;
        Duration cycle = cfg.engine().timers().cycle();
        long periodMs = Math.max(50, cycle.toMillis() / Math.max(1, speed));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "csv2-quickstart-clock");
          t.setDaemon(true);
          return t;
        });
        Scheduler s = scheduler;
        ticker.scheduleWithFixedDelay(
            () -> {
              try {
                s.runOnce();
                vc.advance(cycle);
              } catch (RuntimeException e) {
                System.err.println("cycle failed: " + e);
              }
            },
            0,
            periodMs,
            TimeUnit.MILLISECONDS);
      } else {
        scheduler.start();
      }
    }
    System.out.println("csv2 server on " + server.uri() + (source.quickstart ? cycles != null ? " (quickstart world, still after " + cycles + " cycles)" : " (quickstart world, " + speed + "x)" : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    ScheduledExecutorService t = ticker;
    String w = worldName;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (t != null) {
                    t.shutdownNow();
                  }
                  server.close();
                  if (scheduler != null) {
                    scheduler.close();
                  }
                  store.close();
                  if (w != null) {
                    SimulatedWorld.dropShared(w);
                  }
                  stopped.countDown();
                },
                "csv2-serve-shutdown"));
    stopped.await();
    return ExitCodes.OK;
  }

  private String adminPassword() {
    if (adminPasswordFile != null) {
      return firstLine(adminPasswordFile);
    }
    String env = System.getenv("CSV2_ADMIN_PASSWORD");
    return env == null || env.isBlank() ? null : env;
  }

  /** A handle on the configured state store, the server's own (the engine opens another). */
  static StateStore openStore(Csv2Config cfg, Clock clock) {
    PluginCatalog catalog = PluginCatalog.builder().build();
    PluginContext context =
        new PluginContext() {
          @Override
          public Clock clock() {
            return clock;
          }

          @Override
          public String instanceId() {
            return cfg.engine().instanceId() + "-server";
          }

          @Override
          public String name() {
            return "state-store";
          }
        };
    return catalog.stateStore(cfg.stateStore().driver()).create(BoundPluginConfig.of(cfg.stateStore()), context);
  }

  /** The quickstart's configuration, its ${CSV2_QS_*} references filled in. */
  private static String quickstartYaml(String worldName) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CSV2_QS_WORLD", worldName);
    env.put("CSV2_QS_POLICY:-default", "default");
    // the engine and the server share the in-memory database by its name
    env.put("CSV2_QS_STORE_URL", "jdbc:h2:mem:csv2-serve-quickstart;DB_CLOSE_DELAY=-1");
    String yaml;
    try (InputStream in = Objects.requireNonNull(ServeCommand.class.getResourceAsStream("quickstart.yaml"), "quickstart.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // a longer workload than the quickstart's, so that the world stays busy while somebody looks
    yaml = yaml.replace("synthetic: { jobs: 400,", "synthetic: { jobs: 4000,");
    for (Map.Entry<String, String> e : env.entrySet()) {
      yaml = yaml.replace("${" + e.getKey() + "}", e.getValue());
    }
    return yaml.replace("${CSV2_QS_*}", "CSV2_QS_* references");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).stream().findFirst().orElse("").trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
