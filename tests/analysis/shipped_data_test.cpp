// On the shipped Shanghai dataset: the indexed coverage equals a brute-force all-pairs
// computation, and the indicators add up to the census.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/coverage.hpp"
#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/loader.hpp"

using namespace lifecircle;

namespace {

std::shared_ptr<const Dataset> shipped() {
  static std::shared_ptr<const Dataset> d = [] {
    const std::string m = std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/shanghai/manifest.json";
    if (!std::filesystem::exists(m)) return std::shared_ptr<const Dataset>();
    return load_dataset(m).dataset;
  }();
  return d;
}

}  // namespace

TEST(ShippedData, IndexedCoverageEqualsBruteForce) {
  const auto d = shipped();
  ASSERT_TRUE(d) << "gis-data/shanghai/manifest.json missing or not loadable";
  const StandardsProfile p = Standards::load(d->info().standards_path).resolve("", {});
  for (const Family fam : {Family::eldercare, Family::meal, Family::columbarium}) {
    CoverageRequest req;
    req.selection.family = fam;
    req.by = AggregateBy::city;
    req.area = false;
    const auto c = compute_coverage(*d, p, req, EuclideanDistance(p.detour_factor));
    ASSERT_FALSE(c.facilities.empty());
    double covered = 0;
    for (std::size_t i = 0; i < d->population().size(); ++i) {
      const XY q = d->population()[i].xy;
      double best = INFINITY;
      bool cov = false;
      for (std::size_t k : c.facilities) {
        const Facility& f = d->facilities()[k];
        const double walk = std::hypot(q.x - f.xy.x, q.y - f.xy.y) * p.detour_factor;
        best = std::min(best, walk);
        cov = cov || walk <= p.access.at(f.type).walk_m();
      }
      ASSERT_FLOAT_EQ(c.distance_m[i], static_cast<float>(best)) << "cell " << i;
      ASSERT_EQ(c.covered[i] != 0, cov) << "cell " << i;
      if (cov) covered += d->population()[i].population;
    }
    EXPECT_DOUBLE_EQ(c.total.covered, covered) << to_string(fam);
  }
}

TEST(ShippedData, AggregatesAddUpToTheCity) {
  const auto d = shipped();
  ASSERT_TRUE(d);
  Analyzer a(std::make_shared<const Standards>(Standards::load(d->info().standards_path)));
  CoverageRequest req;
  req.selection.types = {"comprehensive_center"};
  req.area = false;
  const auto c = a.coverage(*d, req);
  double residents = 0, covered = 0;
  for (const auto& u : c->units) residents += u.residents, covered += u.covered;
  EXPECT_DOUBLE_EQ(residents, c->total.residents);
  EXPECT_DOUBLE_EQ(covered, c->total.covered);
  double census = 0;
  for (const auto& dist : d->districts()) census += dist.population.value_or(0);
  IndicatorRequest ir;
  const auto pt = a.per_thousand(*d, Family::eldercare, ir);
  EXPECT_DOUBLE_EQ(pt->city.residents.total, census);
  double area = 0;
  for (const auto& r : pt->rows) area += r.floor_area_m2;
  EXPECT_NEAR(area, pt->city.floor_area_m2, 1e-6 * pt->city.floor_area_m2);
}
