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
package org.csv2.core.planning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.model.AllocationMode;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;
import org.jspecify.annotations.Nullable;

/**
 * Finds, once per shape, the (allocation, flavor) pairs a shape may boot, best first.
 *
 * <p>An allocation qualifies when it is enabled, its cloud is enabled, reachable and allowed by the
 * job's alias (exact membership; an alias the group does not define allows no cloud) and explicit
 * clouds, and the image to boot (the job's, else the allocation's or group's default) is on the
 * cloud. A flavor qualifies when it is available, not excluded, satisfies the instance-type hint
 * (or, without a hint, is the default flavor when one is set), costs at most the job's maximum
 * price (when set; an unknown price 0 passes), and holds the job's cores, RAM, disk, swap and GPUs.
 */
final class Candidates {
  private Candidates() {}

  /**
   * Orders candidates: priority tier first, then the flavor policy, then flavor name and cloud
   * name. Written out field by field (not as a chain of key extractors): it runs for every pair
   * compared while sorting every shape's candidates, the planner's hottest loop.
   */
  static Comparator<Candidate> order(FlavorPolicy policy) {
    return switch (policy) {
      case LEAST_COST_PER_JOB -> LEAST_COST_ORDER;
      case SMALLEST_FIT -> SMALLEST_FIT_ORDER;
      case LEAST_EXPECTED_COST -> LEAST_EXPECTED_COST_ORDER;
      case LEARNED_RUN_TIMES -> LEARNED_ORDER;
    };
  }

  private static final Comparator<Candidate> LEAST_EXPECTED_COST_ORDER =
      (a, b) -> {
        int c = Integer.compare(a.allocation().priority(), b.allocation().priority());
        if (c != 0) return c;
        c = Double.compare(a.expectedCostPerJob(), b.expectedCostPerJob());
        if (c != 0) return c;
        c = Double.compare(a.unusedCores(), b.unusedCores());
        if (c != 0) return c;
        c = Double.compare(a.unusedRam(), b.unusedRam());
        if (c != 0) return c;
        c = Integer.compare(a.jobsPerVm(), b.jobsPerVm()); // fewer jobs per VM first
        return c != 0 ? c : byNames(a, b);
      };

  /**
   * {@code LEARNED_RUN_TIMES}: the expected cost per job (cost per job x the shape's learned spread,
   * exactly the cost per job when nothing is known), then {@code LEAST_COST_PER_JOB}'s ties, so
   * that a shape without estimates ranks exactly as under that policy.
   */
  private static final Comparator<Candidate> LEARNED_ORDER =
      (a, b) -> {
        int c = Integer.compare(a.allocation().priority(), b.allocation().priority());
        if (c != 0) return c;
        c = Double.compare(a.expectedCostPerJob(), b.expectedCostPerJob());
        if (c != 0) return c;
        c = Double.compare(a.unusedCores(), b.unusedCores());
        if (c != 0) return c;
        c = Double.compare(a.unusedRam(), b.unusedRam());
        if (c != 0) return c;
        c = Integer.compare(b.jobsPerVm(), a.jobsPerVm()); // more jobs per VM first
        return c != 0 ? c : byNames(a, b);
      };

  private static final Comparator<Candidate> LEAST_COST_ORDER =
      (a, b) -> {
        int c = Integer.compare(a.allocation().priority(), b.allocation().priority());
        if (c != 0) return c;
        c = Double.compare(a.costPerJob(), b.costPerJob());
        if (c != 0) return c;
        c = Double.compare(a.unusedCores(), b.unusedCores());
        if (c != 0) return c;
        c = Double.compare(a.unusedRam(), b.unusedRam());
        if (c != 0) return c;
        c = Integer.compare(b.jobsPerVm(), a.jobsPerVm()); // more jobs per VM first
        return c != 0 ? c : byNames(a, b);
      };

  private static final Comparator<Candidate> SMALLEST_FIRST = Candidates::compareSmallest;

  private static final Comparator<Candidate> SMALLEST_FIT_ORDER =
      (a, b) -> {
        int c = Integer.compare(a.allocation().priority(), b.allocation().priority());
        if (c != 0) return c;
        c = compareSmallest(a, b);
        return c != 0 ? c : byNames(a, b);
      };

  /** Production's rank: cores, RAM, disk, swap ascending. */
  static Comparator<Candidate> smallestFirst() {
    return SMALLEST_FIRST;
  }

