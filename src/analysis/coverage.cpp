#include "lifecircle/coverage.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

#include "geo/geos.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/geometry.hpp"

namespace lifecircle {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// The area of a unit inside the union of reach capsules, by scanline integration over the
// capsules reaching the unit's box: no polygon union, so a citywide request costs milliseconds
// where GEOS unions cost seconds (bench/coverage/area_bench), within 0.1% of their area.
double unit_covered_area(const std::vector<Capsule>& reach, const MultiPolygonXY& geometry) {
  const BBox b = bbox_of(geometry);
  std::vector<Capsule> near;
  for (const Capsule& c : reach) {
    const double r = c.radius;
    if (std::max(c.from.x, c.to.x) + r < b.min_x || std::min(c.from.x, c.to.x) - r > b.max_x ||
        std::max(c.from.y, c.to.y) + r < b.min_y || std::min(c.from.y, c.to.y) - r > b.max_y)
      continue;
    near.push_back(c);
  }
  return covered_area(geometry, near);
}

// What the selected facilities of each threshold reach under the request's distance model.
std::vector<Capsule> reach_of(const Dataset& d, const CoverageResult& c, const TypeThreshold& th,
                              const DistanceModel& model) {
  std::vector<XY> sources;
  for (std::size_t fi : c.facilities)
    if (d.facilities()[fi].type == th.type) sources.push_back(d.facilities()[fi].xy);
  if (sources.empty()) return {};
  return model.reach(sources, th.walk_m);
}

void count_demand(UnitCoverage& u, const PopulationCell& c, bool covered, bool unsnapped) {
  u.residents += c.population;
  ++u.demand_points;
  if (unsnapped) {
    ++u.demand_points_unsnapped;
    u.residents_unsnapped += c.population;
    u.residents_60plus_unsnapped += c.population_60plus.value_or(0);
  }
  if (c.population_60plus)
    u.residents_60plus += *c.population_60plus;
  else
    ++u.demand_points_without_60plus;
  if (covered) {
    u.covered += c.population;
    ++u.demand_points_covered;
    if (c.population_60plus) u.covered_60plus += *c.population_60plus;
  }
}

void set_ratios(UnitCoverage& u) {
  if (u.residents > 0) u.ratio = u.covered / u.residents;
  if (u.residents_60plus > 0) u.ratio_60plus = u.covered_60plus / u.residents_60plus;
  const double placed = u.residents - u.residents_unsnapped;
  const double placed_60plus = u.residents_60plus - u.residents_60plus_unsnapped;
  if (placed > 0) u.ratio_snapped = u.covered / placed;
  if (placed_60plus > 0) u.ratio_60plus_snapped = u.covered_60plus / placed_60plus;
  if (u.area_m2 && *u.area_m2 > 0 && u.covered_area_m2)
    u.area_ratio = *u.covered_area_m2 / *u.area_m2;
}

}  // namespace

std::string_view to_string(AggregateBy b) {
  switch (b) {
    case AggregateBy::city:
      return "city";
    case AggregateBy::district:
      return "district";
    case AggregateBy::street:
      return "street";
  }
  return "district";
}

std::optional<AggregateBy> parse_aggregate_by(std::string_view s) {
  for (AggregateBy b : {AggregateBy::city, AggregateBy::district, AggregateBy::street})
    if (to_string(b) == s) return b;
  return std::nullopt;
}

std::string CoverageRequest::cache_key() const {
  std::ostringstream k;
  k.precision(17);
  k << "family=" << (selection.family ? to_string(*selection.family) : "") << ";types=";
  std::vector<std::string> t = selection.types;
  std::sort(t.begin(), t.end());
  k << join(t) << ";status=";
  std::vector<std::string> st;
  for (Status s : selection.statuses) st.emplace_back(to_string(s));
  std::sort(st.begin(), st.end());
  k << join(st) << ";profile=" << profile << ";" << overrides_key(overrides)
    << ";by=" << to_string(by) << ";district=" << district << ";mode=" << mode << ";area=" << area;
  return k.str();
}

