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
package org.csv2.api.ops;

/**
 * What an operator asks the engine to do; the production system's name in brackets.
 *
 * <p>Parameters each kind reads from {@link Intent#parameters()} are named below.
 */
public enum IntentKind {
  /** Drain the VM peacefully, then terminate it ({@code vm update --vm-option retire}). */
  RETIRE,
  /**
   * Terminate the VM now ({@code vm update --vm-option kill}); a RUNNING VM is drained first
   * unless parameter {@code force} is {@code true}.
   */
  KILL,
  /** The engine stops touching the VM ({@code vm update --vm-option manctl}). */
  MANUAL_ON,
  /** Hand a manual VM back to the engine ({@code vm update --vm-option sysctl}). */
  MANUAL_OFF,
  /**
   * Retire all but {@code count} of the group's VMs on the intent's cloud ({@code vm update
   * --vm-option retain N}); manual VMs are neither counted nor retired.
   */
  RETAIN
}
