// The registry records every layer shares: facilities, administrative units, demand and plan
// indicators. They carry no GDAL/GEOS/PROJ handles so that every module can include them cheaply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecircle/coords.hpp"

namespace lifecircle {

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

enum class UnitLevel { city, district, street_town, committee };

// The city, a district, street/town or committee. Streets/towns and committees may have no
// geometry; the city has none of its own (its districts are its parts).
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
  // Districts: the land within the boundary (the boundary minus the sea: estuary, tidal flats,
  // shoals), when the manifest has a district_land layer. Area ratios divide by it.
  MultiPolygonXY land_xy;
  std::optional<double> land_area_m2;
};

// Urban or rural, one rule for the loader and the dataset build. 街道 are urban. A 镇 or 乡 is
// rural when it has a villagers' committee (村委会), and urban when every committee it has is a
// residents' committee: an urbanised town such as 华泾镇 (Xuhui). `has_villages` unknown (no
// committee registry) counts as rural. Anything else (开发区, 工业区, 农场) is a statistical zone.
std::string street_town_kind(std::string_view name, std::optional<bool> has_villages);
// 村委会 / 村民委员会 and the farms' virtual living areas (…生活区) are rural, the rest urban.
std::string committee_kind(std::string_view name);

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
