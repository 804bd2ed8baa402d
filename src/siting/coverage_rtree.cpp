// Candidate coverage sets from straight-line distance, through a Boost.Geometry R-tree. Kept in
// its own translation unit because Boost.Geometry is slow to compile.
#include <boost/geometry.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "lifecircle/distance.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/siting.hpp"

namespace lifecircle::siting {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
using Value = std::pair<Point, std::uint32_t>;

}  // namespace

CoverageBuild cover_within_radius(const std::vector<XY>& demand, const std::vector<XY>& sites,
                                  double radius_m, std::size_t max_nonzeros) {
  CoverageBuild out;
  if (!std::isfinite(radius_m) || radius_m < 0) {
    out.error = Error{ErrorCode::invalid_request, "radius_m", "radius must be finite and >= 0"};
    return out;
  }
  std::vector<Value> values;
  values.reserve(demand.size());
  for (std::size_t i = 0; i < demand.size(); ++i)
    values.emplace_back(Point(demand[i].x, demand[i].y), static_cast<std::uint32_t>(i));
  const bgi::rtree<Value, bgi::rstar<16>> tree(values.begin(), values.end());  // bulk load
  std::vector<Value>().swap(values);

  std::vector<std::uint64_t> offsets(sites.size() + 1, 0);
  std::vector<std::uint32_t> covered;
  std::vector<Value> hits;
  const double pad = radius_m * (1 + 1e-12) + 1e-9;  // the box never drops what the test keeps
  for (std::size_t j = 0; j < sites.size(); ++j) {
    const XY& c = sites[j];
    const Box box(Point(c.x - pad, c.y - pad), Point(c.x + pad, c.y + pad));
    hits.clear();
    tree.query(bgi::intersects(box), std::back_inserter(hits));
    const std::size_t start = covered.size();
    for (const Value& v : hits) {
      // Coverage's own test, so generated instances decide a boundary point as coverage does.
      if (within_walk(distance(demand[v.second], c), radius_m)) covered.push_back(v.second);
    }
    if (covered.size() > max_nonzeros) {
      out.error = Error{ErrorCode::too_large, "radius_m",
                        "more than " + std::to_string(max_nonzeros) + " coverage entries at site " +
                            std::to_string(j) + " of " + std::to_string(sites.size()) +
                            "; reduce the radius or the candidates"};
      return out;
    }
    std::sort(covered.begin() + static_cast<std::ptrdiff_t>(start), covered.end());
    offsets[j + 1] = covered.size();
  }
  out.sets = CoverageSets(std::move(offsets), std::move(covered));
  return out;
}

}  // namespace lifecircle::siting
