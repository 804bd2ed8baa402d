// How far a resident walks to a facility. Coverage and siting are written against this
// interface, so the straight-line model and the walking-network model are interchangeable.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "lifecircle/coords.hpp"

namespace lifecircle {

// The one distance test of coverage and siting, inclusive (a resident whose walk equals the
// threshold is within it) and in double precision on both sides: coverage's nearest() and
// siting's within() decide the same resident the same way, to the last bit.
inline bool within_walk(double walk_m, double threshold_m) { return walk_m <= threshold_m; }

struct NearestResult {
  // Per demand point: walking metres to the nearest source within the cutoff, or +infinity.
  std::vector<double> distance_m;
  // Per demand point: index into `sources` of that nearest source, or -1.
  std::vector<std::int32_t> source;
};

class DistanceModel {
 public:
  virtual ~DistanceModel() = default;
  virtual std::string_view mode() const = 0;  // "euclidean" | "network"

  virtual NearestResult nearest(const std::vector<XY>& demand, const std::vector<XY>& sources,
                                double cutoff_m) const = 0;
  // Demand points the model cannot place (a walking network: farther than its snapping
  // distance from every street), ascending. They are never covered; coverage reports them
  // apart instead of hiding them among the uncovered.
  virtual std::vector<std::uint32_t> unplaced(const std::vector<XY>&) const { return {}; }
  // A walking network's measured detour: the median of network / straight-line distance over
  // sampled node pairs (detour_report). None for a model that is not a network.
  virtual std::optional<double> measured_detour() const { return std::nullopt; }
  // The snapping distance behind unplaced(); none for a model that places every point.
  virtual std::optional<double> max_snap_m() const { return std::nullopt; }
  // For each source, the indices of demand points within cutoff_m of walking (ascending),
  // decided by within_walk() on the same distance nearest() reports.
  virtual std::vector<std::vector<std::uint32_t>> within(const std::vector<XY>& demand,
                                                         const std::vector<XY>& sources,
                                                         double cutoff_m) const = 0;
  // What a walk of walk_m from the sources reaches, for service-area polygons and area coverage,
  // as a union of capsules: straight-line discs, or bands along the streets the walk reaches.
  virtual std::vector<Capsule> reach(const std::vector<XY>& sources, double walk_m) const = 0;
};

}  // namespace lifecircle
