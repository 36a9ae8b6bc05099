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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.csv2.api.JobSourceException;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * A job source that engine processes share through a file, for {@link ChaosIT}: the job source
 * {@value #NAME}, registered programmatically, reads at every snapshot the file named by its
 * configuration's {@code file}, one idle job a line ({@code <id> <group> <cores> <ram-mib>
 * <queued-since, ISO-8601>}), and reports no worker (the cloud's instances never join a pool, so
 * the demand stays and the engines must hold, not grow, their VMs). The test writes the file whole
 * and moves it into place ({@link #write}), so a reader sees the old or the new list, never half.
 *
 * <p>Thread safety: stateless, safe.
 */
final class JobFileSourceProvider implements JobSourceProvider {
  static final String NAME = "job-file";

  /**
   * One idle job of the file.
   *
   * @param id its id
   * @param group its group
   * @param request what it asks for
   * @param queuedSince when it was queued
   */
  record Line(String id, String group, Resources request, Instant queuedSince) {
    String format() {
      return String.format(Locale.ROOT, "%s %s %d %d %s", id, group, request.cores(), request.ramMiB(), queuedSince);
    }
  }

  private final Clock clock;

  JobFileSourceProvider(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public JobSource create(PluginConfig config, PluginContext context) {
    Object file = config.raw().get("file");
    if (!(file instanceof String f) || f.isBlank()) {
      throw new IllegalArgumentException(config.path() + ".file: the job file's path is required");
    }
    Path path = Path.of(f);
    return new JobSource() {
      @Override
      public JobSnapshot snapshot() {
        List<Job> jobs = new ArrayList<>();
        for (Line l : read(path)) {
          jobs.add(Job.builder(JobId.of(l.id()), GroupName.of(l.group()))
              .owner("tester")
              .request(l.request())
              .queuedSince(l.queuedSince())
              .state(JobState.IDLE)
              .build());
        }
        return new JobSnapshot(clock.instant(), jobs, List.of(), 0);
      }

      @Override
      public void retire(Worker worker) {}

      @Override
      public void forget(VmId vm) {}

      @Override
      public void close() {}
    };
  }

  /** The jobs of the file; none when it does not exist yet. */
  static List<Line> read(Path file) {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new JobSourceException(JobSourceException.Reason.UNAVAILABLE, "cannot read " + file + ": " + e, e);
    }
    List<Line> out = new ArrayList<>();
    for (String t : text) {
      if (t.isBlank()) {
        continue;
      }
      String[] f = t.trim().split(" ");
      out.add(new Line(f[0], f[1], Resources.of(Integer.parseInt(f[2]), Long.parseLong(f[3])), Instant.parse(f[4])));
    }
    return out;
  }

  /** Replaces the file's jobs with {@code jobs}, atomically. */
  static void write(Path file, List<Line> jobs) {
    StringBuilder b = new StringBuilder();
    jobs.forEach(j -> b.append(j.format()).append('\n'));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
