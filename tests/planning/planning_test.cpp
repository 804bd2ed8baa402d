// Siting and scenarios on hand-made datasets whose answers are worked out on paper (see
// world.hpp for the drawing).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/planning.hpp"
#include "planning/world.hpp"

namespace lifecircle::planning {
namespace {

using namespace planning_test;

CandidateSite cand(std::string id, double dx, double dy) {
  CandidateSite c;
  c.id = std::move(id);
  c.pos = lonlat(dx, dy);
  return c;
}

// c-b and c-c sit at the centres of clusters B and C; c-a-east (1150, 1000) reaches all of
// the already covered cluster A; c-mid (4000, 1000) reaches nothing (900 m from B and C);
// c-b-edge (3350, 1000) reaches only B's east point (250 m; the centre is 350 m away).
std::vector<CandidateSite> candidates() {
  return {cand("c-a-east", 1150, 1000), cand("c-b", 3000, 1000), cand("c-c", 5000, 1000),
          cand("c-mid", 4000, 1000), cand("c-b-edge", 3350, 1000)};
}

SitingRequest base_request() {
  SitingRequest q;
  q.type = "comprehensive_center";
  q.candidates = candidates();
  q.k = 1;
  return q;
}

class SitingTest : public ::testing::Test {
 protected:
  Dataset d{three_clusters()};
  std::shared_ptr<Analyzer> a = analyzer(300);
  PlanningLimits limits;
  SitingResult run(const SitingRequest& q) { return run_siting(d, *a, q, limits); }
};

TEST_F(SitingTest, OneSitePicksTheCentreOfTheBiggestUncoveredClusterOfOlderResidents) {
  const SitingResult r = run(base_request());
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-b");
  EXPECT_EQ(r.sites[0].rank, 1u);
  EXPECT_DOUBLE_EQ(r.sites[0].new_residents_60plus, 250);  // 5 x 50
  EXPECT_DOUBLE_EQ(r.sites[0].new_residents, 1000);        // 5 x 200
  EXPECT_EQ(r.sites[0].district_code, "310101");
  EXPECT_EQ(r.sites[0].street_code, "310101001");  // x = 3000 is in the west half
  EXPECT_EQ(r.existing_facilities, 1u);
  EXPECT_EQ(r.demand_points, 15u);
  // Before: cluster A only. After: A and B.
  EXPECT_DOUBLE_EQ(r.city.residents, 3000);
  EXPECT_DOUBLE_EQ(r.city.residents_60plus, 500);
  EXPECT_DOUBLE_EQ(r.city.covered_before, 500);
  EXPECT_DOUBLE_EQ(r.city.covered_before_60plus, 150);
  EXPECT_DOUBLE_EQ(r.city.covered_after, 1500);
  EXPECT_DOUBLE_EQ(r.city.covered_after_60plus, 400);
  ASSERT_EQ(r.districts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.districts[0].covered_after_60plus, 400);
  EXPECT_DOUBLE_EQ(r.objective, 250);
}

TEST_F(SitingTest, WeightingAllResidentsPicksTheMostPopulousCluster) {
  SitingRequest q = base_request();
  q.weight = DemandWeight::residents;
  const SitingResult r = run(q);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-c");
  EXPECT_DOUBLE_EQ(r.sites[0].new_residents, 1500);
  EXPECT_DOUBLE_EQ(r.sites[0].new_residents_60plus, 100);
  EXPECT_EQ(r.sites[0].street_code, "310101002");
  EXPECT_EQ(r.sites[0].street_name, "East town");
}

TEST_F(SitingTest, TwoSitesAreRankedByTheirGain) {
  SitingRequest q = base_request();
  q.k = 2;
  const SitingResult r = run(q);
  ASSERT_EQ(r.sites.size(), 2u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-b");
  EXPECT_EQ(r.sites[1].candidate_id, "c-c");
  EXPECT_DOUBLE_EQ(r.sites[1].new_residents_60plus, 100);
  EXPECT_DOUBLE_EQ(r.city.covered_after_60plus, 500);
}

TEST_F(SitingTest, RequiredSitesComeFirstCountTowardsKAndTheirCoverageIsAlreadyCovered) {
  // C's centre is already decided (outside the district's candidates it would still count).
  // k = 2: C (100 aged newly covered, rank 1, required), then B (250) as the one new site.
  SitingRequest q = base_request();
  q.required = {cand("decided-c", 5000, 1000)};
  q.k = 2;
  for (siting::Method method : {siting::Method::heuristic, siting::Method::exact}) {
    q.method = method;
    const SitingResult r = run(q);
    ASSERT_EQ(r.sites.size(), 2u);
    EXPECT_EQ(r.sites[0].candidate_id, "decided-c");
    EXPECT_EQ(r.sites[0].source, "required");
    EXPECT_EQ(r.sites[0].rank, 1u);
    EXPECT_DOUBLE_EQ(r.sites[0].new_residents_60plus, 100);  // 5 x 20
    EXPECT_EQ(r.sites[1].candidate_id, "c-b");
    EXPECT_DOUBLE_EQ(r.sites[1].new_residents_60plus, 250);
    EXPECT_EQ(r.candidates.required, 1u);
    EXPECT_DOUBLE_EQ(r.objective, 250);  // what the new site adds
    EXPECT_DOUBLE_EQ(r.city.covered_before_60plus, 150);
    EXPECT_DOUBLE_EQ(r.city.covered_after_60plus, 500);
  }
  // k = 1 is taken by the required site alone; c-c itself is no longer worth anything new.
  q.k = 1;
  q.method = siting::Method::heuristic;
  SitingResult r = run(q);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "decided-c");
  EXPECT_DOUBLE_EQ(r.city.covered_after_60plus, 250);
  // A required site at B's centre: the best new one is C's.
  q.required = {cand("decided-b", 3000, 1000)};
  q.k = 2;
  r = run(q);
  ASSERT_EQ(r.sites.size(), 2u);
  EXPECT_EQ(r.sites[1].candidate_id, "c-c");
  // More required sites than k is the request's fault.
  q.required = {cand("r1", 3000, 1000), cand("r2", 5000, 1000)};
  q.k = 1;
  try {
    run(q);
    ADD_FAILURE() << "two required sites with k = 1 were accepted";
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.field(), "required");
  }
}

TEST_F(SitingTest, ExactMethodAgreesAndProvesOptimality) {
  SitingRequest q = base_request();
  q.method = siting::Method::exact;
  q.time_limit_s = 20;
  const SitingResult r = run(q);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-b");
  // No single site reaches more than B's 250 aged residents, so that bound proves the greedy
  // answer optimal and CBC has nothing left to prove.
  EXPECT_EQ(r.solver.method, "greedy+swap");
  ASSERT_TRUE(r.solver.bound.has_value());
  EXPECT_DOUBLE_EQ(*r.solver.bound, 250);
  EXPECT_TRUE(r.solver.optimal);
  ASSERT_TRUE(r.solver.gap.has_value());
  EXPECT_DOUBLE_EQ(*r.solver.gap, 0);
}

TEST_F(SitingTest, GridCandidatesInsideTheDistrictFindACentreOfClusterB) {
  SitingRequest q = base_request();
  q.candidates.clear();
  q.grid_m = 100;
  const SitingResult r = run(q);
  // Cell centres at 50, 150, ..., 5950 by 50, ..., 1950: 60 x 20 inside the 6 x 2 km district.
  EXPECT_EQ(r.candidates.generated, 1200u);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_DOUBLE_EQ(r.sites[0].new_residents_60plus, 250);
  // The chosen cell centre is within 300 m of all five points of B.
  const XY s = r.sites[0].xy;
  for (const auto& p :
       {at(3000, 1000), at(3100, 1000), at(2900, 1000), at(3000, 1100), at(3000, 900)})
    EXPECT_LE(distance(s, p), 300.0);
  EXPECT_NEAR(distance(proj().forward(r.sites[0].pos), s), 0, 0.01);
}

TEST_F(SitingTest, SetCoveringReachesTheTargetWithTheFewestSites) {
  SitingRequest q = base_request();
  q.k.reset();
  q.problem = siting::Problem::set_cover;
  // 75% of 500 is 375: A (150) + B (250) = 400 does it, A + C = 250 does not.
  q.target_share = 0.75;
  SitingResult r = run(q);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-b");
  EXPECT_TRUE(r.target_reached);
  // 90% is 450: only A + B + C = 500 reaches it, so two new sites.
  q.target_share = 0.9;
  r = run(q);
  ASSERT_EQ(r.sites.size(), 2u);
  std::set<std::string> ids{r.sites[0].candidate_id, r.sites[1].candidate_id};
  EXPECT_EQ(ids, (std::set<std::string>{"c-b", "c-c"}));
  EXPECT_GE(r.city.covered_after_60plus, 450);
}

TEST_F(SitingTest, UnreachableTargetIsA422WithTheSolverCode) {
  SitingRequest q = base_request();
  q.k.reset();
  q.problem = siting::Problem::set_cover;
  q.target_share = 1.0;
  q.candidates = {cand("c-b", 3000, 1000)};  // A + B = 400 of 500 at most
  try {
    run(q);
    FAIL() << "expected target_unreachable";
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.code(), ErrorCode::target_unreachable);
    EXPECT_EQ(e.field(), "target");
    EXPECT_EQ(error_info(e.code()).http_status, 422);
  }
}

