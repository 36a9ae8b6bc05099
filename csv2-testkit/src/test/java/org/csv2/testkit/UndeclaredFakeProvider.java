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
package org.csv2.testkit;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/** A provider written before {@code apiVersion()} existed: it does not say which csv2-api it was compiled against. */
public final class UndeclaredFakeProvider implements CloudDriverProvider {
  @Override
  public String name() {
    return "undeclared";
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    return new FakeCloud().driver(context, true);
  }
}
