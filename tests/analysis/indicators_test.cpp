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
  EXPECT_DOUBLE_EQ(b.floor_area_m2, 2500);
  EXPECT_EQ(b.facilities, 2u);
  EXPECT_EQ(b.facilities_without_area, 1u);
  EXPECT_DOUBLE_EQ(*b.per_thousand, 50);            // 2500 / 50
  EXPECT_DOUBLE_EQ(*b.target, 60);                  // Baoshan's own target
  EXPECT_DOUBLE_EQ(*b.surplus_m2, 2500 - 60 * 50);  // -500: a deficit
  EXPECT_FALSE(*b.meets_target);
  EXPECT_EQ(*b.rank, 1);
  EXPECT_EQ(*a.rank, 2);
  EXPECT_DOUBLE_EQ(r.city.floor_area_m2, 6500);
  EXPECT_DOUBLE_EQ(*r.city.per_thousand, 6500.0 / 150);
  EXPECT_DOUBLE_EQ(*r.city.residents.aged_60plus, 40000);
  EXPECT_EQ(a.residents.source, "attribute");

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
}
