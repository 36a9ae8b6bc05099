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
package org.csv2.examples.ops;

import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.Operations;
import org.csv2.core.Csv2Operations;
import org.csv2.model.CloudName;
import org.csv2.model.VmId;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;

/**
 * The second process of {@link SecondProcessOperations}: a JVM of its own, with no engine, that
 * opens the engines' database and retires a VM and pauses a cloud through {@link
 * Csv2Operations#over}. Arguments: the JDBC URL, the VM, the cloud; the user and password come
 * from the environment ({@code CSV2_DB_USER}, {@code CSV2_DB_PASSWORD}). Prints the intent's id.
 */
public final class OperatorProcess {
  private OperatorProcess() {}

  /**
   * Operates, then exits 0; any failure exits non-zero with its stack trace.
   *
   * @param args URL, VM, cloud
   */
  public static void main(String[] args) {
    Map<String, Object> raw = new java.util.HashMap<>();
    raw.put("url", args[0]);
    String user = System.getenv("CSV2_DB_USER");
    String password = System.getenv("CSV2_DB_PASSWORD");
    if (user != null) {
      raw.put("user", user);
    }
    if (password != null) {
      raw.put("password", password);
    }
    StateStoreProvider jdbc =
        ServiceLoader.load(StateStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("jdbc"))
            .findFirst()
            .orElseThrow();
    Actor alice = Actor.of("alice", "admin");
    try (StateStore store = jdbc.create(TestPluginConfig.of(raw, "state-store.config"), TestPluginContext.of("second-jvm"))) {
      Operations ops = Csv2Operations.over(store, Clock.systemUTC());
      Intent retire = ops.retire(alice, VmId.of(args[1]));
      long version = ops.configuration(alice).version();
      ops.pauseCloud(alice, CloudName.of(args[2]), version);
      System.out.println("intent " + retire.id() + " pid " + ProcessHandle.current().pid());
    }
  }
}
