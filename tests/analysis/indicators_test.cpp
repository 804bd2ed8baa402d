// Per-thousand floor area, meal capacity and columbaria on a hand-made dataset whose answers
// are worked out in the comments.
#include <gtest/gtest.h>

#include "analysis/fixtures.hpp"
#include "lifecircle/analysis_json.hpp"
#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/indicators.hpp"

using namespace lifecircle;
using namespace lifecircle::fixtures;

namespace {

Dataset make() {
  auto c = empty_content();
  auto a = district("310101", "A", {square(kX0, kY0, 10000)}, 100000);
  a.population_60plus = 30000;
  auto b = district("310113", "Baoshan", {square(kX0 + 10000, kY0, 10000)}, 50000);
  b.population_60plus = 10000;
  c.districts = {a, b};
  c.streets_towns = {street("310101001", "310101", "urban"), street("310113101", "310113", "rural"),
                     street("310113102", "310113", "rural")};
  auto add = [&](std::string id, std::string type, double x, std::string dist, std::string st,
                 std::optional<double> area, std::optional<double> meals = std::nullopt) {
    auto f = facility(id, type, {kX0 + x, kY0 + 5000}, dist, st);
    f.floor_area_m2 = area;
    f.meal_capacity_per_day = meals;
    c.facilities.push_back(f);
  };
  // A: 3000 + 1000 m² counted (center + day care), the nursing home is not counted.
  add("a1", "comprehensive_center", 1000, "310101", "310101001", 3000);
  add("a2", "day_care", 2000, "310101", "310101001", 1000);
  add("a3", "nursing_home", 3000, "310101", "310101001", 99999);
  add("a4", "canteen", 4000, "310101", "310101001", 500, 600);
  // Baoshan: one center of 2500 m², one without a floor area; a closed one not counted.
  add("b1", "comprehensive_center", 12000, "310113", "310113101", 2500);
  add("b2", "comprehensive_center", 13000, "310113", "310113101", std::nullopt);
  add("b3", "comprehensive_center", 14000, "310113", "310113101", 7000);
  c.facilities.back().status = Status::closed;
  add("b4", "meal_point", 15000, "310113", "310113101", 100, 150);
  // One public columbarium in town 310113101; town 310113102 has none.
  add("col", "public_columbarium", 16000, "310113", "310113101", 800);
  // Demand: town 310113102's residents sit 3 km and 5 km east of the columbarium.
  c.population.push_back(cell("p1", {kX0 + 19000, kY0 + 5000}, 300, 60, "310113", "310113102"));
  c.population.push_back(cell("p2", {kX0 + 21000, kY0 + 5000}, 100, 20, "310113", "310113102"));
  c.population.push_back(cell("p3", {kX0 + 16000, kY0 + 5000}, 50, 10, "310113", "310113101"));
  return Dataset(std::move(c));
}

}  // namespace

