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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.csv2.model.Job;
import org.junit.jupiter.api.Test;

/** The wall-time request read from a job ad: which attribute, which unit, and bad values ignored. */
class JobAdsWallTimeTest {
  private static Job map(String extra) throws Exception {
    String json =
        "[{\"ClusterId\": 7, \"ProcId\": 0, \"JobStatus\": 1, \"Owner\": \"alice\", \"QDate\": 1700000000,"
            + " \"RequestCpus\": 1, \"RequestMemory\": 1000, \"Csv2Group\": \"atlas\""
            + extra
            + "}]";
    JobAds.Outcome o = new JobAds(null).map(ClassAds.parse(json).get(0), "schedd");
    assertThat(o.job()).as("%s", o.skipped()).isNotNull();
    return o.job();
  }

  @Test
  void noAttributeMeansUnknown() throws Exception {
    assertThat(map("").requestedWallTime()).isNull();
  }

  @Test
  void maxWallTimeMinsIsInMinutes() throws Exception {
    assertThat(map(", \"MaxWallTimeMins\": 90").requestedWallTime()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void maxRuntimeAndJobDurationEstimateAreInSeconds() throws Exception {
    assertThat(map(", \"MaxRuntime\": 3600").requestedWallTime()).isEqualTo(Duration.ofHours(1));
    assertThat(map(", \"JobDurationEstimate\": \"1800\"").requestedWallTime()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void maxWallTimeMinsComesFirst() throws Exception {
    assertThat(map(", \"MaxWallTimeMins\": 10, \"MaxRuntime\": 3600").requestedWallTime())
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void badValuesAreIgnoredAndTheJobKept() throws Exception {
    assertThat(map(", \"MaxWallTimeMins\": -5").requestedWallTime()).isNull();
    assertThat(map(", \"MaxWallTimeMins\": 0").requestedWallTime()).isNull();
    assertThat(map(", \"MaxRuntime\": 1e300").requestedWallTime()).isNull();
    assertThat(map(", \"MaxRuntime\": \"NaN\"").requestedWallTime()).isNull();
    assertThat(map(", \"MaxRuntime\": \"soon\"").requestedWallTime()).isNull();
    assertThat(map(", \"MaxWallTimeMins\": \"RequestCpus * 60\"").requestedWallTime()).isNull();
  }
}
