// Snapping onto edges through an R-tree of segments. The only file of the module that includes
// Boost.Geometry, which is slow to compile.
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>

#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace lifecircle {

using BPoint = bg::model::d2::point_xy<double>;
using BSegment = bg::model::segment<BPoint>;
using SegValue = std::pair<BSegment, std::uint32_t>;

struct WalkingNetwork::SegmentIndex {
  bgi::rtree<SegValue, bgi::rstar<16>> tree;
};

WalkingNetwork::WalkingNetwork() = default;
WalkingNetwork::~WalkingNetwork() = default;

void WalkingNetwork::build_index() {
  std::vector<SegValue> values;
  values.reserve(edges_.size());
  for (std::uint32_t i = 0; i < edges_.size(); ++i) {
    const XY a = xy_[edges_[i].u], b = xy_[edges_[i].v];
    values.emplace_back(BSegment(BPoint(a.x, a.y), BPoint(b.x, b.y)), i);
  }
  index_ = std::make_unique<SegmentIndex>();
  // The range constructor bulk-loads (packing), much faster and tighter than inserting.
  index_->tree = bgi::rtree<SegValue, bgi::rstar<16>>(values.begin(), values.end());
}

std::size_t WalkingNetwork::memory_bytes() const {
  std::size_t b = xy_.capacity() * sizeof(XY) + ids_.capacity() * sizeof(std::int64_t) +
                  edges_.capacity() * sizeof(Edge) + offsets_.capacity() * sizeof(std::uint32_t) +
                  targets_.capacity() * sizeof(std::uint32_t) + arc_len_.capacity() * sizeof(float);
  // Estimate: R-tree nodes are fixed-capacity arrays (17 slots for rstar<16>), so a packed
  // tree with leaves mostly full takes roughly 1.5 times its values; the bench measures RSS.
  if (index_) b += index_->tree.size() * sizeof(SegValue) * 3 / 2;
  return b;
}

std::optional<EdgeSnap> WalkingNetwork::snap(XY p, double max_snap_m) const {
  if (!index_ || index_->tree.empty()) return std::nullopt;
  const BPoint q(p.x, p.y);
  // Values come back in increasing distance from the query point to the segment itself, so the
  // first one is the nearest edge, not merely the edge with the nearest node.
  SegValue hit;
  if (index_->tree.query(bgi::nearest(q, 1), &hit) == 0) return std::nullopt;
  const std::uint32_t e = hit.second;
  const XY a = xy_[edges_[e].u], b = xy_[edges_[e].v];
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  EdgeSnap s;
  s.edge = e;
  s.point = {a.x + t * dx, a.y + t * dy};
  s.offset_m = static_cast<float>(distance(p, s.point));
  s.along_m = static_cast<float>(t * edges_[e].length_m);
  if (s.offset_m > max_snap_m) return std::nullopt;
  return s;
}

}  // namespace lifecircle
