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
package org.csv2.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.csv2.model.Flavor;
import org.csv2.model.Resources;

/**
 * Lower bounds on what hosting a replay's job runs can cost on a catalog of clouds.
 *
 * <ul>
 *   <li><b>cheapest core</b> (the first bound, kept under this name): the used core-hours priced at
 *       the cheapest per-core price of any flavor of any cloud. It ignores job sizes and quotas, so
 *       it is unreachable by construction when wide jobs fit only the large flavors or when the
 *       cheapest cloud's quota binds.
 *   <li><b>shape-aware</b>: every job priced on the cheapest flavor that can hold it, as the
 *       fraction of that flavor it fills, {@code price x max(cores / flavor cores, RAM / flavor
 *       RAM)} per hour: a perfectly packed VM shares its price among its jobs by their largest
 *       share. No quota.
 *   <li><b>shape- and quota-aware</b> (the replay's {@code costLowerBound}): at every instant, the
 *       cheapest fractional way to host the jobs running then, where each cloud's VMs may hold no
 *       more cores and instances than its quota. Between two events (a run starting or ending) the
 *       running set is constant; its hourly cost is the optimum of a small linear program:
 *       <pre>
 *   minimise   sum over shape s, cloud k, flavor f of  price(f) u(s,f) x(s,k,f)
 *   subject to sum over k, f of x(s,k,f) = n(s)                              for every shape s
 *              sum over s, f of flavorCores(f) u(s,f) x(s,k,f) &lt;= quotaCores(k)  for every cloud k
 *              sum over s, f of u(s,f) x(s,k,f) &lt;= quotaInstances(k)            for every cloud k
 *              x &gt;= 0
 * </pre>
 *       with {@code u(s,f) = max(cores(s) / cores(f), RAM(s) / RAM(f))} the fraction of a VM of
 *       flavor {@code f} one job of shape {@code s} fills ({@code f} must hold the job), and {@code
 *       x(s,k,f)} the jobs of shape {@code s} on flavor {@code f} of cloud {@code k}. VMs in whole
 *       numbers are one feasible point of this program, so its optimum is a lower bound on any
 *       policy's cost for the same running set. When the shape-aware assignment (every job on its
 *       cheapest flavor) already respects every quota, it is the optimum and no program is solved;
 *       otherwise the program is solved with Commons Math's simplex, once per distinct running set
 *       (cached). A running set no fractional hosting can satisfy (it cannot happen for runs a
 *       replay observed on the same quotas) is priced without quotas and counted.
 * </ul>
 *
 * <p>The bounds are computed on the runs the replay observed (its own schedule): they price
 * hosting what ran, when it ran, and say nothing about waiting (the wait figures do).
 */
final class CostLowerBound {
  /**
   * One cloud as the bound sees it.
   *
   * @param flavors its flavors, priced
   * @param quotaCores its core quota, or a negative number for none
   * @param quotaInstances its instance quota, or a negative number for none
   */
  record Cloud(List<Flavor> flavors, long quotaCores, long quotaInstances) {
    /** Copies. */
    Cloud {
      flavors = List.copyOf(flavors);
    }
  }

  /**
   * One run of a job.
   *
   * @param request what the job asks
   * @param startMs when it started, ms
   * @param endMs when it ended, ms
   */
  record Run(Resources request, long startMs, long endMs) {}

  /**
   * The bounds of a set of runs.
   *
   * @param cheapestCore the used core-hours at the cheapest core of any cloud (the first bound)
   * @param shapeAware every job on the cheapest flavor that holds it, no quotas
   * @param shapeAndQuotaAware the program above, integrated over time
   * @param programsSolved distinct running sets for which a linear program was solved
   * @param infeasibleHours hours during which no fractional hosting met the quotas (priced
   *     without them)
   * @param unplaceableRuns runs whose job no flavor holds (left out of every bound)
   */
  record Bounds(
      double cheapestCore,
      double shapeAware,
      double shapeAndQuotaAware,
      int programsSolved,
      double infeasibleHours,
      long unplaceableRuns) {}

  /** One (cloud, flavor) a shape may use, with its per-job cost and use of the quotas. */
  private record Option(int cloud, double cost, double cores, double instances) {}

  private final List<Cloud> clouds;
  private final double cheapestPerCore;
  private final List<Resources> shapes = new ArrayList<>();
  private final Map<Resources, Integer> shapeIndex = new HashMap<>();
  private final List<List<Option>> options = new ArrayList<>();
  private final Map<Key, Double> cache = new HashMap<>();
  private int programs;

