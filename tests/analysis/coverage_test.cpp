// Coverage against geometry done on paper, and the indexed nearest search against brute force.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/fixtures.hpp"
#include "lifecircle/analysis_json.hpp"
#include "lifecircle/analyzer.hpp"
#include "lifecircle/coverage.hpp"
#include "lifecircle/euclidean_distance.hpp"

using namespace lifecircle;
using namespace lifecircle::fixtures;

namespace {

// GEOS draws a buffer of radius r with 16 segments per quarter: a regular 64-gon inscribed in
// the circle, whose area is pi r^2 times (64 / 2pi) sin(2pi / 64). Tolerances allow that.
constexpr double kPolygonTolerance = 2e-3;

CoverageRequest request(std::string type, AggregateBy by = AggregateBy::district) {
  CoverageRequest r;
  r.selection.types = {std::move(type)};
  r.by = by;
  return r;
}

}  // namespace

TEST(Coverage, DiscInsideSquareCoversPiRSquaredOverSideSquared) {
  const double side = 2000, r = 500;
  auto c = empty_content();
  c.districts.push_back(district("310101", "square", {square(kX0, kY0, side)}));
  c.facilities.push_back(
      facility("f1", "comprehensive_center", {kX0 + side / 2, kY0 + side / 2}, "310101"));
  const Dataset d(std::move(c));
  const auto res =
      compute_coverage(d, profile(r), request("comprehensive_center"), EuclideanDistance(1.0));
  ASSERT_EQ(res.units.size(), 1u);
  const auto& u = res.units[0];
  ASSERT_TRUE(u.area_ratio.has_value());
  const double expected = M_PI * r * r / (side * side);  // 0.19635
  EXPECT_NEAR(*u.area_ratio, expected, expected * kPolygonTolerance);
  EXPECT_NEAR(*u.area_m2, side * side, 1e-6);
  EXPECT_EQ(u.facilities, 1u);
  ASSERT_TRUE(res.total.area_ratio.has_value());
  EXPECT_NEAR(*res.total.area_ratio, expected, expected * kPolygonTolerance);
}

TEST(Coverage, TwoOverlappingDiscsCoverTwoCirclesMinusTheLens) {
  const double side = 4000, r = 600, dist = 700;
  auto c = empty_content();
  c.districts.push_back(district("310101", "square", {square(kX0, kY0, side)}));
  const XY mid{kX0 + side / 2, kY0 + side / 2};
  c.facilities.push_back(facility("a", "canteen", {mid.x - dist / 2, mid.y}, "310101"));
  c.facilities.push_back(facility("b", "canteen", {mid.x + dist / 2, mid.y}, "310101"));
  const Dataset d(std::move(c));
  const auto res = compute_coverage(d, profile(r), request("canteen"), EuclideanDistance(1.0));
  // Lens of two circles of radius r whose centres are dist apart.
  const double lens =
      2 * r * r * std::acos(dist / (2 * r)) - (dist / 2) * std::sqrt(4 * r * r - dist * dist);
  const double expected = 2 * M_PI * r * r - lens;
  ASSERT_TRUE(res.units[0].covered_area_m2.has_value());
  EXPECT_NEAR(*res.units[0].covered_area_m2, expected, expected * kPolygonTolerance);
}

TEST(Coverage, DiscClippedToUnitCountsOnlyTheInsidePart) {
  // A facility on the unit's edge: half its disc lies inside.
  const double side = 3000, r = 500;
  auto c = empty_content();
  c.districts.push_back(district("310101", "square", {square(kX0, kY0, side)}));
  c.facilities.push_back(facility("f", "day_care", {kX0, kY0 + side / 2}, "310101"));
  const Dataset d(std::move(c));
  const auto res = compute_coverage(d, profile(r), request("day_care"), EuclideanDistance(1.0));
  const double expected = M_PI * r * r / 2;
  EXPECT_NEAR(*res.units[0].covered_area_m2, expected, expected * kPolygonTolerance);
}

