// Straight-line versus network distance over random node pairs: the detour factor a
// straight-line fallback divides the walking threshold by.
#include <algorithm>
#include <numeric>
#include <random>

#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

DetourReport detour_report(const WalkingNetwork& net, const DetourOptions& o) {
  DetourReport r;
  r.min_straight_m = o.min_straight_m;
  r.max_straight_m = o.max_straight_m;
  const std::size_t n = net.node_count();
  if (n < 2) return r;
  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  // Each origin's destinations are drawn among nodes in the wanted straight-line band, so the
  // sample does not fill up with pairs too close or too far to matter for a 15-minute walk.
  std::vector<std::uint32_t> band;
  std::vector<double> ratios;
  for (std::size_t i = 0; i < o.origins; ++i) {
    const std::uint32_t from = pick(rng);
    const XY a = net.nodes()[from];
    band.clear();
    for (std::uint32_t v = 0; v < n; ++v) {
      const double d = distance(a, net.nodes()[v]);
      if (d >= o.min_straight_m && d <= o.max_straight_m) band.push_back(v);
    }
    if (band.empty()) continue;
    // Snapping the node's own position lands on one of its edges at that end, offset zero.
    const std::optional<EdgeSnap> src = net.snap(a, 0.01);
    if (!src) continue;
    const NodeLabels L = multi_source_search(net, {src}, o.max_straight_m * 10);
    std::uniform_int_distribution<std::size_t> pick_band(0, band.size() - 1);
    for (std::size_t k = 0; k < o.per_origin; ++k) {
      const std::uint32_t to = band[pick_band(rng)];
      const double straight = distance(a, net.nodes()[to]);
      if (L.source[to] < 0) {
        ++r.unreachable;
        continue;
      }
      ratios.push_back(L.distance_m[to] / straight);
    }
  }
  std::sort(ratios.begin(), ratios.end());
  r.pairs = ratios.size();
  if (ratios.empty()) return r;
  r.median = quantile(ratios, 0.5);
  r.p25 = quantile(ratios, 0.25);
  r.p75 = quantile(ratios, 0.75);
  r.mean = std::accumulate(ratios.begin(), ratios.end(), 0.0) / static_cast<double>(ratios.size());
  return r;
}

}  // namespace lifecircle
