// Siting on a dataset: demand, candidates and coverage sets from the dataset and the distance
// model, the solve, and the answer in planning terms.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

#include "lifecircle/coverage.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/planning.hpp"

namespace lifecircle::planning {
namespace {

using nlohmann::json;

constexpr double kPi = 3.14159265358979323846;

// One area part with its bounding box, so most points skip the ring walk.
struct AreaPart {
  MultiPolygonXY geom;
  BBox box;
};

std::vector<AreaPart> parts_of(const std::vector<const AdminUnit*>& units) {
  std::vector<AreaPart> out;
  for (const AdminUnit* u : units)
    for (const PolygonXY& p : u->geometry_xy) {
      AreaPart a;
      a.geom = {p};
      a.box = bbox_of(a.geom);
      out.push_back(std::move(a));
    }
  return out;
}

bool inside(const std::vector<AreaPart>& parts, XY p) {
  for (const AreaPart& a : parts)
    if (a.box.contains(p.x, p.y) && contains(a.geom, p)) return true;
  return false;
}

// The solver names its own fields; the request's names are what a client can fix.
std::string request_field(const std::string& f) {
  if (f == "max_sites") return "k";
  if (f == "target_share") return "target";
  if (f == "site_capacity") return "capacity";
  if (f == "site_cost") return "site_cost";
  return f;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

json change_json(const CoverageChange& c) {
  auto ratio = [](double a, double b) { return b > 0 ? json(a / b) : json(); };
  return {{"level", c.level},
          {"code", c.code},
          {"name", c.name},
          {"residents", c.residents},
          {"residents_60plus", c.residents_60plus},
          {"covered_before", c.covered_before},
          {"covered_after", c.covered_after},
          {"newly_covered", c.covered_after - c.covered_before},
          {"covered_before_60plus", c.covered_before_60plus},
          {"covered_after_60plus", c.covered_after_60plus},
          {"newly_covered_60plus", c.covered_after_60plus - c.covered_before_60plus},
          {"ratio_before", ratio(c.covered_before, c.residents)},
          {"ratio_after", ratio(c.covered_after, c.residents)},
          {"ratio_before_60plus", ratio(c.covered_before_60plus, c.residents_60plus)},
          {"ratio_after_60plus", ratio(c.covered_after_60plus, c.residents_60plus)}};
}

}  // namespace

namespace {

struct Cand {
  std::string id, source;
  LonLat pos;
  XY xy;
  std::optional<double> cost, capacity;
};

// What every step after the first measures against: the resolved rule, area and demand.
struct SitingSetup {
  StandardsProfile profile;
  const AdminUnit* district = nullptr;
  std::shared_ptr<const DistanceModel> model;
  std::vector<std::size_t> scope;  // demand in scope, indices into Dataset::population()
  std::vector<XY> demand;          // their positions, in scope order
  std::vector<AreaPart> area;      // the district, or every district
};

// The new type, its rule, the district, the distance model, the time limit and the demand.
SitingSetup resolve(const Dataset& d, const Analyzer& analyzer, const SitingRequest& req,
                    const PlanningLimits& limits, SitingResult& res) {
  SitingSetup s;
  const FacilityTypeInfo* info = find_facility_type(req.type);
  if (!info)
    throw PlanningError(ErrorCode::unknown_type, "type",
                        "unknown facility type '" + req.type + "'");
  if (req.family && info->family != *req.family)
    throw PlanningError(
        ErrorCode::type_not_in_family, "type",
        "type '" + req.type + "' is not of family " + std::string(to_string(*req.family)));
  s.profile = analyzer.profile(req.profile, req.overrides);
  res.profile_id = s.profile.id;
  res.detour = s.profile.detour_factor;
  const auto rule = s.profile.access.find(req.type);
  if (rule == s.profile.access.end())
    throw PlanningError(ErrorCode::no_access_rule, "type",
                        "profile '" + s.profile.id + "' has no access rule for '" + req.type + "'");
  res.walk_m = rule->second.walk_m();
  if (!req.district.empty()) {
    s.district = d.district(req.district);
    if (!s.district)
      throw PlanningError(ErrorCode::unknown_district, "district",
                          "no district '" + req.district + "'");
  }
  s.model = analyzer.model(d, s.profile, req.mode);
  res.mode = std::string(s.model->mode());
  const double requested = req.time_limit_s.value_or(limits.default_time_limit_s);
  res.time_limit_s = std::min(requested, limits.max_time_limit_s);
  res.time_limit_capped = requested > limits.max_time_limit_s;

  s.scope = demand_in_scope(d, req.district);
  if (s.scope.size() > limits.solver.max_demand)
    throw PlanningError(ErrorCode::too_large, "district",
                        std::to_string(s.scope.size()) + " demand points exceed the limit of " +
                            std::to_string(limits.solver.max_demand));
  for (std::size_t i : s.scope) s.demand.push_back(d.population()[i].xy);
  res.demand_points = s.scope.size();
  std::vector<const AdminUnit*> area_units;
  if (s.district)
    area_units.push_back(s.district);
  else
    for (const auto& u : d.districts()) area_units.push_back(&u);
  s.area = parts_of(area_units);
  return s;
}

// The objective weight and its companion per demand point.
void weigh_demand(const Dataset& d, const SitingRequest& req, const SitingSetup& s,
                  siting::Instance& in) {
  const bool by_aged = req.weight == DemandWeight::residents_60plus;
  in.weight.resize(s.scope.size());
  in.weight2.resize(s.scope.size());
  for (std::size_t k = 0; k < s.scope.size(); ++k) {
    const PopulationCell& p = d.population()[s.scope[k]];
    const double all = p.population, aged = p.population_60plus.value_or(0);
    in.weight[k] = by_aged ? aged : all;
    in.weight2[k] = by_aged ? all : aged;
  }
}

// Existing open facilities of the selected types, each within its own type's walk; they
// serve across district borders, so all of them count.
void cover_existing(const Dataset& d, const SitingRequest& req, const SitingSetup& s,
                    siting::Instance& in, SitingResult& res) {
  FacilitySelection existing;
  existing.types =
      req.existing_types.empty() ? std::vector<std::string>{req.type} : req.existing_types;
  const std::vector<std::size_t> existing_idx = select_facilities(d, existing);
  res.existing_facilities = existing_idx.size();
  std::map<double, std::vector<XY>> by_walk;
  for (std::size_t fi : existing_idx) {
    const Facility& f = d.facilities()[fi];
    const auto r = s.profile.access.find(f.type);
    if (r == s.profile.access.end())
      throw PlanningError(ErrorCode::no_access_rule, "existing_types",
                          "profile '" + s.profile.id + "' has no access rule for '" + f.type + "'");
    by_walk[r->second.walk_m()].push_back(f.xy);
    in.existing_xy.push_back(f.xy);
  }
  std::vector<std::vector<std::uint32_t>> lists;
  for (const auto& [walk, xy] : by_walk)
    for (auto& l : s.model->within(s.demand, xy, walk)) lists.push_back(std::move(l));
  in.already_covered = siting::mark_covered(s.demand.size(), lists);
}

// Refuses a grid that would make too many candidates from the area alone, before a single
// point is made, so a 1 m grid cannot exhaust memory; returns the box to fill.
BBox grid_box(const SitingSetup& s, double grid, const PlanningLimits& limits) {
  BBox box{1e300, 1e300, -1e300, -1e300};
  double area_m2 = 0;
  for (const AreaPart& a : s.area) {
    box.min_x = std::min(box.min_x, a.box.min_x), box.min_y = std::min(box.min_y, a.box.min_y);
    box.max_x = std::max(box.max_x, a.box.max_x), box.max_y = std::max(box.max_y, a.box.max_y);
    area_m2 += area_of(a.geom);
  }
  if (s.area.empty()) {  // no polygons: the demand's extent
    for (const XY& p : s.demand) {
      box.min_x = std::min(box.min_x, p.x), box.min_y = std::min(box.min_y, p.y);
      box.max_x = std::max(box.max_x, p.x), box.max_y = std::max(box.max_y, p.y);
    }
    area_m2 = s.demand.empty() ? 0 : (box.max_x - box.min_x) * (box.max_y - box.min_y);
  }
  const double expected = area_m2 / (grid * grid);
  const double cells = s.demand.empty() && s.area.empty()
                           ? 0
                           : std::ceil((box.max_x - box.min_x) / grid + 1) *
                                 std::ceil((box.max_y - box.min_y) / grid + 1);
  if (expected > static_cast<double>(limits.max_grid_candidates) ||
      cells > 20.0 * static_cast<double>(limits.max_grid_candidates))
    throw PlanningError(ErrorCode::too_large, "grid_m",
                        "a " + std::to_string(grid) + " m grid makes about " +
                            std::to_string(static_cast<long long>(expected)) +
                            " candidates; the limit is " +
                            std::to_string(limits.max_grid_candidates));
  return box;
}

// Cell centres of a grid anchored at the area's corner, inside the area.
void add_grid(const SitingSetup& s, double grid, const PlanningLimits& limits,
              const MetricProjection& proj, std::vector<Cand>& cands) {
  if (s.demand.empty() && s.area.empty()) return;
  const BBox box = grid_box(s, grid, limits);
  std::size_t n = 0;
  for (double y = box.min_y + grid / 2; y <= box.max_y; y += grid)
    for (double x = box.min_x + grid / 2; x <= box.max_x; x += grid) {
      const XY p{x, y};
      if (!s.area.empty() && !inside(s.area, p)) continue;
      cands.push_back({"grid-" + std::to_string(++n), "grid", proj.inverse(p), p, {}, {}});
    }
}

Cand candidate_of(const CandidateSite& site, const char* source, const MetricProjection& proj) {
  return {site.id, source, site.pos, proj.forward(site.pos), site.cost, site.capacity};
}

// The grid, the supplied sites inside the area and outside excluded areas, then the required
// sites (decided, so kept wherever they are). Returns the index of the first required one.
std::size_t gather_candidates(const Dataset& d, const SitingRequest& req,
                              const PlanningLimits& limits, const SitingSetup& s,
                              std::vector<Cand>& cands, SitingResult& res) {
  const MetricProjection proj(d.info().metric_crs);
  std::optional<double> grid = req.grid_m;
  if (!grid && req.candidates.empty()) grid = 500;
  res.candidates.grid_m = grid;
  if (grid) {
    if (*grid < limits.min_grid_m)
      throw PlanningError(ErrorCode::invalid_parameter, "grid_m",
                          "grid_m must be at least " + std::to_string(limits.min_grid_m) + " m");
    add_grid(s, *grid, limits, proj, cands);
    res.candidates.generated = cands.size();
  }
  res.candidates.supplied = req.candidates.size();
  for (const CandidateSite& c : req.candidates) {
    if (s.district && !contains(s.district->geometry, c.pos))
      ++res.candidates.outside_area;
    else
      cands.push_back(candidate_of(c, "supplied", proj));
  }
  if (!req.excluded_areas.empty()) {
    const BBox ex = bbox_of(req.excluded_areas);
    auto excluded = [&](const Cand& c) {
      return ex.contains(c.pos.lon, c.pos.lat) && contains(req.excluded_areas, c.pos);
    };
    const auto kept = std::remove_if(cands.begin(), cands.end(), excluded);
    res.candidates.in_excluded_area = static_cast<std::size_t>(cands.end() - kept);
    cands.erase(kept, cands.end());
  }
  const std::size_t first_required = cands.size();
  for (const CandidateSite& c : req.required) cands.push_back(candidate_of(c, "required", proj));
  res.candidates.required = req.required.size();
  res.candidates.used = cands.size();
  if (cands.size() > limits.solver.max_candidates)
    throw PlanningError(ErrorCode::too_large, "candidates",
                        std::to_string(cands.size()) + " candidates exceed the limit of " +
                            std::to_string(limits.solver.max_candidates));
  if (cands.empty())
    throw PlanningError(ErrorCode::no_candidates, "candidates",
                        "no candidate site is left inside the area (after excluded areas)");
  return first_required;
}

// Coverage sets of the candidates, guarded before and after they are measured: first by a
// density estimate (the demand within reach of one site, from the share of the area its disc
// takes), then by the exact count.
void cover_candidates(const SitingRequest& req, const PlanningLimits& limits, const SitingSetup& s,
                      const std::vector<Cand>& cands, double walk_m, siting::Instance& in) {
  double area_m2 = 0;
  for (const AreaPart& a : s.area) area_m2 += area_of(a.geom);
  const double r = walk_m / std::max(1.0, s.profile.detour_factor);
  const double share = area_m2 > 0 ? std::min(1.0, kPi * r * r / area_m2) : 1.0;
  const double est =
      static_cast<double>(cands.size()) * static_cast<double>(s.demand.size()) * share;
  if (est > 4.0 * static_cast<double>(limits.solver.max_nonzeros))
    throw PlanningError(ErrorCode::too_large, "candidates",
                        "about " + std::to_string(static_cast<long long>(est)) +
                            " candidate-demand pairs; the limit is " +
                            std::to_string(limits.solver.max_nonzeros));
  for (const Cand& c : cands) in.site_xy.push_back(c.xy);
  const auto lists = s.model->within(s.demand, in.site_xy, walk_m);
  std::size_t nnz = 0;
  for (const auto& l : lists) nnz += l.size();
  if (nnz > limits.solver.max_nonzeros)
    throw PlanningError(ErrorCode::too_large, "candidates",
                        std::to_string(nnz) + " candidate-demand pairs exceed the limit of " +
                            std::to_string(limits.solver.max_nonzeros));
  in.candidates = siting::CoverageSets::from_lists(lists);
  const bool costed = req.site_cost != 1 ||
                      std::any_of(cands.begin(), cands.end(), [](const Cand& c) { return c.cost; });
  if (costed)
    for (const Cand& c : cands) in.site_cost.push_back(c.cost.value_or(req.site_cost));
  const bool capacitated = req.capacity || std::any_of(cands.begin(), cands.end(),
                                                       [](const Cand& c) { return c.capacity; });
  if (capacitated)
    for (const Cand& c : cands)
      in.site_capacity.push_back(
          c.capacity.value_or(req.capacity.value_or(std::numeric_limits<double>::infinity())));
}

siting::Request solver_request(const SitingRequest& req, const PlanningLimits& limits,
                               const SitingResult& res, std::size_t first_required,
                               std::size_t used, const std::atomic<bool>* cancel) {
  siting::Request rq;
  rq.problem = req.problem;
  rq.max_sites = req.k;
  rq.budget = req.budget;
  rq.target_share = req.target_share;
  rq.min_spacing_m = req.min_spacing_m;
  for (std::size_t j = first_required; j < used; ++j)
    rq.required.push_back(static_cast<std::uint32_t>(j));
  rq.method = req.method;
  rq.local_search = req.local_search;
  rq.time_limit_s = res.time_limit_s;
  rq.cancel = cancel;
  rq.limits = limits.solver;
  rq.limits.max_time_limit_s = std::max(rq.limits.max_time_limit_s, res.time_limit_s);
  return rq;
}

// The chosen sites in planning terms, with their district and street/town.
void report_sites(const Dataset& d, const SitingRequest& req, const std::vector<Cand>& cands,
                  const siting::Solution& sol, SitingResult& res) {
  const bool by_aged = req.weight == DemandWeight::residents_60plus;
  for (const siting::ChosenSite& s : sol.sites) {
    const Cand& c = cands[s.site];
    SitedFacility f;
    f.rank = s.rank;
    f.candidate_id = c.id;
    f.source = c.source;
    f.pos = c.pos;
    f.xy = c.xy;
    f.new_residents = by_aged ? s.new_weight2 : s.new_weight;
    f.new_residents_60plus = by_aged ? s.new_weight : s.new_weight2;
    f.cost = s.cost;
    if (const AdminUnit* u = d.district_at(c.pos))
      f.district_code = u->code, f.district_name = u->name;
    if (const AdminUnit* u = d.street_town_at(c.pos))
      f.street_code = u->code, f.street_name = u->name;
    res.sites.push_back(std::move(f));
  }
}

CoverageChange change_of(const UnitCoverage& before, const UnitCoverage& after) {
  CoverageChange c;
  c.level = before.level;
  c.code = before.code;
  c.name = before.name;
  c.residents = before.residents;
  c.residents_60plus = before.residents_60plus;
  c.covered_before = before.covered;
  c.covered_before_60plus = before.covered_60plus;
  c.covered_after = after.covered;
  c.covered_after_60plus = after.covered_60plus;
  return c;
}

// Coverage before and after per district and in total, counted by coverage's own table (so
// demand no district claims gets the same "(unattributed)" row): after is everyone within
// reach of an existing, required or chosen site.
void report_coverage(const Dataset& d, const SitingRequest& req, const SitingSetup& s,
                     const siting::Instance& in, const siting::Solution& sol, SitingResult& res) {
  const std::size_t n = d.population().size();
  std::vector<std::uint8_t> before(n, 0), after(n, 0);
  for (std::size_t k = 0; k < s.scope.size(); ++k) before[s.scope[k]] = in.already_covered[k];
  after = before;
  for (const siting::ChosenSite& site : sol.sites)
    for (std::uint32_t k : in.candidates.site(site.site)) after[s.scope[k]] = 1;
  const CoverageTable b =
      tabulate_coverage(d, AggregateBy::district, req.district, s.scope, before);
  const CoverageTable a = tabulate_coverage(d, AggregateBy::district, req.district, s.scope, after);
  res.city = change_of(b.total, a.total);
  for (std::size_t u = 0; u < b.units.size(); ++u)
    res.districts.push_back(change_of(b.units[u], a.units[u]));
}

}  // namespace

SitingResult run_siting(const Dataset& d, const Analyzer& analyzer, const SitingRequest& req,
                        const PlanningLimits& limits, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  SitingResult res;
  res.dataset_name = d.info().name;
  res.dataset_version = d.version();
  res.request = req;
  res.standards_version = analyzer.standards().version();

  const SitingSetup setup = resolve(d, analyzer, req, limits, res);
  siting::Instance in;
  weigh_demand(d, req, setup, in);
  cover_existing(d, req, setup, in, res);
  std::vector<Cand> cands;
  const std::size_t first_required = gather_candidates(d, req, limits, setup, cands, res);
  cover_candidates(req, limits, setup, cands, res.walk_m, in);
  res.prepare_ms = ms_since(t0);

  siting::Request rq = solver_request(req, limits, res, first_required, cands.size(), cancel);
  // The limit is the client's wait: preparation already spent part of it.
  rq.time_limit_s = std::max(1e-3, res.time_limit_s - res.prepare_ms / 1000);
  const siting::Result sr = siting::solve(in, rq);
  if (!sr.ok()) {
    const siting::Error& e = *sr.error;
    throw PlanningError(e.code, request_field(e.field), e.message);
  }
  const siting::Solution& sol = *sr.solution;
  res.solver = sol.facts;
  res.objective = sol.objective;
  res.total_cost = sol.total_cost;
  res.target_reached = sol.target_reached;
  if (!in.site_capacity.empty()) res.served_new_weight = sol.objective;
  report_sites(d, req, cands, sol, res);
  report_coverage(d, req, setup, in, sol, res);
  return res;
}

json sites_geojson(const SitingResult& r) {
  json features = json::array();
  for (const SitedFacility& s : r.sites)
    features.push_back(
        {{"type", "Feature"},
         {"id", s.rank},
         {"geometry", {{"type", "Point"}, {"coordinates", {s.pos.lon, s.pos.lat}}}},
         {"properties",
          {{"rank", s.rank},
           {"candidate_id", s.candidate_id},
           {"source", s.source},
           {"required", s.source == "required"},
           {"type", r.request.type},
           {"new_residents", s.new_residents},
           {"new_residents_60plus", s.new_residents_60plus},
           {"cost", s.cost},
           {"district_code", s.district_code.empty() ? json() : json(s.district_code)},
           {"district_name", s.district_name.empty() ? json() : json(s.district_name)},
           {"street_code", s.street_code.empty() ? json() : json(s.street_code)},
           {"street_name", s.street_name.empty() ? json() : json(s.street_name)},
           {"x", s.xy.x},
           {"y", s.xy.y}}}});
  return {{"type", "FeatureCollection"}, {"features", features}};
}

json to_json(const SitingResult& r) {
  const siting::SolverFacts& f = r.solver;
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(); };
  json districts = json::array();
  for (const auto& c : r.districts) districts.push_back(change_json(c));
  const bool by_aged = r.request.weight == DemandWeight::residents_60plus;
  return {{"dataset", {{"name", r.dataset_name}, {"version", r.dataset_version}}},
          {"profile", r.profile_id},
          {"standards_version", r.standards_version},
          {"mode", r.mode},
          {"request", r.request.to_json()},
          {"type", r.request.type},
          {"weight", by_aged ? "60plus" : "residents"},
          {"walk_m", r.walk_m},
          {"radius_m", r.mode == "euclidean" ? json(r.walk_m / r.detour) : json()},
          {"detour_factor", r.detour},
          {"existing_facilities", r.existing_facilities},
          {"demand_points", r.demand_points},
          {"candidates",
           {{"grid_m", opt(r.candidates.grid_m)},
            {"generated", r.candidates.generated},
            {"supplied", r.candidates.supplied},
            {"outside_area", r.candidates.outside_area},
            {"in_excluded_area", r.candidates.in_excluded_area},
            {"required", r.candidates.required},
            {"used", r.candidates.used}}},
          {"sites", sites_geojson(r)},
          {"objective", r.objective},
          {"objective_weight", by_aged ? "residents_60plus" : "residents"},
          {"total_cost", r.total_cost},
          {"target_reached", r.target_reached},
          {"served_new_weight", opt(r.served_new_weight)},
          {"coverage", {{"city", change_json(r.city)}, {"districts", districts}}},
          {"solver",
           {{"method", f.method},
            {"time_ms", f.time_ms},
            {"prepare_ms", r.prepare_ms},
            {"time_limit_s", r.time_limit_s},
            {"time_limit_capped", r.time_limit_capped},
            {"iterations", f.iterations},
            {"swaps", f.swaps},
            {"stopped", f.stopped},
            {"bound", opt(f.bound)},
            {"gap", opt(f.gap)},
            {"optimal", f.optimal},
            {"heuristic_objective", opt(f.heuristic_objective)},
            {"warm_start_used", f.warm_start_used},
            {"demand_groups", f.demand_groups},
            {"eligible_sites", f.eligible_sites},
            {"reduced_nonzeros", f.reduced_nonzeros}}}};
}

}  // namespace lifecircle::planning