TEST(Coverage, DemandAtKnownDistancesThresholdIsInclusive) {
  // Facility at the origin; 3-4-5 triangles give exact distances 500, 1000 and 250.
  auto c = empty_content();
  c.districts.push_back(district("310101", "d", {square(kX0 - 5000, kY0 - 5000, 10000)}));
  const XY o{kX0, kY0};
  c.facilities.push_back(facility("f", "comprehensive_center", o, "310101"));
  c.population.push_back(cell("at", {o.x + 300, o.y + 400}, 100, 30, "310101"));      // 500 m
  c.population.push_back(cell("beyond", {o.x + 600, o.y + 800}, 200, 50, "310101"));  // 1000 m
  c.population.push_back(cell("near", {o.x - 150, o.y - 200}, 400, 10, "310101"));    // 250 m
  c.population.push_back(cell("just", {o.x + 500.001, o.y}, 800, 0, "310101"));       // 500.001
  const Dataset d(std::move(c));

  // Threshold 500 m, no detour: exactly-at-threshold is covered (inclusive), 500.001 is not.
  auto res =
      compute_coverage(d, profile(500), request("comprehensive_center"), EuclideanDistance(1.0));
  EXPECT_FLOAT_EQ(res.distance_m[0], 500);
  EXPECT_FLOAT_EQ(res.distance_m[1], 1000);
  EXPECT_FLOAT_EQ(res.distance_m[2], 250);
  EXPECT_EQ(res.covered[0], 1);
  EXPECT_EQ(res.covered[1], 0);
  EXPECT_EQ(res.covered[2], 1);
  EXPECT_EQ(res.covered[3], 0);
  EXPECT_DOUBLE_EQ(res.total.residents, 1500);
  EXPECT_DOUBLE_EQ(res.total.covered, 500);
  EXPECT_DOUBLE_EQ(*res.total.ratio, 500.0 / 1500);
  EXPECT_DOUBLE_EQ(res.total.residents_60plus, 90);
  EXPECT_DOUBLE_EQ(res.total.covered_60plus, 40);
  EXPECT_DOUBLE_EQ(*res.total.ratio_60plus, 40.0 / 90);

  // Detour 1.25: the 250 m point walks 312.5 m, the 500 m point 625 m (> 500: uncovered).
  auto detoured = compute_coverage(d, profile(500, 1.25), request("comprehensive_center"),
                                   EuclideanDistance(1.25));
  EXPECT_FLOAT_EQ(detoured.distance_m[2], 312.5);
  EXPECT_FLOAT_EQ(detoured.distance_m[0], 625);
  EXPECT_EQ(detoured.covered[0], 0);
  EXPECT_EQ(detoured.covered[2], 1);
  EXPECT_DOUBLE_EQ(detoured.total.covered, 400);
  EXPECT_DOUBLE_EQ(detoured.thresholds[0].radius_m, 400);  // 500 m walk / 1.25

  // A 625 m walk reaches the 500 m point again, exactly at its threshold.
  auto longer = compute_coverage(d, profile(625, 1.25), request("comprehensive_center"),
                                 EuclideanDistance(1.25));
  EXPECT_EQ(longer.covered[0], 1);
}

TEST(Coverage, StatusAndTypeSelectionAndOverrides) {
  auto c = empty_content();
  c.districts.push_back(district("310101", "d", {square(kX0 - 5000, kY0 - 5000, 10000)}));
  c.facilities.push_back(facility("open", "canteen", {kX0, kY0}, "310101"));
  auto planned = facility("planned", "canteen", {kX0 + 3000, kY0}, "310101");
  planned.status = Status::planned;
  c.facilities.push_back(planned);
  c.facilities.push_back(facility("point", "meal_point", {kX0 - 3000, kY0}, "310101"));
  c.population.push_back(cell("a", {kX0 + 3100, kY0}, 10, 5, "310101"));
  c.population.push_back(cell("b", {kX0 - 3100, kY0}, 20, 5, "310101"));
  const Dataset d(std::move(c));
  auto std_ = std::make_shared<const Standards>(Standards::parse(standards_json(500), "t.json"));
  Analyzer an(std_);

  CoverageRequest r;
  r.selection.family = Family::meal;
  auto res = an.coverage(d, r);
  EXPECT_EQ(res->facilities.size(), 2u);  // open canteen and meal point, not the planned one
  EXPECT_DOUBLE_EQ(res->total.covered, 20);

  r.selection.statuses = {Status::open, Status::planned};
  EXPECT_DOUBLE_EQ(an.coverage(d, r)->total.covered, 30);

  // minutes=1 at 1 m/s: 60 m, nobody is that close.
  r.overrides.minutes = 1;
  EXPECT_DOUBLE_EQ(an.coverage(d, r)->total.covered, 0);

  CoverageRequest bad;
  bad.selection.family = Family::meal;
  bad.selection.types = {"comprehensive_center"};
  try {
    an.coverage(d, bad);
    FAIL() << "expected an AnalysisError";
  } catch (const AnalysisError& e) {
    EXPECT_EQ(e.code(), ErrorCode::type_not_in_family);
    EXPECT_EQ(e.parameter(), "type");
  }
  CoverageRequest net = r;
  net.mode = "network";
  try {
    an.coverage(d, net);
    FAIL() << "expected an AnalysisError";
  } catch (const AnalysisError& e) {
    EXPECT_EQ(e.code(), ErrorCode::network_unavailable);
  }
  CoverageRequest unknown_district = r;
  unknown_district.district = "999999";
  EXPECT_THROW(an.coverage(d, unknown_district), AnalysisError);
}

