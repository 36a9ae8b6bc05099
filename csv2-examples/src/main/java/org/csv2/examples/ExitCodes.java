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
 * The exit codes of every {@code csv2} command, engine's and operators' alike, one meaning each
 * (docs/cli.md "Exit codes"), and how a failure is told: one clear message naming what failed and
 * where, on standard error; the stack trace only with {@code --verbose} (and in the log at DEBUG),
 * never for an expected failure.
 *
 * <p>0, 1 and 2 are the operators' codes of issue 14 (done, refused or failed, wrong usage); 3 and
 * 4 split out the two failures a script reacts to differently: fix the configuration (sysexits'
 * {@code EX_CONFIG}) or try again later (sysexits' {@code EX_UNAVAILABLE}). Small numbers rather
 * than sysexits' 64-78 because picocli, the shells and issue 14 already give 1 and 2 these meanings.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>done (validate: every check passed)</td></tr>
 *   <tr><td>1</td><td>refused or failed: the server refused the request (not allowed, not found, a conflict, a stale version, a revoked token), quickstart refused the workload, or an unexpected failure (a bug: run again with --verbose and report it)</td></tr>
 *   <tr><td>2</td><td>wrong usage: unknown command or option, a missing or malformed argument</td></tr>
 *   <tr><td>3</td><td>invalid configuration: the configuration file, or a plugin it names that is not installed or was built for another csv2</td></tr>
 *   <tr><td>4</td><td>a service could not be used: the state store (unreachable, locked, corrupt, schema behind in a dry run), a plugin that failed to start, a cloud or the job source that did not answer, the csv2 server (not running, no answer, failing)</td></tr>
 * </table>
 */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** Refused or failed, including an unexpected failure (a bug). */
  public static final int FAILED = 1;
  /** Wrong usage: unknown command or option, missing or malformed argument. */
  public static final int USAGE = 2;
  /** An invalid configuration, or a plugin not installed. */
  public static final int CONFIG = 3;
  /** A service could not be used: store, plugin, cloud, job source, the csv2 server. */
  public static final int UNAVAILABLE = 4;

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
    return FAILED;
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
