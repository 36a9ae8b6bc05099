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
package com.acme.good;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/** A third-party plugin that follows the rules: its provider is its only public class. */
public final class AcmeDriverProvider implements CloudDriverProvider {
  @Override
  public String name() {
    return "acme";
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    throw new AcmeSetup().refused(context.name());
  }
}