std::vector<std::size_t> select_facilities(const Dataset& d, const FacilitySelection& s,
                                           std::vector<std::string>* types_out) {
  std::vector<std::string> types = s.types;
  for (const auto& t : types) {
    const FacilityTypeInfo* info = find_facility_type(t);
    if (!info)
      throw AnalysisError(ErrorCode::unknown_type, "type", "unknown facility type '" + t + "'");
    if (s.family && info->family != *s.family)
      throw AnalysisError(ErrorCode::type_not_in_family, "type",
                          "type '" + t + "' is not of family " + std::string(to_string(*s.family)));
  }
  if (types.empty()) {
    if (!s.family)
      throw AnalysisError(ErrorCode::missing_parameter, "family",
                          "give a family or at least one type");
    for (const auto& t : facility_types())
      if (t.family == *s.family) types.emplace_back(t.type);
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  if (s.statuses.empty())
    throw AnalysisError(ErrorCode::invalid_parameter, "status", "give at least one status");

  std::vector<std::size_t> out;
  const auto& fs = d.facilities();
  for (std::size_t i = 0; i < fs.size(); ++i) {
    const Facility& f = fs[i];
    if (!std::binary_search(types.begin(), types.end(), f.type)) continue;
    if (std::find(s.statuses.begin(), s.statuses.end(), f.status) == s.statuses.end()) continue;
    out.push_back(i);
  }
  if (types_out) *types_out = std::move(types);
  return out;
}

std::vector<std::size_t> demand_in_scope(const Dataset& d, const std::string& district) {
  const auto& pop = d.population();
  std::vector<std::size_t> scope;
  scope.reserve(pop.size());
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (district.empty() || pop[i].district_code == district) scope.push_back(i);
  return scope;
}

CoverageTable tabulate_coverage(const Dataset& d, AggregateBy by, const std::string& district,
                                const std::vector<std::size_t>& scope,
                                const std::vector<std::uint8_t>& covered,
                                const std::vector<std::uint8_t>* unsnapped) {
  CoverageTable t;
  const auto& pop = d.population();
  auto off = [&](std::size_t i) { return unsnapped && !unsnapped->empty() && (*unsnapped)[i]; };
  // The total is the city, or the district the request is restricted to, named as such.
  const AdminUnit& whole = district.empty() ? d.city() : *d.district(district);
  t.total.level = district.empty() ? "city" : "district";
  t.total.code = whole.code;
  t.total.name = whole.name;
  t.total.parent_code = whole.parent_code;
  for (std::size_t i : scope) count_demand(t.total, pop[i], covered[i], off(i));
  set_ratios(t.total);
  if (by == AggregateBy::city) return t;

  const bool by_street = by == AggregateBy::street;
  const std::vector<AdminUnit>& units = by_street ? d.streets_towns() : d.districts();
  std::vector<const AdminUnit*> chosen;
  for (const auto& u : units)
    if (district.empty() || (by_street ? u.parent_code : u.code) == district) chosen.push_back(&u);
  std::sort(chosen.begin(), chosen.end(),
            [](const AdminUnit* a, const AdminUnit* b) { return a->code < b->code; });
  const std::string level = by_street ? "street_town" : "district";
  for (const AdminUnit* u : chosen) {
    UnitCoverage row;
    row.level = level;
    row.code = u->code;
    row.name = u->name;
    row.parent_code = u->parent_code;
    row.kind = u->kind;
    t.row_of[u->code] = t.units.size();
    t.units.push_back(std::move(row));
  }
  std::optional<std::size_t> unattributed;
  for (std::size_t i : scope) {
    const std::string& code = by_street ? pop[i].street_code : pop[i].district_code;
    auto it = t.row_of.find(code);
    if (it == t.row_of.end() && !unattributed) {
      UnitCoverage row;
      row.level = level;
      row.name = "(unattributed)";
      row.parent_code = by_street ? district : "";
      unattributed = t.units.size();
      t.units.push_back(std::move(row));
    }
    count_demand(t.units[it != t.row_of.end() ? it->second : *unattributed], pop[i], covered[i],
                 off(i));
  }
  for (auto& u : t.units) set_ratios(u);
  return t;
}

CoverageResult compute_coverage(const Dataset& d, const StandardsProfile& profile,
                                const CoverageRequest& req, const DistanceModel& model) {
  const auto t0 = std::chrono::steady_clock::now();
  CoverageResult r;
  r.dataset_version = d.version();
  r.dataset_name = d.info().name;
  r.request = req;
  r.profile_id = profile.id;
  r.mode = std::string(model.mode());
  r.detour_factor = profile.detour_factor;
  r.detour_source = profile.detour_source;
  if (d.walking_network()) r.detour_factor_measured = d.walking_network()->measured_detour();

  if (!req.district.empty() && !d.district(req.district))
    throw AnalysisError(ErrorCode::unknown_district, "district",
                        "no district '" + req.district + "'");

  std::vector<std::string> types;
  r.facilities = select_facilities(d, req.selection, &types);
  const auto& fs = d.facilities();

  // Types with the same threshold share one nearest-facility search.
  std::map<double, std::vector<std::size_t>> groups;  // walk_m -> facility indices
  for (const auto& t : types) {
    auto it = profile.access.find(t);
    if (it == profile.access.end())
      throw AnalysisError(ErrorCode::no_access_rule, "type",
                          "profile '" + profile.id + "' has no access rule for type '" + t + "'");
    TypeThreshold th;
    th.type = t;
    th.minutes = it->second.minutes;
    th.speed_m_s = it->second.speed_m_s;
    th.walk_m = it->second.walk_m();
    th.radius_m = th.walk_m / profile.detour_factor;
    for (std::size_t fi : r.facilities)
      if (fs[fi].type == t) {
        ++th.facilities;
        groups[th.walk_m].push_back(fi);
      }
    r.thresholds.push_back(th);
  }

  const auto& pop = d.population();
  const std::size_t n = pop.size();
  r.distance_m.assign(n, kInf);
  r.nearest_facility.assign(n, -1);
  r.covered.assign(n, 0);
  r.in_scope.assign(n, 0);
  const std::vector<std::size_t> scope = demand_in_scope(d, req.district);
  std::vector<XY> demand;
  demand.reserve(scope.size());
  for (std::size_t i : scope) {
    r.in_scope[i] = 1;
    demand.push_back(pop[i].xy);
  }

  r.unsnapped.assign(n, 0);
  r.max_snap_m = model.max_snap_m();
  for (std::uint32_t k : model.unplaced(demand)) r.unsnapped[scope[k]] = 1;

  for (auto& [walk_m, members] : groups) {
    std::vector<XY> sources;
    sources.reserve(members.size());
    for (std::size_t fi : members) sources.push_back(fs[fi].xy);
    // No cutoff: the distance to the nearest facility is reported for uncovered residents too.
    const NearestResult nr =
        model.nearest(demand, sources, std::numeric_limits<double>::infinity());
    for (std::size_t k = 0; k < scope.size(); ++k) {
      if (nr.source[k] < 0) continue;
      const std::size_t i = scope[k];
      const double dist = nr.distance_m[k];
      if (within_walk(dist, walk_m)) r.covered[i] = 1;
      if (dist < r.distance_m[i]) {
        r.distance_m[i] = dist;
        r.nearest_facility[i] = static_cast<std::int32_t>(members[nr.source[k]]);
      }
    }
  }

  CoverageTable table = tabulate_coverage(d, req.by, req.district, scope, r.covered, &r.unsnapped);
  r.units = std::move(table.units);
  r.total = std::move(table.total);
  const std::unordered_map<std::string, std::size_t>& row_of = table.row_of;
  const bool by_street = req.by == AggregateBy::street;
  for (std::size_t fi : r.facilities) {
    if (req.district.empty() || fs[fi].district_code == req.district) ++r.total.facilities;
    if (req.by == AggregateBy::city) continue;
    const std::string& code = by_street ? fs[fi].street_code : fs[fi].district_code;
    if (auto it = row_of.find(code); it != row_of.end()) ++r.units[it->second].facilities;
  }

  if (req.area) {
    // Area comes from the same model as the counts: discs in euclidean mode, street bands on
    // the walking network.
    std::vector<Capsule> reach;
    for (const auto& th : r.thresholds) {
      const auto more = reach_of(d, r, th, model);
      reach.insert(reach.end(), more.begin(), more.end());
    }
    geos::Context ctx;
    // Area ratios divide by land where the dataset has a land mask: a district's land, a
    // street/town's polygon within its district's land.
    r.area_basis = "land";
    auto unit_area = [&](const AdminUnit& u, UnitCoverage& row) {
      if (u.geometry_xy.empty()) return;
      MultiPolygonXY land;
      const AdminUnit* district = u.level == UnitLevel::district ? &u : d.district(u.parent_code);
      if (district && !district->land_xy.empty()) {
        if (district == &u) {
          land = u.land_xy;
        } else {
          auto a = geos::make_multipolygon(ctx, u.geometry_xy);
          if (!geos::is_valid(ctx, a.get())) a = geos::make_valid(ctx, a.get());
          auto b = geos::make_multipolygon(ctx, district->land_xy);
          if (!geos::is_valid(ctx, b.get())) b = geos::make_valid(ctx, b.get());
          land = geos::to_multipolygon_xy(ctx, geos::intersection(ctx, a.get(), b.get()).get());
        }
      } else {
        r.area_basis = "boundary";
        land = u.geometry_xy;
      }
      row.area_m2 = land.empty() ? 0.0 : area_of(land);
      row.covered_area_m2 = land.empty() ? 0.0 : unit_covered_area(reach, land);
    };
    double total_area = 0, total_covered = 0;
    bool all_districts_have_geometry = true;
    for (const auto& dist : d.districts()) {
      if (!req.district.empty() && dist.code != req.district) continue;
      UnitCoverage tmp;
      unit_area(dist, tmp);
      if (!tmp.area_m2) {
        all_districts_have_geometry = false;
        continue;
      }
      total_area += *tmp.area_m2;
      total_covered += *tmp.covered_area_m2;
      if (req.by == AggregateBy::district) {
        auto& row = r.units[row_of.at(dist.code)];
        row.area_m2 = tmp.area_m2;
        row.covered_area_m2 = tmp.covered_area_m2;
      }
    }
    if (all_districts_have_geometry && total_area > 0) {
      r.total.area_m2 = total_area;
      r.total.covered_area_m2 = total_covered;
    }
    if (by_street)
      for (const auto& u : d.streets_towns())
        if (auto it = row_of.find(u.code); it != row_of.end()) unit_area(u, r.units[it->second]);
  }

  set_ratios(r.total);
  for (auto& u : r.units) set_ratios(u);
  r.compute_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

OnePlusNResult one_plus_n(const Dataset& d, const StandardsProfile& profile,
                          const CoverageResult& c) {
  OnePlusNResult r;
  r.profile_id = profile.id;
  r.mode = c.mode;
  r.detour_factor = c.detour_factor;
  r.detour_source = c.detour_source;
  r.detour_factor_measured = c.detour_factor_measured;
  r.thresholds = c.thresholds;
  const auto& rule = profile.one_plus_n;
  auto is = [](const std::vector<std::string>& v, const std::string& t) {
    return std::find(v.begin(), v.end(), t) != v.end();
  };
  std::unordered_map<std::string, std::size_t> row_of;
  std::vector<const AdminUnit*> streets;
  for (const auto& u : d.streets_towns())
    if (c.request.district.empty() || u.parent_code == c.request.district) streets.push_back(&u);
  std::sort(streets.begin(), streets.end(),
            [](const AdminUnit* a, const AdminUnit* b) { return a->code < b->code; });
  for (const AdminUnit* u : streets) {
    row_of[u->code] = r.streets.size();
    r.streets.push_back({u->code, u->name, u->parent_code, u->kind});
  }
  for (const auto& f : d.facilities()) {
    if (f.status != Status::open) continue;
    auto it = row_of.find(f.street_code);
    if (it == row_of.end()) continue;
    if (is(rule.center_types, f.type)) ++r.streets[it->second].centers;
    if (is(rule.station_types, f.type)) ++r.streets[it->second].stations;
  }
  const auto& pop = d.population();
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (!c.in_scope[i] || pop[i].population <= 0) continue;
    const bool cov = c.covered[i];
    ++r.populated_cells;
    r.residents += pop[i].population;
    const double old = pop[i].population_60plus.value_or(0);
    r.residents_60plus += old;
    if (cov) {
      ++r.populated_cells_covered;
      r.residents_covered += pop[i].population;
      r.residents_60plus_covered += old;
    } else {
      r.cells_without_center.push_back(i);
    }
    if (!c.unsnapped.empty() && c.unsnapped[i]) {
      ++r.populated_cells_unsnapped;
      r.residents_unsnapped += pop[i].population;
      r.residents_60plus_unsnapped += old;
    }
    if (auto it = row_of.find(pop[i].street_code); it != row_of.end()) {
      auto& s = r.streets[it->second];
      ++s.cells;
      s.residents += pop[i].population;
      if (cov) ++s.cells_covered, s.residents_covered += pop[i].population;
    }
  }
  for (auto& s : r.streets) {
    s.has_center = s.centers > 0;
    const bool populated = s.residents > 0;
    if (s.kind == "zone") {
      ++r.zones;
      r.zones_populated += populated;
      r.zones_with_center += s.has_center;
    } else if (!populated) {
      ++r.streets_without_residents;
    } else {
      ++r.streets_populated;
      r.streets_with_center += s.has_center;
    }
  }
  return r;
}

GapsResult compute_gaps(const Dataset& d, const CoverageResult& c, double simplify_m,
                        double point_cell_m) {
  GapsResult g;
  g.simplify_m = simplify_m;
  const auto& pop = d.population();
  const MetricProjection proj(d.info().metric_crs);
  geos::Context ctx;
  std::vector<geos::GeomPtr> parts;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const PopulationCell& p = pop[i];
    if (!c.in_scope[i] || c.covered[i] || p.population <= 0) continue;
    const bool unsnapped = !c.unsnapped.empty() && c.unsnapped[i];
    g.cells.push_back({i, p.id, p.district_code, p.street_code, p.population, p.population_60plus,
                       c.distance_m[i], unsnapped, p.pos});
    g.population += p.population;
    g.population_60plus += p.population_60plus.value_or(0);
    if (unsnapped) {
      ++g.cells_unsnapped;
      g.population_unsnapped += p.population;
      g.population_60plus_unsnapped += p.population_60plus.value_or(0);
    }
    if (!p.geometry.empty()) {
      parts.push_back(geos::make_multipolygon(ctx, project(p.geometry, proj)));
    } else {
      const double h = point_cell_m / 2;
      const XY q = p.xy;
      PolygonXY sq;
      sq.rings.push_back({{q.x - h, q.y - h},
                          {q.x + h, q.y - h},
                          {q.x + h, q.y + h},
                          {q.x - h, q.y + h},
                          {q.x - h, q.y - h}});
      parts.push_back(geos::make_polygon(ctx, sq));
    }
  }
  std::sort(g.cells.begin(), g.cells.end(),
            [](const GapCell& a, const GapCell& b) { return a.population > b.population; });
  if (!parts.empty()) {
    auto merged = geos::unary_union(ctx, std::move(parts));
    if (simplify_m > 0) merged = geos::simplify(ctx, merged.get(), simplify_m);
    g.area_m2 = geos::area(ctx, merged.get());
    g.area = geos::servable(ctx, merged.get(), proj).lonlat;
  }
  return g;
}

