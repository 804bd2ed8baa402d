// The exact MIP, solved by COIN-OR CBC (branch and cut through the library API), warm-started
// from the heuristic.
//
// Maximal covering (minimised as the negated weight):
//   max sum_g w_g z_g   s.t.  z_g <= sum_{s covers g} y_s,  sum_s y_s <= k,  sum_s c_s y_s <= B,
//                             y_a + y_b <= 1 for sites closer than the spacing,
//                             y binary, 0 <= z <= 1.
// Capacitated (demand split): x_sg >= 0 is the weight of group g served by site s,
//   max sum x   s.t.  sum_s x_sg <= w_g,  sum_g x_sg <= C_s y_s,  x_sg <= w_g y_s.
// Set covering: min sum_s c_s y_s with sum_g w_g z_g (or sum x) >= the new weight needed.
#include <CbcEventHandler.hpp>
#include <CbcHeuristic.hpp>
#include <CbcHeuristicFPump.hpp>
#include <CbcHeuristicLocal.hpp>
#include <CbcHeuristicRINS.hpp>
#include <CbcModel.hpp>
#include <CglClique.hpp>
#include <CglFlowCover.hpp>
#include <CglKnapsackCover.hpp>
#include <CglMixedIntegerRounding2.hpp>
#include <CglProbing.hpp>
#include <CglZeroHalf.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "siting/model.hpp"

namespace lifecircle::siting::detail {
namespace {

// Polls the cancel flag and the wall-clock deadline at every event and reports the incumbent
// and bound.
class StopHandler : public CbcEventHandler {
 public:
  StopHandler(Control* ctl, bool maximise) : ctl_(ctl), maximise_(maximise) {}
  CbcAction event(CbcEvent which) override {
    if (ctl_->cancelled() || ctl_->remaining_s() <= 0) return stop;
    if (which == node || which == solution || which == heuristicSolution) {
      const CbcModel* m = getModel();
      if (m && m->bestSolution() && ((++calls_ & 63) == 0 || which != node)) {
        const double sign = maximise_ ? -1.0 : 1.0;
        ctl_->report("mip", sign * m->getObjValue(), sign * m->getBestPossibleObjValue(),
                     m->getNodeCount());
      }
    }
    return noAction;
  }
  CbcEventHandler* clone() const override { return new StopHandler(*this); }

