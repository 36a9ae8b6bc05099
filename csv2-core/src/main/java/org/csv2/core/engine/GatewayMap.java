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
package org.csv2.core.engine;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.csv2.model.CloudName;
import org.jspecify.annotations.Nullable;

/**
 * The engine's cloud gateways, in configuration order, shared by every step: a copy-on-write map,
 * so that a cloud added or replaced by a stored configuration ({@link ConfigStep}) is seen by every
 * step from the next read on, and readers on other threads ({@link Reconciler#status}) always see
 * one consistent set.
 *
 * <p><b>Thread safety:</b> reads from any thread; {@link #install} from the cycle thread only.
 */
final class GatewayMap extends AbstractMap<CloudName, CloudGateway> {
  private volatile Map<CloudName, CloudGateway> current;

  GatewayMap(Map<CloudName, CloudGateway> initial) {
    this.current = Collections.unmodifiableMap(new LinkedHashMap<>(initial));
  }

  /**
   * Adds a gateway, or replaces the one of the same cloud in place (its position is kept).
   *
   * @param gateway the new gateway
   * @return the one it replaced, or null for a new cloud
   */
  @Nullable CloudGateway install(CloudGateway gateway) {
    Map<CloudName, CloudGateway> next = new LinkedHashMap<>(current);
    CloudGateway old = next.put(gateway.cloud().name(), gateway);
    current = Collections.unmodifiableMap(next);
    return old;
  }

  @Override
  public Set<Entry<CloudName, CloudGateway>> entrySet() {
    return current.entrySet();
  }

  @Override
  public @Nullable CloudGateway get(Object key) {
    return current.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return current.containsKey(key);
  }

  @Override
  public int size() {
    return current.size();
  }
}
