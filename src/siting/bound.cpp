// Proven upper bounds on the maximal covering optimum, so a heuristic answer says how far from
// the optimum it can at most be.
//
// Lagrangian relaxation of the coverage rows z_g <= sum_{s covers g} y_s with multipliers
// 0 <= l_g <= w_g (Beasley's relaxation of the MCLP):
//   L(l) = sum_g max(0, w_g - l_g) + (sum of the k largest site values v_s = sum_{g in s} l_g).
// Every L(l) bounds the optimum from above (spacing rows are dropped, which only loosens it);
// subgradient steps towards min L converge on the LP bound, which is tight on these instances.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <vector>

#include "siting/model.hpp"

namespace lifecircle::siting::detail {

double lagrangian_bound(const Model& m, std::size_t k, double lower, double start_bound,
                        const Control& ctl, double budget_ms) {
  const std::size_t ns = m.sites(), ng = m.groups();
  if (ns == 0 || ng == 0) return 0;
  k = std::min(k, ns);
  const double t0 = ctl.elapsed_ms();
  double best = start_bound;
  std::vector<double> lambda(ng), value(ns), sub(ng);
  // Start from half of every weight: sites are worth half their reach, groups half their weight.
  for (std::size_t g = 0; g < ng; ++g) lambda[g] = 0.5 * m.gw[g];
  std::vector<std::uint32_t> order(ns);
  std::vector<std::int32_t> count(ng);
  double mu = 2.0;
  int since_better = 0;
  for (int it = 0; it < 1000; ++it) {
    if ((it & 7) == 0 && (ctl.elapsed_ms() - t0 > budget_ms || ctl.remaining_s() <= 0)) break;
    for (std::size_t s = 0; s < ns; ++s) {
      double v = 0;
      for (std::uint32_t g : m.site(s)) v += lambda[g];
      value[s] = v;
    }
    std::iota(order.begin(), order.end(), 0u);
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k - 1), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return value[a] > value[b]; });
    double L = 0;
    std::fill(count.begin(), count.end(), 0);
    for (std::size_t t = 0; t < k; ++t) {
      L += value[order[t]];
      for (std::uint32_t g : m.site(order[t])) ++count[g];
    }
    double norm = 0;
    for (std::size_t g = 0; g < ng; ++g) {
      const bool z = m.gw[g] > lambda[g];
      if (z) L += m.gw[g] - lambda[g];
      sub[g] = static_cast<double>(count[g]) - (z ? 1.0 : 0.0);
      norm += sub[g] * sub[g];
    }
    if (L < best - 1e-9 * std::max(1.0, best)) {
      best = L;
      since_better = 0;
    } else if (++since_better >= 20) {
      mu /= 2;
      since_better = 0;
      if (mu < 1e-4) break;
    }
    if (best - lower <= 1e-6 * std::max(1.0, lower) || norm == 0) break;
    // Polyak step towards the heuristic's value, the best lower bound known.
    const double step = mu * (L - lower) / norm;
    for (std::size_t g = 0; g < ng; ++g)
      lambda[g] = std::clamp(lambda[g] - step * sub[g], 0.0, m.gw[g]);
  }
  return best;
}

}  // namespace lifecircle::siting::detail
