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

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.plugin.htcondor.HtCondorJobSourceProvider;
import org.csv2.spi.JobSource;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expiry of a group's HTCondor token (issue 12 item 5) with tokens the test pool's own {@code
 * condor_token_create} signs: {@code -lifetime} sets the {@code exp} claim the job source reports; a
 * token made without it never expires; the job source still reads the pool meanwhile.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HtCondorTokenIT {
  final Pool pool = new Pool();

  JobSource source(Path tokenFile) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("command-prefix", pool.prefix());
    raw.put("pool", pool.env.get("condor.collector"));
    raw.put("timeout", "20s");
    raw.put("token-file", tokenFile.toString());
    return new HtCondorJobSourceProvider().create(
        TestPluginConfig.of(raw, "job-sources[0].config"), new TestPluginContext(Clock.systemUTC(), "csv2-token-it", "cm"));
  }

  @Test
  void theLifetimeGivenToCondorTokenCreateIsTheExpiryTheJobSourceReports(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("csv2");
    long lifetime = Duration.ofDays(10).toSeconds();
    Instant before = Instant.now().minusSeconds(1);
    Files.writeString(file, pool.condor("condor_token_create", "-identity", "csv2@" + pool.env.get("condor.hostname"),
        "-lifetime", Long.toString(lifetime)));
    Instant after = Instant.now().plusSeconds(1);
    try (JobSource source = source(file)) {
      assertThat(source.credentialsExpireAt()).as("exp claim of a token with -lifetime %s", lifetime)
          .hasValueSatisfying(exp -> assertThat(exp).isBetween(before.plusSeconds(lifetime), after.plusSeconds(lifetime)));
      assertThat(source.snapshot().workers()).as("the pool is read as usual").isNotNull();

      // renewed by a token without -lifetime: it never expires, and the next call sees it
      Files.writeString(file, pool.condor("condor_token_create", "-identity", "csv2@" + pool.env.get("condor.hostname")));
      assertThat(source.credentialsExpireAt()).isEmpty();
    }
  }
}
