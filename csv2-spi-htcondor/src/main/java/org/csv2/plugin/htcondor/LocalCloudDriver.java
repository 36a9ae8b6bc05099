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
package org.csv2.plugin.htcondor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cloud whose "VMs" are extra {@code condor_master} + {@code condor_startd} pairs on one machine
 * (the test pool's chroot), started by {@code vm-start.sh NAME CONFIG_FILE} and stopped by {@code
 * vm-stop.sh NAME}, all behind the command prefix.
 *
 * <p>A VM is configured from the user data the engine rendered, as a real VM's cloud-init would:
 * the driver reads the {@code write_files} entries under {@code /etc/condor/config.d/} of its
 * cloud-config documents (multipart MIME included) and makes them the VM's config file, between a
 * default {@code START = False} (a VM whose user data does not say which jobs it runs runs none)
 * and the flavor's "hardware" ({@code NUM_CPUS}, {@code MEMORY}). The pool settings come from the
 * machine's main config, which {@code vm-start.sh} includes.
 *
 * <p>Each VM has a directory {@code STATE_DIR/NAME} holding {@code tags.json} (its tags, flavor
 * and launch time, written before the VM starts) and {@code condor.config}, so a restarted driver
 * finds its VMs again. The instance id is the VM's name. States: master running, or its pid file
 * left behind by a master that stopped (the "machine" is still up): ACTIVE; no master pid yet:
 * PENDING, ERROR after the timeout.
 *
 * <p><b>Thread safety:</b> one caller at a time, as the engine guarantees.
 */
final class LocalCloudDriver implements CloudDriver {
  private static final Logger log = LoggerFactory.getLogger(LocalCloudDriver.class);

  /** The disk of a flavor that names none, in GiB. */
  static final long DEFAULT_DISK_GIB = 20;

  /** The one image this cloud offers. */
  static final Image IMAGE = new Image("local", "local");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private static final String START_SCRIPT =
      String.join(
          "\n",
          "set -e",
          "n=$1; d=$2/$1; h=$3",
          "mkdir -p \"$d\"",
          "IFS= read -r tags",
          "cat > \"$d/condor.config\"",
          "printf '%s\\n' \"$tags\" > \"$d/tags.json.tmp\"",
          "mv -f \"$d/tags.json.tmp\" \"$d/tags.json\"",
          "exec \"$h/vm-start.sh\" \"$n\" \"$d/condor.config\"");

  private static final String LIST_SCRIPT =
      String.join(
          "\n",
          "s=$1; h=$2; v=$3",
          "running=$(\"$h/vm-list.sh\" 2>/dev/null || true)",
          "for d in \"$s\"/*/; do",
          "  [ -f \"$d/tags.json\" ] || continue",
          "  n=$(basename \"$d\")",
          "  st=none",
          "  if printf '%s\\n' \"$running\" | grep -qxF \"$n\"; then st=running",
          "  elif [ -s \"$v/$n/run/master.pid\" ]; then st=stopped",
          "  fi",
          "  printf '%s %s ' \"$n\" \"$st\"",
          "  head -n 1 \"$d/tags.json\"",
          "done",
          "exit 0");

  private static final String STOP_SCRIPT =
      String.join(
          "\n",
          "s=$1; h=$2; n=$3",
          "[ -d \"$s/$n\" ] || exit 0",
          "\"$h/vm-stop.sh\" \"$n\" >/dev/null",
          "rm -rf \"$s/$n\"",
          "echo stopped");

  private final LocalConfig config;
  private final PluginContext context;
  private final Commands commands;
  private final Map<FlavorName, Flavor> flavors;

  LocalCloudDriver(LocalConfig config, PluginContext context) {
    this.config = config;
    this.context = context;
    this.commands = new Commands(config.commandPrefix(), config.callTimeout(), Boolean.TRUE.equals(config.shellQuote()));
    Map<FlavorName, Flavor> f = new LinkedHashMap<>();
    for (LocalConfig.LocalFlavor lf : config.flavors()) {
      Flavor flavor =
          Flavor.of(lf.name(), Resources.of(lf.cores(), lf.ramMib(), lf.diskGib() == null ? DEFAULT_DISK_GIB : lf.diskGib()));
      f.put(flavor.name(), flavor);
    }
    this.flavors = Map.copyOf(f);
  }

  @Override
  public List<Flavor> flavors() {
    List<Flavor> out = new ArrayList<>();
    for (LocalConfig.LocalFlavor lf : config.flavors()) {
      out.add(flavors.get(FlavorName.of(lf.name())));
    }
    return out;
  }

  @Override
  public List<Image> images() {
    return List.of(IMAGE);
  }

