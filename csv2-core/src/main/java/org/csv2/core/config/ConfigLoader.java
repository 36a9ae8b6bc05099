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
package org.csv2.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.csv2.api.ConfigurationException;
import org.csv2.core.config.YamlModel.AliasYaml;
import org.csv2.core.config.YamlModel.AllocationYaml;
import org.csv2.core.config.YamlModel.CloudYaml;
import org.csv2.core.config.YamlModel.EngineYaml;
import org.csv2.core.config.YamlModel.GroupYaml;
import org.csv2.core.config.YamlModel.JobSourceYaml;
import org.csv2.core.config.YamlModel.PluginYaml;
import org.csv2.core.config.YamlModel.ThrottlesYaml;
import org.csv2.core.config.YamlModel.TimersYaml;
import org.csv2.core.config.YamlModel.UserDataYaml;
import org.csv2.core.userdata.BootVariables;
import org.csv2.core.userdata.UserDataComposer;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the engine's YAML configuration into a validated {@link Csv2Config}.
 *
 * <p>The steps: parse with the canonical mapper (duplicate keys are errors); replace {@code
 * ${ENV}} references; bind every section and every list element on its own, so that one bad
 * element does not hide the problems of the others; apply the defaults; then check the references
 * between sections (allocations and aliases name configured groups and clouds, names are unique,
 * templates use known variables, and so on). Every problem found on the way is reported at once,
 * each with its YAML path, in one {@link ConfigurationException}. docs/configuration.md lists
 * every key.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class ConfigLoader {
  /**
   * Group names starting with this are reserved: engines sharing a store keep their presence
   * leases under them (the engine's lease step).
   */
  public static final String RESERVED_GROUP_PREFIX = "csv2_engine_";

  /** The planning policies built into the engine; others come from PlannerProvider plugins. */
  public static final Set<String> POLICIES = Set.of("default", "csv2-classic");

  private static final java.util.regex.Pattern POLICY_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** The state store used when the configuration names none. */
  public static final String DEFAULT_STORE = "jdbc";

  /** The JDBC URL of the default state store: an H2 file database under the working directory. */
  public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./csv2-data/csv2";

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final Pattern TEMPLATE_PATH =
      Pattern.compile("(groups|allocations)\\[\\d+]\\.user-data\\[\\d+]\\.template");
  private static final RecordBinder BINDER = new RecordBinder(ConfigMapper.MAPPER);

  private ConfigLoader() {}

  /**
   * The most characters a configuration may hold (4 MiB): a 50 MB value once took minutes and
   * gigabytes to parse (issue 20). User-data files are bounded on their own.
   */
  public static final int MAX_CONFIG_CHARS = 4 * 1024 * 1024;

  /** The most bytes a user-data {@code file:} may hold (1 MiB; EC2 takes 16 KiB, Nova 64 KiB). */
  public static final long MAX_USER_DATA_FILE_BYTES = 1024 * 1024;

  /**
   * Reads a configuration file, with {@code ${ENV}} references taken from the process
   * environment and user-data {@code file:} paths relative to the file's directory.
   *
   * @param file the YAML file
   * @return the configuration
   * @throws ConfigurationException listing every problem with its path
   */
  public static Csv2Config load(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_CONFIG_CHARS) {
        throw new ConfigurationException(
            List.of(file + ": " + size + " bytes; a configuration file holds at most " + MAX_CONFIG_CHARS
                + " (put large user data in user-data files, which are bounded on their own)"));
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException(file + ": cannot read the configuration file (" + e + ")", e);
    }
    Path dir = file.toAbsolutePath().getParent();
    Csv2Config config = parse(text, System::getenv, file.toString(), dir == null ? Path.of("") : dir);
    log.info(
        "configuration loaded from {}: {} groups, {} clouds, {} allocations, engine instance {}",
        file,
        config.groups().size(),
        config.clouds().size(),
        config.allocations().size(),
        config.engine().instanceId());
    return config;
  }

  /**
   * Reads a configuration from text; user-data {@code file:} paths are relative to the working
   * directory.
   *
   * @param yaml the YAML text
   * @param env the environment for {@code ${ENV}} references (null for unset)
   * @param source where the text comes from, for messages
   * @return the configuration
   * @throws ConfigurationException listing every problem with its path
   */
  public static Csv2Config parse(String yaml, Function<String, @Nullable String> env, String source) {
    return parse(yaml, env, source, Path.of(""));
  }

  /**
   * Reads a configuration from text.
   *
   * @param yaml the YAML text
   * @param env the environment for {@code ${ENV}} references (null for unset)
   * @param source where the text comes from, for messages
   * @param baseDir the directory user-data {@code file:} paths are relative to
   * @return the configuration
   * @throws ConfigurationException listing every problem with its path
   */
  public static Csv2Config parse(
      String yaml, Function<String, @Nullable String> env, String source, Path baseDir) {
    Objects.requireNonNull(yaml, "yaml");
    if (yaml.length() > MAX_CONFIG_CHARS) {
      throw new ConfigurationException(
          List.of(source + ": " + yaml.length() + " characters; a configuration holds at most " + MAX_CONFIG_CHARS));
    }
    List<String> aliasProblems = YamlAliases.find(yaml, source);
    if (!aliasProblems.isEmpty()) {
      throw new ConfigurationException(aliasProblems);
    }
    JsonNode root;
    try {
      root = ConfigMapper.MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(List.of(source + ": not valid YAML: " + syntaxProblem(e)));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = ConfigMapper.MAPPER.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigurationException(
          List.of(source + ": expected a mapping with keys " + YamlModel.TOP_LEVEL + ", got " + RecordBinder.describe(root)));
    }
    return new Reader((ObjectNode) root, env, baseDir).read();
  }

  private static String syntaxProblem(JsonProcessingException e) {
    // Position and problem only: SnakeYAML's full message quotes the offending line, which may hold a secret.
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    Throwable cause = e.getCause();
    if (cause instanceof MarkedYAMLException m && m.getProblem() != null) {
      return where + m.getProblem();
    }
    String message = e.getOriginalMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    return where + (newline < 0 ? message : message.substring(0, newline));
  }

  /**
   * A stable engine instance id from the host name: its first label, lower-cased, with every run
   * of other characters than letters and digits made one dash, at most 32 characters; {@code csv2}
   * when nothing is left.
   *
   * @param host the host name
   * @return the instance id
   */
  static String instanceIdFromHost(String host) {
    String first = host.trim();
    int dot = first.indexOf('.');
    if (dot > 0) {
      first = first.substring(0, dot);
    }
    String id = first.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (id.length() > 32) {
      id = id.substring(0, 32).replaceAll("-+$", "");
    }
    return id.isEmpty() ? "csv2" : id;
  }

  private static String defaultInstanceId(Function<String, @Nullable String> env) {
    String host = env.apply("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        log.warn("cannot read this host's name; engine instance id is 'csv2' (set engine.instance-id)", e);
        host = "csv2";
      }
    }
    return instanceIdFromHost(host);
  }

  /** One read: the tree, the problems, and the names seen (also of elements that failed to bind). */
  private static final class Reader {
    private final ObjectNode root;
    private final Function<String, @Nullable String> env;
    private final Path baseDir;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> groupNames = new LinkedHashSet<>();
    private final Set<String> cloudNames = new LinkedHashSet<>();
    /** The {@code job-source} each group names, as written. */
    private final Map<GroupName, String> groupSourceNames = new LinkedHashMap<>();

    Reader(ObjectNode root, Function<String, @Nullable String> env, Path baseDir) {
      this.root = root;
      this.env = env;
      this.baseDir = baseDir;
    }

    Csv2Config read() {
      new EnvSubstitution(env, path -> TEMPLATE_PATH.matcher(path).matches()).apply(root, "", problems);
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!YamlModel.TOP_LEVEL.contains(key)) {
          problems.add(key + ": unknown key; known keys: " + String.join(", ", YamlModel.TOP_LEVEL));
        }
      }
      EngineSettings engine = engine();
      Map<GroupName, Group> groups = groups();
      List<CloudConfig> clouds = clouds();
      List<Allocation> allocations = allocations(groups);
      List<Alias> aliases = aliases(allocations);
      List<JobSourceConfig> jobSources = jobSources();
      Map<GroupName, String> groupJobSources = groupJobSources(groups.keySet(), jobSources);
      PluginSelection stateStore = stateStore();
      AccountingSettings accounting = accounting();
      ImageSettings images = images(groups);
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new Csv2Config(
          Objects.requireNonNull(engine),
          List.copyOf(groups.values()),
          clouds,
          allocations,
          aliases,
          jobSources,
          groupJobSources,
          stateStore,
          Objects.requireNonNull(accounting),
          images == null ? ImageSettings.DEFAULTS : images);
    }

    /** The accounting section (docs/accounting.md); names of unknown groups are reported. */
    private @Nullable AccountingSettings accounting() {
      JsonNode node = root.get("accounting");
      if (node == null || node.isNull()) {
        return AccountingSettings.NONE;
      }
      YamlModel.AccountingYaml a = BINDER.bind(node, YamlModel.AccountingYaml.class, "accounting", problems);
      if (a == null) {
        return null;
      }
      Map<org.csv2.model.FlavorName, AccountingSettings.Benchmark> benchmarks = new LinkedHashMap<>();
      for (int i = 0; i < a.benchmarks().size(); i++) {
        YamlModel.BenchmarkYaml b = a.benchmarks().get(i);
        String path = "accounting.benchmarks[" + i + "]";
        if (b == null) {
          problems.add(path + ": empty list element");
        } else if (b.type().isBlank() || b.type().length() > 50) {
          problems.add(path + ".type: must have 1 to 50 characters (APEL's BenchmarkType)");
        } else if (!(b.value() >= 0) || b.value() >= 10_000_000) {
          problems.add(path + ".value: must be >= 0 and < 10000000 (APEL keeps DECIMAL(10,3))");
        } else if (benchmarks.put(b.flavor(), new AccountingSettings.Benchmark(b.type(), b.value())) != null) {
          problems.add(path + ".flavor: duplicate flavor '" + b.flavor() + "'");
        }
      }
      Map<GroupName, AccountingSettings.GroupIdentity> groups = new LinkedHashMap<>();
      for (int i = 0; i < a.groups().size(); i++) {
        YamlModel.GroupIdentityYaml g = a.groups().get(i);
        String path = "accounting.groups[" + i + "]";
        if (g == null) {
          problems.add(path + ": empty list element");
          continue;
        }
        if (!groupNames.contains(g.group().value())) {
          problems.add(path + ".group: unknown group '" + g.group() + "'; configured: " + names(groupNames));
        }
        if (!g.fqan().startsWith("/") || g.fqan().length() > 255) {
          problems.add(path + ".fqan: must start with '/' and have at most 255 characters, such as /atlas/Role=production");
        }
        String dn = g.globalUserName() == null ? "" : g.globalUserName();
        if (dn.length() > 255) {
          problems.add(path + ".global-user-name: at most 255 characters");
        }
        if (groups.put(g.group(), new AccountingSettings.GroupIdentity(g.fqan(), dn)) != null) {
          problems.add(path + ".group: duplicate group '" + g.group() + "'");
        }
      }
      String site = a.siteName() == null ? "" : a.siteName().strip();
      String service = a.cloudComputeService() == null ? "" : a.cloudComputeService().strip();
      if (site.length() > 255 || service.length() > 255) {
        problems.add("accounting: site-name and cloud-compute-service have at most 255 characters");
      }
      java.nio.file.Path outgoing = null;
      if (a.outgoing() != null && !a.outgoing().isBlank()) {
        outgoing = baseDir.resolve(a.outgoing().strip()).normalize();
      }
      if (outgoing != null && site.isEmpty()) {
        problems.add("accounting.site-name: needed when accounting.outgoing is set (APEL's SiteName)");
      }
      if (a.interval() != null && (a.interval().isNegative() || a.interval().isZero())) {
        problems.add("accounting.interval: must be positive");
        return null;
      }
      if (a.interval() != null && outgoing == null) {
        problems.add("accounting.interval: needs accounting.outgoing (where the records go)");
      }
      return new AccountingSettings(site, service, outgoing, a.interval(), benchmarks, groups);
    }

    /** The {@code images} section (docs/images.md). */
    private @Nullable ImageSettings images(Map<GroupName, Group> groups) {
      YamlModel.ImagesYaml y = BINDER.bind(root.get("images"), YamlModel.ImagesYaml.class, "images", problems);
      if (y == null) {
        return null;
      }
      ImageSettings d = ImageSettings.DEFAULTS;
      List<GroupName> replicate = y.replicate() == null ? List.of() : y.replicate();
      for (GroupName g : replicate) {
        Group group = groups.get(g);
        if (group == null) {
          problems.add("images.replicate: group " + g + " is not configured");
        } else if (group.vmDefaults().imageRef().isEmpty()) {
          problems.add("images.replicate: group " + g + " names no vm-defaults.image to replicate");
        }
      }
      try {
        return new ImageSettings(
            y.cacheDir() == null ? null : baseDir.resolve(y.cacheDir()),
            y.cacheMaxGib() == null ? d.cacheMaxBytes() : (long) (y.cacheMaxGib() * (1L << 30)),
            y.parallelTransfers() == null ? d.parallelTransfers() : y.parallelTransfers(),
            y.maxAttempts() == null ? d.maxAttempts() : y.maxAttempts(),
            y.diskFormat() == null ? d.diskFormat() : y.diskFormat(),
            replicate);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        return null;
      }
    }

    private @Nullable EngineSettings engine() {
      EngineYaml e = BINDER.bind(root.get("engine"), EngineYaml.class, "engine", problems);
      TimersYaml t = BINDER.bind(root.get("timers"), TimersYaml.class, "timers", problems);
      ThrottlesYaml th = BINDER.bind(root.get("throttles"), ThrottlesYaml.class, "throttles", problems);
      String policy = e != null && e.policy() != null ? e.policy() : "default";
      if (!POLICY_NAME.matcher(policy).matches()) {
        // Whether a planner of that name is installed is checked against the plugin catalog when
        // the engine is built (a third-party PlannerProvider may supply it).
        problems.add(
            "engine.policy: '" + (policy.length() <= 64 ? policy : policy.substring(0, 64) + "...") + "' is not a policy name ([a-z][a-z0-9-]*); built in: "
                + String.join(", ", new TreeSet<>(POLICIES)));
      }
      Timers timers = Timers.DEFAULTS;
      if (t != null) {
        try {
          timers = t.over(Timers.DEFAULTS);
        } catch (IllegalArgumentException ex) {
          problems.add("timers: " + ex.getMessage());
        }
      }
      Throttles throttles = "csv2-classic".equals(policy) ? Throttles.CLASSIC : Throttles.DEFAULTS;
      if (th != null) {
        try {
          throttles = th.over(throttles);
        } catch (IllegalArgumentException ex) {
          problems.add("throttles: " + ex.getMessage());
        }
      }
      String instanceId = e != null && e.instanceId() != null ? e.instanceId() : defaultInstanceId(env);
      EngineSettings d = EngineSettings.defaults("csv2");
      try {
        return new EngineSettings(
            instanceId,
            policy,
            e != null && e.flavorPolicy() != null ? e.flavorPolicy() : d.flavorPolicy(),
            timers,
            throttles,
            orElse(e == null ? null : e.callTimeout(), d.callTimeout()),
            e != null && e.breakerFailures() != null ? e.breakerFailures() : d.breakerFailures(),
            orElse(e == null ? null : e.breakerOpenFor(), d.breakerOpenFor()),
            orElse(e == null ? null : e.leaseTtl(), d.leaseTtl()),
            orElse(e == null ? null : e.credentialWarn(), d.credentialWarn()),
            orElse(e == null ? null : e.credentialStop(), d.credentialStop()));
      } catch (IllegalArgumentException ex) {
        String message = String.valueOf(ex.getMessage());
        String at = message.startsWith("instance id") ? "engine.instance-id" : message.startsWith("breaker") ? "engine.breaker-failures"
            : message.startsWith("credential") ? "engine.credential-warn" : "engine";
        problems.add(at + ": " + message);
        return null;
      }
    }

    private static Duration orElse(@Nullable Duration value, Duration fallback) {
      return value != null ? value : fallback;
    }

    private List<JsonNode> list(String key) {
      JsonNode node = root.get(key);
      List<JsonNode> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        problems.add(key + ": expected a list, got " + RecordBinder.describe(node));
        return out;
      }
      node.forEach(out::add);
      return out;
    }

    /** Remembers the name of an element that failed to bind, so that references to it are not reported too. */
    private static void rememberName(JsonNode node, String key, Set<String> names) {
      JsonNode name = node.get(key);
      if (name != null && name.isValueNode()) {
        names.add(name.asText());
      }
    }

    private Map<GroupName, Group> groups() {
      Map<GroupName, Group> groups = new LinkedHashMap<>();
      Map<String, String> firstAt = new HashMap<>();
      List<JsonNode> nodes = list("groups");
      for (int i = 0; i < nodes.size(); i++) {
        String path = "groups[" + i + "]";
        JsonNode node = nodes.get(i);
        if (node.isObject()) {
          rememberName(node, "name", groupNames);
        }
        GroupYaml g = BINDER.bind(node, GroupYaml.class, path, problems);
        if (g == null) {
          if (node.isNull()) {
            problems.add(path + ": empty list element");
          }
          continue;
        }
        String previous = firstAt.putIfAbsent(g.name().value(), path);
        if (previous != null) {
          problems.add(path + ".name: duplicate group '" + g.name() + "' (also " + previous + ")");
          continue;
        }
        if (g.name().value().startsWith(RESERVED_GROUP_PREFIX)) {
          problems.add(path + ".name: group names starting '" + RESERVED_GROUP_PREFIX
              + "' are reserved (engines sharing a store record their presence under them), was '" + g.name() + "'");
          continue;
        }
        Group group = group(g, path);
        if (group != null) {
          groups.put(group.name(), group);
          if (g.jobSource() != null) {
            groupSourceNames.put(group.name(), g.jobSource());
          }
        }
      }
      return groups;
    }

    private @Nullable Group group(GroupYaml g, String path) {
      int before = problems.size();
      for (String p : BootVariables.check(g.variables())) {
        problems.add(path + ".variables." + p);
      }
      List<UserDataDocument> docs = documents(g.userData(), path + ".user-data");
      Group group;
      try {
        group =
            new Group(
                g.name(),
                g.jobDefaults() == null ? Group.DEFAULT_JOB : g.jobDefaults().over(Group.DEFAULT_JOB),
                g.vmDefaults() == null ? VmDefaults.NONE : g.vmDefaults(),
                docs,
                g.submitters() == null ? List.of() : g.submitters(),
                g.weight() == null ? 1.0 : g.weight(),
                g.variables());
      } catch (IllegalArgumentException e) {
        problems.add(path + ": " + e.getMessage());
        return null;
      }
      if (problems.size() == before) {
        checkTemplates(docs, BootVariables.names(group), path + ".user-data");
      }
      return problems.size() == before ? group : null;
    }

    private List<UserDataDocument> documents(List<UserDataYaml> yamls, String path) {
      List<UserDataDocument> docs = new ArrayList<>();
      Map<String, String> firstAt = new HashMap<>();
      for (int j = 0; j < yamls.size(); j++) {
        UserDataYaml u = yamls.get(j);
        String at = path + "[" + j + "]";
        String previous = firstAt.putIfAbsent(u.name(), at);
        if (previous != null) {
          problems.add(at + ".name: duplicate user-data document '" + u.name() + "' (also " + previous + ")");
          continue;
        }
        String template = u.template();
        int sources = (template != null ? 1 : 0) + (u.file() != null ? 1 : 0) + (u.resource() != null ? 1 : 0);
        if (sources > 1) {
          problems.add(at + ": set only one of template, file and resource");
          continue;
        }
        if (sources == 0) {
          problems.add(
              at
                  + ": set template (the document inline), file (a path relative to the configuration file)"
                  + " or resource (a document shipped in a jar, such as "
                  + "org/csv2/plugin/htcondor/worker-condor.yaml.tmpl)");
          continue;
        }
        if (u.resource() != null) {
          template = resource(u.resource());
          if (template == null) {
            problems.add(at + ".resource: no resource '" + u.resource() + "' on the classpath (is the plugin that ships it there?)");
            continue;
          }
        }
        if (u.file() != null) {
          Path file = baseDir.resolve(u.file()).toAbsolutePath().normalize();
          try {
            // /dev/zero or a FIFO never ends and a huge file exhausts memory: a regular file of
            // bounded size only (issue 20)
            if (Files.exists(file) && !Files.isRegularFile(file)) {
              problems.add(at + ".file: " + file + " is not a regular file");
              continue;
            }
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (size > MAX_USER_DATA_FILE_BYTES) {
              problems.add(at + ".file: " + file + " holds " + size + " bytes; a user-data file holds at most "
                  + MAX_USER_DATA_FILE_BYTES + " (clouds accept far less)");
              continue;
            }
            template = Files.readString(file, StandardCharsets.UTF_8);
          } catch (IOException | RuntimeException e) {
            problems.add(at + ".file: cannot read " + file + " (" + e + ")");
            continue;
          }
        }
        try {
          docs.add(
              new UserDataDocument(
                  u.name(),
                  u.priority() == null ? 0 : u.priority(),
                  u.mimeType() == null ? UserDataComposer.CLOUD_CONFIG : u.mimeType(),
                  Objects.requireNonNull(template),
                  u.enabled() == null || u.enabled()));
        } catch (IllegalArgumentException e) {
          problems.add(at + ": " + e.getMessage());
        }
      }
      return docs;
    }

    private static @Nullable String resource(String name) {
      String path = name.startsWith("/") ? name.substring(1) : name;
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = ConfigLoader.class.getClassLoader();
      }
      try (java.io.InputStream in = loader.getResourceAsStream(path)) {
        return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return null;
      }
    }

    private void checkTemplates(List<UserDataDocument> docs, Set<String> known, String path) {
      for (int j = 0; j < docs.size(); j++) {
        UserDataDocument d = docs.get(j);
        String at = path + "[" + j + "]";
        try {
          for (String v : UserDataComposer.variables(d)) {
            if (!known.contains(v)) {
              problems.add(
                  at + ".template: user-data document '" + d.name() + "' uses unknown variable '" + v
                      + "'; available: " + String.join(", ", new TreeSet<>(known)));
            }
          }
        } catch (ConfigurationException e) {
          e.problems().forEach(p -> problems.add(at + ".template: " + p));
        }
      }
    }

    private List<CloudConfig> clouds() {
      List<CloudConfig> clouds = new ArrayList<>();
      Map<String, String> firstAt = new HashMap<>();
      List<JsonNode> nodes = list("clouds");
      for (int i = 0; i < nodes.size(); i++) {
        String path = "clouds[" + i + "]";
        JsonNode node = nodes.get(i);
        if (node.isObject()) {
          rememberName(node, "name", cloudNames);
        }
        CloudYaml c = BINDER.bind(node, CloudYaml.class, path, problems);
        if (c == null) {
          if (node.isNull()) {
            problems.add(path + ": empty list element");
          }
          continue;
        }
        String previous = firstAt.putIfAbsent(c.name().value(), path);
        if (previous != null) {
          problems.add(path + ".name: duplicate cloud '" + c.name() + "' (also " + previous + ")");
          continue;
        }
        try {
          Cloud cloud = new Cloud(c.name(), c.driver(), c.enabled() == null || c.enabled());
          clouds.add(new CloudConfig(cloud, new PluginSelection(c.driver(), c.config(), path + ".config")));
        } catch (IllegalArgumentException e) {
          problems.add(path + ".driver: " + e.getMessage() + "; a driver name matches [a-z][a-z0-9-]*");
        }
      }
      return clouds;
    }

    private List<Allocation> allocations(Map<GroupName, Group> groups) {
      List<Allocation> allocations = new ArrayList<>();
      Map<String, String> firstAt = new HashMap<>();
      List<JsonNode> nodes = list("allocations");
      for (int i = 0; i < nodes.size(); i++) {
        String path = "allocations[" + i + "]";
        JsonNode node = nodes.get(i);
        AllocationYaml a = BINDER.bind(node, AllocationYaml.class, path, problems);
        if (a == null) {
          if (node.isNull()) {
            problems.add(path + ": empty list element");
          }
          continue;
        }
        int before = problems.size();
        if (!groupNames.contains(a.group().value())) {
          problems.add(path + ".group: unknown group '" + a.group() + "'; configured: " + names(groupNames));
        }
        if (!cloudNames.contains(a.cloud().value())) {
          problems.add(path + ".cloud: unknown cloud '" + a.cloud() + "'; configured: " + names(cloudNames));
        }
        String pair = a.group() + "/" + a.cloud();
        String previous = firstAt.putIfAbsent(pair, path);
        if (previous != null) {
          problems.add(path + ": duplicate allocation of group '" + a.group() + "' on cloud '" + a.cloud() + "' (also " + previous + ")");
        }
        List<UserDataDocument> docs = documents(a.userData(), path + ".user-data");
        VmDefaults overrides = a.vmOverrides() == null ? VmDefaults.NONE : a.vmOverrides();
        Group group = groups.get(a.group());
        if (group != null) {
          FlavorName flavor = overrides.orElse(group.vmDefaults()).flavor();
          if (flavor != null && a.excludeFlavors().contains(flavor)) {
            problems.add(
                path + ".exclude-flavors: excludes '" + flavor + "', the flavor this allocation's VMs are set to use"
                    + " (vm-overrides.flavor or the group's vm-defaults.flavor)");
          }
          if (problems.size() == before) {
            checkTemplates(docs, BootVariables.names(group), path + ".user-data");
          }
        }
        if (problems.size() > before) {
          continue;
        }
        try {
          allocations.add(
              new Allocation(
                  a.group(),
                  a.cloud(),
                  a.priority() == null ? 0 : a.priority(),
                  a.coresCtl() == null ? Limits.UNLIMITED : a.coresCtl(),
                  a.coresSoftmax() == null ? Limits.UNLIMITED : a.coresSoftmax(),
                  a.ramCtlMib() == null ? Limits.UNLIMITED : a.ramCtlMib(),
                  a.mode() == null ? AllocationMode.PREFERRED : a.mode(),
                  a.excludeFlavors(),
                  overrides,
                  docs,
                  a.enabled() == null || a.enabled()));
        } catch (IllegalArgumentException e) {
          problems.add(path + ": " + e.getMessage());
        }
      }
      return allocations;
    }

    private List<Alias> aliases(List<Allocation> allocations) {
      Set<String> allocated = new LinkedHashSet<>();
      for (Allocation a : allocations) {
        allocated.add(a.group() + "/" + a.cloud());
      }
      List<Alias> aliases = new ArrayList<>();
      Map<String, String> firstAt = new HashMap<>();
      List<JsonNode> nodes = list("aliases");
      for (int i = 0; i < nodes.size(); i++) {
        String path = "aliases[" + i + "]";
        JsonNode node = nodes.get(i);
        AliasYaml a = BINDER.bind(node, AliasYaml.class, path, problems);
        if (a == null) {
          if (node.isNull()) {
            problems.add(path + ": empty list element");
          }
          continue;
        }
        int before = problems.size();
        String previous = firstAt.putIfAbsent(a.group() + "/" + a.name(), path);
        if (previous != null) {
          problems.add(path + ".name: duplicate alias '" + a.name() + "' of group '" + a.group() + "' (also " + previous + ")");
        }
        boolean groupKnown = groupNames.contains(a.group().value());
        if (!groupKnown) {
          problems.add(path + ".group: unknown group '" + a.group() + "'; configured: " + names(groupNames));
        }
        if (a.clouds().isEmpty()) {
          problems.add(path + ".clouds: an alias needs at least one cloud");
        }
        for (int j = 0; j < a.clouds().size(); j++) {
          CloudName cloud = a.clouds().get(j);
          String at = path + ".clouds[" + j + "]";
          if (!cloudNames.contains(cloud.value())) {
            problems.add(at + ": unknown cloud '" + cloud + "'; configured: " + names(cloudNames));
          } else if (groupKnown && !allocated.contains(a.group() + "/" + cloud)) {
            problems.add(
                at + ": cloud '" + cloud + "' has no allocation for group '" + a.group()
                    + "'; add one under allocations");
          }
        }
        if (problems.size() == before) {
          aliases.add(new Alias(a.group(), a.name(), new LinkedHashSet<>(a.clouds())));
        }
      }
      return aliases;
    }

    /**
     * Either one {@code job-source} (named {@value JobSourceConfig#DEFAULT_NAME}) or a list of
     * named {@code job-sources}.
     */
    private List<JobSourceConfig> jobSources() {
      JsonNode one = root.get("job-source");
      JsonNode many = root.get("job-sources");
      boolean hasOne = one != null && !one.isNull();
      boolean hasMany = many != null && !many.isNull();
      if (hasOne && hasMany) {
        problems.add("job-source: give either job-source (one source for every group) or job-sources (named sources that groups name), not both");
        return List.of();
      }
      if (!hasMany) {
        PluginSelection s = jobSource(one);
        return s == null ? List.of() : List.of(new JobSourceConfig(JobSourceConfig.DEFAULT_NAME, s));
      }
      List<JobSourceConfig> out = new ArrayList<>();
      Map<String, String> firstAt = new HashMap<>();
      List<JsonNode> nodes = list("job-sources");
      if (nodes.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("job-sources"))) {
        problems.add("job-sources: empty; name at least one, e.g. job-sources: [{name: pool-a, driver: htcondor, config: {...}}]");
      }
      for (int i = 0; i < nodes.size(); i++) {
        String path = "job-sources[" + i + "]";
        JobSourceYaml y = BINDER.bind(nodes.get(i), JobSourceYaml.class, path, problems);
        if (y == null) {
          continue;
        }
        if (!JobSourceConfig.NAME.matcher(y.name()).matches()) {
          problems.add(path + ".name: '" + cut(y.name()) + "' is not a job source name; names match " + JobSourceConfig.NAME.pattern());
          continue;
        }
        String previous = firstAt.putIfAbsent(y.name(), path);
        if (previous != null) {
          problems.add(path + ".name: duplicate job source '" + y.name() + "' (also " + previous + ")");
          continue;
        }
        if (y.driver() == null) {
          problems.add(path + ".driver: missing required value (the job source's plugin, e.g. htcondor)");
          continue;
        }
        PluginSelection s = selection(y.driver(), y.config() == null ? Map.of() : y.config(), path);
        if (s != null) {
          out.add(new JobSourceConfig(y.name(), s));
        }
      }
      return out;
    }

    /** Checks each group's {@code job-source} against the sources: with several, every group names one. */
    private Map<GroupName, String> groupJobSources(Set<GroupName> groups, List<JobSourceConfig> sources) {
      Map<GroupName, String> out = new LinkedHashMap<>();
      if (sources.isEmpty()) {
        return out; // already a problem
      }
      Set<String> names = new LinkedHashSet<>();
      sources.forEach(s -> names.add(s.name()));
      List<JsonNode> nodes = list("groups");
      for (int i = 0; i < nodes.size(); i++) {
        JsonNode node = nodes.get(i);
        GroupName g;
        try {
          g = GroupName.of(node.path("name").asText());
        } catch (IllegalArgumentException e) {
          continue; // reported with the group
        }
        if (!groups.contains(g)) {
          continue;
        }
        String path = "groups[" + i + "].job-source";
        String named = groupSourceNames.get(g);
        if (named == null) {
          if (sources.size() > 1 || list("job-sources").size() > 1) { // as written, also when one is wrong
            problems.add(path + ": missing; with several job sources each group names its own; configured: " + names(names));
          }
          continue;
        }
        if (!names.contains(named)) {
          problems.add(path + ": unknown job source '" + cut(named) + "'; configured: " + names(names));
          continue;
        }
        out.put(g, named);
      }
      return out;
    }

    private @Nullable PluginSelection jobSource(@Nullable JsonNode node) {
      if (node == null || node.isNull()) {
        problems.add("job-source: missing; name the job source, e.g. job-source: {driver: htcondor, config: {...}}");
        return null;
      }
      PluginYaml p = BINDER.bind(node, PluginYaml.class, "job-source", problems);
      if (p == null) {
        return null;
      }
      if (p.driver() == null) {
        problems.add("job-source.driver: missing required value (the job source's name, e.g. htcondor)");
        return null;
      }
      return selection(p.driver(), p.config() == null ? Map.of() : p.config(), "job-source");
    }

    private PluginSelection stateStore() {
      PluginYaml p = BINDER.bind(root.get("state-store"), PluginYaml.class, "state-store", problems);
      String driver = p == null || p.driver() == null ? DEFAULT_STORE : p.driver();
      Map<String, Object> config = p == null ? null : p.config();
      if (config == null) {
        config = DEFAULT_STORE.equals(driver) ? Map.of("url", DEFAULT_STORE_URL) : Map.of();
      }
      PluginSelection s = selection(driver, config, "state-store");
      return s != null ? s : new PluginSelection(DEFAULT_STORE, Map.of(), "state-store.config");
    }

    private @Nullable PluginSelection selection(String driver, Map<String, Object> config, String path) {
      if (!driver.matches("[a-z][a-z0-9-]*")) {
        problems.add(path + ".driver: '" + driver + "' is not a plugin name; names match [a-z][a-z0-9-]*");
        return null;
      }
      return new PluginSelection(driver, config, path + ".config");
    }

    private static String cut(String s) {
      return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static String names(Set<String> names) {
      return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
  }
}
