// Hand-made planning datasets: positions chosen in UTM 51N metres (offsets from kX0, kY0), so
// every distance is read off the drawing; WGS84 positions and polygons are their projections.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/fixtures.hpp"
#include "lifecircle/analyzer.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/dataset.hpp"
#include "lifecircle/geometry.hpp"

namespace lifecircle::planning_test {

constexpr double kX0 = fixtures::kX0, kY0 = fixtures::kY0;

inline const MetricProjection& proj() {
  static const MetricProjection p("EPSG:32651");
  return p;
}

inline XY at(double dx, double dy) { return {kX0 + dx, kY0 + dy}; }
inline LonLat lonlat(double dx, double dy) { return proj().inverse(at(dx, dy)); }

// A rectangle in offset metres as a unit with both geometries.
inline AdminUnit rect_unit(std::string code, std::string name, UnitLevel level, double x0,
                           double y0, double x1, double y1) {
  AdminUnit u;
  u.code = std::move(code);
  u.name = std::move(name);
  u.level = level;
  PolygonXY p;
  p.rings.push_back({at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)});
  u.geometry_xy = {p};
  u.geometry = unproject(u.geometry_xy, proj());
  u.area_m2 = (x1 - x0) * (y1 - y0);
  return u;
}

inline Facility facility(std::string id, std::string type, double dx, double dy,
                         std::string district = "310101") {
  Facility f;
  f.id = std::move(id);
  f.name = "facility " + f.id;
  f.type = std::move(type);
  f.family = find_facility_type(f.type)->family;
  f.xy = at(dx, dy);
  f.pos = proj().inverse(f.xy);
  f.district_code = std::move(district);
  return f;
}

inline PopulationCell cell(std::string id, double dx, double dy, double pop, double pop60,
                           std::string district = "310101") {
  PopulationCell c;
  c.id = std::move(id);
  c.xy = at(dx, dy);
  c.pos = proj().inverse(c.xy);
  c.population = pop;
  c.population_60plus = pop60;
  c.district_code = std::move(district);
  return c;
}

// Five demand points in a plus: the centre and one 100 m east, west, north and south.
inline void plus_cluster(DatasetContent& c, const std::string& name, double cx, double cy,
                         double pop, double pop60) {
  const double d[5][2] = {{0, 0}, {100, 0}, {-100, 0}, {0, 100}, {0, -100}};
  for (int i = 0; i < 5; ++i)
    c.population.push_back(
        cell(name + "-" + std::to_string(i), cx + d[i][0], cy + d[i][1], pop, pop60));
}

inline std::shared_ptr<Analyzer> analyzer(double walk_m) {
  return std::make_shared<Analyzer>(std::make_shared<const Standards>(
      Standards::parse(fixtures::standards_json(walk_m), "test.json")));
}

// Three clusters along y = 1000 in one 6 km x 2 km district (310101), a 300 m walk:
//   A at x = 1000: 5 x (100 residents, 30 aged 60+), already served by center "cc-a";
//   B at x = 3000: 5 x (200, 50)  -> 1000 residents, 250 aged 60+;
//   C at x = 5000: 5 x (300, 20)  -> 1500 residents, 100 aged 60+.
// Totals: 3000 residents, 500 aged 60+; before: 500 and 150 covered.
inline DatasetContent three_clusters() {
  DatasetContent c;
  c.info.name = "clusters";
  c.info.title = "Three clusters";
  c.info.version = 1;
  c.info.metric_crs = "EPSG:32651";
  c.districts.push_back(rect_unit("310101", "District one", UnitLevel::district, 0, 0, 6000, 2000));
  // Two streets: the west half and the east half.
  AdminUnit w = rect_unit("310101001", "West street", UnitLevel::street_town, 0, 0, 4000, 2000);
  w.parent_code = "310101";
  w.kind = "urban";
  AdminUnit e = rect_unit("310101002", "East town", UnitLevel::street_town, 4000, 0, 6000, 2000);
  e.parent_code = "310101";
  e.kind = "rural";
  c.streets_towns = {w, e};
  plus_cluster(c, "A", 1000, 1000, 100, 30);
  plus_cluster(c, "B", 3000, 1000, 200, 50);
  plus_cluster(c, "C", 5000, 1000, 300, 20);
  c.facilities.push_back(facility("cc-a", "comprehensive_center", 1000, 1000));
  return c;
}

}  // namespace lifecircle::planning_test
