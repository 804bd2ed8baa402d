// The front door: validate and reduce, run the heuristic, optionally CBC, and report in
// instance terms.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <utility>

#include "siting/model.hpp"

namespace lifecircle::siting {
namespace {

using detail::Model;
using detail::ModelSolution;

// Uncapacitated marginal gains do not depend on order for the total, so chosen sites are ranked
// the way a planner reads them: each next site is the one adding most to those above it.
std::vector<std::uint32_t> rank_by_marginal_gain(const Model& m,
                                                 std::vector<std::uint32_t> chosen) {
  std::vector<std::uint8_t> covered(m.groups(), 0);
  std::vector<std::uint32_t> ranked;
  ranked.reserve(chosen.size());
  while (!chosen.empty()) {
    std::size_t best = 0;
    double best_gain = -1;
    for (std::size_t t = 0; t < chosen.size(); ++t) {
      double gain = 0;
      for (std::uint32_t g : m.site(chosen[t]))
        if (!covered[g]) gain += m.gw[g];
      if (gain > best_gain) best_gain = gain, best = t;
    }
    for (std::uint32_t g : m.site(chosen[best])) covered[g] = 1;
    ranked.push_back(chosen[best]);
    chosen.erase(chosen.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return ranked;
}

// A proven bound every answer carries, whatever the method, from each eligible site's reach
// (its reachable weight, capped by its capacity) alone: coverage is subadditive, so k sites add
// at most their k largest reaches, a budget at most the fractional knapsack of reaches per cost,
// and nothing beyond all reachable weight. Set covering: the fewest sites (least fractional cost)
// whose largest reaches could meet the target. It ignores overlaps and spacing, so it is loose
// where sites compete for the same demand and tight where they do not (or where capacity binds).
double reach_bound(const Model& m, const detail::Constraints& c) {
  const std::size_t ns = m.sites();
  std::vector<double> reach(ns, 0.0);
  double reachable = 0;
  for (double w : m.gw) reachable += w;
  for (std::size_t j = 0; j < ns; ++j) {
    for (std::uint32_t g : m.site(j)) reach[j] += m.gw[g];
    reach[j] = std::min(reach[j], m.cap[j]);
  }
  std::vector<std::uint32_t> by_ratio(ns);
  std::iota(by_ratio.begin(), by_ratio.end(), 0u);
  std::sort(by_ratio.begin(), by_ratio.end(), [&](std::uint32_t a, std::uint32_t b) {
    return reach[a] * m.cost[b] > reach[b] * m.cost[a];
  });
  if (c.problem == Problem::set_cover) {
    double got = 0, cost = 0;
    for (std::uint32_t j : by_ratio) {
      if (got >= c.target_new) break;
      const double part = m.unit_cost ? 1.0 : std::min(1.0, (c.target_new - got) / reach[j]);
      got += part * reach[j];
      cost += part * m.cost[j];
    }
    return cost;
  }
  std::vector<double> top(reach);
  const std::size_t k = std::min(c.max_sites, ns);
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k), top.end(),
                    std::greater<double>());
  double bound = std::min(reachable, std::accumulate(top.begin(), top.begin() + k, 0.0));
  if (std::isfinite(c.budget)) {
    double left = c.budget, value = 0;
    for (std::uint32_t j : by_ratio) {
      if (left <= 0) break;
      const double part = std::min(1.0, left / m.cost[j]);
      value += part * reach[j];
      left -= part * m.cost[j];
    }
    bound = std::min(bound, value);
  }
  return bound;
}

}  // namespace

Result solve(const Instance& in, const Request& rq) {
  Result res;
  const double limit =
      (std::isfinite(rq.time_limit_s) && rq.time_limit_s > 0) ? rq.time_limit_s : 1;
  detail::Control ctl(std::min(limit, rq.limits.max_time_limit_s), rq.cancel, rq.progress);

  Model m;
  if (auto e = detail::build_model(in, rq, m)) {
    res.error = std::move(e);
    return res;
  }
  detail::Constraints c;
  c.problem = rq.problem;
  // Required sites take their share of k and of the budget (validated to fit).
  if (rq.max_sites) c.max_sites = *rq.max_sites - m.required.size();
  if (rq.budget) c.budget = std::max(0.0, *rq.budget - m.required_cost);
  const double tol = 1e-9 * std::max(1.0, m.total_w);
  if (rq.problem == Problem::set_cover) {
    c.target_new = std::max(0.0, rq.target_share * m.total_w - m.before_w - m.required_w);
    // Even every eligible site together cannot exceed the reachable weight (nor, capacitated,
    // the summed capacities).
    double reachable = std::accumulate(m.gw.begin(), m.gw.end(), 0.0);
    if (m.capacitated)
      reachable = std::min(reachable, std::accumulate(m.cap.begin(), m.cap.end(), 0.0));
    if (reachable < c.target_new - tol) {
      res.error = Error{ErrorCode::target_unreachable, "target_share",
                        "existing facilities and all eligible candidates together reach " +
                            std::to_string(100.0 * (m.before_w + m.required_w + reachable) /
                                           std::max(m.total_w, 1e-300)) +
                            "% of the weight, below the target"};
      return res;
    }
  }

  ModelSolution sol = detail::solve_heuristic(m, c, rq.local_search, ctl);
  SolverFacts facts;
  facts.method = rq.local_search ? "greedy+swap" : "greedy";
  facts.iterations = sol.iterations;
  facts.swaps = sol.swaps;
  auto cost_of = [&](const std::vector<std::uint32_t>& order) {
    double s = 0;
    for (std::uint32_t j : order) s += m.cost[j];
    return s;
  };
  const bool cover = rq.problem == Problem::set_cover;
  bool from_mip = false;

  // When the reach bound already proves the heuristic's answer optimal (capacity binding at
  // every chosen site, say), CBC has nothing left to prove and is not started.
  double reach = reach_bound(m, c);
  const bool proven =
      cover ? sol.objective >= c.target_new - tol && cost_of(sol.order) <= reach + 1e-9
            : sol.objective >= reach - tol;
  if (rq.method == Method::exact && !ctl.cancelled() && !proven) {
    const bool warm_ok = !cover || sol.objective >= c.target_new - tol;
    detail::ExactOutcome ex = detail::solve_exact(m, c, warm_ok ? &sol : nullptr, rq.limits, ctl);
    if (!ex.failure.empty()) {
      const bool big = ex.failure.rfind("too_large", 0) == 0;
      res.error =
          Error{big ? ErrorCode::too_large : ErrorCode::solver_failed, "method", ex.failure};
      return res;
    }
    if (ex.infeasible && cover) {
      res.error = Error{ErrorCode::target_unreachable, "target_share",
                        "CBC proved that no choice of eligible sites reaches the target "
                        "(spacing or capacity rules prevent it)"};
      return res;
    }
    facts.method = "cbc";
    facts.heuristic_objective = cover ? cost_of(sol.order) : sol.objective;
    facts.iterations = ex.nodes;
    facts.bound = ex.bound;
    facts.optimal = ex.optimal;
    facts.warm_start_used = ex.warm_start_used;
    if (ex.solution) {
      ModelSolution& e = *ex.solution;
      if (!m.capacitated) e.objective = detail::simulate(m, e.order, nullptr, nullptr);
      // CBC returns the warm start or better; keep whichever is better should it not.
      const bool better = cover ? (e.objective >= c.target_new - tol &&
                                   (cost_of(e.order) <= cost_of(sol.order) + 1e-9 ||
                                    sol.objective < c.target_new - tol))
                                : e.objective >= sol.objective - tol;
      if (better) {
        e.iterations = sol.iterations;
        sol = std::move(e);
        from_mip = true;
      }
    }
  }

  // Every answer's bound and gap: CBC's where it ran, tightened by the reach bound and, for
  // uncapacitated k-site covering, by the Lagrangian bound.
  if (!cover && !m.capacitated && m.unit_cost && !facts.optimal) {
    std::size_t k = c.max_sites;
    if (std::isfinite(c.budget)) k = std::min(k, static_cast<std::size_t>(c.budget + 1e-9));
    // At most 1000 subgradient steps (tens of milliseconds on 10k x 1k), and a tenth of
    // what is left of the time limit.
    const double budget_ms = 100 * std::max(0.0, ctl.remaining_s());
    reach = std::min(reach, detail::lagrangian_bound(m, k, sol.objective, reach, ctl, budget_ms));
  }
  if (!facts.bound)
    facts.bound = reach;
  else
    facts.bound = cover ? std::max(*facts.bound, reach) : std::min(*facts.bound, reach);
  if (!cover || sol.objective >= c.target_new - tol) {
    const double obj = cover ? cost_of(sol.order) : sol.objective;
    facts.gap = std::max(0.0, cover ? obj - *facts.bound : *facts.bound - obj) /
                std::max(std::fabs(obj), 1e-9);
    if (*facts.gap <= 1e-9) facts.optimal = true;
    if (facts.optimal) facts.gap = 0.0;
  }

  // Report in instance terms.
  std::vector<double> load, load2;
  std::vector<std::uint32_t> order = sol.order;
  if (!m.capacitated) {
    order = rank_by_marginal_gain(m, std::move(order));
    detail::simulate(m, order, &load, &load2);
  } else if (from_mip) {
    std::vector<std::size_t> idx(order.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return sol.load[a] > sol.load[b]; });
    std::vector<std::uint32_t> o;
    for (std::size_t t : idx) {
      o.push_back(order[t]);
      load.push_back(sol.load[t]);
      load2.push_back(sol.load2[t]);
    }
    order = std::move(o);
  } else {
    detail::simulate(m, order, &load, &load2);
  }

