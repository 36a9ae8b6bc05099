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
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A dry run: what one cycle would do now, and why, without acting and without changing the state
 * store (the scheduler is built {@link Csv2Scheduler.Builder#dryRunOnly() for dry runs}: no
 * database is created or migrated). Exit codes: {@link ExitCodes}.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "plan",
    description = {
      "Dry run: read the clouds and the job source, print what a cycle would do and why. Changes nothing"
          + " (the state store is neither created nor migrated).",
      "Exit codes: 0 planned, 2 invalid configuration or plugin not installed, 4 a store, cloud or job source"
          + " cannot be used, 1 unexpected failure."
    })
final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ExitCodes.guard("plan", this::plan);
  }

  private int plan() {
    try (Scheduler scheduler = Csv2Scheduler.builder().config(config).dryRunOnly().build()) {
      Plan plan = scheduler.plan();
      if (plan.isEmpty()) {
        System.out.println("nothing to do");
      }
      for (PlanAction action : plan.actions()) {
        System.out.println(action.reason());
      }
      for (String note : plan.notes()) {
        System.out.println("note: " + note);
      }
      return ExitCodes.OK;
    }
  }
}
