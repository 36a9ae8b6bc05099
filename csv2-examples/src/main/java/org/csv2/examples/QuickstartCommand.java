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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.BoundPluginConfig;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.core.sim.SimulatedCloudConfig;
import org.csv2.core.sim.SimulatedJobSourceConfig;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.SimulationStatistics;
import org.csv2.core.sim.TraceJob;
import org.csv2.core.sim.TraceReplay;
import org.csv2.core.sim.VirtualClock;
import org.csv2.examples.bench.ReplayWorkload;
import org.csv2.model.Flavor;
import org.csv2.model.Resources;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The quickstart: the real engine against simulated clouds and a simulated pool, in virtual time,
 * on the embedded H2 store by default. It prints progress and ends with a summary table.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = {
      "Run the engine against three simulated clouds and a simulated batch pool in virtual time,",
      "on a built-in synthetic workload or a Standard Workload Format trace, and print a summary."
    })
final class QuickstartCommand implements Callable<Integer> {
  private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

  @Option(names = "--trace", description = "Replay this SWF trace (plain or .gz) instead of the synthetic workload.")
  Path trace;

  @Option(names = "--max-jobs", defaultValue = "2000", description = "Jobs to take from the trace (default ${DEFAULT-VALUE}).")
  int maxJobs;

  @Option(names = "--jobs", defaultValue = "400", description = "Jobs of the synthetic workload (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the workload and the clouds (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--policy", defaultValue = "default", description = "Planning policy: default or csv2-classic.")
  String policy;

  @Option(
      names = "--store",
      defaultValue = "jdbc:h2:file:./csv2-data/quickstart",
      description = "JDBC URL of the state store, or 'memory' (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--config", description = "Use this YAML file instead of the built-in quickstart configuration.")
  Path config;

  @Option(names = "--max-hours", defaultValue = "72", description = "Stop after this much simulated time (default ${DEFAULT-VALUE}).")
  int maxHours;

  @Option(names = "--progress", defaultValue = "20m", description = "Simulated time between progress lines (default ${DEFAULT-VALUE}).")
  String progress;

  @Option(
      names = "--log",
      defaultValue = "csv2-data/quickstart.log",
      description = "Where the engine's log lines go, so that they do not interleave with the progress (default ${DEFAULT-VALUE}).")
  Path log;

  @Option(
      names = "--report",
      defaultValue = "csv2-data/quickstart-report",
      description = "Where the report goes: index.html (the summary and plots of idle jobs, VMs by state and cores by cloud, self-contained) and the plots as PNG files (default ${DEFAULT-VALUE}).")
  Path report;

  @Option(
      names = "--serve",
      description = "Instead of a run to the end: keep the simulated world running (virtual time, paced) behind csv2 serve, to look at it in a browser and try the command line (csv2 serve --quickstart).")
  boolean serve;

