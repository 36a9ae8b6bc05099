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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.csv2.api.ConfigurationException;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String MINIMAL = "job-source:\n  driver: htcondor\n";

  private static Function<String, @Nullable String> env(Map<String, String> values) {
    return values::get;
  }

  private static Csv2Config parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, env(env), "test.yaml");
  }

  private static List<String> problems(String yaml, Map<String, String> env) {
    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> parse(yaml, env));
    assertThat(e).as("expected a ConfigurationException").isNotNull();
    return e.problems();
  }

  @Test
  void accountingSectionIsReadAndChecked() {
    String groups = "groups:\n  - name: atlas\n";
    Csv2Config c = parse(MINIMAL + groups
        + "accounting:\n  site-name: CA-TEST\n  outgoing: /var/spool/apel/outgoing\n  interval: 1d\n"
        + "  benchmarks:\n    - {flavor: c8, type: HEPSPEC, value: 10.5}\n"
        + "  groups:\n    - {group: atlas, fqan: /atlas/Role=production, global-user-name: /CN=pilot}\n", Map.of());
    AccountingSettings a = c.accounting();
    assertThat(a.siteName()).isEqualTo("CA-TEST");
    assertThat(a.outgoing()).isEqualTo(java.nio.file.Path.of("/var/spool/apel/outgoing"));
    assertThat(a.interval()).isEqualTo(java.time.Duration.ofDays(1));
    assertThat(a.benchmark(org.csv2.model.FlavorName.of("c8"))).contains(new AccountingSettings.Benchmark("HEPSPEC", 10.5));
    assertThat(a.identity(GroupName.of("atlas")).fqan()).isEqualTo("/atlas/Role=production");
    assertThat(a.identity(GroupName.of("other")).fqan()).as("default: the group's name as VO").isEqualTo("/other");
    assertThat(parse(MINIMAL, Map.of()).accounting()).isEqualTo(AccountingSettings.NONE);

    assertThat(problems(MINIMAL + groups + "accounting:\n  outgoing: /x\n  groups:\n    - {group: cms, fqan: cms}\n", Map.of()))
        .anyMatch(p -> p.startsWith("accounting.site-name"))
        .anyMatch(p -> p.startsWith("accounting.groups[0].group: unknown group 'cms'"))
        .anyMatch(p -> p.startsWith("accounting.groups[0].fqan"));
  }

  @Test
  void defaults() {
    Csv2Config c = parse(MINIMAL, Map.of("HOSTNAME", "Worker_01.Example.ORG"));

    assertThat(c.engine())
        .isEqualTo(EngineSettings.defaults("worker-01"));
    assertThat(c.engine().timers()).isEqualTo(Timers.DEFAULTS);
    assertThat(c.engine().throttles()).isEqualTo(Throttles.DEFAULTS);
    assertThat(c.groups()).isEmpty();
    assertThat(c.clouds()).isEmpty();
    assertThat(c.allocations()).isEmpty();
    assertThat(c.aliases()).isEmpty();
    assertThat(c.jobSource()).isEqualTo(new PluginSelection("htcondor", Map.of(), "job-source.config"));
    assertThat(c.stateStore())
        .isEqualTo(
            new PluginSelection(
                "jdbc", Map.of("url", "jdbc:h2:file:./csv2-data/csv2"), "state-store.config"));
  }

  @Test
  void elementDefaults() {
    String yaml =
        MINIMAL
            + "groups:\n  - name: atlas\n    user-data:\n      - {name: base, template: '#cloud-config'}\n"
            + "clouds:\n  - {name: arbutus, driver: openstack}\n"
            + "allocations:\n  - {group: atlas, cloud: arbutus}\n"
            + "state-store: {driver: memory}\n";
    Csv2Config c = parse(yaml, Map.of("HOSTNAME", "h"));

    Group g = c.groups().get(0);
    assertThat(g.jobDefaults()).isEqualTo(Group.DEFAULT_JOB);
    assertThat(g.vmDefaults()).isEqualTo(VmDefaults.NONE);
    assertThat(g.submitters()).isEmpty();
    assertThat(g.weight()).isEqualTo(1.0);
    assertThat(g.variables()).isEmpty();
    assertThat(g.userData())
        .containsExactly(new UserDataDocument("base", 0, "text/cloud-config", "#cloud-config", true));
    assertThat(c.clouds().get(0).cloud()).isEqualTo(new Cloud(CloudName.of("arbutus"), "openstack", true));
    assertThat(c.clouds().get(0).driver()).isEqualTo(new PluginSelection("openstack", Map.of(), "clouds[0].config"));
    assertThat(c.allocations()).containsExactly(Allocation.of("atlas", "arbutus", 0));
    assertThat(c.stateStore()).isEqualTo(new PluginSelection("memory", Map.of(), "state-store.config"));
  }

  @Test
  void classicPolicyTakesClassicThrottlesUnlessSet() {
    Csv2Config classic = parse(MINIMAL + "engine: {instance-id: e1, policy: csv2-classic}\n", Map.of());
    assertThat(classic.engine().throttles()).isEqualTo(Throttles.CLASSIC);

    Csv2Config partly =
        parse(MINIMAL + "engine: {instance-id: e1, policy: csv2-classic}\nthrottles: {idle-vms: 3}\n", Map.of());
    assertThat(partly.engine().throttles()).isEqualTo(new Throttles(5, 5, 3, 0.1, 1));
  }

  @Test
  void fullExplicitMapping(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("ud"));
    Files.writeString(dir.resolve("ud/gpu.sh"), "#!/bin/sh\necho ${HOME} {{vm_name}}\n", StandardCharsets.UTF_8);
    String yaml =
        """
        engine:
          instance-id: csv2-prod
          policy: csv2-classic
          flavor-policy: smallest-fit
          call-timeout: 30s
          breaker-failures: 5
          breaker-open-for: 2m
          lease-ttl: PT90S
        timers:
          cycle: 15s
          keep-alive: 10m
          keep-alive-floor: 1m
          come-alive: 1h
          job-alive: 20m
          error-delay: 6m
          retire-interval: 500s
          flavor-refresh: 1d
        throttles:
          vms-per-boot-call: 7
          starting-per-cloud: 8
          idle-vms: 9
          idle-vms-fraction: 0.25
          boots-per-group-per-cycle: 2
        groups:
          - name: atlas
            job-defaults: {cores: 2, ram-mib: 4000, disk-gib: 20, swap-mib: 100, gpus: 1}
            vm-defaults:
              image: centos-9
              flavor: c4
              keep-alive: 5m
              key-name: ops
              network: private
              security-groups: [default, condor]
            user-data:
              - name: default.yaml
                priority: 10
                mime-type: text/cloud-config
                template: |
                  #cloud-config
                  write_files:
                    - path: /etc/condor/central_manager
                      content: "{{ condor_host }} ${NOT_SUBSTITUTED}"
                enabled: true
              - name: gpu.sh
                priority: 20
                mime-type: text/x-shellscript
                file: ud/gpu.sh
                enabled: false
            submitters: [alice, bob]
            weight: 2.5
            variables:
              condor_host: ${CONDOR_HOST}
        clouds:
          - name: arbutus
            driver: openstack
            enabled: false
            config:
              auth-url: https://keystone.example.org:5000/v3
              password: ${OS_PASSWORD}
              regions: [east, west]
        allocations:
          - group: atlas
            cloud: arbutus
            priority: 1
            cores-ctl: 100
            cores-softmax: 80
            ram-ctl-mib: 400000
            mode: opportunistic
            exclude-flavors: [c16]
            vm-overrides: {image: alma-9, keep-alive: 15m, security-groups: []}
            user-data:
              - {name: site.yaml, template: "#cloud-config\\nbootcmd: [echo {{cloud}}]", priority: 5}
            enabled: false
        aliases:
          - group: atlas
            name: canada
            clouds: [arbutus]
        job-source:
          driver: htcondor
          config: {collector: "cm.example.org:9618", poll: 20s}
        state-store:
          driver: jdbc
          config: {url: "jdbc:postgresql://db/csv2", user: csv2}
        """;
    Csv2Config c =
        ConfigLoader.parse(
            yaml, env(Map.of("CONDOR_HOST", "cm.example.org", "OS_PASSWORD", "s3cret")), "full", dir);

    Timers timers =
        new Timers(
            Duration.ofSeconds(15),
            Duration.ofMinutes(10),
            Duration.ofMinutes(1),
            Duration.ofHours(1),
            Duration.ofMinutes(20),
            Duration.ofMinutes(6),
            Duration.ofSeconds(500),
            Duration.ofDays(1));
    EngineSettings engine =
        new EngineSettings(
            "csv2-prod",
            "csv2-classic",
            FlavorPolicy.SMALLEST_FIT,
            timers,
            new Throttles(7, 8, 9, 0.25, 2),
            Duration.ofSeconds(30),
            5,
            Duration.ofMinutes(2),
            Duration.ofSeconds(90));
    Group atlas =
        new Group(
            GroupName.of("atlas"),
            new Resources(2, 4000, 20, 100, 1),
            new VmDefaults(
                "centos-9",
                FlavorName.of("c4"),
                Duration.ofMinutes(5),
                "ops",
                "private",
                List.of("default", "condor")),
            List.of(
                new UserDataDocument(
                    "default.yaml",
                    10,
                    "text/cloud-config",
                    "#cloud-config\nwrite_files:\n  - path: /etc/condor/central_manager\n"
                        + "    content: \"{{ condor_host }} ${NOT_SUBSTITUTED}\"\n",
                    true),
                new UserDataDocument(
                    "gpu.sh", 20, "text/x-shellscript", "#!/bin/sh\necho ${HOME} {{vm_name}}\n", false)),
            List.of("alice", "bob"),
            2.5,
            Map.of("condor_host", "cm.example.org"));
    CloudConfig arbutus =
        new CloudConfig(
            new Cloud(CloudName.of("arbutus"), "openstack", false),
            new PluginSelection(
                "openstack",
                Map.of(
                    "auth-url", "https://keystone.example.org:5000/v3",
                    "password", "s3cret",
                    "regions", List.of("east", "west")),
                "clouds[0].config"));
    Allocation allocation =
        new Allocation(
            GroupName.of("atlas"),
            CloudName.of("arbutus"),
            1,
            100,
            80,
            400000,
            AllocationMode.OPPORTUNISTIC,
            Set.of(FlavorName.of("c16")),
            new VmDefaults("alma-9", null, Duration.ofMinutes(15), null, null, List.of()),
            List.of(
                new UserDataDocument(
                    "site.yaml", 5, "text/cloud-config", "#cloud-config\nbootcmd: [echo {{cloud}}]", true)),
            false);
    Alias alias =
        new Alias(GroupName.of("atlas"), AliasName.of("canada"), new LinkedHashSet<>(List.of(CloudName.of("arbutus"))));
    Csv2Config expected =
        new Csv2Config(
            engine,
            List.of(atlas),
            List.of(arbutus),
            List.of(allocation),
            List.of(alias),
            new PluginSelection(
                "htcondor", Map.of("collector", "cm.example.org:9618", "poll", "20s"), "job-source.config"),
            new PluginSelection(
                "jdbc", Map.of("url", "jdbc:postgresql://db/csv2", "user", "csv2"), "state-store.config"));

    assertThat(c).isEqualTo(expected);
  }

  @Test
  void everyFlavorPolicyHasItsYamlName() {
    assertThat(parse(MINIMAL + "engine: {instance-id: e1, flavor-policy: least-expected-cost}\n", Map.of()).engine().flavorPolicy())
        .isEqualTo(FlavorPolicy.LEAST_EXPECTED_COST);
    assertThat(parse(MINIMAL + "engine: {instance-id: e1, flavor-policy: least-cost-per-job}\n", Map.of()).engine().flavorPolicy())
        .isEqualTo(FlavorPolicy.LEAST_COST_PER_JOB);
    assertThat(parse(MINIMAL + "engine: {instance-id: e1}\n", Map.of()).engine().flavorPolicy())
        .as("the default").isEqualTo(FlavorPolicy.LEAST_COST_PER_JOB);
  }

  @Test
  void unknownKeyIsRejectedWithItsPath() {
    String yaml =
        MINIMAL
            + "colour: blue\n"
            + "groups:\n  - name: atlas\n    vm-defaults: {image: x, colour: red}\n";
    assertThat(problems(yaml, Map.of("HOSTNAME", "h")))
        .anySatisfy(p -> assertThat(p).startsWith("colour: unknown key; known keys: engine, timers"))
        .anySatisfy(p -> assertThat(p).startsWith("groups[0].vm-defaults.colour: unknown key; known keys: image, flavor, keep-alive"));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml =
        """
        engine: {instance-id: e1}
        timers: {cycle: 10x}
        throttles: {idle-vms: many}
        groups:
          - name: atlas
          - name: cms
            weight: heavy
        clouds:
          - name: a
            driver: openstack
            config: {password: "${OS_PASSWORD}"}
          - name: b
            driver: ec2
        allocations:
          - {group: atlas, cloud: x}
          - {group: cms, cloud: a}
        job-source: {driver: htcondor}
        """;
    List<String> problems = problems(yaml, Map.of());

    assertThat(problems)
        .contains(
            "timers.cycle: '10x' is not a duration: use 500ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S",
            "throttles.idle-vms: expected an integer, got 'many'",
            "groups[1].weight: expected a number, got 'heavy'",
            "clouds[0].config.password: environment variable 'OS_PASSWORD' is not set; set it or write"
                + " ${OS_PASSWORD:-default}",
            "allocations[0].cloud: unknown cloud 'x'; configured: a, b")
        .hasSize(5);
  }

  @Test
  void theMessageListsEveryProblem() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> parse("timers: {cycle: 1y, keep-alive: 2y}\n", Map.of("HOSTNAME", "h")));
    assertThat(e.getMessage())
        .contains("(3 problems)")
        .contains("timers.cycle: '1y'")
        .contains("timers.keep-alive: '2y'")
        .contains("job-source: missing");
  }

  @Test
  void environmentSubstitution() {
    String yaml =
        """
        engine: {instance-id: "${ID}"}
        throttles: {idle-vms: "${IDLE}", vms-per-boot-call: "${UNSET:-4}", starting-per-cloud: "${EMPTY:-6}"}
        job-source:
          driver: ${DRIVER:-htcondor}
          config:
            url: "http://${HOST}:${PORT}/x"
            literal: "$${NOT_A_VAR}"
            empty: "${EMPTY}"
        """;
    Csv2Config c = parse(yaml, Map.of("ID", "e7", "IDLE", "12", "HOST", "cm", "PORT", "9618", "EMPTY", ""));

    assertThat(c.engine().instanceId()).isEqualTo("e7");
    assertThat(c.engine().throttles()).isEqualTo(new Throttles(4, 6, 12, 0.1, 0));
    assertThat(c.jobSource().driver()).isEqualTo("htcondor");
    assertThat(c.jobSource().config())
        .containsEntry("url", "http://cm:9618/x")
        .containsEntry("literal", "${NOT_A_VAR}")
        .containsEntry("empty", "");
  }

  @Test
  void malformedReferencesAreReported() {
    List<String> problems =
        problems(MINIMAL + "engine: {instance-id: \"${bad name}\", policy: \"${OPEN\"}\n", Map.of("HOSTNAME", "h"));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("engine.instance-id: '${bad name}' is not a variable reference"))
        .anySatisfy(p -> assertThat(p).startsWith("engine.policy: unclosed '${'"));
  }

  @Test
  void durationForms() {
    String yaml =
        MINIMAL
            + "engine: {instance-id: e1, call-timeout: 500ms, breaker-open-for: 1d, lease-ttl: PT1M30S}\n"
            + "timers: {cycle: 2h, keep-alive: 5m, come-alive: 10s}\n";
    Csv2Config c = parse(yaml, Map.of());
    assertThat(c.engine().callTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.engine().breakerOpenFor()).isEqualTo(Duration.ofDays(1));
    assertThat(c.engine().leaseTtl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.engine().timers().cycle()).isEqualTo(Duration.ofHours(2));
    assertThat(c.engine().timers().keepAlive()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.engine().timers().comeAlive()).isEqualTo(Duration.ofSeconds(10));

    assertThat(problems(MINIMAL + "engine: {instance-id: e1, lease-ttl: 300}\n", Map.of()))
        .containsExactly("engine.lease-ttl: '300' is not a duration: use 500ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S");
    assertThat(problems(MINIMAL + "timers: {cycle: 0s}\n", Map.of("HOSTNAME", "h")))
        .containsExactly("timers: cycle must be positive, was PT0S");
  }

  @Test
  void yamlAliasesAreRefusedNotReadAsTheirNames() {
    // issue 20 item 7: "cycle: *t" became the text "t"
    String yaml = MINIMAL + "engine: {instance-id: e1}\nx-defaults: &t 20s\ntimers: {cycle: *t}\n";
    assertThat(problems(yaml, Map.of()))
        .singleElement().asString()
        .contains("line 5: the alias *t refers to a single value");
    String mapping =
        MINIMAL + "engine: {instance-id: e1}\ngroups:\n  - name: a\n    vm-defaults: &d {image: alma9}\n"
            + "  - name: b\n    vm-defaults: *d\n";
    assertThat(problems(mapping, Map.of()))
        .singleElement().asString()
        .contains("line 8: the alias *d refers to a mapping or a list; csv2 does not resolve YAML aliases");
  }

  @Test
  void userDataFilesMustBeRegularAndBounded(@TempDir Path dir) throws IOException {
    // issue 20 item 6: file: /dev/zero ended in an OutOfMemoryError
    String zero = MINIMAL + "engine: {instance-id: e1}\ngroups:\n  - name: a\n    user-data:\n      - {name: z.sh, file: /dev/zero}\n";
    assertThat(problems(zero, Map.of())).singleElement().asString().contains("/dev/zero is not a regular file");
    Path big = dir.resolve("big.sh");
    Files.write(big, new byte[(int) ConfigLoader.MAX_USER_DATA_FILE_BYTES + 1]);
    String large = MINIMAL + "engine: {instance-id: e1}\ngroups:\n  - name: a\n    user-data:\n      - {name: b.sh, file: " + big + "}\n";
    assertThat(problems(large, Map.of())).singleElement().asString().contains("a user-data file holds at most");
  }

  @Test
  void aHugeConfigurationIsRefusedBeforeItIsParsed() {
    // issue 20 item 6: a 50 MB string value ran for minutes at 2.5 GB
    String huge = MINIMAL + "engine: {instance-id: e1}\nx: \"" + "a".repeat(ConfigLoader.MAX_CONFIG_CHARS) + "\"\n";
    assertThat(problems(huge, Map.of())).singleElement().asString().contains("a configuration holds at most");
  }

  @Test
  void zeroDeadlinesAndIntervalsAreRefused() {
    // issue 20 item 4: call-timeout: 0ms was accepted, and every call then timed out at once
    assertThat(problems(MINIMAL + "engine: {instance-id: e1, call-timeout: 0ms}\n", Map.of()))
        .singleElement().asString().contains("call-timeout must be positive");
    assertThat(problems(MINIMAL + "engine: {instance-id: e1, lease-ttl: 0s}\n", Map.of()))
        .singleElement().asString().contains("lease-ttl must be positive");
    assertThat(problems(MINIMAL + "engine: {instance-id: e1, breaker-open-for: 0s}\n", Map.of()))
        .singleElement().asString().contains("breaker-open-for must be positive");
    for (String timer : List.of("come-alive", "job-alive", "error-delay", "retire-interval", "flavor-refresh")) {
      assertThat(problems(MINIMAL + "timers: {" + timer + ": 0s}\n", Map.of("HOSTNAME", "h")))
          .as(timer).singleElement().asString().contains(timer + " must be positive");
    }
    assertThat(parse(MINIMAL + "timers: {keep-alive: 0s}\n", Map.of("HOSTNAME", "h")).engine().timers().keepAlive())
        .as("keep-alive 0 retires at once, a choice").isZero();
  }

  @Test
  void crossReferencesAreChecked() {
    String yaml =
        """
        engine: {instance-id: e1, policy: Fancy}
        groups:
          - name: atlas
            vm-defaults: {flavor: c8}
          - name: atlas
          - name: cms
            variables: {group: x, "bad-name": y}
            user-data:
              - {name: a, template: "{{ nope }}"}
              - {name: a, template: "x"}
              - {name: b}
              - {name: c, template: x, file: y}
              - {name: d, resource: org/csv2/nowhere.tmpl}
              - {name: e, resource: org/csv2/core/config/shipped-document.tmpl}
        clouds:
          - {name: c1, driver: openstack}
          - {name: c1, driver: ec2}
          - {name: c2, driver: Bad}
        allocations:
          - {group: atlas, cloud: c1, exclude-flavors: [c8]}
          - {group: atlas, cloud: c1}
          - {group: ghost, cloud: c1}
        aliases:
          - {group: cms, name: all, clouds: [c1, c9]}
          - {group: ghost, name: g, clouds: []}
        """;
    List<String> problems = problems(yaml, Map.of());

    assertThat(problems)
        .contains(
            "engine.policy: 'Fancy' is not a policy name ([a-z][a-z0-9-]*); built in: csv2-classic, default",
            "groups[2].variables.bad-name: a variable name is letters, digits and _, not starting with a digit",
            "groups[2].variables.group: 'group' is a built-in variable; choose another name",
            "groups[1].name: duplicate group 'atlas' (also groups[0])",
            "groups[2].user-data[1].name: duplicate user-data document 'a' (also groups[2].user-data[0])",
            "groups[2].user-data[2]: set template (the document inline), file (a path relative to the"
                + " configuration file) or resource (a document shipped in a jar, such as"
                + " org/csv2/plugin/htcondor/worker-condor.yaml.tmpl)",
            "groups[2].user-data[3]: set only one of template, file and resource",
            "groups[2].user-data[4].resource: no resource 'org/csv2/nowhere.tmpl' on the classpath (is the plugin"
                + " that ships it there?)",
            "clouds[1].name: duplicate cloud 'c1' (also clouds[0])",
            "allocations[0].exclude-flavors: excludes 'c8', the flavor this allocation's VMs are set to use"
                + " (vm-overrides.flavor or the group's vm-defaults.flavor)",
            "allocations[1]: duplicate allocation of group 'atlas' on cloud 'c1' (also allocations[0])",
            "allocations[2].group: unknown group 'ghost'; configured: atlas, cms",
            "aliases[0].clouds[0]: cloud 'c1' has no allocation for group 'cms'; add one under allocations",
            "aliases[0].clouds[1]: unknown cloud 'c9'; configured: c1, c2",
            "aliases[1].group: unknown group 'ghost'; configured: atlas, cms",
            "aliases[1].clouds: an alias needs at least one cloud",
            "job-source: missing; name the job source, e.g. job-source: {driver: htcondor, config: {...}}")
        .anySatisfy(p -> assertThat(p).startsWith("clouds[2].driver: cloud c2: driver name 'Bad' is invalid"))
        .noneMatch(p -> p.startsWith("groups[2].user-data[5]"));
  }

  @Test
  void templatesMayUseOnlyKnownVariables() {
    String yaml =
        MINIMAL
            + "engine: {instance-id: e1}\n"
            + "groups:\n  - name: atlas\n    variables: {condor_host: cm}\n    user-data:\n"
            + "      - {name: ok, template: '{{cs_condor_host}} {{ vm_name }} {{condor_host}}'}\n"
            + "      - {name: bad, template: '{{ token }}'}\n"
            + "      - {name: logic, template: '{{ a | b }}'}\n";
    assertThat(problems(yaml, Map.of()))
        .hasSize(2)
        .anySatisfy(
            p -> assertThat(p).startsWith("groups[0].user-data[1].template: user-data document 'bad' uses unknown variable 'token'; available: "))
        .anySatisfy(
            p -> assertThat(p).startsWith("groups[0].user-data[2].template: user-data document 'logic', line 1: '{{a | b}}' is not a variable name"));
  }

  @Test
  void badElementsDoNotHideOthers() {
    String yaml =
        MINIMAL
            + "engine: {instance-id: e1}\n"
            + "groups:\n  - name: Bad Name\n  - name: ok\n    job-defaults: {cores: -1}\n  - 7\n"
            + "allocations:\n  - {group: Bad Name, cloud: c, mode: sometimes}\n";
    assertThat(problems(yaml, Map.of()))
        .contains(
            "groups[2]: expected a mapping with keys (name, job-defaults, vm-defaults, user-data, submitters,"
                + " weight, variables, job-source), got a number",
            "allocations[0].mode: 'sometimes' is not one of: preferred, opportunistic")
        .anySatisfy(p -> assertThat(p).startsWith("groups[0].name: group name 'Bad Name' is invalid"))
        .anySatisfy(p -> assertThat(p).startsWith("groups[1]: negative resources"))
        .anySatisfy(p -> assertThat(p).startsWith("allocations[0].group: group name 'Bad Name' is invalid"));
  }

  @Test
  void eachGroupReadsTheJobSourceItNames() {
    String yaml =
        """
        groups:
          - { name: atlas, job-source: cm-atlas }
          - { name: belle, job-source: cm-belle }
        job-sources:
          - { name: cm-atlas, driver: htcondor, config: { collector: a.example.org } }
          - { name: cm-belle, driver: htcondor }
        """;
    Csv2Config c = parse(yaml, Map.of());
    assertThat(c.jobSources()).extracting(JobSourceConfig::name).containsExactly("cm-atlas", "cm-belle");
    assertThat(c.jobSources().get(0).plugin().config()).containsEntry("collector", "a.example.org");
    assertThat(c.jobSources().get(1).plugin().path()).isEqualTo("job-sources[1].config");
    assertThat(c.jobSourceOf(GroupName.of("atlas"))).contains("cm-atlas");
    assertThat(c.jobSourceOf(GroupName.of("belle"))).contains("cm-belle");
    assertThat(c.jobSourceOf(GroupName.of("gone"))).isEmpty();
    assertThat(c.jobSource().driver()).isEqualTo("htcondor");

    Csv2Config single = parse("groups: [{name: atlas}]\n" + MINIMAL, Map.of());
    assertThat(single.jobSources()).extracting(JobSourceConfig::name).containsExactly(JobSourceConfig.DEFAULT_NAME);
    assertThat(single.jobSourceOf(GroupName.of("atlas"))).contains(JobSourceConfig.DEFAULT_NAME);
    assertThat(single.jobSourceOf(GroupName.of("removed"))).contains(JobSourceConfig.DEFAULT_NAME);
  }

  @Test
  void jobSourceMistakesAreReportedTogether() {
    String yaml =
        """
        groups:
          - { name: atlas }
          - { name: belle, job-source: nope }
          - { name: cms, job-source: cm-a }
        job-sources:
          - { name: cm-a, driver: htcondor }
          - { name: cm-a, driver: htcondor }
          - { name: Bad_Name, driver: htcondor }
          - { name: cm-c }
        """;
    assertThat(problems(yaml, Map.of()))
        .contains(
            "groups[0].job-source: missing; with several job sources each group names its own; configured: cm-a",
            "groups[1].job-source: unknown job source 'nope'; configured: cm-a",
            "job-sources[1].name: duplicate job source 'cm-a' (also job-sources[0])",
            "job-sources[2].name: 'Bad_Name' is not a job source name; names match [a-z][a-z0-9-]{0,62}",
            "job-sources[3].driver: missing required value (the job source's plugin, e.g. htcondor)");
    assertThat(problems("job-sources: [{name: a, driver: htcondor}]\n" + MINIMAL, Map.of()))
        .containsExactly(
            "job-source: give either job-source (one source for every group) or job-sources (named sources that groups name), not both");
    assertThat(problems("job-sources: []\n", Map.of())).anyMatch(p -> p.startsWith("job-sources: empty"));
  }

  @Test
  void syntaxErrorsNameTheSourceAndPosition() {
    assertThatThrownBy(() -> parse("groups: [a\nclouds: {", Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("test.yaml: not valid YAML: line ");
    assertThatThrownBy(() -> parse("job-source: {driver: a}\njob-source: {driver: b}\n", Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Duplicate field 'job-source'");
    assertThatThrownBy(() -> parse("- a\n- b\n", Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("test.yaml: expected a mapping");
  }

  @Test
  void loadReadsUserDataFilesRelativeToTheConfigFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("boot.yaml"), "#cloud-config\nruncmd: [true]\n", StandardCharsets.UTF_8);
    Path file = dir.resolve("csv2.yaml");
    Files.writeString(
        file,
        MINIMAL + "engine: {instance-id: e1}\ngroups:\n  - name: g\n    user-data:\n      - {name: boot, file: boot.yaml}\n"
            + "      - {name: gone, file: missing.yaml}\n",
        StandardCharsets.UTF_8);

    assertThat(catchThrowableOfType(ConfigurationException.class, () -> ConfigLoader.load(file)).problems())
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("groups[0].user-data[1].file: cannot read " + dir.resolve("missing.yaml")));

    Files.writeString(
        file,
        MINIMAL + "engine: {instance-id: e1}\ngroups:\n  - name: g\n    user-data:\n      - {name: boot, file: boot.yaml}\n",
        StandardCharsets.UTF_8);
    assertThat(ConfigLoader.load(file).groups().get(0).userData().get(0).template())
        .isEqualTo("#cloud-config\nruncmd: [true]\n");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("nope.yaml: cannot read the configuration file");
  }

  @Test
  void instanceIdFromHostName() {
    assertThat(ConfigLoader.instanceIdFromHost("Node-1.example.org")).isEqualTo("node-1");
    assertThat(ConfigLoader.instanceIdFromHost("--weird__HOST--")).isEqualTo("weird-host");
    assertThat(ConfigLoader.instanceIdFromHost("...")).isEqualTo("csv2");
    assertThat(ConfigLoader.instanceIdFromHost("a".repeat(31) + "-b-" + "c".repeat(10))).isEqualTo("a".repeat(31));
    assertThat(ConfigLoader.instanceIdFromHost("x".repeat(40))).hasSize(32);
    assertThat(problems(MINIMAL + "engine: {instance-id: Not_Valid}\n", Map.of()))
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("engine.instance-id: instance id 'Not_Valid' is invalid"));
  }

  @Test
  void limitsBelowZeroMeanQuota() {
    Csv2Config c =
        parse(
            MINIMAL
                + "engine: {instance-id: e1}\ngroups: [{name: g}]\nclouds: [{name: c, driver: d}]\n"
                + "allocations: [{group: g, cloud: c, cores-ctl: -1, ram-ctl-mib: -5}]\n",
            Map.of());
    assertThat(c.allocations().get(0).coresCtl()).isEqualTo(Limits.UNLIMITED);
    assertThat(c.allocations().get(0).ramCtlMiB()).isEqualTo(Limits.UNLIMITED);
  }

  @Test
  void theDocumentedFullExampleIsValid(@TempDir Path dir) throws IOException {
    Path doc = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int start = text.indexOf("```yaml\n", text.indexOf("## Full example")) + "```yaml\n".length();
    String yaml = text.substring(start, text.indexOf("```", start));
    Files.createDirectories(dir.resolve("user-data"));
    Files.writeString(dir.resolve("user-data/gpu-drivers.sh"), "#!/bin/sh\n", StandardCharsets.UTF_8);
    Map<String, String> env =
        Map.of(
            "ATLAS_CONDOR_TOKEN", "t",
            "ARBUTUS_PASSWORD", "p",
            "AWS_ACCESS_KEY_ID", "k",
            "AWS_SECRET_ACCESS_KEY", "s",
            "CSV2_DB_PASSWORD", "d");

    Csv2Config c = ConfigLoader.parse(yaml, env(env), doc.toString(), dir);

    assertThat(c.engine().instanceId()).isEqualTo("csv2-uvic");
    assertThat(c.groups()).singleElement().satisfies(g -> assertThat(g.userData()).hasSize(2));
    assertThat(c.allocations()).hasSize(2);
    assertThat(c.aliases()).hasSize(1);
    assertThat(c.stateStore().config()).containsEntry("password", "d");
  }

  @Test
  void aUserDataDocumentCanBeAResourceShippedInAJar() {
    Csv2Config c =
        parse(
            MINIMAL
                + "groups:\n  - name: atlas\n    user-data:\n"
                + "      - {name: shipped, resource: /org/csv2/core/config/shipped-document.tmpl}\n",
            Map.of());
    assertThat(c.groups().get(0).userData())
        .singleElement()
        .satisfies(d -> assertThat(d.template()).contains("a document shipped on the classpath").contains("{{group}}"));
  }

}
