// Lazy greedy (CELF) and 1-swap interchange local search on the reduced model.
//
// Uncapacitated coverage is submodular, so marginal gains only shrink as sites are added and a
// stale gain is an upper bound: CELF re-evaluates a site only when it reaches the top of the
// heap. The capacitated proportional split keeps that property (a site's reachable remaining
// weight only shrinks), so the same loop serves both.
#include <algorithm>
#include <cmath>
#include <queue>
#include <vector>

#include "siting/model.hpp"

namespace lifecircle::siting::detail {
namespace {

constexpr std::uint32_t kNone = kNoGroup;

double tolerance(const Model& m) { return 1e-9 * std::max(1.0, m.total_w); }

double site_gain(const Model& m, const std::vector<double>& r, std::uint32_t j) {
  double reach = 0;
  for (std::uint32_t g : m.site(j)) reach += r[g];
  return std::min(reach, m.cap[j]);
}

// Takes site j's share of the remaining weight (see simulate()).
void take(const Model& m, std::vector<double>& r, std::uint32_t j) {
  double reach = 0;
  for (std::uint32_t g : m.site(j)) reach += r[g];
  const double cap = m.cap[j];
  if (std::isinf(cap) || reach <= cap) {
    for (std::uint32_t g : m.site(j)) r[g] = 0;
  } else {
    const double keep = 1.0 - cap / reach;
    for (std::uint32_t g : m.site(j)) r[g] *= keep;
  }
}

struct Greedy {
  std::vector<std::uint32_t> order;
  double objective = 0;
  std::int64_t evaluations = 0;
};

// CELF. For set_cover it stops once target_new is reached; with costs it ranks by gain per cost.
Greedy lazy_greedy(const Model& m, const Constraints& c, Control& ctl,
                   std::vector<double>* initial_gain) {
  Greedy out;
  const std::size_t ns = m.sites();
  const double tol = tolerance(m);
  std::vector<double> r(m.gw);
  std::vector<std::uint32_t> blocked(ns, 0);  // chosen sites closer than the spacing
  struct Entry {
    double key, gain;
    std::uint32_t site, round;
  };
  auto worse = [](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.site > b.site;  // ties go to the lower index, for reproducible answers
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  auto key = [&](double gain, std::uint32_t j) { return m.unit_cost ? gain : gain / m.cost[j]; };
  if (initial_gain) initial_gain->assign(ns, 0.0);
  for (std::uint32_t j = 0; j < ns; ++j) {
    const double g = site_gain(m, r, j);
    if (initial_gain) (*initial_gain)[j] = g;
    ++out.evaluations;
    if (g > tol) heap.push({key(g, j), g, j, 0});
  }
  double spent = 0;
  const bool cover = c.problem == Problem::set_cover;
  std::uint64_t pops = 0;
  while (!heap.empty() && out.order.size() < c.max_sites) {
    if (cover && out.objective >= c.target_new - tol) break;
    if ((++pops & 255) == 0 && ctl.should_stop()) break;
    const Entry top = heap.top();
    heap.pop();
    if (blocked[top.site] || spent + m.cost[top.site] > c.budget + 1e-12 * std::max(1.0, c.budget))
      continue;  // spacing and budget only tighten, so the site never fits again
    if (top.round != out.order.size()) {
      const double g = site_gain(m, r, top.site);
      ++out.evaluations;
      if (g > tol)
        heap.push({key(g, top.site), g, top.site, static_cast<std::uint32_t>(out.order.size())});
      continue;
    }
    take(m, r, top.site);
    out.order.push_back(top.site);
    out.objective += top.gain;
    spent += m.cost[top.site];
    for (std::uint32_t k : m.conflicts(top.site)) ++blocked[k];
    ctl.report("greedy", out.objective, std::nullopt, out.evaluations);
    if (ctl.should_stop()) break;
  }
  return out;
}

// Incremental state for uncapacitated swaps: per group, how many chosen sites cover it and the
// XOR of their ids (which is the sole coverer's id whenever the count is 1).
class CoverState {
 public:
  explicit CoverState(const Model& m)
      : m_(m),
        cnt_(m.groups(), 0),
        xr_(m.groups(), 0),
        loss_(m.sites(), 0.0),
        in_(m.sites(), 0),
        cc_(m.sites(), 0) {}

  void add(std::uint32_t j) {
    for (std::uint32_t g : m_.site(j)) {
      if (cnt_[g] == 0) {
        obj_ += m_.gw[g];
        loss_[j] += m_.gw[g];
      } else if (cnt_[g] == 1) {
        loss_[xr_[g]] -= m_.gw[g];
      }
      ++cnt_[g];
      xr_[g] ^= j;
    }
    in_[j] = 1;
    cost_ += m_.cost[j];
    ++count_;
    for (std::uint32_t k : m_.conflicts(j)) ++cc_[k];
  }
  void remove(std::uint32_t j) {
    for (std::uint32_t g : m_.site(j)) {
      --cnt_[g];
      xr_[g] ^= j;
      if (cnt_[g] == 0)
        obj_ -= m_.gw[g];
      else if (cnt_[g] == 1)
        loss_[xr_[g]] += m_.gw[g];
    }
    loss_[j] = 0;
    in_[j] = 0;
    cost_ -= m_.cost[j];
    --count_;
    for (std::uint32_t k : m_.conflicts(j)) --cc_[k];
  }

  const Model& m_;
  std::vector<std::uint32_t> cnt_, xr_;
  std::vector<double> loss_;  // weight only this chosen site covers
  std::vector<std::uint8_t> in_;
  std::vector<std::uint32_t> cc_;  // chosen sites closer than the spacing
  double obj_ = 0, cost_ = 0;
  std::size_t count_ = 0;
};

struct SearchStats {
  std::int64_t evaluations = 0, moves = 0;
};

// First-improvement 1-swap (and add, while the limits leave room) for uncapacitated coverage,
// scanning candidates round-robin until a full cycle finds nothing better. Each candidate costs
// one pass over its groups plus one over the chosen sites. Returns the improved selection.
std::vector<std::uint32_t> improve_uncapacitated(const Model& m, const Constraints& c,
                                                 const std::vector<std::uint32_t>& start,
                                                 bool stop_at_target, Control& ctl,
                                                 SearchStats& st) {
  CoverState s(m);
  for (std::uint32_t j : start) s.add(j);
  std::vector<std::uint32_t> sol(start);
  const std::size_t ns = m.sites();
  const double tol = tolerance(m);
  const double budget_tol = 1e-12 * std::max(1.0, std::isinf(c.budget) ? 1.0 : c.budget);
  std::vector<double> extra(ns, 0.0);
  std::vector<std::uint32_t> touched;
  std::size_t since = 0;  // candidates examined since the last improvement
  std::uint32_t a = 0;
  while (ns > 0 && since < ns) {
    if (stop_at_target && s.obj_ >= c.target_new - tol) break;
    if ((st.evaluations & 31) == 0 && ctl.should_stop()) break;
    const std::uint32_t cand = a;
    a = (a + 1 == ns) ? 0 : a + 1;
    ++since;
    if (s.in_[cand] || (m.spacing && s.cc_[cand] >= 2)) continue;
    ++st.evaluations;
    double gain = 0;
    touched.clear();
    for (std::uint32_t g : m.site(cand)) {
      if (s.cnt_[g] == 0) {
        gain += m.gw[g];
      } else if (s.cnt_[g] == 1) {
        const std::uint32_t j = s.xr_[g];
        if (extra[j] == 0) touched.push_back(j);
        extra[j] += m.gw[g];
      }
    }
    double best = tol;
    std::uint32_t best_out = kNone;
    bool best_add = false;
    const bool free_of_conflict = !m.spacing || s.cc_[cand] == 0;
    if (free_of_conflict && s.count_ < c.max_sites &&
        s.cost_ + m.cost[cand] <= c.budget + budget_tol && gain > best) {
      best = gain;
      best_add = true;
    }
    std::uint32_t forced = kNone;  // the one chosen site the candidate is too close to
    if (!free_of_conflict)
      for (std::uint32_t k : m.conflicts(cand))
        if (s.in_[k]) forced = k;
    for (std::uint32_t j : sol) {
      if (forced != kNone && j != forced) continue;
      if (s.cost_ - m.cost[j] + m.cost[cand] > c.budget + budget_tol) continue;
      const double delta = gain - s.loss_[j] + extra[j];
      if (delta > best) {
        best = delta;
        best_out = j;
        best_add = false;
      }
    }
    for (std::uint32_t j : touched) extra[j] = 0;
    if (!best_add && best_out == kNone) continue;
    if (best_out != kNone) {
      s.remove(best_out);
      sol.erase(std::find(sol.begin(), sol.end(), best_out));
    }
    s.add(cand);
    sol.push_back(cand);
    ++st.moves;
    since = 0;
    ctl.report("swap", s.obj_, std::nullopt, st.evaluations);
  }
  return sol;
}

// 1-swap for the capacitated split, whose value depends on the order of the sites: a move drops
// the site at one rank and appends a candidate (possibly the same site) at the end, which is
// scored exactly by one simulation without the dropped site plus the candidate's reach.
std::vector<std::uint32_t> improve_capacitated(const Model& m, const Constraints& c,
                                               const std::vector<std::uint32_t>& start,
                                               bool stop_at_target, Control& ctl, SearchStats& st) {
  std::vector<std::uint32_t> sol(start);
  const std::size_t ns = m.sites();
  const double tol = tolerance(m);
  const double budget_tol = 1e-12 * std::max(1.0, std::isinf(c.budget) ? 1.0 : c.budget);
  std::vector<double> r;
  double obj = simulate(m, sol, nullptr, nullptr);
  std::vector<std::uint8_t> in(ns, 0);
  std::vector<std::uint32_t> cc(ns, 0);
  for (std::uint32_t j : sol) {
    in[j] = 1;
    for (std::uint32_t k : m.conflicts(j)) ++cc[k];
  }
  double spent = 0;
  for (std::uint32_t j : sol) spent += m.cost[j];

  bool improved = true;
  while (improved && !ctl.should_stop()) {
    improved = false;
    if (stop_at_target && obj >= c.target_new - tol) break;
    // Add moves while the limits leave room.
    if (sol.size() < c.max_sites) {
      simulate(m, sol, nullptr, nullptr, &r);
      double best = tol;
      std::uint32_t best_a = kNone;
      for (std::uint32_t a = 0; a < ns; ++a) {
        if (in[a] || cc[a] > 0 || spent + m.cost[a] > c.budget + budget_tol) continue;
        ++st.evaluations;
        const double g = site_gain(m, r, a);
        if (g > best) best = g, best_a = a;
      }
      if (best_a != kNone) {
        sol.push_back(best_a);
        in[best_a] = 1;
        spent += m.cost[best_a];
        for (std::uint32_t k : m.conflicts(best_a)) ++cc[k];
        obj += best;
        ++st.moves;
        improved = true;
        continue;
      }
    }
    for (std::size_t p = 0; p < sol.size(); ++p) {
      if (ctl.should_stop()) return sol;
      const std::uint32_t out = sol[p];
      std::vector<std::uint32_t> rest(sol);
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(p));
      const double base = simulate(m, rest, nullptr, nullptr, &r);
      for (std::uint32_t k : m.conflicts(out)) --cc[k];
      in[out] = 0;
      double best = obj + tol;
      std::uint32_t best_a = kNone;
      for (std::uint32_t a = 0; a < ns; ++a) {
        if (in[a] || cc[a] > 0 || spent - m.cost[out] + m.cost[a] > c.budget + budget_tol) continue;
        ++st.evaluations;
        const double v = base + site_gain(m, r, a);
        if (v > best) best = v, best_a = a;
      }
      if (best_a == kNone) {
        in[out] = 1;
        for (std::uint32_t k : m.conflicts(out)) ++cc[k];
        continue;
      }
      rest.push_back(best_a);
      sol = std::move(rest);
      in[best_a] = 1;
      for (std::uint32_t k : m.conflicts(best_a)) ++cc[k];
      spent += m.cost[best_a] - m.cost[out];
      obj = best;
      ++st.moves;
      improved = true;
      ctl.report("swap", obj, std::nullopt, st.evaluations);
      if (stop_at_target && obj >= c.target_new - tol) return sol;
    }
  }
  return sol;
}

std::vector<std::uint32_t> improve(const Model& m, const Constraints& c,
                                   const std::vector<std::uint32_t>& start, bool stop_at_target,
                                   Control& ctl, SearchStats& st) {
  return m.capacitated ? improve_capacitated(m, c, start, stop_at_target, ctl, st)
                       : improve_uncapacitated(m, c, start, stop_at_target, ctl, st);
}

// Drops sites, lowest contribution first, while the target stays reached.
std::vector<std::uint32_t> drop_redundant(const Model& m, const Constraints& c,
                                          std::vector<std::uint32_t> sol, Control& ctl) {
  const double tol = tolerance(m);
  for (std::size_t p = sol.size(); p-- > 0 && !ctl.should_stop();) {
    std::vector<std::uint32_t> rest(sol);
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(p));
    if (simulate(m, rest, nullptr, nullptr) >= c.target_new - tol) sol = std::move(rest);
  }
  return sol;
}

}  // namespace

