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
package org.csv2.core.accounting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.csv2.core.config.AccountingSettings;
import org.csv2.model.AccountingBatch;
import org.csv2.model.CloudName;
import org.csv2.model.VmUsage;
import org.csv2.spi.StateStore;

/**
 * Writes APEL cloud records and monthly summaries of the store's usage records into the directory
 * the APEL SSM sender sends from, each record once per change, and none lost or repeated when the
 * process dies halfway (docs/accounting.md).
 *
 * <p><b>Layout:</b> the SSM sender reads its outgoing directory as a {@code dirq} simple queue:
 * each message is a file named by 14 hex digits in a directory named by 8; files and directories
 * named otherwise are ignored. One message per file, at most {@value ApelRecords#MAX_PER_MESSAGE}
 * records each. Files are prepared in {@code .csv2-staging} inside the outgoing directory (so on
 * the same file system) and appear in the queue by an atomic rename.
 *
 * <p><b>Crash safety:</b> for each message, in this order: (1) the file is written and synced in
 * the staging directory under the batch's id; (2) the store records the batch as prepared, with the
 * fingerprint of each record it carries; (3) the file is renamed into the queue; (4) the store
 * records the batch as sent (the fingerprints become the sent ones, in one transaction). At the
 * start of every run: a prepared batch whose staged file still exists died before (3), so it is
 * renamed now and recorded; a prepared batch whose staged file is gone died between (3) and (4),
 * so it is only recorded (its file is in the queue, or already sent); a staged file of no prepared
 * batch died before (2) and is deleted (its records are still unsent, so they are made again).
 *
 * <p><b>Thread safety:</b> one run at a time per outgoing directory: a run holds the lock file
 * {@value #LOCK} there, and a second run, in this or another process, is refused while it does.
 */
public final class ApelExporter {
  /** The staging directory's name inside the outgoing directory. */
  public static final String STAGING = ".csv2-staging";
  /**
   * The lock file inside the outgoing directory that serialises runs, also across processes (the
   * sender ignores it: its name is not 8 hex digits).
   */
  public static final String LOCK = ".csv2-lock";

  private final StateStore store;
  private final AccountingSettings settings;
  private final Map<CloudName, String> cloudTypes;
  private final RandomGenerator random;
  private final java.util.function.Consumer<String> checkpoint;

  /**
   * What one run did.
   *
   * @param messages messages written
   * @param records individual records in them
   * @param summaries summaries in them
   * @param recovered batches of an earlier, interrupted run finished now
   * @param files the files written, in the outgoing directory
   */
  public record Result(int messages, int records, int summaries, int recovered, List<Path> files) {
    /** Copies. */
    public Result {
      files = List.copyOf(files);
    }
  }

  /**
   * @param store the store with the usage records and what was sent
   * @param settings the accounting settings; {@code outgoing} and {@code siteName} must be set
   * @param cloudTypes each cloud's driver name (APEL's CloudType)
   * @param random names the files
   */
  public ApelExporter(
      StateStore store, AccountingSettings settings, Map<CloudName, String> cloudTypes, RandomGenerator random) {
    this(store, settings, cloudTypes, random, step -> {});
  }

