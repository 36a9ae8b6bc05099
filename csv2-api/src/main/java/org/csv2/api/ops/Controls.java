package org.csv2.api.ops;

import org.jspecify.annotations.Nullable;

/**
 * A group's sliders on one cloud (production's cloud settings: {@code cores_ctl}, {@code
 * cores_softmax}, {@code ram_ctl}); a null field leaves the setting as it is, -1 removes the limit.
 *
 * @param coresCtl the most cores the group may use there
 * @param coresSoftmax cores above which the group boots only to replace
 * @param ramCtlMiB the most RAM the group may use there, MiB
 */
public record Controls(@Nullable Integer coresCtl, @Nullable Integer coresSoftmax, @Nullable Long ramCtlMiB) {}