  private record Key(int[] counts) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(counts, k.counts);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(counts);
    }
  }

  CostLowerBound(List<Cloud> clouds) {
    this.clouds = List.copyOf(clouds);
    this.cheapestPerCore =
        clouds.stream()
            .flatMap(c -> c.flavors().stream())
            .filter(f -> f.resources().cores() > 0)
            .mapToDouble(f -> f.pricePerHour() / f.resources().cores())
            .min()
            .orElseThrow(() -> new IllegalArgumentException("no flavor in the catalog"));
  }

  /**
   * The bound over the clouds of a replay catalog.
   *
   * @param specs the replay's clouds
   * @return the bound
   */
  static CostLowerBound of(List<ReplayCatalog.CloudSpec> specs) {
    return new CostLowerBound(
        specs.stream().map(c -> new Cloud(c.flavors(), c.quotaCores(), c.quotaInstances())).toList());
  }

  /**
   * The fraction of a VM of a flavor one job fills, or a negative number when it does not fit.
   *
   * @param job the job's request
   * @param f the flavor
   * @return {@code max(cores share, RAM share)}, or -1
   */
  static double share(Resources job, Flavor f) {
    Resources v = f.resources();
    if (job.cores() > v.cores() || job.ramMiB() > v.ramMiB() || job.gpus() > v.gpus()
        || job.diskGiB() > v.diskGiB() && job.diskGiB() > 0) {
      return -1;
    }
    double c = (double) job.cores() / v.cores();
    double m = v.ramMiB() == 0 ? 0 : (double) job.ramMiB() / v.ramMiB();
    return Math.max(c, m);
  }

  /**
   * Whether some flavor of some cloud holds a job.
   *
   * @param job the request
   * @return true if it can be hosted at all
   */
  boolean placeable(Resources job) {
    return !options(shape(job)).isEmpty();
  }

  /**
   * The three bounds of a set of runs.
   *
   * @param runs the runs
   * @return the bounds
   */
  Bounds bounds(List<Run> runs) {
    double usedCoreHours = 0;
    double shapeAware = 0;
    long unplaceable = 0;
    List<long[]> events = new ArrayList<>(runs.size() * 2);
    for (Run r : runs) {
      if (r.endMs() <= r.startMs()) {
        continue;
      }
      double hours = (r.endMs() - r.startMs()) / 3.6e6;
      usedCoreHours += r.request().cores() * hours;
      int s = shape(r.request());
      List<Option> o = options(s);
      if (o.isEmpty()) {
        unplaceable++;
        continue;
      }
      shapeAware += o.get(0).cost() * hours;
      events.add(new long[] {r.startMs(), s, 1});
      events.add(new long[] {r.endMs(), s, -1});
    }
    events.sort((a, b) -> Long.compare(a[0], b[0]));
    int[] counts = new int[shapes.size()];
    double quotaAware = 0;
    double infeasibleHours = 0;
    int i = 0;
    while (i < events.size()) {
      long t = events.get(i)[0];
      while (i < events.size() && events.get(i)[0] == t) {
        long[] e = events.get(i++);
        counts[(int) e[1]] += (int) e[2];
      }
      if (i == events.size()) {
        break;
      }
      double hours = (events.get(i)[0] - t) / 3.6e6;
      double rate = rate(counts);
      if (rate < 0) {
        infeasibleHours += hours;
        rate = -rate;
      }
      quotaAware += rate * hours;
    }
    return new Bounds(usedCoreHours * cheapestPerCore, shapeAware, quotaAware, programs, infeasibleHours, unplaceable);
  }

  /**
   * The cheapest hourly cost of hosting a running set within the quotas; negative (the cost without
   * quotas, negated) when no fractional hosting meets them.
   *
   * @param counts running jobs per shape index
   * @return the hourly cost
   */
  double rate(int[] counts) {
    // the shape-aware assignment: every job on its cheapest option; the optimum if within quotas
    double[] cores = new double[clouds.size()];
    double[] instances = new double[clouds.size()];
    double cost = 0;
    boolean any = false;
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] == 0) {
        continue;
      }
      any = true;
      Option o = options(s).get(0);
      cost += o.cost() * counts[s];
      cores[o.cloud()] += o.cores() * counts[s];
      instances[o.cloud()] += o.instances() * counts[s];
    }
    if (!any) {
      return 0;
    }
    if (withinQuotas(cores, instances)) {
      return cost;
    }
    Key key = new Key(counts.clone());
    Double cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    double r = solve(counts, cost);
    cache.put(key, r);
    return r;
  }

  private boolean withinQuotas(double[] cores, double[] instances) {
    for (int k = 0; k < clouds.size(); k++) {
      Cloud c = clouds.get(k);
      if (c.quotaCores() >= 0 && cores[k] > c.quotaCores() + 1e-9) {
        return false;
      }
      if (c.quotaInstances() >= 0 && instances[k] > c.quotaInstances() + 1e-9) {
        return false;
      }
    }
    return true;
  }

  private double solve(int[] counts, double unconstrained) {
    programs++;
    List<int[]> vars = new ArrayList<>(); // {shape, option index}
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] > 0) {
        for (int j = 0; j < options(s).size(); j++) {
          vars.add(new int[] {s, j});
        }
      }
    }
    int n = vars.size();
    double[] objective = new double[n];
    for (int v = 0; v < n; v++) {
      objective[v] = options(vars.get(v)[0]).get(vars.get(v)[1]).cost();
    }
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] == 0) {
        continue;
      }
      double[] row = new double[n];
      for (int v = 0; v < n; v++) {
        row[v] = vars.get(v)[0] == s ? 1 : 0;
      }
      constraints.add(new LinearConstraint(row, Relationship.EQ, counts[s]));
    }
    for (int k = 0; k < clouds.size(); k++) {
      Cloud c = clouds.get(k);
      double[] coreRow = new double[n];
      double[] instRow = new double[n];
      for (int v = 0; v < n; v++) {
        Option o = options(vars.get(v)[0]).get(vars.get(v)[1]);
        if (o.cloud() == k) {
          coreRow[v] = o.cores();
          instRow[v] = o.instances();
        }
      }
      if (c.quotaCores() >= 0) {
        constraints.add(new LinearConstraint(coreRow, Relationship.LEQ, c.quotaCores()));
      }
      if (c.quotaInstances() >= 0) {
        constraints.add(new LinearConstraint(instRow, Relationship.LEQ, c.quotaInstances()));
      }
    }
    try {
      PointValuePair p =
          new SimplexSolver()
              .optimize(
                  new MaxIter(100_000),
                  new LinearObjectiveFunction(objective, 0),
                  new LinearConstraintSet(constraints),
                  GoalType.MINIMIZE,
                  new NonNegativeConstraint(true));
      return p.getValue();
    } catch (NoFeasibleSolutionException e) {
      return -unconstrained;
    }
  }

  private int shape(Resources r) {
    Integer s = shapeIndex.get(r);
    if (s != null) {
      return s;
    }
    int i = shapes.size();
    shapes.add(r);
    shapeIndex.put(r, i);
    options.add(buildOptions(r));
    return i;
  }

  /**
   * The options of a shape: per cloud, the flavors that hold it and that no other flavor of that
   * cloud beats on cost, cores and instances at once; sorted by cost (the first is the cheapest).
   */
  private List<Option> buildOptions(Resources job) {
    List<Option> all = new ArrayList<>();
    for (int k = 0; k < clouds.size(); k++) {
      List<Option> cloud = new ArrayList<>();
      for (Flavor f : clouds.get(k).flavors()) {
        double u = share(job, f);
        if (u > 0) {
          cloud.add(new Option(k, f.pricePerHour() * u, f.resources().cores() * u, u));
        }
      }
      for (Option o : cloud) {
        boolean dominated = false;
        for (Option p : cloud) {
          if (p != o && p.cost() <= o.cost() && p.cores() <= o.cores() && p.instances() <= o.instances()
              && (p.cost() < o.cost() || p.cores() < o.cores() || p.instances() < o.instances()
                  || cloud.indexOf(p) < cloud.indexOf(o))) {
            dominated = true;
            break;
          }
        }
        if (!dominated) {
          all.add(o);
        }
      }
    }
    all.sort((a, b) -> Double.compare(a.cost(), b.cost()));
    return all;
  }

  private List<Option> options(int shape) {
    return options.get(shape);
  }

  /**
   * The hourly bound of a running set given as requests (for tests and reports).
   *
   * @param running the requests of the jobs running
   * @return the hourly cost, negative if the quotas cannot be met
   */
  double rate(List<Resources> running) {
    for (Resources r : running) {
      shape(r);
    }
    int[] counts = new int[shapes.size()];
    for (Resources r : running) {
      counts[shape(r)]++;
    }
    return rate(counts);
  }
}
