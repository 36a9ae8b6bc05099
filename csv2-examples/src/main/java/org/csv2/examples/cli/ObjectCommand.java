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

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * An object of {@code csv2 <object> <action>} ({@code vm}, {@code cloud}, ...): it only holds its
 * actions as subcommands. Given without an action it prints its usage and exits 2.
 */
public abstract class ObjectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": give an action, one of " + String.join(", ", spec.subcommands().keySet()));
    spec.commandLine().usage(spec.commandLine().getErr());
    return CliException.USAGE;
  }
}