  @Override
  public Integer call() throws InterruptedException {
    if (serve) {
      ServeCommand s = new ServeCommand();
      s.source = new ServeCommand.Source();
      s.source.quickstart = true;
      return s.call();
    }
    logToFile();
    String worldName = "quickstart-" + seed;
    VirtualClock clock = new VirtualClock(START);
    Csv2Config cfg = loadConfig(worldName);
    TraceCheck check = trace == null ? null : checkTrace(cfg);
    if (check != null && !check.proceed()) {
      return ExitCodes.FAILED;
    }
    SimulatedWorld world = SimulatedWorld.shared(worldName, clock);
    Duration cycle = cfg.engine().timers().cycle();
    Duration progressEvery = Duration.parse("PT" + progress.toUpperCase(java.util.Locale.ROOT));
    Instant deadline = START.plus(Duration.ofHours(maxHours));
    long wallStart = System.nanoTime();
    System.out.printf(
        "csv2 quickstart: policy %s, %s, store %s, a cycle every %s of simulated time%n",
        cfg.engine().policy(),
        trace == null ? jobs + " synthetic jobs" : "trace " + trace + " (up to " + maxJobs + " jobs)",
        store,
        org.csv2.examples.cli.Durations.human(cycle));
    System.out.printf(
        "%-9s %6s %7s %5s  %s%n", "sim time", "idle", "running", "done", "VMs by state");
    int earlierRecords = storedVms(cfg, clock);
    Map<VmState, Integer> vms = Map.of();
    long cycles = 0;
    long failures = 0;
    Instant nextProgress = START;
    QuickstartReport plots = new QuickstartReport();
    Progress progressLine = new Progress(System.console() != null && System.getenv("CSV2_NO_PROGRESS_BAR") == null);
    try (Scheduler scheduler = Csv2Scheduler.builder().config(cfg).clock(clock).build()) {
      while (clock.instant().isBefore(deadline)) {
        CycleReport report = scheduler.runOnce();
        cycles++;
        failures += report.failures().size();
        vms = report.vmsByState();
        SimulationStatistics s = world.statistics();
        plots.sample(Duration.between(START, clock.instant()).toSeconds() / 3600.0, s.jobsIdle(), shown(vms), coresByCloud(cfg, world));
        if (!clock.instant().isBefore(nextProgress)) {
          progressLine.show(progressText(clock.instant(), s, vms), Duration.between(START, clock.instant()).toSeconds()
              / (double) Duration.between(START, deadline).toSeconds());
          nextProgress = nextProgress.plus(progressEvery);
        }
        if (world.pool().finished() && s.vmsNow() == 0) {
          break;
        }
        clock.advance(cycle.multipliedBy(world.cyclesToAdvance(cycle)));
      }
    } finally {
      SimulatedWorld.dropShared(worldName);
    }
    SimulationStatistics s = world.statistics();
    progressLine.end(progressText(clock.instant(), s, vms));
    printSummary(s, cycles, failures, Duration.ofNanos(System.nanoTime() - wallStart), check);
    Path page = plots.write(report, "csv2 quickstart: " + cfg.engine().policy() + ", "
        + (trace == null ? jobs + " synthetic jobs" : "trace " + trace), summaryRows);
    System.out.println("report (summary and plots): " + page.toAbsolutePath() + " (PNG files beside it)");
    int records = storedVms(cfg, clock);
    System.out.printf(
        "state store (%s): %d VM records with their history now; %d were there before this run%n",
        cfg.stateStore().driver(), records, earlierRecords);
    if (check != null && check.neverRun() > 0) {
      System.out.printf(
          "WARNING: %d jobs of the trace fit no configured flavor and never ran: %s%n", check.neverRun(), check.reasons());
    }
    return world.pool().finished() ? 0 : 1;
  }

  /**
   * Sends slf4j-simple's lines to the log file (unless the property is already set), and says where.
   * It takes effect when no logger was made yet, as in a fresh {@code java -jar csv2.jar}.
   */
  private void logToFile() {
    String key = "org.slf4j.simpleLogger.logFile";
    if (System.getProperty(key) != null) {
      return;
    }
    try {
      Path parent = log.toAbsolutePath().getParent();
      if (parent != null) {
        java.nio.file.Files.createDirectories(parent);
      }
      System.setProperty(key, log.toString());
      System.out.println("log lines go to " + log);
    } catch (IOException e) {
      System.err.println("cannot write the log to " + log + " (" + e.getMessage() + "): log lines go to standard error");
    }
  }

  /**
   * What a trace holds against the configured flavors.
   *
   * @param proceed whether to replay it
   * @param neverRun jobs no flavor of any cloud holds
   * @param reasons why, per kind of job
   * @param counts the reader's counts (skipped records by reason, notes)
   */
  record TraceCheck(boolean proceed, long neverRun, Map<String, Long> reasons, TraceReplay.Counts counts) {}

