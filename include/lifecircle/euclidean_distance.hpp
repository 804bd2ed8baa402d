// Straight-line walking estimate: planar metres in the metric CRS times a detour factor
// (the standards profile's walking.detour_factor). Used for `mode=euclidean`.
#pragma once

#include <memory>

#include "lifecircle/distance.hpp"

namespace lifecircle {

class EuclideanDistance final : public DistanceModel {
 public:
  // Throws std::invalid_argument unless detour_factor >= 1.
  explicit EuclideanDistance(double detour_factor = 1.0);
  std::string_view mode() const override { return "euclidean"; }
  double detour_factor() const { return detour_; }

  // Indexed with a Boost.Geometry R-tree over the sources; ties go to the lower source index
  // only as far as the R-tree reports them (distances are exact either way).
  NearestResult nearest(const std::vector<XY>& demand, const std::vector<XY>& sources,
                        double cutoff_m) const override;
  std::vector<std::vector<std::uint32_t>> within(const std::vector<XY>& demand,
                                                 const std::vector<XY>& sources,
                                                 double cutoff_m) const override;
  // A disc of walk_m / detour factor around each source.
  std::vector<Capsule> reach(const std::vector<XY>& sources, double walk_m) const override;

 private:
  double detour_;
};

}  // namespace lifecircle
