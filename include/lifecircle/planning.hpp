// Planning glue: siting new facilities on a dataset, and what-if scenarios over it.
//
// Siting turns a planner's question ("k new comprehensive centers in Pudong covering the most
// uncovered 60+ residents") into a covering instance for lifecircle::siting::solve(): demand
// points of the dataset, candidate sites (a generated grid and/or a supplied list), the coverage
// sets the request's distance model measures (DistanceModel::within), and the demand existing
// open facilities already cover. It answers in planning terms: sites with their district and
// street/town, coverage before and after per district and citywide, and the solver's facts.
//
// Scenarios apply add/remove/move/change edits to a copy of the dataset (the registry itself is
// never touched) and compare coverage and per-thousand indicators before and after.
//
// Requests come from the CLI and the HTTP service alike as JSON; parsing lives here so both
// accept the same documents and report the same field names. Errors are PlanningError values
// with a catalogue code and the offending field.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/dataset.hpp"
#include "lifecircle/siting.hpp"

namespace lifecircle::planning {

// A bad or too large planning request: a code from the error catalogue (invalid_parameter,
// unknown_facility, too_large, target_unreachable, or the solver's own code) and the request
// member at fault (e.g. "k", "candidates.features[3].geometry").
class PlanningError : public Error {
 public:
  using Error::Error;
};

// Work limits of one request, configured by whoever runs the service (defaults suit 2-4 GB).
struct PlanningLimits {
  siting::Limits solver;                      // passed to the solver as is
  std::size_t max_grid_candidates = 200'000;  // refused before the grid is generated
  std::size_t max_supplied_candidates = 50'000;
  std::size_t max_excluded_vertices = 200'000;
  double min_grid_m = 50;            // a finer grid is a bad parameter
  double default_time_limit_s = 30;  // when the request gives none
  double max_time_limit_s = 300;     // a longer request is capped to this, and says so
  std::size_t max_scenario_changes = 1000;
  std::size_t scenario_entries = 64;  // results kept for GET /scenarios/{id}
  // minutes/speed/detour of a request; the configuration's one "overrides" section sets it.
  OverrideBounds overrides;
};

enum class DemandWeight { residents, residents_60plus };

// A supplied candidate site (WGS84).
struct CandidateSite {
  std::string id;
  LonLat pos;
  std::optional<double> cost;      // overrides SitingRequest::site_cost
  std::optional<double> capacity;  // overrides SitingRequest::capacity
};

struct SitingRequest {
  // The type of the new sites (its access rule gives the walk); family is optional and, when
  // given, must match.
  std::optional<Family> family;
  std::string type;
  // Existing open facilities of these types count as already built; empty: `type` alone.
  std::vector<std::string> existing_types;
  std::string profile;  // empty: the standards table's default
  StandardsOverrides overrides;
  std::string mode = "euclidean";
  DemandWeight weight = DemandWeight::residents_60plus;
  std::string district;  // demand in it, candidates inside its polygon; empty: the city

  // Candidates: a grid of this spacing inside the area, the supplied list, or both. With
  // neither, a 500 m grid.
  std::optional<double> grid_m;
  std::vector<CandidateSite> candidates;
  MultiPolygon excluded_areas;  // WGS84; candidates inside are dropped
  // Sites already decided (ArcGIS's "required" facilities, spopt's predefined ones): in every
  // answer, counted towards k and the budget, and the demand they reach counts as covered
  // before the new sites are chosen. Kept wherever they are (area and excluded areas apply
  // to candidates only).
  std::vector<CandidateSite> required;

  siting::Problem problem = siting::Problem::max_coverage;
  std::optional<std::size_t> k;
  std::optional<double> budget;
  double site_cost = 1;            // per new site, unless the candidate says otherwise
  double target_share = 0.9;       // set covering
  std::optional<double> capacity;  // primary weight one new site may serve
  double min_spacing_m = 0;        // from existing facilities and between new sites
  siting::Method method = siting::Method::heuristic;
  bool local_search = true;
  std::optional<double> time_limit_s;  // default and cap from PlanningLimits

