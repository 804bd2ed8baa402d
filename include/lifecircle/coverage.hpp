// Coverage: which residents live within the threshold walk of a selected facility, aggregated
// by city, district or street/town; "1+N"; gaps; service-area polygons for display.
// Counts always come from demand points; polygons are for maps. The distance model is injected,
// so the straight-line and walking-network models give their numbers through the same code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lifecircle/dataset.hpp"
#include "lifecircle/distance.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle {

enum class AggregateBy { city, district, street };
std::string_view to_string(AggregateBy b);
std::optional<AggregateBy> parse_aggregate_by(std::string_view s);

// Which facilities serve. `types` empty means every type of `family`; at least one of the two
// must be given. Throws AnalysisError when a type is unknown or not of the family.
struct FacilitySelection {
  std::optional<Family> family;
  std::vector<std::string> types;
  std::vector<Status> statuses{Status::open};
};

struct CoverageRequest {
  FacilitySelection selection;
  std::string profile;  // empty: the table's default profile
  StandardsOverrides overrides;
  AggregateBy by = AggregateBy::district;
  // Restricts the demand (and the reported units) to one district. Facilities of every district
  // still serve it: residents walk across district borders.
  std::string district;
  std::string mode = "euclidean";
  bool area = true;  // compute area coverage (reach of the model); counts do not need it

  // A canonical text of every parameter, for the result cache.
  std::string cache_key() const;
};

// The threshold one facility type was measured against.
struct TypeThreshold {
  std::string type;
  double minutes = 0;
  double speed_m_s = 0;
  double walk_m = 0;    // minutes x 60 x speed: the covered-iff-<= threshold
  double radius_m = 0;  // straight-line equivalent, walk_m / detour (service-area discs)
  std::size_t facilities = 0;
};

struct UnitCoverage {
  std::string level;  // "city" | "district" | "street_town"
  std::string code;   // empty for demand no street/town could be attributed to
  std::string name;
  std::string parent_code;
  std::string kind;
  double residents = 0;
  double residents_60plus = 0;
  double covered = 0;
  double covered_60plus = 0;
  std::optional<double> ratio;         // none when the unit has no residents
  std::optional<double> ratio_60plus;  // none when it has no known 60+ residents
  std::size_t demand_points = 0;
  std::size_t demand_points_covered = 0;
  std::size_t demand_points_without_60plus = 0;
  // Demand the distance model cannot place (network mode: farther than the snapping distance
  // from every street). It stays in `residents` and counts as uncovered in `ratio`; the
  // *_snapped ratios leave it out of the denominator. Both are reported, never one silently.
  std::size_t demand_points_unsnapped = 0;
  double residents_unsnapped = 0;
  double residents_60plus_unsnapped = 0;
  std::optional<double> ratio_snapped;
  std::optional<double> ratio_60plus_snapped;
  std::size_t facilities = 0;  // selected facilities located in the unit
  // Only for units with geometry and when area was asked: the land area where the dataset has
  // a land mask (CoverageResult::area_basis "land"), else the boundary's; covered likewise.
  std::optional<double> area_m2;
  std::optional<double> covered_area_m2;
  std::optional<double> area_ratio;
};

struct CoverageResult {
  std::uint64_t dataset_version = 0;
  std::string dataset_name;
  CoverageRequest request;
  std::string profile_id;
  std::string standards_version;
  std::string mode;
  double detour_factor = 1;   // the profile's (used by euclidean mode and service-area discs)
  std::string detour_source;  // profile | override | measured (StandardsProfile::detour_source)
  // With a walking network loaded: the detour it measures, beside the assumed one.
  std::optional<double> detour_factor_measured;
  std::vector<TypeThreshold> thresholds;
  std::vector<std::size_t> facilities;  // indices into Dataset::facilities() that were selected
  // Per demand point (index into Dataset::population()): walking metres to the nearest selected
  // facility (+inf when none), that facility (index into Dataset::facilities(), -1), covered
  // (inclusive: a resident exactly at the threshold is covered), and in the request's district.
  std::vector<double> distance_m;
  std::vector<std::int32_t> nearest_facility;
  std::vector<std::uint8_t> covered;
  std::vector<std::uint8_t> in_scope;
  // Per demand point: 1 when the distance model could not place it (see UnitCoverage).
  std::vector<std::uint8_t> unsnapped;
  std::optional<double> max_snap_m;  // the model's snapping distance (network mode)
  // What area_m2 measures: "land" (boundary minus the sea, from the dataset's land mask) or
  // "boundary" (the administrative polygon, tidal flats included); empty without area.
  std::string area_basis;
  std::vector<UnitCoverage> units;  // by the request's `by`, in code order
  UnitCoverage total;               // every demand point in scope
  double compute_ms = 0;
};

// Demand points (indices into Dataset::population()) in a request's scope: all of them, or
// those of one district (`district` non-empty).
std::vector<std::size_t> demand_in_scope(const Dataset& d, const std::string& district);

