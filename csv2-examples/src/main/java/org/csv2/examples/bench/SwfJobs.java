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
package org.csv2.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The few fields of a Standard Workload Format log that the benchmark scenarios use (the job
 * shapes of B1; the simulation's own trace reader drives B2).
 */
public final class SwfJobs {
  /** The LCG 2005 grid log, relative to the data folder. */
  public static final String LCG = "traces/LCG-2005-1.swf.gz";

  /** The LLNL Atlas 2006 log, relative to the data folder. */
  public static final String ATLAS = "traces/LLNL-Atlas-2006-2.1-cln.swf.gz";

  /**
   * One job line.
   *
   * @param number the job number (field 1)
   * @param submit seconds since the log's start (field 2)
   * @param runtime wall-clock seconds (field 4)
   * @param processors allocated processors, else requested ones (fields 5, 8)
   * @param requestedTime the walltime request in seconds, or -1 (field 9)
   * @param memoryKiBPerProc used memory per processor in KB, else requested, or -1 (fields 7, 10)
   * @param user the anonymised user (field 12)
   * @param group the anonymised group (field 13)
   * @param partition the partition, the grid site in LCG (field 16)
   */
  public record Job(
      long number,
      long submit,
      long runtime,
      int processors,
      long requestedTime,
      long memoryKiBPerProc,
      int user,
      int group,
      int partition) {}

  private SwfJobs() {}

  /**
   * Reads job lines in file order.
   *
   * @param file the log ({@code .gz} or plain)
   * @param limit the most jobs to read
   * @return the jobs
   */
  public static List<Job> read(Path file, int limit) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("trace " + file + " not found: is the shared data folder right?");
    }
    List<Job> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16)) {
      String line;
      int lineNo = 0;
      while (out.size() < limit && (line = r.readLine()) != null) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith(";")) {
          continue;
        }
        String[] f = t.split("\\s+");
        if (f.length < 18) {
          throw new IllegalStateException(file + ":" + lineNo + ": " + f.length + " fields, SWF has 18");
        }
        int procs = (int) Long.parseLong(f[4]);
        if (procs <= 0) {
          procs = (int) Long.parseLong(f[7]);
        }
        long mem = Long.parseLong(f[6]);
        if (mem <= 0) {
          mem = Long.parseLong(f[9]);
        }
        out.add(
            new Job(
                Long.parseLong(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[3]),
                procs,
                Long.parseLong(f[8]),
                mem,
                (int) Long.parseLong(f[11]),
                (int) Long.parseLong(f[12]),
                (int) Long.parseLong(f[15])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
    return out;
  }
}
