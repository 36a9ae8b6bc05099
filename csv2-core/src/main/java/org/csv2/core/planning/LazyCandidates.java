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

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.jspecify.annotations.Nullable;

/**
 * A shape's candidates on one kind of allocation (preferred or opportunistic), best first, built
 * only as far as they are read.
 *
 * <p>The candidates are ordered by allocation priority first, so the list is the concatenation of
 * one sorted list per priority tier. {@link Candidates} counts the qualifying (allocation, flavor)
 * pairs of every allocation (a cheap pass that builds nothing), so {@link #size()} is known at
 * once; a tier's {@link Candidate}s are built and sorted per allocation the first time an index
 * inside it is read (and merged only as far as the reads go), and an allocation's only when that
 * tier or {@link #candidatesOn(Allocation)} asks for them. A
 * plan that places a shape on its first tier (or never reaches the shape) never builds the others:
 * with many clouds, most of the candidate lists are never materialised.
 *
 * <p>The order is exactly that of sorting the whole list with the same comparator (its first key
 * is the priority, and every later key is the same within a tier).
 */
final class LazyCandidates extends AbstractList<Candidate> {
  /** The candidates of one allocation, built on first use. */
  static final class Source {
    final Allocation allocation;
    final int count;
    private final Supplier<List<Candidate>> build;
    private @Nullable List<Candidate> built;

    Source(Allocation allocation, int count, Supplier<List<Candidate>> build) {
      this.allocation = allocation;
      this.count = count;
      this.build = build;
    }

    List<Candidate> candidates(Comparator<Candidate> order) {
      List<Candidate> b = built;
      if (b == null) {
        b = new ArrayList<>(build.get());
        b.sort(order);
        built = b;
      }
      return b;
    }
  }

  private static final class Tier {
    final List<Source> sources = new ArrayList<>();
    int count;
    int offset;
    /** Its candidates in order, as far as they were read (null: not built yet). */
    @Nullable List<Candidate> sorted;
    /**
     * The next candidate of each of its allocations, smallest first; what {@link #sorted} lacks
     * comes from here.
     */
    @Nullable PriorityQueue<Head> heads;
    /** The clouds of its allocations. */
    final List<CloudName> clouds = new ArrayList<>();
  }

  /** An allocation's sorted candidates and the index of the next one not yet merged. */
  private static final class Head {
    final List<Candidate> list;
    /** Its allocation's place in the tier: equal candidates come in that order, as in a stable sort. */
    final int rank;
    int next;

    Head(List<Candidate> list, int rank) {
      this.list = list;
      this.rank = rank;
    }

    Candidate peek() {
      return list.get(next);
    }
  }

  private final Comparator<Candidate> order;
  private final Tier[] tiers;
  private final int size;
  private final Map<Allocation, Source> byAllocation = new IdentityHashMap<>();
  private int materialised;

  /**
   * A list of the sources' candidates.
   *
   * @param order the candidate order (priority first)
   * @param sources the allocations' sources, each with its count (sources with none are dropped)
   */
  LazyCandidates(Comparator<Candidate> order, List<Source> sources) {
    this.order = order;
    TreeMap<Integer, Tier> byPriority = new TreeMap<>();
    for (Source s : sources) {
      if (s.count == 0) {
        continue;
      }
      Tier t = byPriority.computeIfAbsent(s.allocation.priority(), p -> new Tier());
      t.sources.add(s);
      t.count += s.count;
      t.clouds.add(s.allocation.cloud()); // a group has one allocation per cloud
      byAllocation.put(s.allocation, s);
    }
    this.tiers = byPriority.values().toArray(Tier[]::new);
    int n = 0;
    for (Tier t : tiers) {
      t.offset = n;
      n += t.count;
    }
    this.size = n;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Candidate get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    for (Tier t : tiers) {
      if (index < t.offset + t.count) {
        return sortedTo(t, index - t.offset);
      }
    }
    throw new IndexOutOfBoundsException(index);
  }

  /**
   * The tier's candidate at an index: the tier's allocations are built and sorted at the first
   * read, and their sorted lists merged (a heap of their heads) only as far as the reads go, since
   * a plan mostly reads the first few candidates of a tier. Equal candidates (if the order has any)
   * come in the order of their allocations, so the merge gives the full stable sort's order.
   */
  private Candidate sortedTo(Tier t, int i) {
    List<Candidate> done = t.sorted;
    if (done == null) {
      PriorityQueue<Head> heads =
          new PriorityQueue<>(
              t.sources.size(),
              (a, b) -> {
                int c = order.compare(a.peek(), b.peek());
                return c != 0 ? c : Integer.compare(a.rank, b.rank);
              });
      int built = 0;
      for (Source s : t.sources) {
        List<Candidate> l = s.candidates(order);
        built += l.size();
        if (!l.isEmpty()) {
          heads.add(new Head(l, heads.size()));
        }
      }
      if (built != t.count) {
        throw new IllegalStateException("candidate count " + t.count + " but " + built + " built");
      }
      done = new ArrayList<>();
      t.sorted = done;
      t.heads = heads;
      materialised++;
    }
    if (done.size() <= i) {
      PriorityQueue<Head> heads = t.heads;
      while (done.size() <= i) {
        Head h = heads.poll();
        done.add(h.list.get(h.next++));
        if (h.next < h.list.size()) {
          heads.add(h);
        }
      }
      if (heads.isEmpty()) {
        t.heads = null; // all merged
      }
    }
    return done.get(i);
  }

  /**
   * The candidates on one allocation, in candidate order, built for it alone if need be.
   *
   * @param a the allocation (compared by identity)
   * @return its candidates, or empty when it is not in this list
   */
  List<Candidate> candidatesOn(Allocation a) {
    Source s = byAllocation.get(a);
    return s == null ? List.of() : s.candidates(order);
  }

  /**
   * The tier that starts at an index, if one does: its candidates can then be skipped as a whole
   * (see {@link #tierEnd}) when none of {@link #tierClouds} can take a VM, without building them.
   *
   * @param index an index of the list
   * @return the tier's number, or -1 when no tier starts there
   */
  int tierStartingAt(int index) {
    for (int t = 0; t < tiers.length; t++) {
      if (tiers[t].offset == index) {
        return t;
      }
      if (tiers[t].offset > index) {
        break;
      }
    }
    return -1;
  }

  /**
   * The index after a tier's last candidate.
   *
   * @param tier a tier's number
   * @return its end
   */
  int tierEnd(int tier) {
    return tiers[tier].offset + tiers[tier].count;
  }

  /**
   * The clouds of a tier's candidates (every one has at least one candidate).
   *
   * @param tier a tier's number
   * @return its clouds
   */
  List<CloudName> tierClouds(int tier) {
    return tiers[tier].clouds;
  }

  /**
   * How many priority tiers were built so far (for tests of the laziness).
   *
   * @return the tiers built
   */
  int tiersBuilt() {
    return materialised;
  }

  /**
   * How many priority tiers there are.
   *
   * @return the tiers
   */
  int tiers() {
    return tiers.length;
  }
}
