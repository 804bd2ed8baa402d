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

SitingResult run_siting(const Dataset& d, const Analyzer& analyzer, const SitingRequest& req,
                        const PlanningLimits& limits, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  SitingResult res;
  res.dataset_name = d.info().name;
  res.dataset_version = d.version();
  res.request = req;
  res.standards_version = analyzer.standards().version();

  // What is being sited, and against which rule.
  const FacilityTypeInfo* info = find_facility_type(req.type);
  if (!info)
    throw PlanningError("unknown_type", "type", "unknown facility type '" + req.type + "'");
  if (req.family && info->family != *req.family)
    throw PlanningError(
        "type_not_in_family", "type",
        "type '" + req.type + "' is not of family " + std::string(to_string(*req.family)));
  const StandardsProfile profile = analyzer.profile(req.profile, req.overrides);
  res.profile_id = profile.id;
  res.detour = profile.detour_factor;
  const auto rule = profile.access.find(req.type);
  if (rule == profile.access.end())
    throw PlanningError("no_access_rule", "type",
                        "profile '" + profile.id + "' has no access rule for '" + req.type + "'");
  res.walk_m = rule->second.walk_m();
  const AdminUnit* district = nullptr;
  if (!req.district.empty()) {
    district = d.district(req.district);
    if (!district)
      throw PlanningError("unknown_district", "district", "no district '" + req.district + "'");
  }
  const auto model = analyzer.model(d, profile, req.mode);
  res.mode = std::string(model->mode());

  const double requested = req.time_limit_s.value_or(limits.default_time_limit_s);
  res.time_limit_s = std::min(requested, limits.max_time_limit_s);
  res.time_limit_capped = requested > limits.max_time_limit_s;

  // Demand in scope.
  const auto& pop = d.population();
  std::vector<std::size_t> scope;
  std::vector<XY> demand;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (district && pop[i].district_code != req.district) continue;
    scope.push_back(i);
    demand.push_back(pop[i].xy);
  }
  if (scope.size() > limits.solver.max_demand)
    throw PlanningError("too_large", "district",
                        std::to_string(scope.size()) + " demand points exceed the limit of " +
                            std::to_string(limits.solver.max_demand),
                        413);
  res.demand_points = scope.size();
  siting::Instance in;
  in.weight.resize(scope.size());
  in.weight2.resize(scope.size());
  for (std::size_t k = 0; k < scope.size(); ++k) {
    const double all = pop[scope[k]].population;
    const double aged = pop[scope[k]].population_60plus.value_or(0);
    const bool by_aged = req.weight == DemandWeight::residents_60plus;
    in.weight[k] = by_aged ? aged : all;
    in.weight2[k] = by_aged ? all : aged;
  }

  // Existing open facilities of the selected types, each within its own type's walk; they
  // serve across district borders, so all of them count.
  FacilitySelection existing;
  existing.types =
      req.existing_types.empty() ? std::vector<std::string>{req.type} : req.existing_types;
  std::vector<std::string> existing_types;
  const std::vector<std::size_t> existing_idx = select_facilities(d, existing, &existing_types);
  res.existing_facilities = existing_idx.size();
  std::map<double, std::vector<XY>> by_walk;
  for (std::size_t fi : existing_idx) {
    const Facility& f = d.facilities()[fi];
    const auto r = profile.access.find(f.type);
    if (r == profile.access.end())
      throw PlanningError("no_access_rule", "existing_types",
                          "profile '" + profile.id + "' has no access rule for '" + f.type + "'");
    by_walk[r->second.walk_m()].push_back(f.xy);
    in.existing_xy.push_back(f.xy);
  }
  std::vector<std::vector<std::uint32_t>> existing_lists;
  for (const auto& [walk, xy] : by_walk) {
    auto lists = model->within(demand, xy, walk);
    for (auto& l : lists) existing_lists.push_back(std::move(l));
  }
  in.already_covered = siting::mark_covered(demand.size(), existing_lists);
  existing_lists.clear();
  existing_lists.shrink_to_fit();

  // Candidates: the grid inside the area, then the supplied ones.
  std::vector<const AdminUnit*> area_units;
  if (district)
    area_units.push_back(district);
  else
    for (const auto& u : d.districts()) area_units.push_back(&u);
  const std::vector<AreaPart> area = parts_of(area_units);
  const MetricProjection proj(d.info().metric_crs);

  struct Cand {
    std::string id, source;
    LonLat pos;
    XY xy;
    std::optional<double> cost, capacity;
  };
  std::vector<Cand> cands;
  std::optional<double> grid = req.grid_m;
  if (!grid && req.candidates.empty()) grid = 500;
  res.candidates.grid_m = grid;
  if (grid) {
    if (*grid < limits.min_grid_m)
      throw PlanningError("invalid_parameter", "grid_m",
                          "grid_m must be at least " + std::to_string(limits.min_grid_m) + " m");
    BBox box{1e300, 1e300, -1e300, -1e300};
    double area_m2 = 0;
    for (const AreaPart& a : area) {
      box.min_x = std::min(box.min_x, a.box.min_x), box.min_y = std::min(box.min_y, a.box.min_y);
      box.max_x = std::max(box.max_x, a.box.max_x), box.max_y = std::max(box.max_y, a.box.max_y);
      area_m2 += area_of(a.geom);
    }
    const bool unbounded = area.empty();
    if (unbounded) {  // no polygons: the demand's extent
      for (const XY& p : demand) {
        box.min_x = std::min(box.min_x, p.x), box.min_y = std::min(box.min_y, p.y);
        box.max_x = std::max(box.max_x, p.x), box.max_y = std::max(box.max_y, p.y);
      }
      area_m2 = demand.empty() ? 0 : (box.max_x - box.min_x) * (box.max_y - box.min_y);
    }
    // Refused from the area before a single point is made, so a 1 m grid cannot exhaust memory.
    const double expected = area_m2 / (*grid * *grid);
    const double cells = demand.empty() && unbounded
                             ? 0
                             : std::ceil((box.max_x - box.min_x) / *grid + 1) *
                                   std::ceil((box.max_y - box.min_y) / *grid + 1);
    if (expected > static_cast<double>(limits.max_grid_candidates) ||
        cells > 20.0 * static_cast<double>(limits.max_grid_candidates))
      throw PlanningError("too_large", "grid_m",
                          "a " + std::to_string(*grid) + " m grid makes about " +
                              std::to_string(static_cast<long long>(expected)) +
                              " candidates; the limit is " +
                              std::to_string(limits.max_grid_candidates),
                          413);
    if (cells > 0) {
      // Cell centres on a grid anchored at the area's corner.
      std::size_t n = 0;
      for (double y = box.min_y + *grid / 2; y <= box.max_y; y += *grid)
        for (double x = box.min_x + *grid / 2; x <= box.max_x; x += *grid) {
          const XY p{x, y};
          if (!unbounded && !inside(area, p)) continue;
          Cand c;
          c.id = "grid-" + std::to_string(++n);
          c.source = "grid";
          c.xy = p;
          c.pos = proj.inverse(p);
          cands.push_back(std::move(c));
        }
    }
    res.candidates.generated = cands.size();
  }
  res.candidates.supplied = req.candidates.size();
  for (const CandidateSite& s : req.candidates) {
    Cand c;
    c.id = s.id;
    c.source = "supplied";
    c.pos = s.pos;
    c.xy = proj.forward(s.pos);
    c.cost = s.cost;
    c.capacity = s.capacity;
    if (district && !contains(district->geometry, s.pos)) {
      ++res.candidates.outside_area;
      continue;
    }
    cands.push_back(std::move(c));
  }
  if (!req.excluded_areas.empty()) {
    const BBox ex = bbox_of(req.excluded_areas);
    std::vector<Cand> kept;
    for (Cand& c : cands) {
      if (ex.contains(c.pos.lon, c.pos.lat) && contains(req.excluded_areas, c.pos))
        ++res.candidates.in_excluded_area;
      else
        kept.push_back(std::move(c));
    }
    cands = std::move(kept);
  }
  res.candidates.used = cands.size();
  if (cands.size() > limits.solver.max_candidates)
    throw PlanningError("too_large", "candidates",
                        std::to_string(cands.size()) + " candidates exceed the limit of " +
                            std::to_string(limits.solver.max_candidates),
                        413);
  if (cands.empty())
    throw PlanningError("no_candidates", "candidates",
                        "no candidate site is left inside the area (after excluded areas)", 422);

  // A density estimate guards the coverage sets' memory before they are built: the demand
  // within reach of one site, from the share of the area its disc takes.
  {
    double area_m2 = 0;
    for (const AreaPart& a : area) area_m2 += area_of(a.geom);
    const double r = res.walk_m / std::max(1.0, profile.detour_factor);
    const double share = area_m2 > 0 ? std::min(1.0, kPi * r * r / area_m2) : 1.0;
    const double est =
        static_cast<double>(cands.size()) * static_cast<double>(demand.size()) * share;
    if (est > 4.0 * static_cast<double>(limits.solver.max_nonzeros))
      throw PlanningError("too_large", "candidates",
                          "about " + std::to_string(static_cast<long long>(est)) +
                              " candidate-demand pairs; the limit is " +
                              std::to_string(limits.solver.max_nonzeros),
                          413);
  }
  std::vector<XY> cand_xy;
  cand_xy.reserve(cands.size());
  for (const Cand& c : cands) cand_xy.push_back(c.xy);
  {
    const auto lists = model->within(demand, cand_xy, res.walk_m);
    std::size_t nnz = 0;
    for (const auto& l : lists) nnz += l.size();
    if (nnz > limits.solver.max_nonzeros)
      throw PlanningError("too_large", "candidates",
                          std::to_string(nnz) + " candidate-demand pairs exceed the limit of " +
                              std::to_string(limits.solver.max_nonzeros),
                          413);
    in.candidates = siting::CoverageSets::from_lists(lists);
  }
  in.site_xy = cand_xy;
  const bool costed =
      req.site_cost != 1 ||
      std::any_of(cands.begin(), cands.end(), [](const Cand& c) { return c.cost.has_value(); });
  if (costed)
    for (const Cand& c : cands) in.site_cost.push_back(c.cost.value_or(req.site_cost));
  const bool capacitated =
      req.capacity ||
      std::any_of(cands.begin(), cands.end(), [](const Cand& c) { return c.capacity.has_value(); });
  if (capacitated)
    for (const Cand& c : cands)
      in.site_capacity.push_back(
          c.capacity.value_or(req.capacity.value_or(std::numeric_limits<double>::infinity())));
  res.prepare_ms = ms_since(t0);

  // The solve.
  siting::Request rq;
  rq.problem = req.problem;
  rq.max_sites = req.k;
  rq.budget = req.budget;
  rq.target_share = req.target_share;
  rq.min_spacing_m = req.min_spacing_m;
  rq.method = req.method;
  rq.local_search = req.local_search;
  rq.time_limit_s = res.time_limit_s;
  rq.cancel = cancel;
  rq.limits = limits.solver;
  rq.limits.max_time_limit_s = std::max(rq.limits.max_time_limit_s, res.time_limit_s);
  const siting::Result sr = siting::solve(in, rq);
  if (!sr.ok()) {
    const siting::Error& e = *sr.error;
    throw PlanningError(e.code, request_field(e.field), e.message, e.http_status);
  }
  const siting::Solution& sol = *sr.solution;
  res.solver = sol.facts;
  res.objective = sol.objective;
  res.total_cost = sol.total_cost;
  res.target_reached = sol.target_reached;
  if (capacitated) res.served_new_weight = sol.objective;

  // Sites, and coverage after: everyone within reach of an existing or a chosen site.
  std::vector<std::uint8_t> after = in.already_covered;
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
    for (std::uint32_t i : in.candidates.site(s.site)) after[i] = 1;
  }

  std::unordered_map<std::string, std::size_t> row_of;
  std::vector<const AdminUnit*> rows;
  for (const auto& u : d.districts())
    if (!district || u.code == district->code) rows.push_back(&u);
  std::sort(rows.begin(), rows.end(),
            [](const AdminUnit* a, const AdminUnit* b) { return a->code < b->code; });
  for (const AdminUnit* u : rows) {
    CoverageChange c;
    c.level = "district";
    c.code = u->code;
    c.name = u->name;
    row_of[u->code] = res.districts.size();
    res.districts.push_back(std::move(c));
  }
  res.city.level = "city";
  res.city.code = district ? district->code : "";
  res.city.name = district ? district->name : d.info().title;
  auto add = [&](CoverageChange& c, std::size_t k) {
    const PopulationCell& p = pop[scope[k]];
    const double aged = p.population_60plus.value_or(0);
    c.residents += p.population;
    c.residents_60plus += aged;
    if (in.already_covered[k]) c.covered_before += p.population, c.covered_before_60plus += aged;
    if (after[k]) c.covered_after += p.population, c.covered_after_60plus += aged;
  };
  for (std::size_t k = 0; k < scope.size(); ++k) {
    add(res.city, k);
    auto it = row_of.find(pop[scope[k]].district_code);
    if (it != row_of.end()) add(res.districts[it->second], k);
  }
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