TEST(Coverage, AggregatesByDistrictAndStreetWithUnattributedDemand) {
  auto c = empty_content();
  c.districts.push_back(district("310101", "west", {square(kX0, kY0, 1000)}));
  c.districts.push_back(district("310104", "east", {square(kX0 + 1000, kY0, 1000)}));
  c.streets_towns.push_back(street("310101001", "310101", "urban"));
  c.streets_towns.push_back(street("310104001", "310104", "rural"));
  c.facilities.push_back(
      facility("f", "comprehensive_center", {kX0 + 500, kY0 + 500}, "310101", "310101001"));
  c.population.push_back(cell("w1", {kX0 + 600, kY0 + 500}, 100, 20, "310101", "310101001"));
  c.population.push_back(cell("w2", {kX0 + 500, kY0 + 900}, 50, std::nullopt, "310101", ""));
  c.population.push_back(cell("e1", {kX0 + 1500, kY0 + 500}, 300, 100, "310104", "310104001"));
  const Dataset d(std::move(c));
  auto r = request("comprehensive_center");
  r.area = false;
  const auto by_district = compute_coverage(d, profile(450), r, EuclideanDistance(1.0));
  ASSERT_EQ(by_district.units.size(), 2u);
  EXPECT_EQ(by_district.units[0].code, "310101");
  EXPECT_DOUBLE_EQ(by_district.units[0].covered, 150);  // 100 m and 400 m away
  EXPECT_DOUBLE_EQ(*by_district.units[0].ratio, 1.0);
  EXPECT_EQ(by_district.units[0].demand_points_without_60plus, 1u);
  EXPECT_DOUBLE_EQ(*by_district.units[1].ratio, 0.0);  // 1000 m away
  EXPECT_EQ(by_district.units[0].facilities, 1u);
  EXPECT_EQ(by_district.units[1].facilities, 0u);

  r.by = AggregateBy::street;
  const auto by_street = compute_coverage(d, profile(450), r, EuclideanDistance(1.0));
  ASSERT_EQ(by_street.units.size(), 3u);  // two streets and the unattributed row
  EXPECT_DOUBLE_EQ(by_street.units[0].residents, 100);
  EXPECT_DOUBLE_EQ(by_street.units[2].residents, 50);
  EXPECT_EQ(by_street.units[2].code, "");

  r.district = "310104";
  const auto one = compute_coverage(d, profile(450), r, EuclideanDistance(1.0));
  EXPECT_DOUBLE_EQ(one.total.residents, 300);
  ASSERT_EQ(one.units.size(), 1u);

  // 1+N: the west street has a center; the east one does not.
  const auto opn = one_plus_n(d, profile(450), by_district);
  ASSERT_EQ(opn.streets.size(), 2u);
  EXPECT_TRUE(opn.streets[0].has_center);
  EXPECT_FALSE(opn.streets[1].has_center);
  EXPECT_EQ(opn.streets_with_center, 1u);
  EXPECT_EQ(opn.populated_cells, 3u);
  EXPECT_EQ(opn.populated_cells_covered, 2u);

  // Gaps: only e1 is uncovered; its 250 m square is the dissolved area.
  const auto gaps = compute_gaps(d, by_district, 0, 250);
  ASSERT_EQ(gaps.cells.size(), 1u);
  EXPECT_EQ(gaps.cells[0].id, "e1");
  EXPECT_DOUBLE_EQ(gaps.population, 300);
  EXPECT_NEAR(gaps.area_m2, 250.0 * 250.0, 1e-6);
  EXPECT_FALSE(gaps.area.empty());

  // JSON and CSV carry the same numbers.
  const nlohmann::json j = by_district;
  EXPECT_DOUBLE_EQ(j["units"][0]["covered"].get<double>(), 150);
  EXPECT_NE(coverage_csv(by_district).find("310104"), std::string::npos);
}