  @Override
  public CloudCapacity capacity() {
    Limits used = Limits.ZERO;
    for (Listed l : list()) {
      used = used.plus(new Limits(l.cores, l.ramMiB, 1));
    }
    return new CloudCapacity(max(), used);
  }

  private Limits max() {
    return new Limits(
        config.maxCores() == null ? Limits.UNLIMITED : config.maxCores(),
        config.maxRamMib() == null ? Limits.UNLIMITED : config.maxRamMib(),
        config.maxInstances());
  }

  @Override
  public List<Instance> boot(BootRequest request) {
    Flavor flavor = flavors.get(request.flavor());
    if (flavor == null) {
      throw new CloudException(
          CloudException.Reason.INVALID_REQUEST,
          String.format(
              "cloud %s: unknown flavor '%s'; the local cloud offers %s (config key flavors)",
              context.name(), request.flavor(), flavors.keySet()));
    }
    if (!IMAGE.matches(request.image())) {
      throw new CloudException(
          CloudException.Reason.INVALID_REQUEST,
          String.format("cloud %s: unknown image '%s'; the local cloud has only image 'local'", context.name(), request.image()));
    }
    checkQuota(flavor.resources(), request.count());
    String condorConfig = condorConfig(request);
    Instant launched = context.clock().instant();
    List<Instance> booted = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (VmId name : request.names()) {
      Map<String, String> tags = new LinkedHashMap<>(request.tags());
      tags.put(Csv2Tags.VM_NAME, name.value());
      String file = configFile(name, flavor, condorConfig);
      Commands.Result r =
          commands.run(
              List.of("sh", "-c", START_SCRIPT, "sh", name.value(), config.stateDir(), config.helpersDir()),
              tagsJson(name, flavor, launched, tags) + "\n" + file);
      if (r.ok()) {
        log.info("cloud {}: started local VM {} ({}), master pid {}", context.name(), name, flavor.name(), r.stdout().strip());
        booted.add(
            new Instance(
                InstanceId.of(name.value()), name, flavor.name(), InstanceState.ACTIVE, "", tags, launched));
      } else {
        failures.add(name + ": " + r.describe());
        remove(name);
      }
    }
    if (booted.isEmpty()) {
      throw new CloudException(
          CloudException.Reason.UNAVAILABLE,
          String.format("cloud %s: no local VM could be started: %s", context.name(), String.join("; ", failures)));
    }
    if (!failures.isEmpty()) {
      log.warn("cloud {}: {} of {} local VMs did not start: {}", context.name(), failures.size(), request.count(), failures);
    }
    return booted;
  }

  private void checkQuota(Resources one, int count) {
    Limits max = max();
    Limits used = capacity().used();
    Limits want = used.plus(new Limits(one.cores() * count, one.ramMiB() * count, count));
    List<String> over = new ArrayList<>();
    if (max.instances() >= 0 && want.instances() > max.instances()) {
      over.add(String.format("%d VMs requested, %d of %d in use (max-instances)", count, used.instances(), max.instances()));
    }
    if (max.cores() >= 0 && want.cores() > max.cores()) {
      over.add(String.format("%d cores requested, %d of %d in use (max-cores)", one.cores() * count, used.cores(), max.cores()));
    }
    if (max.ramMiB() >= 0 && want.ramMiB() > max.ramMiB()) {
      over.add(
          String.format("%d MiB requested, %d of %d in use (max-ram-mib)", one.ramMiB() * count, used.ramMiB(), max.ramMiB()));
    }
    if (!over.isEmpty()) {
      throw new CloudException(
          CloudException.Reason.QUOTA_EXCEEDED, "cloud " + context.name() + ": quota exceeded: " + String.join("; ", over));
    }
  }

