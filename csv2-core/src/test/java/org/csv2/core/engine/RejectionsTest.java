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
package org.csv2.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.csv2.api.CycleReport;
import org.csv2.model.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records from outside that plugins leave out (issue 20): named and counted in the cycle report,
 * the status and a dry run's plan, never failing the cycle.
 */
class RejectionsTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private Rejections.Sink jobSource() {
    return f.metrics.rejections().sink("htcondor", "job-source");
  }

  @Test
  void aCycleReportsTheRecordsItsPluginsRejectedAndTheStatusShowsThem() {
    Reconciler r = f.build();
    jobSource().rejected("job ad schedd1#999.0", "QDate must be a time in epoch seconds up to the year 9999, was 9.2E18");
    jobSource().rejected("ads of startd evil@10.0.0.66", "EnteredCurrentActivity must be a time");
    CycleReport report = r.runCycle();
    assertThat(report.rejectedCount()).isEqualTo(2);
    assertThat(report.rejected())
        .containsExactly(
            "htcondor job-source: job ad schedd1#999.0: QDate must be a time in epoch seconds up to the year 9999, was 9.2E18",
            "htcondor job-source: ads of startd evil@10.0.0.66: EnteredCurrentActivity must be a time");
    assertThat(r.status(false).problems())
        .contains("2 record(s) from outside rejected in the last cycle (see the cycle report and the WARN log)")
        .anyMatch(p -> p.contains("schedd1#999.0"));

    CycleReport clean = r.runCycle();
    assertThat(clean.rejected()).isEmpty();
    assertThat(clean.rejectedCount()).isZero();
    assertThat(r.status(false).problems()).noneMatch(p -> p.contains("rejected"));
  }

  @Test
  void aDryRunShowsWhatACycleWouldLeaveOut() {
    Reconciler r = f.build();
    jobSource().rejected("job ad s#1.0", "RequestCpus is an expression");
    Plan plan = r.plan();
    assertThat(plan.notes()).contains("rejected htcondor job-source: job ad s#1.0: RequestCpus is an expression");
  }

  @Test
  void everyRejectionIsCountedButTheReportListsABoundedFew() {
    Reconciler r = f.build();
    for (int i = 0; i < 5000; i++) {
      jobSource().rejected("job ad s#" + i + ".0", "malformed");
    }
    CycleReport report = r.runCycle();
    assertThat(report.rejectedCount()).isEqualTo(5000);
    assertThat(report.rejected()).hasSize(CycleReport.MAX_REJECTED_LISTED);
    assertThat(f.metrics.rejections().total()).isEqualTo(5000);
  }

  @Test
  void textFromOutsideIsOneBoundedLine() {
    assertThat(Rejections.oneLine("a\nruncmd: [id]\r\t\u0000\u202e")).isEqualTo("a\\nruncmd: [id]\\r\\t??");
    assertThat(Rejections.oneLine("x".repeat(10_000))).hasSize(Rejections.MAX_TEXT + 3).endsWith("...");
    Rejections.Sink s = new Rejections().sink("p", "e");
    s.rejected(null, null);
  }
}
