// Display polygons of the walk: the reached parts of streets, buffered and dissolved.
#include <algorithm>
#include <cmath>

#include "geo/geos.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {

std::vector<std::array<XY, 2>> reached_segments(const WalkingNetwork& net,
                                                const std::vector<std::optional<EdgeSnap>>& sources,
                                                const NodeLabels& labels, double cutoff_m) {
  // A source mid-way along a long edge reaches along it even when neither end is reached.
  std::vector<std::pair<std::uint32_t, std::array<double, 2>>> from_sources;
  for (const auto& s : sources) {
    const double rem = s ? cutoff_m - s->offset_m : -1;
    if (rem > 0) from_sources.push_back({s->edge, {s->along_m - rem, s->along_m + rem}});
  }
  std::sort(from_sources.begin(), from_sources.end());

  std::vector<std::array<XY, 2>> out;
  std::vector<std::array<double, 2>> spans;
  const auto& xy = net.nodes();
  auto src = from_sources.begin();
  for (std::uint32_t i = 0; i < net.edge_count(); ++i) {
    const auto& e = net.edges()[i];
    const double len = e.length_m;
    spans.clear();
    // How far the walk continues into the edge past each end node (negative: not reached).
    const double ru = cutoff_m - labels.distance_m[e.u];
    const double rv = cutoff_m - labels.distance_m[e.v];
    if (ru > 0) spans.push_back({0, ru});
    if (rv > 0) spans.push_back({len - rv, len});
    for (; src != from_sources.end() && src->first == i; ++src) spans.push_back(src->second);
    if (spans.empty() || len <= 0) continue;
    // Union of the reached stretches, each emitted once.
    std::sort(spans.begin(), spans.end());
    std::vector<std::array<double, 2>> merged;
    for (const auto& sp : spans) {
      const double lo = std::max(0.0, sp[0]), hi = std::min(len, sp[1]);
      if (hi <= lo) continue;
      if (!merged.empty() && lo <= merged.back()[1]) {
        merged.back()[1] = std::max(merged.back()[1], hi);
      } else {
        merged.push_back({lo, hi});
      }
    }
    const XY a = xy[e.u], b = xy[e.v];
    for (const auto& m : merged) {
      const double f = m[0] / len, t = m[1] / len;
      out.push_back({XY{a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)},
                     XY{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}});
    }
  }
  return out;
}

namespace {

std::vector<Capsule> street_bands(const WalkingNetwork& net, const std::vector<XY>& sources,
                                  double cutoff_m, double max_snap_m, double band_m) {
  const SnappedPoints snapped = snap_points(net, sources, max_snap_m);
  const NodeLabels labels = multi_source_search(net, snapped.snaps, cutoff_m);
  std::vector<Capsule> out;
  for (const auto& s : reached_segments(net, snapped.snaps, labels, cutoff_m))
    out.push_back({s[0], s[1], band_m});
  return out;
}

}  // namespace

std::vector<Capsule> NetworkDistanceModel::reach(const std::vector<XY>& sources,
                                                 double walk_m) const {
  return street_bands(*net_, sources, walk_m, options_.max_snap_m, options_.reach_band_m);
}

MultiPolygonXY service_area(const WalkingNetwork& net, const std::vector<XY>& sources,
                            double cutoff_m, const ServiceAreaOptions& options) {
  const auto bands = street_bands(net, sources, cutoff_m, options.max_snap_m, options.buffer_m);
  if (bands.empty()) return {};
  const geos::Context ctx;
  const geos::GeomPtr band = geos::capsule_union(ctx, bands, options.quadsegs);
  if (options.simplify_m <= 0) return geos::to_multipolygon_xy(ctx, band.get());
  const geos::GeomPtr simple = geos::simplify(ctx, band.get(), options.simplify_m);
  return geos::to_multipolygon_xy(ctx, simple.get());
}

}  // namespace lifecircle
