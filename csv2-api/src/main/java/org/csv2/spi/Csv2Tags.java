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
package org.csv2.spi;

/**
 * The tag (metadata) keys csv2 sets on every instance it boots, so that a driver can list exactly
 * this engine's instances, even after a crash. Drivers set all of them, plus whatever else the
 * boot request's tags hold.
 *
 * <p><b>Thread safety:</b> constants only.
 *
 * <p><b>Lifecycle:</b> the keys never change within a major version: instances booted by one
 * release are found by the next.
 */
public final class Csv2Tags {
  /** The csv2 engine's instance id. */
  public static final String INSTANCE_ID = "csv2-instance";

  /** The VM's group. */
  public static final String GROUP = "csv2-group";

  /** The VM's cloud (the name in csv2's configuration). */
  public static final String CLOUD = "csv2-cloud";

  /** The VM's name. */
  public static final String VM_NAME = "csv2-vm";

  private Csv2Tags() {}
}