  private static int compareSmallest(Candidate a, Candidate b) {
    Resources x = a.flavor().resources();
    Resources y = b.flavor().resources();
    int c = Integer.compare(x.cores(), y.cores());
    if (c != 0) return c;
    c = Long.compare(x.ramMiB(), y.ramMiB());
    if (c != 0) return c;
    c = Long.compare(x.diskGiB(), y.diskGiB());
    return c != 0 ? c : Long.compare(x.swapMiB(), y.swapMiB());
  }

  private static int byNames(Candidate a, Candidate b) {
    int c = a.flavor().name().compareTo(b.flavor().name());
    return c != 0 ? c : a.cloud().compareTo(b.cloud());
  }

  /**
   * Fills the shape's candidates.
   *
   * @param index the snapshot's index
   * @param d the shape
   * @param policy the flavor policy
   * @param classic production's matching: a hint or default flavor is taken without a fit
   *     check, the maximum price is ignored, only the smallest fit per cloud is kept, and
   *     allocation modes are not distinguished
   */
  static void compute(PlanningIndex index, ShapeDemand d, FlavorPolicy policy, boolean classic) {
    JobShape s = d.shape;
    GroupName g = s.group();
    if (s.alias() != null) {
      d.aliasClouds = index.aliasClouds(g, s.alias());
      if (d.aliasClouds == null) {
        d.undefinedAlias = true;
        d.noCandidate = "alias '" + s.alias() + "' is not defined for group " + g;
        return;
      }
    }
    boolean considered = false; // some allocation is on a cloud the shape allows
    Set<CloudName> disabled = new TreeSet<>();
    Set<CloudName> unreachable = new TreeSet<>();
    Set<CloudName> noImage = new TreeSet<>();
    Set<CloudName> noFlavor = new TreeSet<>();
    List<Candidate> all = new ArrayList<>();
    List<LazyCandidates.Source> preferred = new ArrayList<>();
    List<LazyCandidates.Source> opportunistic = new ArrayList<>();
    List<Allocation> allocations = index.allocationsOf(g);
    // per allocation of the group, how many flavors qualify (-1: not counted yet), shared by the
    // shapes alike in what the count depends on
    int[] counts =
        classic
            ? null
            : index.candidateCounts.computeIfAbsent(
                new CountKey(g, s.request(), s.instanceType(), s.maxPrice()),
                k -> {
                  int[] fresh = new int[allocations.size()];
                  java.util.Arrays.fill(fresh, -1);
                  return fresh;
                });
    for (int ai = 0; ai < allocations.size(); ai++) {
      Allocation a = allocations.get(ai);
      CloudName c = a.cloud();
      if (!d.allowsCloud(c)) {
        continue;
      }
      considered = true;
      CloudView view = index.clouds.get(c);
      if (!a.enabled() || view == null || !view.cloud().enabled()) {
        disabled.add(c);
        continue;
      }
      if (!view.reachable()) {
        unreachable.add(c);
        continue;
      }
      VmDefaults defaults = index.defaults(g, c);
      String image = s.image() != null ? s.image() : defaults.image();
      if (image == null || !index.hasImage(c, image)) {
        noImage.add(c);
        continue;
      }
      FlavorName only = d.hint.present() ? null : defaults.flavor();
      boolean checkFit = !classic || (!d.hint.present() && only == null);
      if (!classic) {
        // count now (builds nothing); build the candidates only when the plan reads them. The
        // count depends on the allocation and on the shape's request, hint and maximum price
        // alone: shapes alike in those share it.
        int n = counts[ai];
        if (n < 0) {
          n = count(a, view.flavors(), c, d, only, checkFit);
          counts[ai] = n;
        }
        if (n == 0) {
          noFlavor.add(c);
          continue;
        }
        List<Flavor> flavors = view.flavors();
        LazyCandidates.Source src =
            new LazyCandidates.Source(a, n, () -> build(a, flavors, c, d, only, image, checkFit, false));
        (a.mode() == AllocationMode.OPPORTUNISTIC ? opportunistic : preferred).add(src);
        continue;
      }
      List<Candidate> here = build(a, view.flavors(), c, d, only, image, checkFit, true);
      if (here.isEmpty()) {
        noFlavor.add(c);
        continue;
      }
      here.sort(smallestFirst().thenComparing(x -> x.flavor().name()));
      all.add(here.get(0));
    }
    if (!classic) {
      Comparator<Candidate> o = order(policy);
      d.preferred = new LazyCandidates(o, preferred);
      d.opportunistic = new LazyCandidates(o, opportunistic);
      if (!d.hasCandidates()) {
        d.noCandidate = explain(d, considered, disabled, unreachable, noImage, noFlavor);
      }
      return;
    }
    all.sort(order(FlavorPolicy.SMALLEST_FIT));
    d.preferred.addAll(all);
    if (all.isEmpty()) {
      d.noCandidate = explain(d, considered, disabled, unreachable, noImage, noFlavor);
    }
  }