// A coverage table counted from per-demand-point flags: one row per unit of `by` (inside
// `district` when set) in code order, one "(unattributed)" row (empty code) for demand in
// scope that no unit of that level claims, so it still counts, and the total over `scope`,
// named as the city (or the district: level "district"). Ratios are set; areas and facility counts
// are not. Coverage and siting (before and after) both count through this one function.
struct CoverageTable {
  std::vector<UnitCoverage> units;
  UnitCoverage total;
  std::unordered_map<std::string, std::size_t> row_of;  // unit code -> index into units
};
// `unsnapped` (optional, per demand point like `covered`) counts demand the distance model
// could not place apart (UnitCoverage::*_unsnapped, *_snapped ratios).
CoverageTable tabulate_coverage(const Dataset& d, AggregateBy by, const std::string& district,
                                const std::vector<std::size_t>& scope,
                                const std::vector<std::uint8_t>& covered,
                                const std::vector<std::uint8_t>* unsnapped = nullptr);

// Indices into Dataset::facilities() matching the selection, and the types it stands for.
std::vector<std::size_t> select_facilities(const Dataset& d, const FacilitySelection& s,
                                           std::vector<std::string>* types = nullptr);

// `profile` is already resolved (overrides applied); `model` measures walking metres.
// Throws AnalysisError for bad parameters (unknown district, a type without an access rule).
CoverageResult compute_coverage(const Dataset& d, const StandardsProfile& profile,
                                const CoverageRequest& req, const DistanceModel& model);

// "1+N" per street/town and per populated demand point.
struct OnePlusNUnit {
  std::string code, name, district_code, kind;
  std::size_t centers = 0;   // open center-type facilities in the street/town
  std::size_t stations = 0;  // open station-type facilities (the N)
  bool has_center = false;
  double residents = 0, residents_covered = 0;  // by a center within the threshold
  std::size_t cells = 0, cells_covered = 0;
};
struct OnePlusNResult {
  std::string profile_id;
  std::string mode;
  double detour_factor = 1;  // as CoverageResult's
  std::string detour_source;
  std::optional<double> detour_factor_measured;
  std::vector<TypeThreshold> thresholds;
  std::vector<OnePlusNUnit> streets;  // every unit listed, zones included
  // The rule's denominator: 街道/镇/乡 with residents (demand points), and of them with a
  // center. Units without residents and the statistical zones (开发区, 农场) are counted apart.
  std::size_t streets_populated = 0;
  std::size_t streets_with_center = 0;
  std::size_t streets_without_residents = 0;
  std::size_t zones = 0, zones_populated = 0, zones_with_center = 0;
  std::size_t populated_cells = 0, populated_cells_covered = 0;
  double residents = 0, residents_covered = 0;
  double residents_60plus = 0, residents_60plus_covered = 0;
  // Populated demand the distance model could not place (network mode), among the uncovered.
  std::size_t populated_cells_unsnapped = 0;
  double residents_unsnapped = 0, residents_60plus_unsnapped = 0;
  // Populated demand points with no center within the threshold (indices into population()).
  std::vector<std::size_t> cells_without_center;
};
// `center_coverage` is a coverage of the profile's center types (e.g. from compute_coverage).
OnePlusNResult one_plus_n(const Dataset& d, const StandardsProfile& profile,
                          const CoverageResult& center_coverage);

// Uncovered populated demand and a dissolved, simplified polygon layer of it (WGS84).
struct GapCell {
  std::size_t index = 0;  // into Dataset::population()
  std::string id, district_code, street_code;
  double population = 0;
  std::optional<double> population_60plus;
  double distance_m = 0;   // to the nearest selected facility (+inf: none)
  bool unsnapped = false;  // uncovered because the model could not place it (network mode)
  LonLat pos;
};
struct GapsResult {
  std::vector<GapCell> cells;  // by population, largest first
  double population = 0, population_60plus = 0;
  std::size_t cells_unsnapped = 0;
  double population_unsnapped = 0, population_60plus_unsnapped = 0;
  MultiPolygon area;  // WGS84, dissolved and simplified
  double area_m2 = 0;
  double simplify_m = 0;
};
// Point demand without a cell polygon is drawn as a square of `point_cell_m` around it.
GapsResult compute_gaps(const Dataset& d, const CoverageResult& c, double simplify_m = 25,
                        double point_cell_m = 250);

// What the selected facilities of each type reach, clipped to the districts (or the request's
// district), in WGS84, for display: the union of straight-line discs in euclidean mode, of
// bands along the reached streets in network mode (the model's DistanceModel::reach).
struct ServiceArea {
  std::string type;
  std::string mode;  // the distance model's
  double walk_m = 0;
  std::optional<double> radius_m;  // disc radius (walk_m / detour), euclidean mode
  std::optional<double> band_m;    // half-width of the street bands, network mode
  std::size_t facilities = 0;
  MultiPolygon area;
  double area_m2 = 0;
};
// `model` is the one the coverage was computed with.
std::vector<ServiceArea> compute_service_areas(const Dataset& d, const CoverageResult& c,
                                               const DistanceModel& model, double simplify_m = 5);

}  // namespace lifecircle