TEST_F(SitingTest, ExcludedAreaDropsTheCandidatesInside) {
  SitingRequest q = base_request();
  // A 400 m square around B's centre: c-b is inside, c-b-edge (x = 3350) is not.
  AdminUnit box = rect_unit("x", "x", UnitLevel::district, 2800, 800, 3200, 1200);
  q.excluded_areas = box.geometry;
  const SitingResult r = run(q);
  EXPECT_EQ(r.candidates.in_excluded_area, 1u);
  EXPECT_EQ(r.candidates.used, 4u);
  ASSERT_EQ(r.sites.size(), 1u);
  // C (100 aged) beats c-b-edge (B's east point, 50 aged).
  EXPECT_EQ(r.sites[0].candidate_id, "c-c");
  EXPECT_FALSE(contains(box.geometry, r.sites[0].pos));
}

TEST_F(SitingTest, MinimumSpacingFromExistingFacilities) {
  SitingRequest q = base_request();
  q.k = 2;
  // c-b is 2000 m and c-b-edge 2350 m from the existing center at x = 1000: both too close.
  q.min_spacing_m = 2500;
  const SitingResult r = run(q);
  ASSERT_GE(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-c");
  for (const auto& s : r.sites) {
    EXPECT_GE(distance(s.xy, at(1000, 1000)), 2500);
    for (const auto& t : r.sites)
      if (&s != &t) {
        EXPECT_GE(distance(s.xy, t.xy), 2500);
      }
  }
  EXPECT_DOUBLE_EQ(r.city.covered_after_60plus, 250);  // A + C
}

TEST_F(SitingTest, MinimumSpacingBetweenNewSites) {
  SitingRequest q = base_request();
  q.k = 2;
  q.existing_types = {"day_care"};  // none exist: nothing is covered yet
  q.min_spacing_m = 2100;
  const SitingResult r = run(q);
  // Unconstrained, A + B = 400. With 2100 m: c-a-east/c-b are 1850 m apart and c-b/c-c 2000 m,
  // so the best is 250 (A + C, or B alone).
  EXPECT_DOUBLE_EQ(r.city.covered_before_60plus, 0);
  EXPECT_DOUBLE_EQ(r.objective, 250);
  for (std::size_t i = 0; i < r.sites.size(); ++i)
    for (std::size_t j = i + 1; j < r.sites.size(); ++j)
      EXPECT_GE(distance(r.sites[i].xy, r.sites[j].xy), 2100);
}

TEST_F(SitingTest, CapacityCapsWhatANewSiteServes) {
  SitingRequest q = base_request();
  // B offers 250 aged residents but a site serves at most 120; C offers 100.
  q.capacity = 120;
  const SitingResult r = run(q);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].candidate_id, "c-b");
  ASSERT_TRUE(r.served_new_weight.has_value());
  EXPECT_DOUBLE_EQ(*r.served_new_weight, 120);
  EXPECT_DOUBLE_EQ(r.sites[0].new_residents_60plus, 120);
  // Within reach is still all of B.
  EXPECT_DOUBLE_EQ(r.city.covered_after_60plus, 400);
}