  /** The condor config the user data writes, or an empty text when it writes none or cannot be read. */
  private String condorConfig(BootRequest request) {
    if (request.userData().isEmpty()) {
      return "";
    }
    try {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, String> e : CloudInit.condorConfig(request.userData().text()).entrySet()) {
        b.append("# ---- ").append(e.getKey()).append(" (from the user data)\n").append(e.getValue());
        if (!e.getValue().endsWith("\n")) {
          b.append('\n');
        }
      }
      return b.toString();
    } catch (CloudInit.Malformed | UncheckedIOException | IllegalArgumentException e) {
      // a real cloud boots the VM anyway and its cloud-init fails: the VM never joins the pool
      log.warn(
          "cloud {}: the user data of {} cannot be read ({}); booting without its condor config",
          context.name(), request.names(), e.getMessage());
      return "";
    }
  }

  private static Instant launchedAt(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return Instant.EPOCH;
    }
    double seconds = value.asDouble(Double.NaN);
    if (!(seconds >= 0 && seconds <= JobAds.MAX_EPOCH_SECOND)) {
      throw new IllegalArgumentException("launched-at must be a time in epoch seconds up to the year 9999, was " + value);
    }
    return Instant.ofEpochSecond((long) seconds);
  }

  /** The whole config file of one VM. */
  static String configFile(VmId name, Flavor flavor, String fromUserData) {
    return "# written by the csv2 local cloud driver for VM " + name + ", flavor " + flavor.name() + "\n"
        + "# a VM runs no job unless its user data says which (START)\n"
        + "START = False\n"
        + fromUserData
        + "# ---- the VM's hardware: flavor " + flavor.name() + "\n"
        + "NUM_CPUS = " + flavor.resources().cores() + "\n"
        + "MEMORY = " + flavor.resources().ramMiB() + "\n";
  }

  private String tagsJson(VmId name, Flavor flavor, Instant launched, Map<String, String> tags) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", name.value());
    node.put("flavor", flavor.name().value());
    node.put("cores", flavor.resources().cores());
    node.put("ram-mib", flavor.resources().ramMiB());
    node.put("launched-at", launched.getEpochSecond());
    ObjectNode t = node.putObject("tags");
    tags.forEach(t::put);
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the tags of " + name + " as JSON", e);
    }
  }

  @Override
  public List<Instance> instances() {
    Instant now = context.clock().instant();
    List<Instance> out = new ArrayList<>();
    for (Listed l : list()) {
      if (!context.instanceId().equals(l.tags.get(Csv2Tags.INSTANCE_ID))) {
        continue;
      }
      InstanceState state;
      String fault = "";
      switch (l.status) {
        case "running", "stopped" -> state = InstanceState.ACTIVE;
        default -> {
          if (l.launchedAt.plus(config.callTimeout()).isBefore(now)) {
            state = InstanceState.ERROR;
            fault = "the VM's condor_master never started; see " + config.vmDir() + "/" + l.name + "/log";
          } else {
            state = InstanceState.PENDING;
          }
        }
      }
      out.add(new Instance(InstanceId.of(l.name.value()), l.name, l.flavor, state, fault, l.tags, l.launchedAt));
    }
    return out;
  }

  @Override
  public void terminate(InstanceId id) {
    if (!SAFE_NAME.matcher(id.value()).matches()) {
      return;
    }
    Commands.Result r =
        commands.run(List.of("sh", "-c", STOP_SCRIPT, "sh", config.stateDir(), config.helpersDir(), id.value()), null);
    if (!r.ok()) {
      throw new CloudException(
          CloudException.Reason.UNAVAILABLE,
          String.format("cloud %s: cannot stop local VM %s: %s", context.name(), id, r.describe()));
    }
    if (r.stdout().contains("stopped")) {
      log.info("cloud {}: stopped local VM {}", context.name(), id);
    }
  }

  private void remove(VmId name) {
    Commands.Result r =
        commands.run(List.of("sh", "-c", STOP_SCRIPT, "sh", config.stateDir(), config.helpersDir(), name.value()), null);
    if (!r.ok()) {
      log.warn("cloud {}: cannot clean up local VM {} that failed to start: {}", context.name(), name, r.describe());
    }
  }

  @Override
  public void close() {
    // every call is its own process: nothing to release
  }

  /** A VM as the state directory lists it, of any engine. */
  private record Listed(
      VmId name, String status, FlavorName flavor, int cores, long ramMiB, Instant launchedAt, Map<String, String> tags) {}

  private List<Listed> list() {
    Commands.Result r =
        commands.run(List.of("sh", "-c", LIST_SCRIPT, "sh", config.stateDir(), config.helpersDir(), config.vmDir()), null);
    if (!r.ok()) {
      throw new CloudException(
          CloudException.Reason.UNAVAILABLE,
          String.format("cloud %s: cannot list the local VMs: %s", context.name(), r.describe()));
    }
    List<Listed> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      try {
        if (parts.length < 3) {
          throw new IllegalArgumentException("expected NAME STATUS JSON");
        }
        JsonNode json = JSON.readTree(parts[2]);
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : json.path("tags").properties()) {
          tags.put(e.getKey(), e.getValue().asText());
        }
        out.add(
            new Listed(
                VmId.of(parts[0]),
                parts[1],
                FlavorName.of(json.path("flavor").asText("unknown")),
                json.path("cores").asInt(0),
                json.path("ram-mib").asLong(0),
                launchedAt(json.path("launched-at")),
                tags));
      } catch (JsonProcessingException | RuntimeException e) {
        // one unreadable entry (a tag file anyone on the host may have written) leaves out that
        // entry only, named and counted; it never fails the listing
        String why = e instanceof IllegalArgumentException || e instanceof JsonProcessingException
            ? e.getMessage() : e.toString();
        context.rejected("local VM entry '" + Commands.head(line, 120) + "'", String.valueOf(why));
      }
    }
    return out;
  }
}
