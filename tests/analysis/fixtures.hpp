// Small hand-made datasets and standards for the analysis tests. Coordinates are real UTM 51N
// metres near Shanghai (origin kX0, kY0) so that projections back to WGS84 stay meaningful.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecircle/dataset.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle::fixtures {

constexpr double kX0 = 350000, kY0 = 3450000;

// A profile where every type walks `walk_m` metres (1 m/s for walk_m/60 minutes).
inline nlohmann::json standards_json(double walk_m, double detour = 1.0) {
  nlohmann::json access = nlohmann::json::object();
  for (const auto& t : facility_types())
    access[std::string(t.type)] = {{"minutes", walk_m / 60.0}, {"speed_m_s", 1.0}};
  return {{"version", "test"},
          {"default_profile", "p"},
          {"citations", {{"paper", {{"title_en", "geometry on paper"}}}}},
          {"profiles",
           {{"p",
             {{"title", "test"},
              {"walking", {{"detour_factor", detour}}},
              {"access", access},
              {"per_thousand",
               {{"eldercare",
                 {{"counted_types", {"comprehensive_center", "day_care"}},
                  {"citywide_target_m2", 40},
                  {"district_targets_m2", {{"310113", 60}}},
                  {"citations", {"paper"}}}},
                {"meal", {{"counted_types", {"canteen", "meal_point"}}}}}},
              {"meal_capacity",
               {{"counted_types", {"canteen", "meal_point"}},
                {"citywide_target_meals_per_day", 300},
                {"reference_population_60plus", 10000}}},
              {"columbarium", {{"types", {"public_columbarium"}}, {"min_per_rural_town", 1}}},
              {"one_plus_n",
               {{"center_types", {"comprehensive_center"}},
                {"station_types", {"doorstep_station"}}}}}}}}};
}

inline StandardsProfile profile(double walk_m, double detour = 1.0) {
  return Standards::parse(standards_json(walk_m, detour), "test.json").resolve("p", {});
}

inline PolygonXY square(double x0, double y0, double side) {
  PolygonXY p;
  p.rings.push_back({{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}});
  return p;
}

inline AdminUnit district(std::string code, std::string name, MultiPolygonXY geom,
                          std::optional<double> pop = std::nullopt) {
  AdminUnit u;
  u.code = std::move(code);
  u.name = std::move(name);
  u.level = UnitLevel::district;
  u.geometry_xy = std::move(geom);
  double a = 0;
  for (const auto& p : u.geometry_xy) {
    const auto& r = p.rings[0];
    for (std::size_t i = 0; i + 1 < r.size(); ++i) a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
  }
  u.area_m2 = std::abs(a) / 2;
  u.population = pop;
  return u;
}

inline AdminUnit street(std::string code, std::string parent, std::string kind) {
  AdminUnit u;
  u.code = std::move(code);
  u.name = "street " + u.code;
  u.parent_code = std::move(parent);
  u.level = UnitLevel::street_town;
  u.kind = std::move(kind);
  return u;
}

inline Facility facility(std::string id, std::string type, XY xy, std::string district_code = "",
                         std::string street_code = "") {
  Facility f;
  f.id = id;
  f.name = "facility " + id;
  f.type = type;
  f.family = find_facility_type(type)->family;
  f.xy = xy;
  f.district_code = std::move(district_code);
  f.street_code = std::move(street_code);
  return f;
}

inline PopulationCell cell(std::string id, XY xy, double pop, std::optional<double> pop60,
                           std::string district_code = "", std::string street_code = "") {
  PopulationCell c;
  c.id = std::move(id);
  c.xy = xy;
  c.population = pop;
  c.population_60plus = pop60;
  c.district_code = std::move(district_code);
  c.street_code = std::move(street_code);
  return c;
}

inline DatasetContent empty_content() {
  DatasetContent c;
  c.info.name = "test";
  c.info.title = "Test city";
  c.info.metric_crs = "EPSG:32651";
  return c;
}

}  // namespace lifecircle::fixtures
