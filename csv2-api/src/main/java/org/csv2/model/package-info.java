/**
 * For embedders and plugin authors: the values csv2 reasons about, all immutable records.
 *
 * <p>The words are the production cloudscheduler's words: a {@link org.csv2.model.Group} (a tenant)
 * has {@link org.csv2.model.Allocation}s on {@link org.csv2.model.Cloud}s; idle {@link
 * org.csv2.model.Job}s lead to {@link org.csv2.model.Vm}s booted with a {@link
 * org.csv2.model.Flavor}; a VM that joins the batch pool shows up as a {@link
 * org.csv2.model.Worker}; the decisions of one cycle are a {@link org.csv2.model.Plan}.
 *
 * <p>Records validate in their compact constructors (throwing {@link IllegalArgumentException} or
 * {@link NullPointerException}) and copy their collections. This package depends on nothing but the
 * JDK.
 */
@NullMarked
package org.csv2.model;

import org.jspecify.annotations.NullMarked;
