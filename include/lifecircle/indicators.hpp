// Planning indicators: floor area per 1000 residents (千人指标) for each family, meal capacity
// against the older population, and the rural-town columbarium rule.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lifecircle/coverage.hpp"
#include "lifecircle/dataset.hpp"
#include "lifecircle/distance.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle {

// Residents of a unit: its own population attribute (the census, for districts) when the
// layer has one, else the sum of its demand points. `source` says which.
struct Residents {
  double total = 0;
  std::optional<double> aged_60plus;
  std::string source;  // "attribute" | "demand" | "none"
};

// How much of a summed facility attribute (floor area, meal capacity) a unit's facilities
// report. A value the source does not give is unknown, never zero: sums are of the known values
// only, and a unit with any unknown value is `incomplete`.
struct Completeness {
  std::size_t counted = 0;  // facilities counted in the unit
  std::size_t missing = 0;  // of them, without the value
  bool incomplete() const { return missing > 0; }
  // Facilities counted but none with the value: the unit has no data, not a zero.
  bool no_data() const { return counted > 0 && missing == counted; }
  // Share of counted facilities with the value; none when nothing is counted.
  std::optional<double> share_known() const;
};

struct PerThousandRow {
  // "city" | "district" | "street_town"; "city_complete" for the city without incomplete units.
  std::string level;
  std::string code, name, parent_code;
  double floor_area_m2 = 0;                 // sum of the known floor areas
  std::size_t facilities = 0;               // open facilities of the counted types
  std::size_t facilities_without_area = 0;  // counted, but the layer gives no floor area
  Residents residents;
  // m² per 1000 residents from the known floor areas: a lower bound when the row is incomplete,
  // none when no facility's area is known (no data) or the unit has no residents.
  std::optional<double> per_thousand;
  std::optional<double> target;      // m² per 1000, where the profile has one
  std::optional<double> surplus_m2;  // floor area minus target x residents / 1000 (< 0: deficit);
                                     // none when incomplete
  // When incomplete, true only if the known part already meets the target, else none.
  std::optional<bool> meets_target;
  std::optional<double> ratio_to_city;  // per_thousand / the complete city's; complete rows only
  std::optional<int> rank;              // 1 = highest per_thousand among the complete rows
  Completeness area_known() const { return {facilities, facilities_without_area}; }
};

struct PerThousandResult {
  std::string profile_id;
  Family family = Family::eldercare;
  std::vector<std::string> counted_types;
  bool has_target = false;
  std::string note;
  std::vector<std::string> citations;
  std::vector<PerThousandRow> rows;  // by code
  PerThousandRow city;               // every district, known floor areas only
  // The city without the districts whose facilities lack floor area (level "city_complete"),
  // and those districts' codes: the figure to compare and rank against.
  PerThousandRow city_complete;
  std::vector<std::string> incomplete_districts;
};

// by: district or street (street/town rows need demand attributed to streets or a population
// attribute). `district` filters rows to one district. Throws AnalysisError for bad parameters.
PerThousandResult per_thousand_floor_area(const Dataset& d, const StandardsProfile& profile,
                                          Family family, AggregateBy by,
                                          const std::string& district = {});

struct MealCapacityRow {
  std::string level, code, name;  // level as PerThousandRow's
  std::size_t sites = 0;
  std::size_t sites_without_capacity = 0;
  double meals_per_day = 0;  // sum of the known capacities
  Completeness capacity_known() const { return {sites, sites_without_capacity}; }
  // The rates below use the known capacities: lower bounds when incomplete, none without data;
  // the surplus is none when incomplete.
  std::optional<double> residents_60plus;
  std::optional<double> per_1000_60plus;  // meals/day per 1000 residents aged 60+
  std::optional<double> target_per_1000_60plus;
  std::optional<double> target_meals_per_day;  // target rate x the unit's 60+
  std::optional<double> surplus_meals_per_day;
  std::optional<double> coverage_60plus;  // share of 60+ within the walk of a meal site
  // Network mode: 60+ residents the network cannot reach (farther than the snapping distance),
  // and the coverage share without them.
  std::optional<double> residents_60plus_unsnapped;
  std::optional<double> coverage_60plus_snapped;
};

struct MealCapacityResult {
  std::string profile_id;
  std::vector<std::string> counted_types;
  std::optional<double> city_target_meals_per_day;
  std::optional<int> target_year;
  std::vector<MealCapacityRow> rows;  // districts
  MealCapacityRow city;
  MealCapacityRow city_complete;  // the city without districts whose sites lack a capacity
  std::vector<std::string> incomplete_districts;
  std::vector<std::string> citations;
};

// `meal_coverage` (optional) is a coverage of the meal family by district; it fills
// coverage_60plus.
MealCapacityResult meal_capacity(const Dataset& d, const StandardsProfile& profile,
                                 const CoverageResult* meal_coverage);

struct RuralTownRow {
  std::string code, name, district_code, kind;
  std::size_t columbaria = 0;  // open facilities of the rule's types in the town
  bool meets_rule = false;
  double residents = 0;  // of its demand points
  std::optional<LonLat> centre;
  std::string centre_source;        // "population" | "geometry" | "" (none)
  std::optional<double> nearest_m;  // from the centre, as the distance model measures it
  bool centre_unsnapped = false;    // network mode: the centre is too far from every street
  std::string nearest_id, nearest_name, nearest_district_code;
};

struct ColumbariaResult {
  std::string profile_id;
  std::string mode;
  double detour_factor = 1;  // the profile's, which euclidean mode multiplies by
  std::string detour_source;
  std::optional<double> detour_factor_measured;  // with a walking network loaded
  int min_per_rural_town = 1;
  std::vector<std::string> types;
  std::size_t rural_towns = 0, rural_towns_without = 0;
  std::size_t centres_unsnapped = 0;  // towns whose nearest distance is unknown (network mode)
  std::vector<RuralTownRow> towns;    // every rural town, by code
  std::vector<std::string> citations;
};

ColumbariaResult columbaria(const Dataset& d, const StandardsProfile& profile,
                            const DistanceModel& model, const std::string& district = {});

}  // namespace lifecircle