  // A canonical text of the request, for hashing.
  nlohmann::json to_json() const;
};

// Parses the JSON body of POST /siting (the CLI builds the same document from its flags).
// Unknown members are errors naming the member.
SitingRequest parse_siting_request(const nlohmann::json& body, const PlanningLimits& limits);
// A GeoJSON FeatureCollection of Point features (WGS84; properties id, cost, capacity optional).
std::vector<CandidateSite> parse_candidates(const nlohmann::json& fc, const std::string& field,
                                            const PlanningLimits& limits);
// Polygon / MultiPolygon geometries, Features or a FeatureCollection of them (WGS84).
MultiPolygon parse_polygons(const nlohmann::json& j, const std::string& field,
                            const PlanningLimits& limits);

// Coverage of one unit before and after, counted on demand points in scope.
struct CoverageChange {
  std::string level;  // "city" | "district"
  std::string code, name;
  double residents = 0, residents_60plus = 0;
  double covered_before = 0, covered_before_60plus = 0;
  double covered_after = 0, covered_after_60plus = 0;
};

struct SitedFacility {
  std::uint32_t rank = 0;
  std::string candidate_id;  // "grid-<n>" or the supplied id
  std::string source;        // "grid" | "supplied" | "required"
  LonLat pos;
  XY xy;
  double new_residents = 0, new_residents_60plus = 0;  // credited by the solver (see siting.hpp)
  double cost = 0;
  std::string district_code, district_name;
  std::string street_code, street_name;
};

struct CandidateFacts {
  std::optional<double> grid_m;
  std::size_t generated = 0;  // grid points inside the area
  std::size_t supplied = 0;
  std::size_t outside_area = 0;      // supplied points outside the district, dropped
  std::size_t in_excluded_area = 0;  // dropped
  std::size_t required = 0;          // decided sites, handed to the solver as such
  std::size_t used = 0;              // handed to the solver, required ones included
};

struct SitingResult {
  std::string dataset_name;
  std::uint64_t dataset_version = 0;
  std::string profile_id, standards_version, mode;
  SitingRequest request;
  double walk_m = 0;  // the new type's threshold walk
  double detour = 1;  // the profile's (euclidean mode)
  double time_limit_s = 0;
  bool time_limit_capped = false;
  std::size_t existing_facilities = 0;
  std::size_t demand_points = 0;
  CandidateFacts candidates;
  std::vector<SitedFacility> sites;  // rank order
  std::vector<CoverageChange> districts;
  CoverageChange city;  // the whole scope (the district when filtered)
  // Capacitated runs: the weight new sites actually serve (the solver's), while covered_after
  // above counts everyone within reach of a site.
  std::optional<double> served_new_weight;
  double objective = 0, total_cost = 0;
  bool target_reached = true;
  siting::SolverFacts solver;
  double prepare_ms = 0;  // candidates, coverage sets, existing coverage
};

// Runs one siting request. Throws PlanningError (bad request, too large, infeasible) and
// AnalysisError (unknown profile, district, type or mode), both naming the field.
SitingResult run_siting(const Dataset& d, const Analyzer& analyzer, const SitingRequest& req,
                        const PlanningLimits& limits, const std::atomic<bool>* cancel = nullptr);

nlohmann::json to_json(const SitingResult& r);
// The chosen sites alone, as a GeoJSON FeatureCollection of points.
nlohmann::json sites_geojson(const SitingResult& r);

// ---- What-if scenarios ----

struct ScenarioChange {
  enum class Kind { add, remove, move, change };
  Kind kind = Kind::add;
  std::string id;             // remove / move / change: an existing facility; add: the new id
  Facility facility;          // add: the new facility (pos set; xy and codes filled on apply)
  std::optional<LonLat> pos;  // move
  std::optional<double> floor_area_m2, meal_capacity_per_day, beds;  // change
  std::optional<Status> status;                                      // change
};

struct ScenarioRequest {
  std::vector<ScenarioChange> changes;
  // Coverage of this family / these types; neither: every family with all its types.
  std::optional<Family> family;
  std::vector<std::string> types;
  std::string profile;
  StandardsOverrides overrides;
  std::string mode = "euclidean";
  std::string district;  // restricts the reported rows; facilities everywhere still serve
};

// Parses the body of POST /scenarios; a bare array is taken as the list of changes.
ScenarioRequest parse_scenario_request(const nlohmann::json& body, const PlanningLimits& limits);

// A copy of `d` with the changes applied, as a new Dataset. New and moved facilities get their
// metric position and, when not given, their district and street/town from the polygons.
// Throws PlanningError naming the change ("changes[2].id") for an unknown or duplicate id.
std::shared_ptr<const Dataset> apply_changes(const Dataset& d,
                                             const std::vector<ScenarioChange>& changes);

// Runs a scenario: returns the JSON answer (coverage and per-thousand before/after/delta).
nlohmann::json run_scenario(const Dataset& d, const Analyzer& analyzer, const ScenarioRequest& req);

// Stable id of a scenario on one dataset version: a hash of dataset name, version and body.
std::string scenario_id(const Dataset& d, const nlohmann::json& canonical_body);

// Scenario results by id, kept while the dataset version they were computed on is current.
// Thread-safe; least recently used entries go first.
class ScenarioStore {
 public:
  explicit ScenarioStore(std::size_t capacity) : capacity_(capacity) {}
  void put(const std::string& id, const std::string& dataset_name, std::uint64_t version,
           std::shared_ptr<const nlohmann::json> result);
  // nullptr when unknown, or when `current` is not the dataset version it was computed on.
  std::shared_ptr<const nlohmann::json> get(const std::string& id, const Dataset& current);
  std::size_t size() const;

 private:
  struct Entry {
    std::string id, dataset_name;
    std::uint64_t version = 0;
    std::shared_ptr<const nlohmann::json> result;
  };
  mutable std::mutex mu_;
  std::size_t capacity_;
  std::list<Entry> lru_;
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace lifecircle::planning
