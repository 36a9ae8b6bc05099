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
/**
 * The HTCondor job source ({@code job-source: htcondor}) and the {@code local} cloud driver whose
 * "VMs" are extra {@code condor_master}/{@code condor_startd} pairs on one machine. Both drive the
 * HTCondor command-line tools ({@code condor_q}, {@code condor_status}, {@code condor_off}, {@code
 * condor_drain}, {@code condor_advertise}) through a configurable command prefix, so the tools may
 * run in a chroot, over ssh or in a container. Only {@link
 * org.csv2.plugin.htcondor.HtCondorJobSourceProvider} and {@link
 * org.csv2.plugin.htcondor.LocalCloudDriverProvider} are public; the engine finds them through
 * {@link java.util.ServiceLoader}.
 *
 * <p>The worker template {@code org/csv2/plugin/htcondor/worker-condor.yaml.tmpl} (a classpath
 * resource of this module) is the default user data that makes a booted VM join the pool; see
 * {@code docs/htcondor.md}.
 */
@NullMarked
package org.csv2.plugin.htcondor;

import org.jspecify.annotations.NullMarked;
