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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.csv2.api.CycleReport;
import org.csv2.model.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the records from outside that plugins left out ({@link
 * org.csv2.spi.PluginContext#rejected}) and the engine's own (stored rows), for the cycle report,
 * the status and the log.
 *
 * <p>Each record is logged at WARN the first time it is rejected for a reason; while it is rejected
 * again cycle after cycle for the same reason it is logged at DEBUG only (a bad ad that stays in
 * the queue does not flood the log), and at WARN again if it comes back after a cycle without it.
 * Every rejection is counted. At most {@link #MAX_KEPT} are kept by name per cycle; texts are made
 * one line and bounded, since they come from outside.
 *
 * <p><b>Thread safety:</b> sinks may be called from any thread; {@link #drain} is called by the
 * cycle thread.
 */
public final class Rejections {
  private static final Logger log = LoggerFactory.getLogger(Rejections.class);

  /** How many rejected records one cycle keeps by name; the rest are only counted. */
  public static final int MAX_KEPT = 1000;

  /** The longest record name and reason kept, in characters. */
  static final int MAX_TEXT = 300;

  private final Object lock = new Object();
  private List<String> current = new ArrayList<>();
  private Set<String> currentKeys = new HashSet<>();
  private Set<String> previousKeys = Set.of();
  private int count;
  private long total;
  private Drained lastCycle = Drained.NONE;

  /** Where one plugin instance (or the engine itself) reports. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Reports one record left out.
     *
     * @param record names the record
     * @param reason why it was left out
     */
    void rejected(String record, String reason);
  }

  /** What one cycle rejected: the records listed by name and how many in all. */
  public record Drained(List<String> listed, int count) {
    /** Copies. */
    public Drained {
      listed = List.copyOf(listed);
    }

    /** Nothing rejected. */
    public static final Drained NONE = new Drained(List.of(), 0);
  }

  /** Creates an empty collector. */
  public Rejections() {}

  /**
   * The sink of one plugin instance.
   *
   * @param plugin the provider's name, such as {@code htcondor}
   * @param element the configured element it serves, such as {@code job-source} or a cloud's name
   * @return the sink
   */
  public Sink sink(String plugin, String element) {
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(element, "element");
    String source = plugin.equals(element) ? plugin : plugin + " " + element;
    return (record, reason) -> add(source, record, reason);
  }

  private void add(String source, String record, String reason) {
    String text = source + ": " + oneLine(record) + ": " + oneLine(reason);
    boolean warn;
    synchronized (lock) {
      count++;
      total++;
      if (current.size() >= MAX_KEPT) {
        log.debug("rejected (beyond the {} listed this cycle) {}", MAX_KEPT, text);
        return;
      }
      current.add(text);
      warn = currentKeys.add(text) && !previousKeys.contains(text);
    }
    if (warn) {
      log.warn("rejected {}", text);
    } else {
      log.debug("rejected again {}", text);
    }
  }

  /**
   * The records rejected since the last call, and a fresh start for the next cycle.
   *
   * @return the records and their count
   */
  public Drained drain() {
    synchronized (lock) {
      if (count == 0) {
        previousKeys = Set.of();
        return Drained.NONE;
      }
      Drained d = new Drained(current, count);
      if (count > current.size()) {
        log.warn("{} records rejected this cycle, {} listed", count, current.size());
      }
      previousKeys = currentKeys;
      currentKeys = new HashSet<>();
      current = new ArrayList<>();
      count = 0;
      return d;
    }
  }

  /**
   * A cycle's report with the records rejected during the cycle (drained), and the status's
   * problem line for them remembered until the next cycle.
   *
   * @param report the report the cycle made
   * @return the report with {@link CycleReport#rejected()} and its count
   */
  public CycleReport into(CycleReport report) {
    Drained d = drain();
    synchronized (lock) {
      lastCycle = d;
    }
    if (d.count() == 0) {
      return report;
    }
    return new CycleReport(
        report.cycle(), report.at(), report.plan(), report.planTime(), report.idleJobs(), report.runningJobs(),
        report.vmsByState(), report.failures(), d.listed(), d.count());
  }

  /**
   * A dry run's plan with the records rejected while it read the clouds and the job source, as
   * notes: a plan shows what a cycle would leave out.
   *
   * @param plan the plan
   * @return the plan with one note per rejected record (at most {@link
   *     CycleReport#MAX_REJECTED_LISTED}) and a count when there are more
   */
  public Plan into(Plan plan) {
    Drained d = drain();
    if (d.count() == 0) {
      return plan;
    }
    List<String> notes = new ArrayList<>(plan.notes());
    d.listed().stream().limit(CycleReport.MAX_REJECTED_LISTED).forEach(r -> notes.add("rejected " + r));
    if (d.count() > CycleReport.MAX_REJECTED_LISTED) {
      notes.add(d.count() + " records rejected in all");
    }
    return new Plan(plan.at(), plan.actions(), notes);
  }

  /**
   * The status's problem lines: how many records the last cycle rejected, with the first few.
   *
   * @return the lines; empty when the last cycle rejected none
   */
  public List<String> problems() {
    Drained d;
    synchronized (lock) {
      d = lastCycle;
    }
    if (d.count() == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add(d.count() + " record(s) from outside rejected in the last cycle (see the cycle report and the WARN log)");
    d.listed().stream().limit(STATUS_LISTED).forEach(r -> out.add("rejected " + r));
    return out;
  }

  /** How many rejected records the status names. */
  static final int STATUS_LISTED = 5;

  /**
   * Every record rejected since the engine started.
   *
   * @return the running total
   */
  public long total() {
    synchronized (lock) {
      return total;
    }
  }

  /**
   * Text from outside made fit for one log line: control characters (line breaks included) shown
   * as {@code \n}-style escapes or {@code ?}, and cut at {@link #MAX_TEXT} characters.
   *
   * @param text the text, or null
   * @return the line
   */
  public static String oneLine(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_TEXT) + 8);
    for (int i = 0; i < text.length() && b.length() < MAX_TEXT; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
      }
    }
    if (b.length() >= MAX_TEXT && text.length() > MAX_TEXT) {
      b.setLength(MAX_TEXT);
      b.append("...");
    }
    return b.toString();
  }
}