TEST_F(SitingTest, SuppliedCandidatesOutsideTheDistrictAreDropped) {
  SitingRequest q = base_request();
  q.district = "310101";
  q.candidates.push_back(cand("outside", 7000, 1000));
  const SitingResult r = run(q);
  EXPECT_EQ(r.candidates.outside_area, 1u);
  EXPECT_EQ(r.candidates.used, 5u);
}

TEST_F(SitingTest, BadRequestsNameTheirField) {
  SitingRequest q = base_request();
  q.type = "no_such_type";
  try {
    run(q);
    FAIL();
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.field(), "type");
    EXPECT_EQ(error_info(e.code()).http_status, 400);
  }
  q = base_request();
  q.district = "999999";
  try {
    run(q);
    FAIL();
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.field(), "district");
  }
}

TEST_F(SitingTest, TooFineAGridIsRefusedBeforeItIsMade) {
  SitingRequest q = base_request();
  q.grid_m = 50;
  limits.max_grid_candidates = 1000;  // 6 km x 2 km at 50 m would be 4800
  try {
    run(q);
    FAIL();
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.code(), ErrorCode::too_large);
    EXPECT_EQ(e.field(), "grid_m");
    EXPECT_EQ(error_info(e.code()).http_status, 413);
  }
}

TEST_F(SitingTest, TimeLimitIsCappedByTheConfiguredMaximum) {
  SitingRequest q = base_request();
  q.time_limit_s = 1e6;
  limits.max_time_limit_s = 5;
  const SitingResult r = run(q);
  EXPECT_DOUBLE_EQ(r.time_limit_s, 5);
  EXPECT_TRUE(r.time_limit_capped);
}