  Solution out;
  for (std::size_t t = 0; t < m.required.size(); ++t) {
    ChosenSite s;
    s.site = m.required[t];
    s.rank = static_cast<std::uint32_t>(t + 1);
    s.new_weight = m.required_gain[t];
    s.new_weight2 = m.required_gain2[t];
    s.cost = in.site_cost.empty() ? 1.0 : in.site_cost[s.site];
    s.required = true;
    out.sites.push_back(s);
  }
  out.required_weight = m.required_w;
  out.required_weight2 = m.required_w2;
  out.required_cost = m.required_cost;
  out.total_cost = m.required_cost;
  for (std::size_t t = 0; t < order.size(); ++t) {
    ChosenSite s;
    s.site = m.site_id[order[t]];
    s.rank = static_cast<std::uint32_t>(m.required.size() + t + 1);
    s.new_weight = load[t];
    s.new_weight2 = load2[t];
    s.cost = m.cost[order[t]];
    out.sites.push_back(s);
    out.objective += load[t];
    out.covered_after2 += load2[t];
    out.total_cost += s.cost;
  }
  out.total_weight = m.total_w;
  out.total_weight2 = m.total_w2;
  out.covered_before = m.before_w;
  out.covered_before2 = m.before_w2;
  out.covered_after = m.before_w + m.required_w + out.objective;
  out.covered_after2 += m.before_w2 + m.required_w2;
  out.target_reached = !cover || out.objective >= c.target_new - tol;
  facts.time_ms = ctl.elapsed_ms();
  facts.stopped = ctl.stopped();
  facts.demand_groups = m.groups();
  facts.eligible_sites = m.sites();
  facts.reduced_nonzeros = m.grp.size();
  out.facts = std::move(facts);
  res.solution = std::move(out);
  return res;
}

}  // namespace lifecircle::siting
