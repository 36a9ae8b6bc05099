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