TEST(Indicators, PerThousandFloorAreaAgainstTargets) {
  const Dataset d = make();
  const auto r = per_thousand_floor_area(d, profile(500), Family::eldercare, AggregateBy::district);
  ASSERT_EQ(r.rows.size(), 2u);
  const auto& a = r.rows[0];
  const auto& b = r.rows[1];
  EXPECT_DOUBLE_EQ(a.floor_area_m2, 4000);
  EXPECT_EQ(a.facilities, 2u);
  EXPECT_DOUBLE_EQ(*a.per_thousand, 40);  // 4000 / 100
  EXPECT_DOUBLE_EQ(*a.target, 40);
  EXPECT_DOUBLE_EQ(*a.surplus_m2, 0);
  EXPECT_TRUE(*a.meets_target);
  // Baoshan: one of its two centers has no floor area, so the known 2500 m² give a lower
  // bound, flagged; no surplus (the missing center may close it), no rank, no ratio.
  EXPECT_DOUBLE_EQ(b.floor_area_m2, 2500);
  EXPECT_EQ(b.facilities, 2u);
  EXPECT_EQ(b.facilities_without_area, 1u);
  EXPECT_TRUE(b.area_known().incomplete());
  EXPECT_DOUBLE_EQ(*b.area_known().share_known(), 0.5);
  EXPECT_DOUBLE_EQ(*b.per_thousand, 50);  // 2500 / 50, at least
  EXPECT_DOUBLE_EQ(*b.target, 60);        // Baoshan's own target
  EXPECT_FALSE(b.surplus_m2.has_value());
  EXPECT_FALSE(b.meets_target.has_value());  // 50 known < 60: unknown whether it meets it
  EXPECT_FALSE(b.rank.has_value());
  EXPECT_FALSE(b.ratio_to_city.has_value());
  EXPECT_EQ(*a.rank, 1);
  EXPECT_FALSE(a.area_known().incomplete());
  // The city with every district (known areas only, flagged) and without the incomplete one.
  EXPECT_DOUBLE_EQ(r.city.floor_area_m2, 6500);
  EXPECT_DOUBLE_EQ(*r.city.per_thousand, 6500.0 / 150);
  EXPECT_TRUE(r.city.area_known().incomplete());
  EXPECT_DOUBLE_EQ(*r.city.area_known().share_known(), 3.0 / 4);
  EXPECT_FALSE(r.city.surplus_m2.has_value());
  EXPECT_DOUBLE_EQ(*r.city.residents.aged_60plus, 40000);
  EXPECT_EQ(r.city_complete.level, "city_complete");
  EXPECT_EQ(r.incomplete_districts, std::vector<std::string>{"310113"});
  EXPECT_DOUBLE_EQ(r.city_complete.floor_area_m2, 4000);  // A only
  EXPECT_DOUBLE_EQ(r.city_complete.residents.total, 100000);
  EXPECT_DOUBLE_EQ(*r.city_complete.per_thousand, 40);
  EXPECT_DOUBLE_EQ(*r.city_complete.surplus_m2, 4000 - 40 * 100);
  EXPECT_DOUBLE_EQ(*a.ratio_to_city, 1.0);  // against the complete city
  EXPECT_EQ(a.residents.source, "attribute");
  // The city row carries the city's name and code (the districts' province prefix).
  EXPECT_EQ(r.city.code, "310000");
  EXPECT_EQ(r.city.name, d.city().name);
  const nlohmann::json j = r;
  EXPECT_EQ(j["rows"][1]["incomplete"], true);
  EXPECT_DOUBLE_EQ(j["rows"][1]["share_known"].get<double>(), 0.5);
  EXPECT_TRUE(j["rows"][1]["rank"].is_null());
  EXPECT_EQ(j["city_complete"]["level"], "city_complete");

  // Meal sites have no target: each row is compared with the city mean.
  const auto m = per_thousand_floor_area(d, profile(500), Family::meal, AggregateBy::district);
  EXPECT_FALSE(m.has_target);
  EXPECT_DOUBLE_EQ(*m.rows[0].per_thousand, 5);  // 500 / 100
  EXPECT_DOUBLE_EQ(*m.rows[1].per_thousand, 2);  // 100 / 50
  EXPECT_DOUBLE_EQ(*m.city.per_thousand, 4);     // 600 / 150
  EXPECT_DOUBLE_EQ(*m.rows[0].ratio_to_city, 1.25);
  EXPECT_FALSE(m.rows[0].target.has_value());

  // By street: residents come from the demand points (no street population attribute).
  const auto s =
      per_thousand_floor_area(d, profile(500), Family::eldercare, AggregateBy::street, "310113");
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(s.rows[0].residents.total, 50);
  EXPECT_EQ(s.rows[0].residents.source, "demand");
  EXPECT_DOUBLE_EQ(*s.rows[0].per_thousand, 2500 / 0.05);
  EXPECT_DOUBLE_EQ(*s.rows[0].target, 60);  // the parent district's target
  EXPECT_NE(per_thousand_csv(s).find("310113102"), std::string::npos);
}