TEST(Coverage, ServiceAreasAreClippedToDistricts) {
  const double side = 3000, r = 500;
  auto c = empty_content();
  c.districts.push_back(district("310101", "square", {square(kX0, kY0, side)}));
  c.facilities.push_back(facility("corner", "canteen", {kX0, kY0}, "310101"));
  const Dataset d(std::move(c));
  const auto res = compute_coverage(d, profile(r), request("canteen"), EuclideanDistance(1.0));
  const auto areas = compute_service_areas(d, res, EuclideanDistance(1.0), 0);
  ASSERT_EQ(areas.size(), 1u);
  const double quarter = M_PI * r * r / 4;  // a disc at the corner: one quarter inside
  EXPECT_NEAR(areas[0].area_m2, quarter, quarter * kPolygonTolerance);
  EXPECT_FALSE(areas[0].area.empty());
  EXPECT_NEAR(areas[0].area[0].rings[0][0].lon, 121.4, 0.5);  // back in WGS84 near Shanghai
}

TEST(EuclideanDistance, IndexedEqualsBruteForceOnRandomInstance) {
  std::mt19937 rng(20240601);
  std::uniform_real_distribution<double> ux(0, 30000), uy(0, 25000);
  std::vector<XY> demand(20000), sources(300);
  for (auto& p : demand) p = {kX0 + ux(rng), kY0 + uy(rng)};
  for (auto& p : sources) p = {kX0 + ux(rng), kY0 + uy(rng)};
  const double detour = 1.24, cutoff = 828;
  const EuclideanDistance m(detour);
  const auto nr = m.nearest(demand, sources, std::numeric_limits<double>::infinity());
  const auto cut = m.nearest(demand, sources, cutoff);
  const auto within = m.within(demand, sources, cutoff);
  std::vector<std::vector<std::uint32_t>> brute_within(sources.size());
  for (std::size_t i = 0; i < demand.size(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < sources.size(); ++s) {
      const double dx = demand[i].x - sources[s].x, dy = demand[i].y - sources[s].y;
      const double w = std::sqrt(dx * dx + dy * dy) * detour;
      best = std::min(best, w);
      if (w <= cutoff) brute_within[s].push_back(static_cast<std::uint32_t>(i));
    }
    ASSERT_FLOAT_EQ(nr.distance_m[i], static_cast<float>(best)) << "demand " << i;
    ASSERT_GE(nr.source[i], 0);
    ASSERT_EQ(cut.source[i] >= 0, best <= cutoff) << "demand " << i;
  }
  EXPECT_EQ(within, brute_within);
}

TEST(Analyzer, CachesPerDatasetVersionAndParameters) {
  auto c = empty_content();
  c.districts.push_back(district("310101", "d", {square(kX0, kY0, 1000)}));
  c.facilities.push_back(facility("f", "canteen", {kX0, kY0}, "310101"));
  c.population.push_back(cell("a", {kX0 + 10, kY0}, 10, 5, "310101"));
  const Dataset d(std::move(c));
  Analyzer an(std::make_shared<const Standards>(Standards::parse(standards_json(500), "t")), 2);
  auto r = request("canteen");
  const auto first = an.coverage(d, r);
  EXPECT_EQ(an.coverage(d, r).get(), first.get());  // a hit returns the same object
  r.overrides.minutes = 3;
  EXPECT_NE(an.coverage(d, r).get(), first.get());
  EXPECT_GE(an.cache().hits(), 1u);
  EXPECT_LE(an.cache().size(), 2u);
}