  /**
   * What decides, besides the allocation, how many of its flavors qualify for a shape (the default
   * flavor and the excluded flavors come with the allocation, the hint from the instance type).
   *
   * @param group the group
   * @param request the shape's request
   * @param instanceType the shape's instance-type hint, or null
   * @param maxPrice the shape's maximum price (0: none)
   */
  record CountKey(GroupName group, Resources request, @Nullable String instanceType, double maxPrice) {}

  /**
   * How many flavors of an allocation qualify for a shape ({@link #qualifies}); without exclusions,
   * hint, default flavor or maximum price (the common case, counted for every allocation of every
   * shape class) only availability and fit are checked.
   */
  private static int count(
      Allocation a, List<Flavor> flavors, CloudName c, ShapeDemand d, @Nullable FlavorName only, boolean checkFit) {
    int n = 0;
    if (checkFit && only == null && !d.hint.present() && d.shape.maxPrice() <= 0 && a.excludedFlavors().isEmpty()) {
      Resources req = d.shape.request();
      for (int i = 0, size = flavors.size(); i < size; i++) {
        Flavor f = flavors.get(i);
        if (f.available() && req.fitsIn(f.resources())) n++;
      }
      return n;
    }
    for (Flavor f : flavors) {
      if (qualifies(a, f, c, d, only, checkFit, false)) n++;
    }
    return n;
  }

  /** Whether a flavor of an allocation's cloud qualifies for a shape (see the class comment). */
  private static boolean qualifies(
      Allocation a, Flavor f, CloudName c, ShapeDemand d, @Nullable FlavorName only, boolean checkFit, boolean classic) {
    if (!f.available() || (!a.excludedFlavors().isEmpty() && a.excludedFlavors().contains(f.name()))) return false;
    if (d.hint.present() && !d.hint.allows(c, f.name())) return false;
    if (only != null && !only.equals(f.name())) return false;
    if (checkFit && !d.shape.request().fitsIn(f.resources())) return false;
    return classic || d.shape.maxPrice() <= 0 || f.pricePerHour() <= d.shape.maxPrice();
  }

  /** The candidates of one allocation, in flavor order. */
  private static List<Candidate> build(
      Allocation a,
      List<Flavor> flavors,
      CloudName c,
      ShapeDemand d,
      @Nullable FlavorName only,
      String image,
      boolean checkFit,
      boolean classic) {
    List<Candidate> here = new ArrayList<>();
    for (Flavor f : flavors) {
      if (qualifies(a, f, c, d, only, checkFit, classic)) {
        here.add(Candidate.of(a, f, image, d.shape.request(), d.shape.request().fitsIn(f.resources()), d::spread));
      }
    }
    return here;
  }

  private static String explain(
      ShapeDemand d,
      boolean considered,
      Set<CloudName> disabled,
      Set<CloudName> unreachable,
      Set<CloudName> noImage,
      Set<CloudName> noFlavor) {
    JobShape s = d.shape;
    if (!considered) {
      StringBuilder b = new StringBuilder("no allocation of ").append(s.group()).append(" is on a cloud the jobs allow");
      if (s.alias() != null) b.append(" (alias ").append(s.alias()).append(": ").append(new TreeSet<>(d.aliasClouds)).append(')');
      if (!s.clouds().isEmpty()) b.append(" (clouds ").append(new TreeSet<>(s.clouds())).append(')');
      return b.toString();
    }
    List<String> parts = new ArrayList<>();
    if (!noFlavor.isEmpty()) {
      StringBuilder b = new StringBuilder("fit no flavor on clouds ").append(noFlavor);
      if (d.hint.present()) b.append(" (instance type '").append(d.hint.text()).append("')");
      if (s.maxPrice() > 0) b.append(String.format(java.util.Locale.ROOT, " (max price $%.4f/h)", s.maxPrice()));
      parts.add(b.toString());
    }
    if (!noImage.isEmpty()) {
      parts.add(
          (s.image() != null ? "image '" + s.image() + "'" : "the default image (of allocation or group)")
              + " is not on clouds " + noImage);
    }
    if (!disabled.isEmpty()) parts.add("clouds " + disabled + " are disabled");
    if (!unreachable.isEmpty()) parts.add("clouds " + unreachable + " are unreachable");
    return String.join("; ", parts);
  }
}
