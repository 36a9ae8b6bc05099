package org.csv2.api.ops;

import org.csv2.model.AliasName;
import org.csv2.model.GroupName;
import org.csv2.model.JobState;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs {@link Operations#jobs} lists; a null field matches every job.
 *
 * @param group only this group's
 * @param alias only jobs targeting this alias
 * @param state only jobs in this state
 */
public record JobFilter(@Nullable GroupName group, @Nullable AliasName alias, @Nullable JobState state) {
  /** Every job the snapshots hold. */
  public static final JobFilter ALL = new JobFilter(null, null, null);
}
