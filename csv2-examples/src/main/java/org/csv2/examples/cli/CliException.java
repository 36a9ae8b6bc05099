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
package org.csv2.examples.cli;

import org.csv2.examples.ExitCodes;

/**
 * A command that did not do what was asked, with the message for the operator (what failed, on
 * which object, and what to do) and the exit code ({@link ExitCodes}): 1 refused or failed, 2 wrong
 * usage, 4 the server could not be used.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code of a refused or failed command. */
  public static final int FAILED = ExitCodes.FAILED;
  /** Exit code of wrong usage (unknown option, missing argument). */
  public static final int USAGE = ExitCodes.USAGE;
  /** Exit code of a server that cannot be used (not running, no answer, failing). */
  public static final int UNAVAILABLE = ExitCodes.UNAVAILABLE;

  private final int exitCode;

  /**
   * A failure.
   *
   * @param exitCode {@link #FAILED}, {@link #USAGE} or {@link #UNAVAILABLE}
   * @param message what failed and what to do, one or a few lines
   */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * A refused or failed command (exit code 1).
   *
   * @param message what failed and what to do
   * @return the exception
   */
  public static CliException failed(String message) {
    return new CliException(FAILED, message);
  }

  /**
   * Wrong usage (exit code 2).
   *
   * @param message what is wrong and what to give instead
   * @return the exception
   */
  public static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  /**
   * The server could not be used: not running, no answer in time, failing (exit code 4).
   *
   * @param message what failed and what to do
   * @return the exception
   */
  public static CliException unavailable(String message) {
    return new CliException(UNAVAILABLE, message);
  }

  /**
   * The exit code.
   *
   * @return 1, 2 or 4
   */
  public int exitCode() {
    return exitCode;
  }
}