  /**
   * With a hook called at each step of writing a batch, with {@code "staged <id>"}, {@code
   * "prepared <id>"} and {@code "moved <id>"} (crash tests stop the process there).
   *
   * @param store the store
   * @param settings the settings
   * @param cloudTypes each cloud's driver name
   * @param random names the files
   * @param checkpoint the hook
   */
  public ApelExporter(
      StateStore store,
      AccountingSettings settings,
      Map<CloudName, String> cloudTypes,
      RandomGenerator random,
      java.util.function.Consumer<String> checkpoint) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cloudTypes = Map.copyOf(cloudTypes);
    this.random = Objects.requireNonNull(random, "random");
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    if (settings.outgoing() == null || settings.siteName().isBlank()) {
      throw new IllegalArgumentException("accounting.outgoing and accounting.site-name must be configured to write APEL records");
    }
  }

  /**
   * Finishes an interrupted run, then writes every record and summary whose figures changed since
   * they were last sent: the individual records of VMs that ran since {@code since}, and the
   * summaries of the months from {@code since}'s to now's.
   *
   * @param since the start of the period to look at (VMs that ended earlier were sent already)
   * @param at now
   * @return what was written
   */
  public Result export(Instant since, Instant at) {
    Path outgoing = Objects.requireNonNull(settings.outgoing());
    Path staging = outgoing.resolve(STAGING);
    try {
      Files.createDirectories(staging);
      try (FileChannel lockFile = FileChannel.open(outgoing.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          java.nio.channels.FileLock lock = lockFile.tryLock()) {
        if (lock == null) {
          throw new IllegalStateException("another APEL run is writing to " + outgoing + " (it holds " + LOCK + "); try again when it is done");
        }
        return exportLocked(outgoing, staging, since, at);
      } catch (java.nio.channels.OverlappingFileLockException e) {
        throw new IllegalStateException("another APEL run of this process is writing to " + outgoing + "; try again when it is done", e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing APEL records to " + outgoing + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a run would write now, without writing anything.
   *
   * @param since the start of the period a run would look at
   * @param at now
   * @return the records and summaries unsent, what was sent, interrupted batches, queued messages
   */
  public Pending pending(Instant since, Instant at) {
    Path outgoing = Objects.requireNonNull(settings.outgoing());
    Map<String, String> sent = store.accountingSent();
    List<VmUsage> usage = store.usage(since, at.plusSeconds(1));
    int records = unsent(ApelRecords.records(usage, settings, cloudTypes, at), sent).size();
    int summaries = unsent(ApelRecords.summaries(usage, settings, cloudTypes, months(since, at), at), sent).size();
    int queued = 0;
    if (Files.isDirectory(outgoing)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(outgoing, d -> d.getFileName().toString().matches("[0-9a-f]{8}"))) {
        for (Path d : dirs) {
          try (DirectoryStream<Path> fs = Files.newDirectoryStream(d, f -> f.getFileName().toString().matches("[0-9a-f]{14}"))) {
            for (Path ignored : fs) {
              queued++;
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading the outgoing directory " + outgoing + ": " + e.getMessage(), e);
      }
    }
    return new Pending(records, summaries, sent.size(), store.accountingBatches().size(), queued);
  }

  /**
   * What a run would write now.
   *
   * @param records individual records changed since last sent
   * @param summaries summaries changed since last sent
   * @param sent records and summaries recorded as sent
   * @param interrupted batches of an interrupted run
   * @param queued messages in the outgoing directory the sender has not taken
   */
  public record Pending(int records, int summaries, int sent, int interrupted, int queued) {}

  private static Set<YearMonth> months(Instant since, Instant at) {
    Set<YearMonth> months = new HashSet<>();
    for (YearMonth m = YearMonth.from(since.atOffset(ZoneOffset.UTC)); !m.isAfter(YearMonth.from(at.atOffset(ZoneOffset.UTC))); m = m.plusMonths(1)) {
      months.add(m);
    }
    return months;
  }

  private Result exportLocked(Path outgoing, Path staging, Instant since, Instant at) throws IOException {
    {
      int recovered = recover(outgoing, staging);
      List<VmUsage> usage = store.usage(since, at.plusSeconds(1));
      Map<String, String> sent = store.accountingSent();
      List<ApelRecords.Entry> records = unsent(ApelRecords.records(usage, settings, cloudTypes, at), sent);
      List<ApelRecords.Entry> summaries = unsent(ApelRecords.summaries(usage, settings, cloudTypes, months(since, at), at), sent);
      List<Path> files = new ArrayList<>();
      for (List<ApelRecords.Entry> chunk : chunks(records)) {
        files.add(send(outgoing, staging, ApelRecords.CLOUD_HEADER, chunk, at));
      }
      for (List<ApelRecords.Entry> chunk : chunks(summaries)) {
        files.add(send(outgoing, staging, ApelRecords.SUMMARY_HEADER, chunk, at));
      }
      return new Result(files.size(), records.size(), summaries.size(), recovered, files);
    }
  }

  /**
   * Each configured cloud's driver name, APEL's CloudType.
   *
   * @param config the configuration
   * @return the driver names by cloud
   */
  public static Map<CloudName, String> cloudTypes(org.csv2.core.config.Csv2Config config) {
    Map<CloudName, String> out = new java.util.HashMap<>();
    for (org.csv2.core.config.CloudConfig c : config.clouds()) {
      out.put(c.cloud().name(), c.cloud().driver());
    }
    return out;
  }

  /**
   * Where a run looks back from by default: the start of the previous month (UTC), so that a
   * month's last records and summaries are written in the first days of the next.
   *
   * @param at now
   * @return the start of the previous month
   */
  public static Instant defaultSince(Instant at) {
    return YearMonth.from(at.atOffset(ZoneOffset.UTC)).minusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private static List<ApelRecords.Entry> unsent(List<ApelRecords.Entry> all, Map<String, String> sent) {
    List<ApelRecords.Entry> out = new ArrayList<>();
    for (ApelRecords.Entry e : all) {
      if (!e.fingerprint().equals(sent.get(e.key()))) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<List<ApelRecords.Entry>> chunks(List<ApelRecords.Entry> entries) {
    List<List<ApelRecords.Entry>> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i += ApelRecords.MAX_PER_MESSAGE) {
      out.add(entries.subList(i, Math.min(entries.size(), i + ApelRecords.MAX_PER_MESSAGE)));
    }
    return out;
  }

  private int recover(Path outgoing, Path staging) throws IOException {
    int recovered = 0;
    Set<String> prepared = new HashSet<>();
    for (AccountingBatch b : store.accountingBatches()) {
      prepared.add(b.id());
      Path staged = staging.resolve(b.id());
      if (Files.exists(staged)) {
        Path target = queuePath(outgoing, b.id());
        Files.createDirectories(target.getParent());
        move(staged, target);
      }
      store.recordAccountingBatch(b.id());
      recovered++;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!prepared.contains(name)) {
          Files.deleteIfExists(p); // died before the store knew of it, or a half-written .tmp
        }
      }
    }
    return recovered;
  }

  private Path send(Path outgoing, Path staging, String header, List<ApelRecords.Entry> chunk, Instant at)
      throws IOException {
    String text = ApelRecords.message(header, chunk);
    String id = newId(outgoing, staging, at);
    Path staged = staging.resolve(id);
    Path tmp = staging.resolve(id + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    move(tmp, staged);
    checkpoint.accept("staged " + id);
    Map<String, String> entries = new LinkedHashMap<>();
    for (ApelRecords.Entry e : chunk) {
      entries.put(e.key(), e.fingerprint());
    }
    store.prepareAccountingBatch(new AccountingBatch(id, at, entries));
    checkpoint.accept("prepared " + id);
    Path target = queuePath(outgoing, id);
    Files.createDirectories(target.getParent());
    move(staged, target);
    checkpoint.accept("moved " + id);
    store.recordAccountingBatch(id);
    return target;
  }

  /** A batch id {@code dddddddd-ffffffffffffff}: the queue directory and file names it goes to. */
  private String newId(Path outgoing, Path staging, Instant at) {
    long s = at.getEpochSecond();
    String dir = String.format("%08x", (s - Math.floorMod(s, 60)) & 0xffffffffL);
    while (true) {
      String file = String.format("%08x%05x%01x", s & 0xffffffffL, random.nextInt(0x100000), random.nextInt(16));
      String id = dir + "-" + file;
      if (!Files.exists(outgoing.resolve(dir).resolve(file)) && !Files.exists(staging.resolve(id))) {
        return id;
      }
    }
  }

  /**
   * Where a batch's file goes in the queue.
   *
   * @param outgoing the outgoing directory
   * @param id the batch's id
   * @return the file
   */
  public static Path queuePath(Path outgoing, String id) {
    int dash = id.indexOf('-');
    if (dash != 8 || id.length() != 23) {
      throw new IllegalArgumentException("not an APEL batch id: " + id);
    }
    return outgoing.resolve(id.substring(0, 8)).resolve(id.substring(9));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the outgoing directory must allow atomic renames: " + e.getMessage(), e);
    }
    try (FileChannel dir = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // some file systems cannot sync a directory; the rename itself is atomic
    }
  }
}
