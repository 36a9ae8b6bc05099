package org.csv2.core.engine;

import java.util.List;
import java.util.Map;
import org.csv2.core.planning.CloudView;
import org.csv2.model.CloudName;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Vm;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ObserveStep} read: the output of the cycle's first step.
 *
 * @param views every configured cloud's view (unreachable ones flagged), in configuration order
 * @param jobs the job source's snapshot, or null if it could not be read (no boots or retirements)
 * @param stored every stored VM record, or null if the store could not be read (nothing is done)
 */
record Observation(Map<CloudName, CloudView> views, @Nullable JobSnapshot jobs, @Nullable List<Vm> stored) {}
