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
package org.csv2.plugin.htcondor.it;

import org.csv2.testkit.TestEnvironment;
import org.csv2.testkit.TestPluginConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.spi.PluginConfig;

/**
 * The test pool of {@code scripts/testenv up} for the HTCondor plugin's integration tests: submits
 * jobs as the unprivileged user, starts and stops "VMs" (vm-start.sh), reads the queue, history and
 * collector, and remembers what it created so that {@link #cleanUp()} removes it.
 */
final class Pool {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  final TestEnvironment env;
  private final List<Integer> clusters = new ArrayList<>();
  private final List<String> vms = new ArrayList<>();

  Pool() {
    env = TestEnvironment.load();
    env.requireChroot();
    env.requireListeningHostPort("HTCondor collector", "condor.collector");
  }

  /** The command prefix of the condor tools as a list. */
  List<String> prefix() {
    return Arrays.asList(env.get("condor.command.prefix").split("\\s+"));
  }

  String helpers() {
    return env.get("condor.helpers.dir");
  }

  String host() {
    return env.get("condor.hostname");
  }

  /** The job source's configuration for this pool. */
  PluginConfig jobSourceConfig() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("command-prefix", prefix());
    raw.put("pool", env.get("condor.collector"));
    raw.put("timeout", "20s");
    return TestPluginConfig.of(raw, "job-source.config");
  }

  /** The local driver's configuration for this pool. */
  PluginConfig localConfig(int maxInstances) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("command-prefix", prefix());
    raw.put("helpers-dir", helpers());
    raw.put("max-instances", maxInstances);
    raw.put(
        "flavors",
        List.of(
            Map.of("name", "c1", "cores", 1, "ram-mib", 1024),
            Map.of("name", "c2", "cores", 2, "ram-mib", 2048),
            Map.of("name", "c4", "cores", 4, "ram-mib", 4096)));
    return TestPluginConfig.of(raw, "clouds[0].config");
  }

  /** Runs a condor tool (or any command) in the pool and returns its stdout, failing on an error. */
  String condor(String... args) {
    return TestEnvironment.run(env.command("condor.command.prefix", args), null, TIMEOUT).stdoutOrFail();
  }

  /** Runs a command in the pool, feeding it stdin, and returns the result. */
  TestEnvironment.Result run(String stdin, String... args) {
    return TestEnvironment.run(env.command("condor.command.prefix", args), stdin, TIMEOUT);
  }

  /** Submits {@code count} sleep jobs as the test user; returns the cluster id. */
  int submit(int count, int cpus, long memoryMb, int seconds, String extraLines) {
    String out =
        TestEnvironment.run(
                env.command("condor.submit.prefix", helpers() + "/submit-jobs.sh", Integer.toString(count), Integer.toString(cpus),
                    Long.toString(memoryMb), Integer.toString(seconds), "-"),
                extraLines,
                TIMEOUT)
            .stdoutOrFail()
            .strip();
    assertThat(out).as("cluster id printed by submit-jobs.sh").matches("\\d+");
    int cluster = Integer.parseInt(out);
    clusters.add(cluster);
    return cluster;
  }

  /** Starts a "VM" with the given condor config; remembered for clean-up. */
  void vmStart(String name, String config) {
    String file = "/tmp/csv2-it-" + name + ".config";
    run(config, "sh", "-c", "cat > \"$1\"", "sh", file).stdoutOrFail();
    vms.add(name);
    run(null, helpers() + "/vm-start.sh", name, file).stdoutOrFail();
    run(null, "rm", "-f", file);
  }

  void vmStop(String name) {
    run(null, helpers() + "/vm-stop.sh", name).stdoutOrFail();
  }

  /** Kills every process of a "VM" with SIGKILL, as a VM that dies without saying goodbye. */
  void vmKill(String name) {
    run(
            null,
            "sh",
            "-c",
            "for p in /proc/[0-9]*; do grep -qxzF \"CONDOR_CONFIG=/etc/condor-vm/$1/condor_config\" $p/environ 2>/dev/null"
                + " && kill -9 ${p#/proc/}; done; exit 0",
            "sh",
            name)
        .stdoutOrFail();
  }

  /** Ads in the collector matching a constraint (any type), as JSON. */
  List<JsonNode> ads(String constraint) {
    return parse(condor("condor_status", "-pool", env.get("condor.collector"), "-any", "-json", "-attributes", "MyType,Name", "-constraint", constraint));
  }

  /** A finished job's attributes from condor_history, or null if it has not finished. */
  JsonNode history(int cluster, int proc) {
    List<JsonNode> ads =
        parse(condor("condor_history", "-json", "-attributes", "ClusterId,ProcId,ExitCode,NumJobStarts,JobStatus,CompletionDate",
            "-constraint", "ClusterId == " + cluster + " && ProcId == " + proc));
    return ads.isEmpty() ? null : ads.get(0);
  }

  /** The jobs of a cluster still in the queue. */
  List<JsonNode> queue(int cluster) {
    return parse(condor("condor_q", "-allusers", "-json", "-attributes", "ClusterId,ProcId,JobStatus,NumJobStarts", "-constraint",
        "ClusterId == " + cluster));
  }

  /** Renders the worker template of the plugin like the engine does. */
  static String workerUserData(Map<String, String> variables) {
    String template;
    try (InputStream in = Pool.class.getResourceAsStream("/org/csv2/plugin/htcondor/worker-condor.yaml.tmpl")) {
      assertThat(in).as("worker template on the class path").isNotNull();
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = variables.get(m.group(1));
      assertThat(v).as("variable %s", m.group(1)).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    String body = out.toString();
    return "Content-Type: multipart/mixed; boundary=\"==csv2-boundary==\"\nMIME-Version: 1.0\n\n"
        + "--==csv2-boundary==\nContent-Type: text/cloud-config; charset=\"utf-8\"\nMIME-Version: 1.0\n"
        + "Content-Transfer-Encoding: 7bit\nContent-Disposition: attachment; filename=\"worker\"\n\n"
        + body + (body.endsWith("\n") ? "" : "\n") + "--==csv2-boundary==--\n";
  }

  /** Polls a condition every 250 ms until it holds; fails naming {@code what} after {@code timeout}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("after " + timeout.toSeconds() + " s, still not " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Removes the jobs submitted and the VMs started through this object. */
  void cleanUp() {
    for (int cluster : clusters) {
      run(null, "condor_rm", Integer.toString(cluster));
    }
    clusters.clear();
    for (String vm : vms) {
      run(null, helpers() + "/vm-stop.sh", vm);
    }
    vms.clear();
  }

  static List<JsonNode> parse(String json) {
    List<JsonNode> out = new ArrayList<>();
    if (json.isBlank()) {
      return out;
    }
    try {
      JSON.readTree(json).forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
