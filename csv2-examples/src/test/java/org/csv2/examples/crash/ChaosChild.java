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
package org.csv2.examples.crash;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.model.VmState;

/**
 * An engine process of {@link ChaosIT}: the real engine ({@link Csv2Scheduler}) in wall time with
 * the {@code jdbc} store on a server database, the real {@code ec2} driver against moto, and the
 * job file of {@link JobFileSourceProvider}, all three shared with the other engine processes; the
 * same {@code engine.instance-id} for all, so they split the groups by lease.
 *
 * <p>Arguments, {@code key=value}: {@code engine-id}, {@code groups} (how many, named {@code
 * g1}...), {@code jobs} (the job file), {@code db-url}, {@code db-user}, {@code moto-endpoint},
 * {@code moto-region}, {@code image} (the AMI id the groups boot). The database password comes
 * from {@value CrashChild#PASSWORD_ENV}, moto's keys from {@value #MOTO_KEYS_ENV} ({@code
 * access:secret}).
 *
 * <p>Standard output: {@code started}, then {@code cycle <n> <vms by state> wall+<ms>} per cycle;
 * it runs until killed. The engine's log goes to standard error.
 */
public final class ChaosChild {
  static final String MOTO_KEYS_ENV = "CSV2_CHAOS_MOTO_KEYS";
  static final Duration CYCLE = Duration.ofSeconds(2);
  static final Duration LEASE_TTL = Duration.ofSeconds(6);
  static final String CLOUD = "moto";
  static final String FLAVOR = "t3.micro";

  private ChaosChild() {}

  /**
   * Runs the engine until killed.
   *
   * @param args {@code key=value} arguments, see the class comment
   */
  public static void main(String[] args) throws InterruptedException {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Clock clock = Clock.systemUTC();
    Scheduler engine =
        Csv2Scheduler.builder()
            .configYaml(config(a))
            .clock(clock)
            .addJobSourceProvider(new JobFileSourceProvider(clock))
            .build();
    long wallStart = System.nanoTime();
    System.out.println("started " + clock.instant());
    System.out.flush();
    long next = System.nanoTime();
    for (int cycle = 1; ; cycle++) {
      CycleReport report = engine.runOnce();
      Map<VmState, Integer> byState = new TreeMap<>(report.vmsByState());
      System.out.println("cycle " + cycle + " " + byState + " wall+" + (System.nanoTime() - wallStart) / 1_000_000 + "ms");
      System.out.flush();
      next += CYCLE.toNanos();
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      } else {
        next = System.nanoTime();
      }
    }
  }

  static List<String> groups(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "g" + i).toList();
  }

  private static String config(Map<String, String> a) {
    String[] keys = System.getenv(MOTO_KEYS_ENV).split(":", 2);
    StringBuilder groups = new StringBuilder();
    StringBuilder allocations = new StringBuilder();
    for (String g : groups(Integer.parseInt(a.get("groups")))) {
      groups.append("  - name: ").append(g).append('\n')
          .append("    vm-defaults: { image: \"").append(a.get("image")).append("\", flavor: ").append(FLAVOR)
          .append(" }\n");
      allocations.append("  - { group: ").append(g).append(", cloud: ").append(CLOUD).append(" }\n");
    }
    return """
        engine:
          instance-id: %s
          call-timeout: 15s
          lease-ttl: %ds
        timers:
          cycle: %ds
          keep-alive: 600s
          keep-alive-floor: 10s
          come-alive: 1800s
          job-alive: 600s
          error-delay: 30s
          retire-interval: 60s
          flavor-refresh: 300s
        groups:
        %s
        clouds:
          - name: %s
            driver: ec2
            config:
              region: %s
              endpoint: "%s"
              access-key-id: "%s"
              secret-access-key: "%s"
              image-owners: [amazon]
              instance-types: { families: [t3] }
              vcpu-quota: 256
              call-timeout: 15s
        allocations:
        %s
        job-source:
          driver: %s
          config:
            file: "%s"
        state-store:
          driver: jdbc
          config:
            url: "%s"
            user: "%s"
            password: "${%s}"
            pool-size: 2
            connect-timeout: 10s
        """
        .formatted(
            a.get("engine-id"), LEASE_TTL.toSeconds(), CYCLE.toSeconds(), groups.toString().stripTrailing(), CLOUD,
            a.get("moto-region"), a.get("moto-endpoint"), keys[0], keys[1], allocations.toString().stripTrailing(),
            JobFileSourceProvider.NAME, a.get("jobs"), a.get("db-url"), a.get("db-user"), CrashChild.PASSWORD_ENV);
  }
}