ModelSolution solve_heuristic(const Model& m, const Constraints& c, bool local_search,
                              Control& ctl) {
  ModelSolution out;
  std::vector<double> single;
  Greedy g = lazy_greedy(m, c, ctl, &single);
  out.iterations = g.evaluations;
  std::vector<std::uint32_t> sol = std::move(g.order);

  // Ratio greedy alone can be arbitrarily bad under a budget (one expensive site worth more
  // than all the cheap ones); the best single affordable site restores a constant factor.
  if (c.problem == Problem::max_coverage && !m.unit_cost && c.max_sites > 0) {
    std::uint32_t best = kNone;
    for (std::uint32_t j = 0; j < m.sites(); ++j)
      if (m.cost[j] <= c.budget && (best == kNone || single[j] > single[best])) best = j;
    if (best != kNone && single[best] > g.objective) sol = {best};
  }

  SearchStats st;
  if (c.problem == Problem::max_coverage) {
    if (local_search && !ctl.should_stop()) sol = improve(m, c, sol, false, ctl, st);
  } else {
    sol = drop_redundant(m, c, std::move(sol), ctl);
    // With unit costs, try to reach the target with one site fewer by swapping, repeatedly.
    const double tol = tolerance(m);
    while (local_search && m.unit_cost && !sol.empty() && !ctl.should_stop() &&
           simulate(m, sol, nullptr, nullptr) >= c.target_new - tol) {
      Constraints fewer = c;
      fewer.max_sites = sol.size() - 1;
      std::vector<std::uint32_t> trial(sol.begin(), sol.end() - 1);
      trial = improve(m, fewer, trial, true, ctl, st);
      if (simulate(m, trial, nullptr, nullptr) < c.target_new - tol) break;
      sol = drop_redundant(m, c, std::move(trial), ctl);
    }
  }
  out.order = std::move(sol);
  out.objective = simulate(m, out.order, nullptr, nullptr);
  out.iterations += st.evaluations;
  out.swaps = st.moves;
  return out;
}

}  // namespace lifecircle::siting::detail