TEST(Indicators, MealCapacityPerThousandOlderResidents) {
  const Dataset d = make();
  const auto r = meal_capacity(d, profile(500), nullptr);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(r.rows[0].meals_per_day, 600);
  EXPECT_DOUBLE_EQ(*r.rows[0].per_1000_60plus, 20);  // 600 / 30
  EXPECT_DOUBLE_EQ(*r.rows[1].per_1000_60plus, 15);  // 150 / 10
  // Target 300 meals/day for 10,000 60+ = 30 per 1000; A needs 900, has 600.
  EXPECT_DOUBLE_EQ(*r.rows[0].target_per_1000_60plus, 30);
  EXPECT_DOUBLE_EQ(*r.rows[0].surplus_meals_per_day, -300);
  EXPECT_DOUBLE_EQ(r.city.meals_per_day, 750);
  EXPECT_DOUBLE_EQ(*r.city.per_1000_60plus, 750.0 / 40);
}

TEST(Indicators, ColumbariaRuleAndDistanceFromPopulationCentre) {
  const Dataset d = make();
  const auto r = columbaria(d, profile(500), EuclideanDistance(1.0));
  EXPECT_EQ(r.rural_towns, 2u);
  EXPECT_EQ(r.rural_towns_without, 1u);
  ASSERT_EQ(r.towns.size(), 2u);
  EXPECT_EQ(r.towns[0].code, "310113101");
  EXPECT_TRUE(r.towns[0].meets_rule);
  EXPECT_DOUBLE_EQ(*r.towns[0].nearest_m, 0);
  const auto& t = r.towns[1];
  EXPECT_FALSE(t.meets_rule);
  EXPECT_EQ(t.centre_source, "population");
  // Centre: (300 x 19000 + 100 x 21000) / 400 = 19500, i.e. 3500 m from the columbarium.
  EXPECT_NEAR(*t.nearest_m, 3500, 1e-3);
  EXPECT_EQ(t.nearest_id, "col");
  const auto detoured = columbaria(d, profile(500), EuclideanDistance(1.2));
  EXPECT_NEAR(*detoured.towns[1].nearest_m, 4200, 1e-3);
  const nlohmann::json j = r;
  EXPECT_EQ(j["without"][0], "310113102");
  // A profile that reads town 310113102 as urbanised leaves it out of the rule.
  StandardsProfile urbanised = profile(500);
  urbanised.columbarium.kind_overrides["310113102"] = "urban";
  const auto o = columbaria(d, urbanised, EuclideanDistance(1.0));
  EXPECT_EQ(o.rural_towns, 1u);
  EXPECT_EQ(o.rural_towns_without, 0u);
}

// The registry's rule: 街道 urban; a 镇 with a villagers' committee rural, one whose committees
// are all residents' committees (华泾镇) urban; without a committee registry a 镇 is rural.
TEST(Indicators, UrbanRuralFollowsTheTownsCommittees) {
  EXPECT_EQ(street_town_kind("徐家汇街道", std::nullopt), "urban");
  EXPECT_EQ(street_town_kind("华泾镇", false), "urban");
  EXPECT_EQ(street_town_kind("罗店镇", true), "rural");
  EXPECT_EQ(street_town_kind("华泾镇", std::nullopt), "rural");
  EXPECT_EQ(street_town_kind("张江高科技园区", std::nullopt), "zone");
  EXPECT_EQ(committee_kind("东风村村委会"), "rural");
  EXPECT_EQ(committee_kind("跃进村村民委员会"), "rural");
  EXPECT_EQ(committee_kind("光明米业虚拟生活区"), "rural");
  EXPECT_EQ(committee_kind("华泾一村居委会"), "urban");
}

