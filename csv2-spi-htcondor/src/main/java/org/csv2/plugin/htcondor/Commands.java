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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs command-line tools behind a command prefix (such as {@code chroot /srv/pool}, {@code ssh
 * condor@cm} or {@code docker exec cm}), each call with its own timeout. A call that outlives its
 * timeout is killed with its child processes.
 *
 * <p>The output goes to temporary files, so no thread is needed to drain the pipes while waiting.
 *
 * <p><b>Thread safety:</b> immutable; calls may run concurrently.
 */
final class Commands {
  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  /** How the process ended. */
  enum Outcome {
    /** It exited by itself; see {@link Result#exitCode()}. */
    EXITED,
    /** It outlived its timeout and was killed. */
    TIMED_OUT,
    /** It could not be started (no such program, no permission). */
    NOT_STARTED
  }

  /**
   * What a call produced.
   *
   * @param command the full command line, prefix included
   * @param outcome how it ended
   * @param exitCode its exit code; -1 unless {@link Outcome#EXITED}
   * @param stdout its standard output
   * @param stderr its standard error, or why it could not be started
   */
  record Result(List<String> command, Outcome outcome, int exitCode, String stdout, String stderr) {
    Result {
      command = List.copyOf(command);
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(stdout, "stdout");
      Objects.requireNonNull(stderr, "stderr");
    }

    /** Whether it exited with status 0. */
    boolean ok() {
      return outcome == Outcome.EXITED && exitCode == 0;
    }

    /** A one-line account of a failure, for messages: the command, how it ended and its stderr. */
    String describe() {
      String how =
          switch (outcome) {
            case EXITED -> "exited with " + exitCode;
            case TIMED_OUT -> "timed out and was killed";
            case NOT_STARTED -> "could not be started";
          };
      String err = stderr.strip();
      if (err.isEmpty()) {
        err = stdout.strip();
      }
      return "'" + String.join(" ", command) + "' " + how + (err.isEmpty() ? "" : ": " + Commands.head(err, 400));
    }
  }

  private final List<String> prefix;
  private final Duration timeout;
  private final boolean shellQuote;

  /**
   * Creates the runner.
   *
   * @param prefix the words put before every command; empty to run the tools directly
   * @param timeout how long one call may take
   * @param shellQuote true to single-quote every word after the prefix, for a prefix that hands
   *     the command line to a shell (ssh joins its arguments and the remote shell splits them)
   */
  Commands(List<String> prefix, Duration timeout, boolean shellQuote) {
    this.prefix = List.copyOf(prefix);
    this.shellQuote = shellQuote;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** The per-call timeout. */
  Duration timeout() {
    return timeout;
  }

  /**
   * Runs a command behind the prefix.
   *
   * @param args the command and its arguments
   * @param stdin what to feed it, or null for nothing
   * @return the result; never throws for a failing command
   */
  Result run(List<String> args, @Nullable String stdin) {
    List<String> command = new ArrayList<>(prefix);
    for (String arg : args) {
      command.add(shellQuote ? quote(arg) : arg);
    }
    Path out = null;
    Path err = null;
    Path in = null;
    try {
      out = Files.createTempFile("csv2-cmd", ".out");
      err = Files.createTempFile("csv2-cmd", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      if (stdin != null) {
        in = Files.createTempFile("csv2-cmd", ".in");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        builder.redirectInput(in.toFile());
      } else {
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        return new Result(command, Outcome.NOT_STARTED, -1, "", String.valueOf(e.getMessage()));
      }
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        kill(process);
        Thread.currentThread().interrupt();
        return new Result(command, Outcome.TIMED_OUT, -1, read(out), "interrupted");
      }
      if (!finished) {
        kill(process);
        log.debug("killed {} after {}", command, timeout);
        return new Result(command, Outcome.TIMED_OUT, -1, read(out), read(err));
      }
      return new Result(command, Outcome.EXITED, process.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create temporary files for " + command, e);
    } finally {
      delete(out);
      delete(err);
      delete(in);
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static void delete(@Nullable Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.debug("cannot delete temporary file {}", file, e);
      }
    }
  }

  /** A word single-quoted for a POSIX shell. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The first {@code max} characters of a text, with an ellipsis when cut. */
  static String head(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
