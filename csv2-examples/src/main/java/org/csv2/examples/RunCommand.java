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

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerListener;
import org.csv2.core.Csv2Scheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs the engine as a daemon until it is stopped (SIGTERM or Ctrl-C). A configuration, plugin or
 * store that cannot be used ends it with a message and the exit code {@code validate} and {@code
 * plan} give ({@link ExitCodes}), no stack trace.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "run",
    description = {
      "Run the engine until stopped (SIGTERM or Ctrl-C).",
      "Exit codes: 0 stopped, 2 invalid configuration or plugin not installed, 4 a store or plugin"
          + " cannot be used, 1 unexpected failure."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ExitCodes.guard("run", this::run);
  }

  private int run() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Scheduler scheduler = Csv2Scheduler.builder().config(config).build();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  scheduler.close();
                  stopped.countDown();
                },
                "csv2-shutdown"));
    scheduler.addListener(
        new SchedulerListener() {
          @Override
          public void cycleCompleted(CycleReport report) {
            System.out.printf(
                "cycle %d: %d idle, %d running jobs; VMs %s; %d actions%n",
                report.cycle(),
                report.idleJobs(),
                report.runningJobs(),
                report.vmsByState(),
                report.plan().actions().size());
          }
        });
    scheduler.start();
    stopped.await();
    return ExitCodes.OK;
  }
}