 private:
  Control* ctl_;
  bool maximise_;
  long calls_ = 0;
};

struct Lp {
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value;
  std::vector<double> col_lb, col_ub, obj;
  std::vector<double> row_lb, row_ub;
  int add_row(double lb, double ub) {
    row_lb.push_back(lb);
    row_ub.push_back(ub);
    return static_cast<int>(row_lb.size()) - 1;
  }
  // Columns are appended with their entries; the caller closes each with end_col.
  void entry(int row, double v) {
    index.push_back(row);
    value.push_back(v);
  }
  int end_col(double lb, double ub, double c) {
    col_lb.push_back(lb);
    col_ub.push_back(ub);
    obj.push_back(c);
    start.push_back(static_cast<CoinBigIndex>(index.size()));
    return static_cast<int>(col_lb.size()) - 1;
  }
};

}  // namespace

ExactOutcome solve_exact(const Model& m, const Constraints& c, const ModelSolution* warm,
                         const Limits& limits, Control& ctl) {
  ExactOutcome out;
  const std::size_t ns = m.sites(), ng = m.groups();
  const bool cover = c.problem == Problem::set_cover;
  const bool cap = m.capacitated;
  const std::size_t nnz = m.grp.size();

  // Size first, so a request too big for CBC never allocates the model.
  const std::size_t cols = ns + (cap ? nnz : ng);
  const std::size_t entries =
      cap ? 4 * nnz + 2 * ns + m.conf.size() : nnz + 2 * ng + 2 * ns + m.conf.size();
  if (cols > limits.max_mip_columns || entries > limits.max_mip_nonzeros) {
    out.failure = "too_large: the exact model would have " + std::to_string(cols) +
                  " columns and " + std::to_string(entries) + " nonzeros (limits " +
                  std::to_string(limits.max_mip_columns) + " / " +
                  std::to_string(limits.max_mip_nonzeros) + ")";
    return out;
  }
  if (ctl.should_stop()) return out;  // the heuristic used the whole limit
  const double given_s = ctl.remaining_s();

  // Uncapacitated, a group only one site reaches is covered exactly when that site opens, so
  // its weight moves onto the site's y column and it needs no z column or row. On clustered
  // instances that removes a good share of the model.
  std::vector<int> group_row(ng, -1);
  std::vector<double> private_weight(ns, 0.0);
  Lp lp;
  if (!cap) {
    std::vector<std::uint32_t> reach(ng, 0);
    for (std::uint32_t g : m.grp) ++reach[g];
    for (std::size_t s = 0; s < ns; ++s)
      for (std::uint32_t g : m.site(s))
        if (reach[g] == 1) private_weight[s] += m.gw[g];
    for (std::size_t g = 0; g < ng; ++g)
      if (reach[g] > 1) group_row[g] = lp.add_row(-COIN_DBL_MAX, 0.0);
  } else {
    for (std::size_t g = 0; g < ng; ++g) group_row[g] = lp.add_row(-COIN_DBL_MAX, m.gw[g]);
  }
  // Then (capacitated) one row per site and one per (site, group), then the global rows, then
  // spacing pairs.
  const int site_row0 = static_cast<int>(lp.row_lb.size());
  if (cap)
    for (std::size_t s = 0; s < ns; ++s) lp.add_row(-COIN_DBL_MAX, 0.0);
  const int vub_row0 = static_cast<int>(lp.row_lb.size());
  if (cap)
    for (std::size_t t = 0; t < nnz; ++t) lp.add_row(-COIN_DBL_MAX, 0.0);
  int count_row = -1, budget_row = -1, target_row = -1;
  if (!cover && c.max_sites < ns) count_row = lp.add_row(-COIN_DBL_MAX, double(c.max_sites));
  if (!cover && std::isfinite(c.budget)) budget_row = lp.add_row(-COIN_DBL_MAX, c.budget);
  if (cover) target_row = lp.add_row(c.target_new * (1 - 1e-12), COIN_DBL_MAX);
  std::vector<int> pair_row(m.conf.size(), -1);
  for (std::size_t a = 0; a < ns; ++a)
    for (std::uint64_t t = m.spacing ? m.coff[a] : 0; m.spacing && t < m.coff[a + 1]; ++t)
      if (a < m.conf[t]) pair_row[t] = lp.add_row(-COIN_DBL_MAX, 1.0);

  // y columns.
  for (std::size_t s = 0; s < ns; ++s) {
    if (!cap)
      for (std::uint32_t g : m.site(s))
        if (group_row[g] >= 0) lp.entry(group_row[g], -1.0);
    if (cover && private_weight[s] > 0) lp.entry(target_row, private_weight[s]);
    if (cap) {
      if (std::isfinite(m.cap[s])) lp.entry(site_row0 + static_cast<int>(s), -m.cap[s]);
      for (std::uint64_t t = m.off[s]; t < m.off[s + 1]; ++t)
        lp.entry(vub_row0 + static_cast<int>(t), -m.gw[m.grp[t]]);
    }
    if (count_row >= 0) lp.entry(count_row, 1.0);
    if (budget_row >= 0) lp.entry(budget_row, m.cost[s]);
    if (m.spacing)
      for (std::uint64_t t = m.coff[s]; t < m.coff[s + 1]; ++t) {
        const std::uint32_t b = m.conf[t];
        // The row was created on the lower-index side; find it from the other side too.
        if (s < b) {
          lp.entry(pair_row[t], 1.0);
        } else {
          const auto first = m.conf.begin() + static_cast<std::ptrdiff_t>(m.coff[b]);
          const auto last = m.conf.begin() + static_cast<std::ptrdiff_t>(m.coff[b + 1]);
          const auto u = std::lower_bound(first, last, static_cast<std::uint32_t>(s));
          lp.entry(pair_row[static_cast<std::size_t>(u - m.conf.begin())], 1.0);
        }
      }
    lp.end_col(0.0, 1.0, cover ? m.cost[s] : -private_weight[s]);
  }
  const int first_flow = static_cast<int>(ns);
  std::vector<int> group_col(ng, -1);
  if (!cap) {
    for (std::size_t g = 0; g < ng; ++g) {
      if (group_row[g] < 0) continue;
      lp.entry(group_row[g], 1.0);
      if (cover) lp.entry(target_row, m.gw[g]);
      group_col[g] = lp.end_col(0.0, 1.0, cover ? 0.0 : -m.gw[g]);
    }
  } else {
    for (std::size_t s = 0; s < ns; ++s)
      for (std::uint64_t t = m.off[s]; t < m.off[s + 1]; ++t) {
        const std::uint32_t g = m.grp[t];
        lp.entry(group_row[g], 1.0);
        if (std::isfinite(m.cap[s])) lp.entry(site_row0 + static_cast<int>(s), 1.0);
        lp.entry(vub_row0 + static_cast<int>(t), 1.0);
        if (cover) lp.entry(target_row, 1.0);
        lp.end_col(0.0, m.gw[g], cover ? 0.0 : -1.0);
      }
  }

  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.loadProblem(static_cast<int>(lp.col_lb.size()), static_cast<int>(lp.row_lb.size()),
                     lp.start.data(), lp.index.data(), lp.value.data(), lp.col_lb.data(),
                     lp.col_ub.data(), lp.obj.data(), lp.row_lb.data(), lp.row_ub.data());
  for (std::size_t s = 0; s < ns; ++s) solver.setInteger(static_cast<int>(s));
  const int ncols = solver.getNumCols();
  lp = Lp();  // CBC holds its own copy

  // The heuristic's choice as a complete start: y, and the coverage (z) or the proportional
  // split's flows (x) it implies.
  std::vector<double> start;
  if (warm) {
    start.assign(static_cast<std::size_t>(ncols), 0.0);
    std::vector<double> r(m.gw);
    for (std::uint32_t s : warm->order) {
      start[s] = 1.0;
      double reach = 0;
      for (std::uint32_t g : m.site(s)) reach += r[g];
      const double f = (std::isinf(m.cap[s]) || reach <= m.cap[s]) ? 1.0 : m.cap[s] / reach;
      for (std::uint64_t t = m.off[s]; t < m.off[s + 1]; ++t) {
        const std::uint32_t g = m.grp[t];
        if (cap)
          start[static_cast<std::size_t>(first_flow) + t] = f * r[g];
        else if (group_col[g] >= 0)
          start[static_cast<std::size_t>(group_col[g])] = 1.0;
        r[g] -= f * r[g];
      }
    }
  }

  // CBC's library API with the cut generators and heuristics the cbc binary uses by default.
  // (CbcMain1, the binary's driver, crashed in ClpPresolve on the capacitated model and
  // mis-indexes MIP starts after preprocessing in 2.10.8, so it is not used.)
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.solver()->messageHandler()->setLogLevel(0);
  CglProbing probing;
  probing.setUsingObjective(1);
  probing.setMaxPass(1);
  probing.setMaxPassRoot(5);
  probing.setMaxProbe(10);
  probing.setMaxProbeRoot(50);
  probing.setMaxLook(10);
  probing.setMaxLookRoot(50);
  probing.setRowCuts(3);
  CglKnapsackCover knapsack;
  CglClique clique;
  clique.setStarCliqueReport(false);
  clique.setRowCliqueReport(false);
  CglMixedIntegerRounding2 mir;
  CglFlowCover flow;
  CglZeroHalf zero_half;
  // No Gomory cuts: on the clustered 10k x 1k benchmark they are dense (~450 entries each),
  // slow every node LP and made the proof 4x slower (16 s vs 4 s CPU).
  model.addCutGenerator(&probing, -1, "Probing");
  model.addCutGenerator(&knapsack, -1, "Knapsack");
  model.addCutGenerator(&clique, -1, "Clique");
  model.addCutGenerator(&mir, -1, "MixedIntegerRounding2");
  model.addCutGenerator(&flow, -1, "FlowCover");
  model.addCutGenerator(&zero_half, -1, "ZeroHalf");
  CbcRounding rounding(model);
  model.addHeuristic(&rounding);
  CbcHeuristicFPump pump(model);
  pump.setMaximumPasses(20);
  model.addHeuristic(&pump);
  CbcHeuristicLocal local(model);
  model.addHeuristic(&local);
  CbcHeuristicRINS rins(model);
  model.addHeuristic(&rins);

  StopHandler handler(&ctl, !cover);
  model.passInEventHandler(&handler);
  // Prove the optimum exactly rather than to CBC's default relative tolerance.
  model.setAllowableGap(0.0);
  model.setAllowableFractionGap(0.0);
  model.setAllowablePercentageGap(0.0);
  // Wall-clock time, not CBC's default CPU time: on a busy machine CPU seconds lag far behind
  // the seconds a client waits. The root LP gets the limit too (less a tenth, as Clp overruns
  // it by a step), since CBC's own limit only starts counting at branchAndBound().
  model.setUseElapsedTime(true);
  model.setNumberThreads(0);
  if (auto* clp = dynamic_cast<OsiClpSolverInterface*>(model.solver()))
    clp->getModelPtr()->setMaximumWallSeconds(std::max(0.01, 0.9 * ctl.remaining_s()));
  try {
    model.initialSolve();
    // Branch and bound starts with root cuts that CBC cannot interrupt and that take about as
    // long as the LP did: with less than half the time left it would overrun the limit, so the
    // answer is the heuristic's, with the root LP (when it finished) as its bound.
    if (ctl.should_stop() || ctl.remaining_s() < 0.5 * given_s) {
      if (model.solver()->isProvenOptimal())
        out.bound = (cover ? 1.0 : -1.0) * model.solver()->getObjValue();
      ctl.mark_stopped("time_limit");
      return out;
    }
    // A tenth kept back: CBC notices its limit only between steps and then cleans up.
    model.setMaximumSeconds(std::max(0.01, 0.9 * ctl.remaining_s()));
    if (!start.empty()) {
      double obj = 0;
      for (int col = 0; col < ncols; ++col)
        obj += model.solver()->getObjCoefficients()[col] * start[static_cast<std::size_t>(col)];
      model.setBestSolution(start.data(), ncols, obj, true);
      out.warm_start_used = model.bestSolution() != nullptr;  // CBC keeps it only if feasible
    }
    model.branchAndBound();
  } catch (const CoinError& e) {
    out.failure = "solver_failed: CBC: " + e.message();
    return out;
  }

  out.nodes = model.getNodeCount();
  // Stopped first: a run stopped early may also read as "infeasible", which it did not prove.
  // Besides CBC's own limit, Clp's wall limit (set for the root LP) abandons node LPs once it
  // passes, and CBC then reports infeasibility; maximal covering is never infeasible.
  const bool clp_limit = given_s - ctl.remaining_s() >= 0.9 * given_s - 1e-3;
  const bool stopped = ctl.cancelled() || model.isSecondsLimitReached() || model.isAbandoned() ||
                       ctl.remaining_s() <= 0 || clp_limit ||
                       (!model.isProvenOptimal() && !model.isProvenInfeasible()) ||
                       (!cover && model.isProvenInfeasible());
  if (ctl.cancelled())
    ctl.mark_stopped("cancelled");
  else if (stopped)
    ctl.mark_stopped("time_limit");
  if (!stopped && model.isProvenInfeasible()) {
    out.infeasible = true;
    return out;
  }

  const double* x = model.bestSolution();
  if (!x) return out;
  const double sign = cover ? 1.0 : -1.0;
  out.bound = sign * model.getBestPossibleObjValue();
  out.optimal = model.isProvenOptimal();

  ModelSolution sol;
  for (std::size_t s = 0; s < ns; ++s)
    if (x[s] > 0.5) sol.order.push_back(static_cast<std::uint32_t>(s));
  if (cap) {
    // Served weight per chosen site, and the companion weight in proportion to each group's
    // share served.
    std::vector<double> load(ns, 0.0), load2(ns, 0.0);
    int col = first_flow;
    for (std::size_t s = 0; s < ns; ++s)
      for (std::uint64_t t = m.off[s]; t < m.off[s + 1]; ++t, ++col) {
        const std::uint32_t g = m.grp[t];
        const double v = x[col];
        if (v <= 0) continue;
        load[s] += v;
        if (m.gw[g] > 0) load2[s] += m.gw2[g] * v / m.gw[g];
      }
    for (std::uint32_t s : sol.order) {
      sol.load.push_back(load[s]);
      sol.load2.push_back(load2[s]);
      sol.objective += load[s];
    }
  }
  out.solution = std::move(sol);
  return out;
}

}  // namespace lifecircle::siting::detail
