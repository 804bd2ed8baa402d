// Plain value types shared by every layer: coordinates, geometries and the registry records.
// They carry no GDAL/GEOS/PROJ handles so that every module can include them cheaply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifecircle {

// WGS84 longitude/latitude in degrees, always longitude first.
struct LonLat {
  double lon = 0;
  double lat = 0;
};

// A position in the dataset's metric CRS (metres; EPSG:32651 by default).
struct XY {
  double x = 0;
  double y = 0;
};

struct BBox {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  bool contains(double x, double y) const {
    return x >= min_x && x <= max_x && y >= min_y && y <= max_y;
  }
  bool intersects(const BBox& o) const {
    return !(o.min_x > max_x || o.max_x < min_x || o.min_y > max_y || o.max_y < min_y);
  }
};

// Polygon with its outer ring first and holes after; rings are closed (first == last).
template <class P>
struct PolygonT {
  std::vector<std::vector<P>> rings;
};
using Polygon = PolygonT<LonLat>;
using PolygonXY = PolygonT<XY>;
using MultiPolygon = std::vector<Polygon>;
using MultiPolygonXY = std::vector<PolygonXY>;

enum class Family { eldercare, meal, columbarium };
enum class Status { open, planned, closed };

std::string_view to_string(Family f);
std::string_view to_string(Status s);
std::optional<Family> parse_family(std::string_view s);
std::optional<Status> parse_status(std::string_view s);

// The facility types known within each family. Types are data in the standards table too;
// this list is what the loader accepts.
struct FacilityTypeInfo {
  std::string_view type;  // stable identifier, e.g. "comprehensive_center"
  Family family;
  std::string_view name_zh;  // e.g. 社区综合为老服务中心
  std::string_view name_en;
};
const std::vector<FacilityTypeInfo>& facility_types();
const FacilityTypeInfo* find_facility_type(std::string_view type);

struct Facility {
  std::string id;
  std::string name;
  Family family = Family::eldercare;
  std::string type;
  Status status = Status::open;
  std::optional<double> floor_area_m2;
  std::optional<double> beds;
  std::optional<double> meal_capacity_per_day;
  std::string district_code;
  std::string street_code;
  std::string address;
  std::string source;
  LonLat pos;  // WGS84
  XY xy;       // metric CRS
};

enum class UnitLevel { district, street_town, committee };

// District, street/town or committee. Streets/towns and committees may have no geometry.
struct AdminUnit {
  std::string code;
  std::string name;
  std::string parent_code;
  UnitLevel level = UnitLevel::district;
  // "urban" (街道, 居委会), "rural" (镇, 乡, 村委会), or "zone" (开发区, 农场 statistical zones);
  // empty for districts.
  std::string kind;
  std::optional<double> population;
  std::optional<double> population_60plus;
  std::string source;
  MultiPolygon geometry;       // WGS84; empty when the unit has none
  MultiPolygonXY geometry_xy;  // the same in the metric CRS
  double area_m2 = 0;          // planar area in the metric CRS, 0 without geometry
};

// A unit of demand: a population cell (polygon) or point, represented for analysis by a point.
struct PopulationCell {
  std::string id;
  double population = 0;
  std::optional<double> population_60plus;
  std::string district_code;  // attributed on load when the source does not say
  std::string street_code;    // empty where demand cannot be attributed to a street/town
  std::string source;
  LonLat pos;             // representative point, WGS84
  XY xy;                  // representative point, metric
  MultiPolygon geometry;  // the cell polygon in WGS84; empty for point demand
};

// One row of the plan's indicator table (non-spatial).
struct PlanIndicator {
  std::string id;
  std::string name_zh;
  std::string name_en;
  std::string unit;
  std::string kind;  // binding | expected
  std::string definition_zh;
  std::optional<double> baseline_2020;
  std::optional<double> target_2025;
  std::string target_op;
  std::optional<double> latest_value;
  std::optional<int> latest_year;
  std::string latest_note;
  std::string source;
};

}  // namespace lifecircle
