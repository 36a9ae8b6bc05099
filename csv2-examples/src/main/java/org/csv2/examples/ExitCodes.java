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

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.csv2.api.CloudException;
import org.csv2.api.ConfigurationException;
import org.csv2.api.Csv2Exception;
import org.csv2.api.JobSourceException;
import org.csv2.api.PluginException;
import org.csv2.api.StateStoreException;
import org.slf4j.LoggerFactory;

/**
 * The exit codes that {@code validate}, {@code plan}, {@code run} and {@code quickstart} share, and
 * how a failure is told: one clear message naming what failed and where, on standard error; the
 * stack trace only with {@code --verbose} (and in the log at DEBUG), never for an expected failure.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>success (validate: every check passed)</td></tr>
 *   <tr><td>1</td><td>an unexpected failure: a bug in csv2 or a plugin (run again with --verbose and report it)</td></tr>
 *   <tr><td>2</td><td>the configuration is invalid, or names a plugin that is not installed or was built for another csv2</td></tr>
 *   <tr><td>3</td><td>the workload was refused (quickstart: no job any flavor can hold)</td></tr>
 *   <tr><td>4</td><td>a service could not be used: the state store (unreachable, locked, corrupt, schema behind in a dry run), a plugin that failed to start, a cloud or the job source that did not answer</td></tr>
 * </table>
 */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;
  /** An unexpected failure (a bug). */
  static final int SOFTWARE = 1;
  /** An invalid configuration, or a plugin not installed. */
  static final int CONFIG = 2;
  /** The workload was refused (quickstart). */
  static final int REFUSED = 3;
  /** A service could not be used. */
  static final int UNAVAILABLE = 4;

  private static volatile boolean verbose;

  private ExitCodes() {}

  /**
   * Sets whether failures print their stack trace ({@code --verbose}).
   *
   * @param on true to print them
   */
  static void verbose(boolean on) {
    verbose = on;
  }

  /**
   * The exit code of a failure.
   *
   * @param e the failure
   * @return its code
   */
  static int of(Throwable e) {
    if (e instanceof ConfigurationException) {
      return CONFIG;
    }
    if (e instanceof PluginException p) {
      return p.reason() == PluginException.Reason.FAILED ? UNAVAILABLE : CONFIG;
    }
    if (e instanceof StateStoreException || e instanceof CloudException || e instanceof JobSourceException) {
      return UNAVAILABLE;
    }
    return SOFTWARE;
  }

  /**
   * Tells a failure on {@code err} and returns its exit code.
   *
   * @param command the command that failed, such as {@code plan}
   * @param e the failure
   * @param err where to tell it
   * @return the exit code
   */
  static int report(String command, Throwable e, PrintStream err) {
    int code = of(e);
    LoggerFactory.getLogger(ExitCodes.class).debug("csv2 {} failed (exit {})", command, code, e);
    if (e instanceof Csv2Exception) {
      err.println("csv2 " + command + ": " + e.getMessage());
    } else {
      err.println(
          "csv2 " + command + ": unexpected failure: " + e
              + (verbose ? "" : " (run again with --verbose for the stack trace, and report it)"));
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    return code;
  }

  /**
   * Runs a command's body, turning any failure into its message and exit code.
   *
   * @param command the command, for the message
   * @param body the body, returning its own exit code
   * @return the exit code
   */
  static int guard(String command, Callable<Integer> body) {
    try {
      return body.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report(command, e, System.err);
    } catch (Exception e) {
      return report(command, e, System.err);
    }
  }
}
