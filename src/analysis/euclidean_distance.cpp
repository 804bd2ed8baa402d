// The only translation unit of the analysis module that includes Boost.Geometry (slow to compile).
#include "lifecircle/euclidean_distance.hpp"

#include "lifecircle/geometry.hpp"

#include <boost/geometry.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace lifecircle {
namespace {

using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox2 = bg::model::box<BPoint>;
using Entry = std::pair<BPoint, std::uint32_t>;
using Tree = bgi::rtree<Entry, bgi::rstar<16>>;

Tree build(const std::vector<XY>& pts) {
  std::vector<Entry> entries;
  entries.reserve(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i)
    entries.emplace_back(BPoint(pts[i].x, pts[i].y), static_cast<std::uint32_t>(i));
  return Tree(entries.begin(), entries.end());  // packing (bulk) load
}

}  // namespace

EuclideanDistance::EuclideanDistance(double detour_factor) : detour_(detour_factor) {
  if (!(detour_factor >= 1.0) || !std::isfinite(detour_factor))
    throw std::invalid_argument("detour factor must be a finite number >= 1");
}

NearestResult EuclideanDistance::nearest(const std::vector<XY>& demand,
                                         const std::vector<XY>& sources, double cutoff_m) const {
  NearestResult r;
  r.distance_m.assign(demand.size(), std::numeric_limits<double>::infinity());
  r.source.assign(demand.size(), -1);
  if (sources.empty() || demand.empty()) return r;
  const Tree tree = build(sources);
  // The one-shot query is several times faster than the incremental qbegin() iterator,
  // which sorts and allocates per point.
  std::vector<Entry> hit;
  hit.reserve(1);
  for (std::size_t i = 0; i < demand.size(); ++i) {
    const XY p = demand[i];
    hit.clear();
    tree.query(bgi::nearest(BPoint(p.x, p.y), 1), std::back_inserter(hit));
    if (hit.empty()) continue;
    const double walk = lifecircle::distance(p, sources[hit[0].second]) * detour_;
    if (within_walk(walk, cutoff_m)) {
      r.distance_m[i] = walk;
      r.source[i] = static_cast<std::int32_t>(hit[0].second);
    }
  }
  return r;
}

std::vector<std::vector<std::uint32_t>> EuclideanDistance::within(const std::vector<XY>& demand,
                                                                  const std::vector<XY>& sources,
                                                                  double cutoff_m) const {
  std::vector<std::vector<std::uint32_t>> out(sources.size());
  if (demand.empty() || sources.empty() || !(cutoff_m >= 0)) return out;
  const Tree tree = build(demand);
  // The straight-line radius, padded so the box never drops a point that within_walk() keeps
  // after the division rounds.
  const double r = cutoff_m / detour_ * (1 + 1e-12) + 1e-9;
  std::vector<Entry> hits;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const XY c = sources[s];
    hits.clear();
    tree.query(bgi::intersects(BBox2(BPoint(c.x - r, c.y - r), BPoint(c.x + r, c.y + r))),
               std::back_inserter(hits));
    auto& list = out[s];
    for (const auto& h : hits)
      if (within_walk(lifecircle::distance(c, demand[h.second]) * detour_, cutoff_m))
        list.push_back(h.second);
    std::sort(list.begin(), list.end());
  }
  return out;
}

std::vector<Capsule> EuclideanDistance::reach(const std::vector<XY>& sources, double walk_m) const {
  std::vector<Capsule> out;
  out.reserve(sources.size());
  for (const XY& s : sources) out.push_back({s, s, walk_m / detour_});
  return out;
}

}  // namespace lifecircle
