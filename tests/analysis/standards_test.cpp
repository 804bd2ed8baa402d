// The shipped standards table loads, its derived radii are what the cited numbers give, and
// errors name the file and the key.
#include <gtest/gtest.h>

#include <fstream>

#include "analysis/fixtures.hpp"
#include "lifecircle/standards.hpp"

using namespace lifecircle;

namespace {
const std::string kShipped =
    std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/standards/standards.json";
}

TEST(Standards, ShippedTableLoadsWithBothProfiles) {
  const Standards s = Standards::load(kShipped);
  EXPECT_EQ(s.default_profile(), "plan-2021-2025");
  ASSERT_NE(s.profile(""), nullptr);
  ASSERT_NE(s.profile("layout-2022-2035"), nullptr);
  const StandardsProfile& p = *s.profile("plan-2021-2025");
  // 15 min at 0.92 m/s = 828 m (inside GB 50180's 800-1000 m); / 1.24 = 667.7 m straight-line.
  const AccessRule& cc = p.access.at("comprehensive_center");
  EXPECT_DOUBLE_EQ(cc.walk_m(), 15 * 60 * 0.92);
  EXPECT_NEAR(cc.walk_m() / p.detour_factor, 667.74, 0.01);
  EXPECT_EQ(p.per_thousand_target(Family::eldercare, "310113"), 60.0);  // Baoshan
  EXPECT_EQ(p.per_thousand_target(Family::eldercare, "310101"), 40.0);
  EXPECT_FALSE(p.per_thousand_target(Family::meal, "310101").has_value());
  EXPECT_NEAR(*p.meal_capacity.target_per_1000_60plus(), 250000 / 5815.462, 1e-9);
  EXPECT_EQ(p.columbarium.min_per_rural_town, 1);

  const StandardsProfile& l = *s.profile("layout-2022-2035");
  EXPECT_EQ(l.per_thousand_target(Family::eldercare, "310101"), 55.0);  // central
  EXPECT_EQ(l.per_thousand_target(Family::eldercare, "310113"), 50.0);  // main city
  EXPECT_EQ(l.per_thousand_target(Family::eldercare, "310151"), 45.0);  // outer
  // Inherited whole sections.
  EXPECT_DOUBLE_EQ(l.access.at("canteen").walk_m(), cc.walk_m());
  EXPECT_EQ(l.meal_capacity.citywide_target_meals_per_day, 250000.0);
  // Every district of the city is in exactly one class.
  std::size_t members = 0;
  for (const auto& [cls, codes] : l.district_classes) members += codes.size();
  EXPECT_EQ(members, 16u);
}

TEST(Standards, OverridesApplyOverTheNamedProfile) {
  const Standards s = Standards::load(kShipped);
  StandardsOverrides o;
  o.minutes = 10;
  o.detour_factor = 1.0;
  const StandardsProfile p = s.resolve("", o);
  EXPECT_DOUBLE_EQ(p.access.at("comprehensive_center").walk_m(), 10 * 60 * 0.92);
  EXPECT_DOUBLE_EQ(p.detour_factor, 1.0);
  o.speed_m_s = 50;
  try {
    s.resolve("", o);
    FAIL();
  } catch (const AnalysisError& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_parameter);
    EXPECT_EQ(e.parameter(), "speed");
  }
  try {
    s.resolve("nope", {});
    FAIL();
  } catch (const AnalysisError& e) {
    EXPECT_EQ(e.code(), ErrorCode::unknown_profile);
  }
}

TEST(Standards, ErrorsNameFileAndKey) {
  auto j = fixtures::standards_json(500);
  j["profiles"]["p"]["access"]["canteen"]["minutes"] = "fifteen";
  try {
    Standards::parse(j, "bad.json");
    FAIL();
  } catch (const StandardsError& e) {
    EXPECT_EQ(e.file(), "bad.json");
    EXPECT_EQ(e.key(), "profiles.p.access.canteen.minutes");
  }
  auto k = fixtures::standards_json(500);
  k["profiles"]["p"]["per_thousand"]["eldercare"]["counted_types"] = {"canteen"};
  try {
    Standards::parse(k, "bad.json");
    FAIL();
  } catch (const StandardsError& e) {
    EXPECT_EQ(e.key(), "profiles.p.per_thousand.eldercare.counted_types[0]");
  }
  auto m = fixtures::standards_json(500);
  m["profiles"]["p"]["citations"] = {"missing"};
  EXPECT_THROW(Standards::parse(m, "bad.json"), StandardsError);

  const std::string path = ::testing::TempDir() + "/broken_standards.json";
  std::ofstream(path) << "{ not json";
  try {
    Standards::load(path);
    FAIL();
  } catch (const StandardsError& e) {
    EXPECT_EQ(e.file(), path);
  }
}