// A district whose source lists give no floor area or meal capacity at all (as Yangpu's
// official lists): no data, never 0 m² or 0 meals/day, and out of ranks and the complete city.
TEST(Indicators, ADistrictWithoutAnyKnownValueHasNoDataNotZero) {
  auto c = empty_content();
  c.districts = {district("310101", "A", {square(kX0, kY0, 10000)}, 100000),
                 district("310110", "Y", {square(kX0 + 10000, kY0, 10000)}, 50000)};
  c.districts[0].population_60plus = 20000;
  c.districts[1].population_60plus = 10000;
  auto add = [&](std::string id, std::string type, double x, std::string dist,
                 std::optional<double> area, std::optional<double> meals) {
    auto f = facility(id, type, {kX0 + x, kY0 + 5000}, dist);
    f.floor_area_m2 = area;
    f.meal_capacity_per_day = meals;
    c.facilities.push_back(f);
  };
  add("a1", "comprehensive_center", 1000, "310101", 3000, std::nullopt);
  add("a2", "canteen", 2000, "310101", 400, 500);
  add("y1", "day_care", 11000, "310110", std::nullopt, std::nullopt);
  add("y2", "day_care", 12000, "310110", std::nullopt, std::nullopt);
  add("y3", "canteen", 13000, "310110", std::nullopt, std::nullopt);
  const Dataset d(std::move(c));
  const StandardsProfile p = profile(500);
  const auto r = per_thousand_floor_area(d, p, Family::eldercare, AggregateBy::district);
  const auto& y = r.rows[1];
  ASSERT_EQ(y.code, "310110");
  EXPECT_EQ(y.facilities, 2u);
  EXPECT_TRUE(y.area_known().no_data());
  EXPECT_DOUBLE_EQ(*y.area_known().share_known(), 0);
  EXPECT_FALSE(y.per_thousand.has_value());
  EXPECT_FALSE(y.surplus_m2.has_value());
  EXPECT_FALSE(y.rank.has_value());
  EXPECT_EQ(*r.rows[0].rank, 1);
  const nlohmann::json j = r;
  EXPECT_TRUE(j["rows"][1]["floor_area_m2"].is_null());
  EXPECT_TRUE(j["rows"][1]["per_thousand_m2"].is_null());
  // Complete city = A alone: 3000 m² / 100 thousand = 30; all of it: 3000 / 150, flagged.
  EXPECT_DOUBLE_EQ(*r.city_complete.per_thousand, 30);
  EXPECT_DOUBLE_EQ(*r.city.per_thousand, 20);
  EXPECT_DOUBLE_EQ(*r.city.area_known().share_known(), 1.0 / 3);
  // CSV: Y's floor area cell is empty, not 0.
  const std::string csv = per_thousand_csv(r);
  const auto line = csv.substr(csv.find("\ndistrict,310110"), 40);
  EXPECT_NE(line.find("310110,Y,,,2,2,true,0,"), std::string::npos) << line;

  const auto m = meal_capacity(d, p, nullptr);
  ASSERT_EQ(m.rows[1].code, "310110");
  EXPECT_TRUE(m.rows[1].capacity_known().no_data());
  EXPECT_FALSE(m.rows[1].per_1000_60plus.has_value());
  EXPECT_FALSE(m.rows[1].surplus_meals_per_day.has_value());
  EXPECT_TRUE(m.rows[1].target_meals_per_day.has_value());  // the need is known
  const nlohmann::json mj = m;
  EXPECT_TRUE(mj["rows"][1]["meals_per_day"].is_null());
  EXPECT_EQ(m.incomplete_districts, std::vector<std::string>{"310110"});
  EXPECT_DOUBLE_EQ(m.city_complete.meals_per_day, 500);
  EXPECT_DOUBLE_EQ(*m.city_complete.residents_60plus, 20000);
  EXPECT_DOUBLE_EQ(*m.city_complete.per_1000_60plus, 25);  // 500 / 20
  EXPECT_DOUBLE_EQ(*m.city.per_1000_60plus, 500.0 / 30);   // a lower bound, flagged
  EXPECT_TRUE(m.city.capacity_known().incomplete());
  EXPECT_FALSE(m.city.surplus_meals_per_day.has_value());
}