std::vector<ServiceArea> compute_service_areas(const Dataset& d, const CoverageResult& c,
                                               const DistanceModel& model, double simplify_m) {
  const MetricProjection proj(d.info().metric_crs);
  geos::Context ctx;
  // The clip: the request's district, else every district with geometry.
  std::vector<geos::GeomPtr> clip_parts;
  for (const auto& u : d.districts()) {
    if (!c.request.district.empty() && u.code != c.request.district) continue;
    if (u.geometry_xy.empty()) continue;
    auto g = geos::make_multipolygon(ctx, u.geometry_xy);
    if (!geos::is_valid(ctx, g.get())) g = geos::make_valid(ctx, g.get());
    clip_parts.push_back(std::move(g));
  }
  geos::GeomPtr clip;
  if (!clip_parts.empty()) clip = geos::unary_union(ctx, std::move(clip_parts));

  const bool discs = model.mode() == "euclidean";
  std::vector<ServiceArea> out;
  const auto& fs = d.facilities();
  for (const auto& th : c.thresholds) {
    ServiceArea sa;
    sa.type = th.type;
    sa.mode = std::string(model.mode());
    sa.walk_m = th.walk_m;
    for (std::size_t fi : c.facilities) sa.facilities += fs[fi].type == th.type;
    const std::vector<Capsule> reach = reach_of(d, c, th, model);
    if (discs) {
      sa.radius_m = th.radius_m;
    } else if (!reach.empty()) {
      sa.band_m = reach.front().radius;
    }
    if (!reach.empty()) {
      auto u = geos::capsule_union(ctx, reach, discs ? 16 : 4);
      if (clip) u = geos::intersection(ctx, u.get(), clip.get());
      if (simplify_m > 0) u = geos::simplify(ctx, u.get(), simplify_m);
      sa.area_m2 = geos::area(ctx, u.get());
      sa.area = geos::servable(ctx, u.get(), proj).lonlat;
    }
    out.push_back(std::move(sa));
  }
  return out;
}

}  // namespace lifecircle
