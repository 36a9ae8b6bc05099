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

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;

/** {@code csv2 server config}: the stored configuration (admins; production's {@code cloudscheduler server config}). */
@Command(
    name = "server",
    description = "The csv2 server's stored configuration.",
    subcommands = {ServerCommand.Config.class},
    footer = {"", "Example:", "  csv2 server config > csv2.yaml"})
public final class ServerCommand extends ObjectCommand {
  /** {@code csv2 server config}. */
  @Command(
      name = "config",
      description = {"Print the stored configuration as YAML, secrets shown as ***, and its version", "(the version changes send: --expect-version)."},
      footer = {"", "Example:", "  csv2 server config"})
  static final class Config extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      Csv2Client.Response r = client.get("/configuration", "the configuration");
      String version = r.etag() == null ? "" : r.etag().replace("\"", "");
      if (out.format() == Output.Format.JSON) {
        ObjectNode n = Csv2Client.JSON.createObjectNode();
        n.put("version", version);
        n.put("yaml", r.body());
        out.json(n);
      } else {
        spec.commandLine().getOut().println("# configuration version " + version);
        spec.commandLine().getOut().print(r.body());
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }
}