TEST(SitingJson, ParsesTheBodyAndNamesBadMembers) {
  const PlanningLimits limits;
  const auto q = parse_siting_request(
      nlohmann::json::parse(R"({"type":"comprehensive_center","target":0.8,"weight":"residents",
        "candidates":{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"id":"x","cost":2},
           "geometry":{"type":"Point","coordinates":[121.5,31.2]}}]}})"),
      limits);
  EXPECT_EQ(q.problem, siting::Problem::set_cover);
  EXPECT_EQ(q.weight, DemandWeight::residents);
  ASSERT_EQ(q.candidates.size(), 1u);
  EXPECT_EQ(q.candidates[0].id, "x");
  EXPECT_DOUBLE_EQ(*q.candidates[0].cost, 2);
  auto field_of = [&](const char* body) {
    try {
      parse_siting_request(nlohmann::json::parse(body), limits);
    } catch (const PlanningError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(field_of(R"({"type":"comprehensive_center","k":"ten"})"), "k");
  EXPECT_EQ(field_of(R"({"type":"comprehensive_center","k":2.5})"), "k");
  EXPECT_EQ(field_of(R"({"type":"comprehensive_center"})"), "k");
  EXPECT_EQ(field_of(R"({"k":3})"), "type");
  EXPECT_EQ(field_of(R"({"type":"comprehensive_center","k":3,"colour":1})"), "colour");
  EXPECT_EQ(field_of(R"({"type":"comprehensive_center","k":3,"method":"magic"})"), "method");
  EXPECT_EQ(
      field_of(R"({"type":"comprehensive_center","k":3,"candidates":{"type":"FeatureCollection",
      "features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[500,31]}}]}})"),
      "candidates.features[0].geometry.coordinates");
}

// ---- Scenarios ----

// One 4 km x 2 km district of 10,000 census residents; demand points every 500 m along
// y = 1000 from x = 500 to 3500 (100 residents, 10 aged, each; 500 and 50 at x = 3500); one
// comprehensive center "cc1" of 800 m2 at x = 1000; a 600 m walk.
DatasetContent row_world() {
  DatasetContent c;
  c.info.name = "row";
  c.info.title = "Row";
  c.info.version = 7;
  c.info.metric_crs = "EPSG:32651";
  AdminUnit d = rect_unit("310101", "District one", UnitLevel::district, 0, 0, 4000, 2000);
  d.population = 10000;
  c.districts.push_back(d);
  for (int x = 500; x <= 3500; x += 500) {
    const bool big = x == 3500;
    c.population.push_back(cell("p" + std::to_string(x), x, 1000, big ? 500 : 100, big ? 50 : 10));
  }
  Facility f = facility("cc1", "comprehensive_center", 1000, 1000);
  f.floor_area_m2 = 800;
  c.facilities.push_back(f);
  return c;
}

class ScenarioTest : public ::testing::Test {
 protected:
  Dataset d{row_world()};
  std::shared_ptr<Analyzer> a = analyzer(600);
  PlanningLimits limits;

  nlohmann::json run(const char* body) {
    return run_scenario(d, *a, parse_scenario_request(nlohmann::json::parse(body), limits));
  }
  static const nlohmann::json& city_coverage(const nlohmann::json& r) {
    return r["coverage"][0]["city"];
  }
};

TEST_F(ScenarioTest, RemovingTheOnlyFacilityUncoversEveryone) {
  const auto r = run(R"({"family":"eldercare","changes":[{"op":"remove","id":"cc1"}]})");
  const auto& c = city_coverage(r);
  // Before: x = 500, 1000, 1500 are within 600 m of x = 1000 -> 300 of 1100 residents.
  EXPECT_DOUBLE_EQ(c["residents"].get<double>(), 1100);
  EXPECT_DOUBLE_EQ(c["covered_before"].get<double>(), 300);
  EXPECT_DOUBLE_EQ(c["covered_after"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(c["covered_delta"].get<double>(), -300);
  EXPECT_DOUBLE_EQ(c["ratio_before"].get<double>(), 300.0 / 1100);
  EXPECT_DOUBLE_EQ(c["ratio_after"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(c["covered_60plus_before"].get<double>(), 30);
  EXPECT_EQ(r["facilities_after"].get<int>(), 0);
  // The registry is untouched.
  ASSERT_EQ(d.facilities().size(), 1u);
  EXPECT_EQ(d.facilities()[0].id, "cc1");
}

TEST_F(ScenarioTest, MovingTheFacilityCoversTheCellsNearItsNewPlace) {
  const LonLat to = lonlat(3000, 1000);
  nlohmann::json body = {
      {"family", "eldercare"},
      {"changes", {{{"op", "move"}, {"id", "cc1"}, {"lon", to.lon}, {"lat", to.lat}}}}};
  const auto q = parse_scenario_request(body, limits);
  const auto moved = apply_changes(d, q.changes);
  const StandardsProfile p = a->profile("", {});
  CoverageRequest cr;
  cr.selection.family = Family::eldercare;
  cr.area = false;
  const EuclideanDistance model(1.0);
  const CoverageResult after = compute_coverage(*moved, p, cr, model);
  std::set<std::string> covered;
  for (std::size_t i = 0; i < after.covered.size(); ++i)
    if (after.covered[i]) covered.insert(moved->population()[i].id);
  EXPECT_EQ(covered, (std::set<std::string>{"p2500", "p3000", "p3500"}));
  EXPECT_EQ(moved->facility("cc1")->district_code, "310101");
  EXPECT_NEAR(distance(moved->facility("cc1")->xy, at(3000, 1000)), 0, 0.01);

  const auto r = run_scenario(d, *a, q);
  const auto& c = city_coverage(r);
  EXPECT_DOUBLE_EQ(c["covered_before"].get<double>(), 300);
  EXPECT_DOUBLE_EQ(c["covered_after"].get<double>(), 700);  // 100 + 100 + 500
  EXPECT_DOUBLE_EQ(c["covered_60plus_after"].get<double>(), 70);
  EXPECT_NEAR(distance(d.facilities()[0].xy, at(1000, 1000)), 0, 0.01);  // registry unchanged
}

TEST_F(ScenarioTest, AddingAFacilityRaisesThePerThousandFloorAreaByAreaOverPopulation) {
  const LonLat p = lonlat(2000, 1000);
  nlohmann::json body = {
      {"changes",
       {{{"op", "add"},
         {"feature",
          {{"type", "Feature"},
           {"geometry", {{"type", "Point"}, {"coordinates", {p.lon, p.lat}}}},
           {"properties",
            {{"id", "cc2"}, {"type", "comprehensive_center"}, {"floor_area_m2", 500}}}}}}}}};
  const auto r = run_scenario(d, *a, parse_scenario_request(body, limits));
  // All families reported; eldercare first.
  ASSERT_EQ(r["coverage"].size(), 3u);
  const nlohmann::json* eldercare = nullptr;
  for (const auto& pt : r["per_thousand"])
    if (pt["family"] == "eldercare") eldercare = &pt;
  ASSERT_NE(eldercare, nullptr);
  const auto& row = (*eldercare)["districts"][0];
  EXPECT_EQ(row["code"], "310101");
  EXPECT_DOUBLE_EQ(row["per_thousand_before"].get<double>(), 800.0 / 10);  // 80
  EXPECT_DOUBLE_EQ(row["per_thousand_after"].get<double>(), 1300.0 / 10);  // 130
  EXPECT_DOUBLE_EQ(row["per_thousand_delta"].get<double>(), 500.0 / 10000 * 1000);
  // Coverage: the new center reaches x = 1500..2500, so x = 500..2500 are covered.
  const auto& c = r["coverage"][0]["city"];
  EXPECT_DOUBLE_EQ(c["covered_after"].get<double>(), 500);
  // It was placed by the polygons.
  EXPECT_EQ(r["changes"][0]["district_code"], "310101");
}

TEST_F(ScenarioTest, ChangingTheFloorAreaChangesOnlyTheIndicator) {
  const auto r =
      run(R"({"family":"eldercare","changes":[{"op":"change","id":"cc1","floor_area_m2":1000}]})");
  const auto& row = r["per_thousand"][0]["districts"][0];
  EXPECT_DOUBLE_EQ(row["per_thousand_delta"].get<double>(), 20);  // 200 m2 / 10 thousand
  EXPECT_DOUBLE_EQ(city_coverage(r)["covered_delta"].get<double>(), 0);
}

TEST_F(ScenarioTest, ClosingAFacilityByStatusUncoversLikeRemoving) {
  const auto r =
      run(R"({"family":"eldercare","changes":[{"op":"change","id":"cc1","status":"closed"}]})");
  EXPECT_DOUBLE_EQ(city_coverage(r)["covered_after"].get<double>(), 0);
}

TEST_F(ScenarioTest, UnknownAndDuplicateIdsNameTheChange) {
  try {
    run(R"({"changes":[{"op":"move","id":"cc1","lon":121.1,"lat":31.1},
                       {"op":"remove","id":"nope"}]})");
    FAIL();
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.code(), ErrorCode::unknown_facility);
    EXPECT_EQ(e.field(), "changes[1].id");
  }
  try {
    run(R"([{"op":"add","feature":{"type":"Feature","properties":{"id":"cc1",
             "type":"canteen"},"geometry":{"type":"Point","coordinates":[121.1,31.1]}}}])");
    FAIL();
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.code(), ErrorCode::duplicate_facility);
  }
  try {
    run(R"({"changes":[{"op":"teleport","id":"cc1"}]})");
    FAIL();
  } catch (const PlanningError& e) {
    EXPECT_EQ(e.field(), "changes[0].op");
  }
}

TEST(ScenarioStoreTest, IdsAreStableAndResultsLastWhileTheVersionDoes) {
  const Dataset v7{row_world()};
  DatasetContent c = row_world();
  c.info.version = 8;
  const Dataset v8{std::move(c)};
  const auto a =
      nlohmann::json::parse(R"({"changes":[{"op":"remove","id":"cc1"}],"mode":"euclidean"})");
  const auto b =
      nlohmann::json::parse(R"({ "mode" : "euclidean", "changes":[{"id":"cc1","op":"remove"}]})");
  EXPECT_EQ(scenario_id(v7, a), scenario_id(v7, b));
  EXPECT_NE(scenario_id(v7, a), scenario_id(v8, a));
  ScenarioStore store(2);
  store.put("x", "row", 7, std::make_shared<const nlohmann::json>(1));
  ASSERT_NE(store.get("x", v7), nullptr);
  EXPECT_EQ(store.get("x", v8), nullptr);
  EXPECT_EQ(store.get("x", v7), nullptr);  // dropped once the version moved on
  EXPECT_EQ(store.get("unknown", v7), nullptr);
}

}  // namespace
}  // namespace lifecircle::planning