  /**
   * Reads the trace once before replaying it: says what the reader skipped and noted, and which
   * jobs no configured flavor can hold. Refuses (returns proceed = false) when no job was accepted
   * or none fits; warns loudly when some do not fit.
   */
  private TraceCheck checkTrace(Csv2Config cfg) {
    List<Flavor> flavors = new ArrayList<>();
    for (CloudConfig c : cfg.clouds()) {
      if (c.driver().driver().equals("simulated")) {
        PluginConfig pc = BoundPluginConfig.of(c.driver());
        SimulatedCloudConfig sc = pc.isEmpty() ? SimulatedCloudConfig.DEFAULTS : pc.bind(SimulatedCloudConfig.class);
        flavors.addAll(sc.modelFlavors());
      }
    }
    // the job source's own default memory per core for a trace that records none
    long ramPerCore =
        Objects.requireNonNull(
            new SimulatedJobSourceConfig.Trace(trace.toString(), null, null, null, null, null, null).ramMibPerCore());
    int maxCores = flavors.stream().mapToInt(f -> f.resources().cores()).max().orElse(0); // for the messages
    long maxRam = flavors.stream().mapToLong(f -> f.resources().ramMiB()).max().orElse(0);
    Map<String, Long> reasons = new TreeMap<>();
    long accepted = 0;
    TraceReplay.Counts counts;
    try (TraceReplay r = TraceReplay.open(trace)) {
      while ((maxJobs <= 0 || accepted < maxJobs) && r.hasNext()) {
        TraceJob j = r.next();
        accepted++;
        long ram = j.memoryMiB(ramPerCore);
        String why = ReplayWorkload.neverRunReason(Resources.of(j.processors(), ram), flavors);
        if (!why.isEmpty()) {
          reasons.merge(why, 1L, Long::sum);
        }
      }
      counts = r.counts();
    }
    long never = reasons.values().stream().mapToLong(Long::longValue).sum();
    if (!counts.skippedByReason().isEmpty()) {
      System.out.println("trace " + trace + ": records skipped: " + counts.skippedByReason());
    }
    counts.notes().forEach(n -> System.out.println("trace " + trace + ": note: " + n));
    if (accepted == 0) {
      System.err.println("error: trace " + trace + " has no job to replay (" + counts.records() + " records; skipped: "
          + counts.skippedByReason() + ")");
      return new TraceCheck(false, 0, reasons, counts);
    }
    if (never == accepted) {
      System.err.printf(
          "error: none of the %d jobs of trace %s fits a configured flavor (largest: %d cores, %d MiB): %s%n",
          accepted, trace, maxCores, maxRam, reasons);
      return new TraceCheck(false, never, reasons, counts);
    }
    if (never > 0) {
      String warning = String.format(
          "WARNING: %d of the %d jobs (%.0f %%) of trace %s fit no configured flavor (largest: %d cores, %d MiB) and"
              + " will never run: %s. Configure larger flavors (--config) to run them.",
          never, accepted, 100.0 * never / accepted, trace, maxCores, maxRam, reasons);
      System.out.println(warning);
      System.err.println(warning);
    }
    return new TraceCheck(true, never, reasons, counts);
  }

  /** How many VM records the configured store holds, read through its own plugin. */
  private static int storedVms(Csv2Config cfg, Clock clock) {
    PluginCatalog catalog = PluginCatalog.builder().build();
    PluginContext context =
        new PluginContext() {
          @Override
          public Clock clock() {
            return clock;
          }

          @Override
          public String instanceId() {
            return cfg.engine().instanceId();
          }

          @Override
          public String name() {
            return "state-store";
          }
        };
    try (StateStore store =
        catalog
            .stateStore(cfg.stateStore().driver())
            .create(BoundPluginConfig.of(cfg.stateStore()), context)) {
      return store.vms().size();
    }
  }