// "197 of 234" counted statistical zones and units nobody lives in: the rule's denominator is
// the 街道/镇/乡 with residents; zones and empty units are reported apart.
TEST(Coverage, OnePlusNCountsPopulatedStreetsAndReportsZonesApart) {
  auto c = empty_content();
  c.districts.push_back(district("310101", "d", {square(kX0, kY0, 4000)}));
  c.streets_towns = {street("310101001", "310101", "urban"), street("310101002", "310101", "rural"),
                     street("310101003", "310101", "urban"), street("310101400", "310101", "zone"),
                     street("310101401", "310101", "zone")};
  // Centers in 001 (populated), 003 (nobody lives there) and zone 400 (populated).
  c.facilities = {
      facility("a", "comprehensive_center", {kX0 + 500, kY0 + 500}, "310101", "310101001"),
      facility("b", "comprehensive_center", {kX0 + 2500, kY0 + 500}, "310101", "310101003"),
      facility("z", "comprehensive_center", {kX0 + 3500, kY0 + 500}, "310101", "310101400")};
  c.population = {cell("p1", {kX0 + 600, kY0 + 500}, 100, 20, "310101", "310101001"),
                  cell("p2", {kX0 + 1500, kY0 + 3500}, 80, 10, "310101", "310101002"),
                  cell("p4", {kX0 + 3500, kY0 + 600}, 30, 5, "310101", "310101400")};
  const Dataset d(std::move(c));
  auto r = request("comprehensive_center");
  r.area = false;
  r.by = AggregateBy::city;
  const auto opn =
      one_plus_n(d, profile(450), compute_coverage(d, profile(450), r, EuclideanDistance(1.0)));
  EXPECT_EQ(opn.streets.size(), 5u);
  EXPECT_EQ(opn.streets_populated, 2u);          // 001 and 002
  EXPECT_EQ(opn.streets_with_center, 1u);        // 001
  EXPECT_EQ(opn.streets_without_residents, 1u);  // 003
  EXPECT_EQ(opn.zones, 2u);
  EXPECT_EQ(opn.zones_populated, 1u);
  EXPECT_EQ(opn.zones_with_center, 1u);
  const nlohmann::json j = opn;
  EXPECT_EQ(j["streets_towns"], 2);
  EXPECT_EQ(j["units_listed"], 5);
}

// Analysis layers for Chinese base maps: every coordinate moves by the published formula, the
// properties stay, and WGS84 leaves the document as it was.
TEST(Coverage, AnalysisGeoJsonAnswersInGcj02AndBd09) {
  const nlohmann::json wgs = {
      {"type", "FeatureCollection"},
      {"features",
       {{{"type", "Feature"},
         {"geometry", {{"type", "Point"}, {"coordinates", {121.4737, 31.2304}}}},
         {"properties", {{"population", 10}}}},
        {{"type", "Feature"},
         {"geometry",
          {{"type", "MultiPolygon"},
           {"coordinates", {{{{121.4, 31.2}, {121.5, 31.2}, {121.5, 31.3}, {121.4, 31.2}}}}}}},
         {"properties", {{"kind", "area"}}}},
        {{"type", "Feature"}, {"geometry", nullptr}, {"properties", {{"kind", "none"}}}}}}};
  nlohmann::json gcj = wgs;
  to_output_datum(gcj, OutputDatum::gcj02);
  const LonLat p = wgs84_to_gcj02({121.4737, 31.2304});
  EXPECT_DOUBLE_EQ(gcj["features"][0]["geometry"]["coordinates"][0].get<double>(), p.lon);
  EXPECT_DOUBLE_EQ(gcj["features"][0]["geometry"]["coordinates"][1].get<double>(), p.lat);
  const LonLat q = wgs84_to_gcj02({121.5, 31.3});
  EXPECT_DOUBLE_EQ(gcj["features"][1]["geometry"]["coordinates"][0][0][2][0].get<double>(), q.lon);
  EXPECT_EQ(gcj["features"][0]["properties"], wgs["features"][0]["properties"]);
  nlohmann::json bd = wgs;
  to_output_datum(bd, OutputDatum::bd09);
  const LonLat b = gcj02_to_bd09(p);
  EXPECT_NEAR(bd["features"][0]["geometry"]["coordinates"][0].get<double>(), b.lon, 1e-9);
  nlohmann::json same = wgs;
  to_output_datum(same, OutputDatum::wgs84);
  EXPECT_EQ(same, wgs);
}
