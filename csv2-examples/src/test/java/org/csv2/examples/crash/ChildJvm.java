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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An engine process of the crash and chaos tests ({@link CrashSafetyIT}, {@link ChaosIT}): a child
 * JVM running a {@code main} class of the test tree, its standard output read line by line (and
 * appended to a log file), its standard error appended to another, killed with SIGKILL ({@link
 * Process#destroyForcibly()}).
 */
final class ChildJvm {
  private static final String EOF = "\u0000eof";
  /** Class paths per run directory (see {@link #classPath(Path)}). */
  private static final Map<Path, String> CLASS_PATHS = new HashMap<>();

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private ChildJvm(Process process, Path log) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          Files.writeString(
              log, l + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          lines.add(l);
        }
      } catch (IOException e) {
        lines.add("reader failed: " + e);
      } finally {
        lines.add(EOF);
      }
    }, "child-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} in a child JVM.
   *
   * @param root the run's directory, where the class path copy lives (see {@link #classPath(Path)})
   * @param mainClass the class to run
   * @param args its arguments
   * @param env variables added to its environment
   * @param stdout the file its standard output is appended to (after a header line)
   * @param stderr the file its standard error is appended to
   * @param header the line written to {@code stdout} first
   * @return the child
   */
  static ChildJvm start(
      Path root, Class<?> mainClass, List<String> args, Map<String, String> env, Path stdout, Path stderr,
      String header) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classPath(root));
    command.add(mainClass.getName());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    pb.environment().putAll(env);
    try {
      Files.writeString(stdout, header + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return new ChildJvm(pb.start(), stdout);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The process id. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for a line that matches; fails if the child ends first or the time runs out. */
  String awaitLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String l;
      try {
        l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new AssertionError("interrupted", e);
      }
      if (l == null) {
        kill();
        throw new AssertionError("the child printed no matching line within " + timeout + "; last lines: " + tail());
      }
      if (l.equals(EOF)) {
        throw new AssertionError("the child ended (exit " + waitFor(Duration.ofSeconds(10))
            + ") before a matching line; last lines: " + tail());
      }
      seen.add(l);
      if (match.test(l)) {
        return l;
      }
    }
  }

  private List<String> tail() {
    return seen.subList(Math.max(0, seen.size() - 5), seen.size());
  }

  /** Kills the child with SIGKILL and waits for it to end. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the child did not end within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The test's class path for the children, with every directory on it (the module's {@code
   * classes} and {@code test-classes}) replaced by a copy taken once per run under {@code root}:
   * another build of the module recompiling those directories while a child loads a class from
   * them would make the child fail with a {@code NoClassDefFoundError} that has nothing to do with
   * the test.
   */
  static synchronized String classPath(Path root) {
    return CLASS_PATHS.computeIfAbsent(root, r -> {
      List<String> out = new ArrayList<>();
      int n = 0;
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry);
        if (Files.isDirectory(p)) {
          Path copy = r.resolve("classpath-" + n++);
          copyRecursively(p, copy);
          out.add(copy.toString());
        } else {
          out.add(entry);
        }
      }
      return String.join(java.io.File.pathSeparator, out);
    });
  }

  private static void copyRecursively(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }
}