  private Csv2Config loadConfig(String worldName) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CSV2_QS_WORLD", worldName);
    env.put("CSV2_QS_POLICY", policy);
    env.put("CSV2_QS_STORE_URL", store.equals("memory") ? "jdbc:h2:mem:unused" : store);
    Csv2Config cfg =
        config != null
            ? ConfigLoader.parse(read(config), name -> env.getOrDefault(name, System.getenv(name)), config.toString())
            : ConfigLoader.parse(builtIn(), env::get, "quickstart.yaml");
    PluginSelection source = cfg.jobSource();
    Map<String, Object> sourceConfig = new LinkedHashMap<>(source.config());
    if (trace != null) {
      sourceConfig.put(
          "workload",
          Map.of(
              "trace",
              Map.of(
                  "path", trace.toAbsolutePath().toString(),
                  "max-jobs", maxJobs,
                  "groups", cfg.groups().stream().map(g -> g.name().value()).toList())));
    } else if (config == null) {
      sourceConfig.put(
          "workload",
          Map.of(
              "synthetic",
              Map.of(
                  "jobs", jobs,
                  "seed", seed,
                  "groups", cfg.groups().stream().map(g -> g.name().value()).toList())));
    }
    PluginSelection stateStore =
        store.equals("memory") ? new PluginSelection("memory", Map.of(), "state-store") : cfg.stateStore();
    return new Csv2Config(
        cfg.engine(),
        cfg.groups(),
        cfg.clouds(),
        cfg.allocations(),
        cfg.aliases(),
        new PluginSelection(source.driver(), sourceConfig, source.path()),
        stateStore);
  }

  private static String builtIn() {
    try (InputStream in =
        Objects.requireNonNull(
            QuickstartCommand.class.getResourceAsStream("quickstart.yaml"), "quickstart.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Map<VmState, Integer> shownStates(Map<VmState, Integer> vms) {
    Map<VmState, Integer> shown = new EnumMap<>(VmState.class);
    vms.forEach((state, n) -> {
      if (n > 0 && state != VmState.TERMINATED) {
        shown.put(state, n);
      }
    });
    return shown;
  }

  private static Map<String, Integer> shown(Map<VmState, Integer> vms) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    shownStates(vms).forEach((k, v) -> out.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
    return out;
  }

  private static Map<String, Long> coresByCloud(Csv2Config cfg, SimulatedWorld world) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    cfg.clouds().forEach(c -> world.cloud(c.cloud().name()).ifPresent(sc -> out.put(c.cloud().name().value(), (long) Math.max(0, sc.capacity().used().cores()))));
    return out;
  }

  private static String progressText(Instant now, SimulationStatistics s, Map<VmState, Integer> vms) {
    Duration t = Duration.between(START, now);
    return String.format(
        "%3dh%02dm%02ds %6d %7d %5d  %s",
        t.toHours(), t.toMinutesPart(), t.toSecondsPart(), s.jobsIdle(), s.jobsRunning(), s.jobsCompleted(), shownStates(vms));
  }

  /**
   * The progress: on a terminal one line rewritten in place with a bar of simulated time (the
   * maintained me.tongfei:progressbar is not served to this build, so it is these few lines);
   * otherwise plain lines, a line equal to the previous one (but for the time) left out.
   */
  static final class Progress {
    private final boolean terminal;
    private String lastFigures = "";

    Progress(boolean terminal) {
      this.terminal = terminal;
    }

    void show(String text, double fraction) {
      if (terminal) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 20);
        System.out.print("\r[" + "#".repeat(filled) + ".".repeat(20 - filled) + "] " + text + "\u001b[K");
        System.out.flush();
        return;
      }
      String figures = text.substring(Math.min(text.length(), 11));
      if (!figures.equals(lastFigures)) {
        System.out.println(text);
        lastFigures = figures;
      }
    }

    void end(String text) {
      if (terminal) {
        System.out.print("\r" + "\u001b[K");
      }
      System.out.println(text);
    }
  }

  private final List<String[]> summaryRows = new java.util.ArrayList<>();

  private void printSummary(
      SimulationStatistics s, long cycles, long failures, Duration wall, @Nullable TraceCheck check) {
    System.out.println();
    System.out.println("| figure | value |");
    System.out.println("|---|---:|");
    if (check != null) {
      row("trace records / jobs skipped (by reason)",
          check.counts().records() + " / " + (check.counts().skippedByReason().isEmpty() ? "none" : check.counts().skippedByReason()));
      row("jobs that can never run (no flavor holds them)", check.neverRun() == 0 ? "0" : check.neverRun() + " " + check.reasons());
    }
    row("jobs submitted / started / done", s.jobsSubmitted() + " / " + s.jobsStarted() + " / " + s.jobsCompleted());
    row("jobs never started", String.valueOf(s.jobsSubmitted() - s.jobsStarted()));
    row("job wait p50 / p95 / max (over the " + s.jobsStarted() + " jobs that started)",
        human(s.waitP50()) + " / " + human(s.waitP95()) + " / " + human(s.waitMax()));
    row("VMs booted / retired (peak at once)", s.vmsBooted() + " / " + (s.vmsBooted() - s.vmsNow()) + " (" + s.peakVms() + ")");
    row("core-hours provisioned / used", String.format("%.1f / %.1f", s.coreHoursProvisioned(), s.coreHoursUsed()));
    row("cost (sum of flavor price-per-hour x hours, in the configuration's currency)", String.format("%.2f", s.cost()));
    row("boot failures injected", String.valueOf(s.bootFailuresInjected()));
    row("cycles (failed calls)", cycles + " (" + failures + ")");
    row("wall time", String.format("%.1f s", wall.toMillis() / 1000.0));
  }

  private void row(String name, String value) {
    System.out.printf("| %s | %s |%n", name, value);
    summaryRows.add(new String[] {name, value});
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : String.format("%.1f min", s / 60.0);
  }
}
