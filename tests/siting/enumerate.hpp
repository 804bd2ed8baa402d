// An independent reference for the siting tests: every subset of candidates is enumerated and
// scored straight from the definitions (covered demand counted point by point; the capacitated
// value is a maximum flow), sharing no code with the solver.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <queue>
#include <vector>

namespace lifecircle::siting::testing {

struct Tiny {
  std::vector<double> weight, weight2;
  std::vector<std::vector<std::uint32_t>> covers;  // per site
  std::vector<std::uint8_t> covered;               // per demand, may be empty
  std::vector<double> cost, capacity;              // may be empty
  struct P {
    double x, y;
  };
  std::vector<P> site_xy, existing_xy;
  double spacing = 0;
  std::vector<std::uint32_t> excluded;
};

// Max flow source -> demand (weight) -> site (unbounded) -> sink (capacity): the most demand
// a set of capacitated sites can serve when demand may be split.
inline double max_flow_served(const Tiny& t, const std::vector<std::uint32_t>& sites) {
  const std::size_t nd = t.weight.size(), ns = sites.size();
  const std::size_t n = nd + ns + 2, src = nd + ns, snk = nd + ns + 1;
  std::vector<std::vector<double>> cap(n, std::vector<double>(n, 0.0));
  const double big = 1e300;
  for (std::size_t i = 0; i < nd; ++i)
    if (t.covered.empty() || !t.covered[i]) cap[src][i] = t.weight[i];
  for (std::size_t a = 0; a < ns; ++a) {
    for (std::uint32_t i : t.covers[sites[a]]) cap[i][nd + a] = big;
    cap[nd + a][snk] = t.capacity.empty() ? big : t.capacity[sites[a]];
  }
  double flow = 0;
  for (;;) {  // Edmonds-Karp
    std::vector<std::size_t> prev(n, n);
    std::queue<std::size_t> q;
    q.push(src);
    prev[src] = src;
    while (!q.empty() && prev[snk] == n) {
      const std::size_t u = q.front();
      q.pop();
      for (std::size_t v = 0; v < n; ++v)
        if (prev[v] == n && cap[u][v] > 1e-12) prev[v] = u, q.push(v);
    }
    if (prev[snk] == n) break;
    double f = big;
    for (std::size_t v = snk; v != src; v = prev[v]) f = std::min(f, cap[prev[v]][v]);
    for (std::size_t v = snk; v != src; v = prev[v]) {
      cap[prev[v]][v] -= f;
      cap[v][prev[v]] += f;
    }
    flow += f;
  }
  return flow;
}

// New weight (and companion weight) covered by `sites`, uncapacitated.
inline double newly_covered(const Tiny& t, const std::vector<std::uint32_t>& sites,
                            const std::vector<double>& w) {
  std::vector<std::uint8_t> hit(t.weight.size(), 0);
  for (std::uint32_t s : sites)
    for (std::uint32_t i : t.covers[s]) hit[i] = 1;
  double sum = 0;
  for (std::size_t i = 0; i < hit.size(); ++i)
    if (hit[i] && (t.covered.empty() || !t.covered[i])) sum += w[i];
  return sum;
}

inline bool feasible(const Tiny& t, const std::vector<std::uint32_t>& sites) {
  for (std::uint32_t s : sites)
    if (std::find(t.excluded.begin(), t.excluded.end(), s) != t.excluded.end()) return false;
  if (t.spacing > 0) {
    auto close = [&](Tiny::P a, Tiny::P b) { return std::hypot(a.x - b.x, a.y - b.y) < t.spacing; };
    for (std::size_t a = 0; a < sites.size(); ++a) {
      for (const auto& e : t.existing_xy)
        if (close(t.site_xy[sites[a]], e)) return false;
      for (std::size_t b = a + 1; b < sites.size(); ++b)
        if (close(t.site_xy[sites[a]], t.site_xy[sites[b]])) return false;
    }
  }
  return true;
}

inline double value(const Tiny& t, const std::vector<std::uint32_t>& sites) {
  return t.capacity.empty() ? newly_covered(t, sites, t.weight) : max_flow_served(t, sites);
}

struct Best {
  double value = -1;
  double cost = std::numeric_limits<double>::infinity();
  std::size_t count = 0;
  std::vector<std::uint32_t> sites;
};

// Maximal covering: the best feasible subset with at most k sites and cost at most budget.
inline Best enumerate_max_coverage(const Tiny& t, std::size_t k, double budget) {
  const std::size_t ns = t.covers.size();
  Best best;
  for (std::uint64_t mask = 0; mask < (1ULL << ns); ++mask) {
    std::vector<std::uint32_t> s;
    double c = 0;
    for (std::uint32_t j = 0; j < ns; ++j)
      if (mask >> j & 1) s.push_back(j), c += t.cost.empty() ? 1.0 : t.cost[j];
    if (s.size() > k || c > budget + 1e-9 || !feasible(t, s)) continue;
    const double v = value(t, s);
    if (v > best.value + 1e-9) best = {v, c, s.size(), s};
  }
  return best;
}

// Set covering: the least cost (fewest sites with unit cost) feasible subset whose new weight
// reaches `need`; value stays -1 when none does.
inline Best enumerate_set_cover(const Tiny& t, double need) {
  const std::size_t ns = t.covers.size();
  Best best;
  for (std::uint64_t mask = 0; mask < (1ULL << ns); ++mask) {
    std::vector<std::uint32_t> s;
    double c = 0;
    for (std::uint32_t j = 0; j < ns; ++j)
      if (mask >> j & 1) s.push_back(j), c += t.cost.empty() ? 1.0 : t.cost[j];
    if (c >= best.cost - 1e-9 || !feasible(t, s)) continue;
    const double v = value(t, s);
    if (v >= need - 1e-9) best = {v, c, s.size(), s};
  }
  return best;
}

}  // namespace lifecircle::siting::testing
