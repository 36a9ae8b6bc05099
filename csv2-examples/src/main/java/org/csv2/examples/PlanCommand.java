package org.csv2.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.csv2.api.Csv2Exception;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** A dry run: what one cycle would do now, and why, without acting. */
@Command(
    mixinStandardHelpOptions = true,
    name = "plan",
    description = "Dry run: read the clouds and the job source, print what a cycle would do and why.")
final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    try (Scheduler scheduler = Csv2Scheduler.builder().config(config).build()) {
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
      return 0;
    } catch (Csv2Exception e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
