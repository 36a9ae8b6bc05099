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
package org.csv2.core.sim;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.csv2.api.ConfigurationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a workload trace in the Standard Workload Format (SWF 2.2 of the Parallel Workloads
 * Archive), plain or gzip-compressed (detected from the content), as a stream of {@link TraceJob}s.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Lines starting with {@code ;} are header comments; those before the first job form the
 *       {@link #header()} ({@code ; Key: value} lines become fields). Blank lines are ignored.
 *   <li>A job line has 18 whitespace-separated numbers (decimals are accepted and rounded). Fields
 *       after the 18th (extended dialects) are ignored; such records are counted and noted once. A
 *       line with fewer fields or a non-number is <em>malformed</em>: it is skipped, counted and
 *       logged at WARN with its line number (the first 10 individually, then a total at the end);
 *       it is never fatal.
 *   <li>A well-formed record is <em>skipped</em> (and counted by reason) when its run time (field
 *       4) is 0, unknown (-1) or negative, when it has no processors (field 5, or field 8 when field
 *       5 is -1), or when its submit time (field 2) is negative.
 *   <li>Submit times are seconds from the log's start. When the first record's submit time is at
 *       least {@link #ABSOLUTE_SUBMIT_S} (ten years), the log gives absolute (Unix) times: every
 *       submit time is rebased to the first record's, with a note.
 *   <li>Memory (field 10, requested KB per processor; -1 unknown) beyond {@link
 *       #MAX_PLAUSIBLE_KIB_PER_PROC} per processor is implausible for the field (a log that records
 *       bytes, or the whole job's memory): it is counted and taken as unknown.
 * </ul>
 *
 * <p>The reader streams: the 21 MB LCG log is never held in memory unless {@link #read(Path, int)}
 * is asked for all of it.
 *
 * <p><b>Thread safety:</b> not thread-safe; one reader per thread. Close it (try-with-resources).
 */
public final class TraceReplay implements Iterator<TraceJob>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TraceReplay.class);
  private static final int FIELDS = 18;
  private static final int MAX_LOGGED = 10;
  private static final long BAD = Long.MIN_VALUE;

  /** A first submit time at least this large (ten years, in seconds) is taken as absolute. */
  public static final long ABSOLUTE_SUBMIT_S = 10L * 365 * 86_400;

  /** The most memory per processor (256 GiB, in KiB) taken as plausible for SWF field 10. */
  public static final long MAX_PLAUSIBLE_KIB_PER_PROC = 256L * 1024 * 1024;

  /**
   * What a reader has seen so far.
   *
   * @param records well-formed job lines
   * @param accepted jobs returned
   * @param skippedRunTime records skipped because their run time was not positive (all three
   *     kinds below)
   * @param skippedProcessors records skipped because they had no processors
   * @param skippedSubmit records skipped because their submit time was negative
   * @param malformed malformed lines skipped
   * @param runTimeUnknown of {@code skippedRunTime}, those whose run time was -1 (unknown)
   * @param runTimeNegative of {@code skippedRunTime}, those whose run time was below -1
   * @param extraFields records with fields after the 18th (ignored), read all the same
   * @param implausibleMemory records whose memory per processor was implausible (taken as unknown)
   * @param rebasedBySeconds the absolute submit time every submit time was rebased by, or 0
   */
  public record Counts(
      long records,
      long accepted,
      long skippedRunTime,
      long skippedProcessors,
      long skippedSubmit,
      long malformed,
      long runTimeUnknown,
      long runTimeNegative,
      long extraFields,
      long implausibleMemory,
      long rebasedBySeconds) {
    /**
     * The counts of a reader that knows only the first six figures.
     *
     * @param records well-formed job lines
     * @param accepted jobs returned
     * @param skippedRunTime records skipped because their run time was not positive
     * @param skippedProcessors records skipped because they had no processors
     * @param skippedSubmit records skipped because their submit time was negative
     * @param malformed malformed lines skipped
     */
    public Counts(
        long records, long accepted, long skippedRunTime, long skippedProcessors, long skippedSubmit, long malformed) {
      this(records, accepted, skippedRunTime, skippedProcessors, skippedSubmit, malformed, 0, 0, 0, 0, 0);
    }

    /**
     * All records skipped for their content (not the malformed lines).
     *
     * @return the sum of the skipped counts
     */
    public long skipped() {
      return skippedRunTime + skippedProcessors + skippedSubmit;
    }

    /**
     * Every record or line not read as a job, by reason (reasons with a count of 0 left out).
     *
     * @return reason to count, in a fixed order
     */
    public Map<String, Long> skippedByReason() {
      Map<String, Long> m = new LinkedHashMap<>();
      put(m, "run time 0", skippedRunTime - runTimeUnknown - runTimeNegative);
      put(m, "run time unknown (-1)", runTimeUnknown);
      put(m, "run time negative", runTimeNegative);
      put(m, "no processors", skippedProcessors);
      put(m, "negative submit time", skippedSubmit);
      put(m, "malformed line", malformed);
      return m;
    }

    /**
     * What the reader did beyond the standard, one sentence each (empty when nothing).
     *
     * @return the notes
     */
    public List<String> notes() {
      List<String> n = new ArrayList<>();
      if (extraFields > 0) {
        n.add(String.format(java.util.Locale.ROOT,
            "%,d records have fields after the 18 of SWF (an extended dialect): the extra fields were ignored",
            extraFields));
      }
      if (rebasedBySeconds > 0) {
        n.add(String.format(java.util.Locale.ROOT,
            "submit times are absolute (the first is %,d s, %s): rebased to the first job",
            rebasedBySeconds, java.time.Instant.ofEpochSecond(rebasedBySeconds)));
      }
      if (implausibleMemory > 0) {
        n.add(String.format(java.util.Locale.ROOT,
            "%,d records ask more than %d GiB per processor (field 10 is KB per processor): implausible, taken as unknown",
            implausibleMemory, MAX_PLAUSIBLE_KIB_PER_PROC / 1024 / 1024));
      }
      return n;
    }

    private static void put(Map<String, Long> m, String reason, long n) {
      if (n > 0) {
        m.put(reason, n);
      }
    }
  }

  private final Path file;
  private final BufferedReader reader;
  private final SwfHeader header;
  private final long[] values = new long[FIELDS];
  private @Nullable String pendingLine;
  private long lineNumber;
  private @Nullable TraceJob next;
  private boolean finished;
  private long records;
  private long accepted;
  private long skippedRunTime;
  private long skippedProcessors;
  private long skippedSubmit;
  private long malformed;
  private long runTimeUnknown;
  private long runTimeNegative;
  private long extraFields;
  private long implausibleMemory;
  private long rebase = -1;

  private TraceReplay(Path file, BufferedReader reader) throws IOException {
    this.file = file;
    this.reader = reader;
    this.header = readHeader();
  }

  /**
   * Opens a trace and reads its header.
   *
   * @param file an SWF file, plain or gzip-compressed
   * @return the reader, positioned before the first job
   * @throws ConfigurationException if the file cannot be read, naming it
   */
  public static TraceReplay open(Path file) {
    Objects.requireNonNull(file, "file");
    InputStream in = null;
    try {
      in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
      return new TraceReplay(file, r);
    } catch (IOException e) {
      closeQuietly(in);
      throw new ConfigurationException(
          "trace " + file + ": cannot be read (" + e.getMessage() + "); give the path of an SWF file",
          e);
    }
  }

  /**
   * Reads up to {@code maxJobs} jobs of a trace into memory.
   *
   * @param file an SWF file, plain or gzip-compressed
   * @param maxJobs the most jobs to read; zero or negative for all
   * @return the accepted jobs in file order
   * @throws ConfigurationException if the file cannot be read
   */
  public static List<TraceJob> read(Path file, int maxJobs) {
    List<TraceJob> jobs = new ArrayList<>();
    try (TraceReplay replay = open(file)) {
      while ((maxJobs <= 0 || jobs.size() < maxJobs) && replay.hasNext()) {
        jobs.add(replay.next());
      }
    }
    return jobs;
  }

  /**
   * The file's header comments.
   *
   * @return the header
   */
  public SwfHeader header() {
    return header;
  }

  /**
   * What has been read so far.
   *
   * @return the counts
   */
  public Counts counts() {
    return new Counts(
        records, accepted, skippedRunTime, skippedProcessors, skippedSubmit, malformed, runTimeUnknown,
        runTimeNegative, extraFields, implausibleMemory, Math.max(0, rebase));
  }

  /**
   * The file being read.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !finished) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public TraceJob next() {
    if (!hasNext()) {
      throw new NoSuchElementException("trace " + file + " has no more jobs");
    }
    TraceJob job = Objects.requireNonNull(next);
    next = null;
    return job;
  }

  @Override
  public void close() {
    closeQuietly(reader);
  }

  private SwfHeader readHeader() throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (t.charAt(0) != ';') {
        pendingLine = line;
        break;
      }
      String body = t.substring(1);
      lines.add(body);
      int colon = body.indexOf(':');
      if (colon > 0) {
        String key = body.substring(0, colon).strip();
        if (!key.isEmpty() && key.indexOf(' ') < 0) {
          fields.putIfAbsent(key, body.substring(colon + 1).strip());
        }
      }
    }
    return new SwfHeader(fields, lines);
  }

  private @Nullable TraceJob advance() {
    while (true) {
      String line;
      if (pendingLine != null) {
        line = pendingLine;
        pendingLine = null;
      } else {
        try {
          line = reader.readLine();
        } catch (IOException e) {
          finished = true;
          throw new ConfigurationException(
              "trace " + file + ": cannot be read after line " + lineNumber + " (" + e.getMessage()
                  + "); the file may be truncated",
              e);
        }
        if (line == null) {
          finish();
          return null;
        }
        lineNumber++;
      }
      TraceJob job;
      try {
        job = parse(line);
      } catch (RuntimeException e) {
        // any failure on one line (a value a Duration or a job cannot hold) skips that line only
        job = malformed(line, e.getMessage() == null ? e.toString() : e.getMessage());
      }
      if (job != null) {
        accepted++;
        return job;
      }
    }
  }

  private void finish() {
    finished = true;
    if (malformed > MAX_LOGGED) {
      log.warn("trace {}: {} malformed lines skipped in all", file, malformed);
    }
    close();
  }

  /** A requested time beyond a year (SWF field 9) is taken for a placeholder: unknown. */
  private static final long MAX_PLAUSIBLE_REQUEST_S = 366L * 24 * 3600;

  private @Nullable TraceJob parse(String line) {
    int n = 0;
    int len = line.length();
    int i = 0;
    boolean extra = false;
    while (i < len) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r') {
        i++;
        continue;
      }
      if (n == 0 && c == ';') {
        return null;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (n == FIELDS) {
        // an extended dialect: fields after the 18 are ignored (counted, noted once)
        extra = true;
        break;
      }
      long v = number(line, start, i);
      if (v == BAD) {
        return malformed(line, "field " + (n + 1) + " is not a number: " + line.substring(start, i));
      }
      values[n++] = v;
    }
    if (n == 0) {
      return null;
    }
    if (n != FIELDS) {
      return malformed(line, n + " fields instead of 18");
    }
    records++;
    if (extra && extraFields++ == 0) {
      log.info("trace {}: line {} has fields after the 18 of SWF; extra fields are ignored", file, lineNumber);
    }
    if (rebase < 0) {
      rebase = values[1] >= ABSOLUTE_SUBMIT_S ? values[1] : 0;
      if (rebase > 0) {
        log.info("trace {}: submit times look absolute (first {} s); rebased to the first job", file, rebase);
      }
    }
    long submit = values[1] - rebase;
    long runTime = values[3];
    long processors = values[4] > 0 ? values[4] : values[7];
    if (submit < 0) {
      skippedSubmit++;
      return null;
    }
    if (runTime <= 0) {
      skippedRunTime++;
      if (runTime == -1) {
        runTimeUnknown++;
      } else if (runTime < -1) {
        runTimeNegative++;
      }
      return null;
    }
    if (processors <= 0 || processors > Integer.MAX_VALUE) {
      skippedProcessors++;
      return null;
    }
    long memory = values[9] > 0 ? values[9] : -1;
    if (memory > MAX_PLAUSIBLE_KIB_PER_PROC) {
      implausibleMemory++;
      memory = -1;
    }
    return new TraceJob(
        values[0],
        Duration.ofSeconds(submit),
        Duration.ofSeconds(runTime),
        (int) processors,
        memory,
        toInt(values[11]),
        toInt(values[12]),
        toInt(values[15]),
        toInt(values[10]),
        values[8] > 0 && values[8] <= MAX_PLAUSIBLE_REQUEST_S ? values[8] : -1);
  }

  private @Nullable TraceJob malformed(String line, String why) {
    malformed++;
    if (malformed <= MAX_LOGGED) {
      String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
      log.warn("trace {}: line {} skipped, {}: '{}'", file, lineNumber, why, shown.strip());
    }
    return null;
  }

  private static int toInt(long v) {
    return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** Parses an integer or decimal (rounded half up) in {@code s[from, to)}; {@link #BAD} if not. */
  static long number(String s, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    long v = 0;
    int digits = 0;
    while (i < to) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      if (v > (Long.MAX_VALUE - 9) / 10) {
        return BAD;
      }
      v = v * 10 + (c - '0');
      digits++;
      i++;
    }
    if (i < to && s.charAt(i) == '.') {
      i++;
      boolean roundUp = false;
      int fraction = 0;
      while (i < to) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return BAD;
        }
        if (fraction == 0) {
          roundUp = c >= '5';
        }
        fraction++;
        i++;
      }
      if (digits == 0 && fraction == 0) {
        return BAD;
      }
      if (roundUp) {
        v++;
      }
      digits += fraction;
    }
    if (i != to || digits == 0) {
      return BAD;
    }
    return negative ? -v : v;
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.debug("closing a trace reader failed", e);
    }
  }
}
