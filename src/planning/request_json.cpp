// JSON request documents of POST /siting and POST /scenarios (and the CLI's files): strict
// parsing that names the member at fault, so a client learns which field to fix.
#include <cmath>
#include <limits>
#include <set>

#include "lifecircle/planning.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle::planning {
namespace {

using nlohmann::json;

PlanningError bad(const std::string& field, const std::string& message) {
  return PlanningError(ErrorCode::invalid_parameter, field, field + ": " + message);
}

// Members of one JSON object, checked against the names the caller knows.
class Reader {
 public:
  Reader(const json& j, std::string prefix, const std::set<std::string>& known)
      : j_(j), prefix_(std::move(prefix)) {
    if (!j.is_object()) throw bad(prefix_.empty() ? "body" : prefix_, "must be a JSON object");
    for (const auto& [k, v] : j.items())
      if (!known.count(k)) throw bad(name(k), "unknown member");
  }
  std::string name(const std::string& k) const { return prefix_.empty() ? k : prefix_ + "." + k; }
  const json* get(const std::string& k) const {
    auto it = j_.find(k);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  std::optional<double> number(const std::string& k, double lo, double hi) const {
    const json* v = get(k);
    if (!v) return std::nullopt;
    if (!v->is_number()) throw bad(name(k), "must be a number");
    const double x = v->get<double>();
    if (!std::isfinite(x) || x < lo || x > hi)
      throw bad(name(k), "must be from " + fmt(lo) + " to " + fmt(hi));
    return x;
  }
  std::optional<std::string> string(const std::string& k) const {
    const json* v = get(k);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw bad(name(k), "must be a string");
    return v->get<std::string>();
  }
  std::optional<bool> boolean(const std::string& k) const {
    const json* v = get(k);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) throw bad(name(k), "must be true or false");
    return v->get<bool>();
  }
  // A list given as a JSON array of strings or as one comma-separated string.
  std::vector<std::string> list(const std::string& k) const {
    std::vector<std::string> out;
    const json* v = get(k);
    if (!v) return out;
    if (v->is_string()) {
      std::string item;
      for (char c : v->get<std::string>() + ",") {
        if (c == ',') {
          if (!item.empty()) out.push_back(item);
          item.clear();
        } else {
          item += c;
        }
      }
      return out;
    }
    if (!v->is_array()) throw bad(name(k), "must be a string or an array of strings");
    for (const auto& e : *v) {
      if (!e.is_string()) throw bad(name(k), "must list strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  static std::string fmt(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
  }

 private:
  const json& j_;
  std::string prefix_;
};

LonLat lonlat_of(const json& c, const std::string& field) {
  if (!c.is_array() || c.size() < 2 || !c[0].is_number() || !c[1].is_number())
    throw bad(field, "a position must be [longitude, latitude]");
  const LonLat p{c[0].get<double>(), c[1].get<double>()};
  if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180 || p.lon > 180 ||
      p.lat < -90 || p.lat > 90)
    throw bad(field, "longitude/latitude out of range (WGS84 degrees, longitude first)");
  return p;
}

// The Point geometry of a Feature (or a bare Point geometry).
LonLat point_of(const json& feature, const std::string& field) {
  const json* g = &feature;
  if (feature.is_object() && feature.value("type", "") == "Feature") {
    auto it = feature.find("geometry");
    if (it == feature.end() || !it->is_object()) throw bad(field + ".geometry", "missing");
    g = &*it;
  }
  if (!g->is_object() || g->value("type", "") != "Point")
    throw bad(field + ".geometry", "must be a GeoJSON Point");
  auto c = g->find("coordinates");
  if (c == g->end()) throw bad(field + ".geometry.coordinates", "missing");
  return lonlat_of(*c, field + ".geometry.coordinates");
}

Polygon polygon_of(const json& rings, const std::string& field, std::size_t& vertices,
                   const PlanningLimits& limits) {
  if (!rings.is_array() || rings.empty()) throw bad(field, "a polygon is an array of rings");
  Polygon p;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const std::string rf = field + "[" + std::to_string(r) + "]";
    if (!rings[r].is_array() || rings[r].size() < 4)
      throw bad(rf, "a ring needs at least 4 positions");
    std::vector<LonLat> ring;
    for (std::size_t i = 0; i < rings[r].size(); ++i)
      ring.push_back(lonlat_of(rings[r][i], rf + "[" + std::to_string(i) + "]"));
    vertices += ring.size();
    if (vertices > limits.max_excluded_vertices)
      throw PlanningError(ErrorCode::too_large, field,
                          "excluded areas have more than " +
                              std::to_string(limits.max_excluded_vertices) + " vertices");
    // Closed rings are what the rest of the library assumes.
    if (ring.front().lon != ring.back().lon || ring.front().lat != ring.back().lat)
      ring.push_back(ring.front());
    p.rings.push_back(std::move(ring));
  }
  return p;
}

void polygons_into(const json& j, const std::string& field, MultiPolygon& out,
                   std::size_t& vertices, const PlanningLimits& limits) {
  if (!j.is_object()) throw bad(field, "must be GeoJSON");
  const std::string type = j.value("type", "");
  if (type == "FeatureCollection") {
    auto fs = j.find("features");
    if (fs == j.end() || !fs->is_array()) throw bad(field + ".features", "must be an array");
    for (std::size_t i = 0; i < fs->size(); ++i)
      polygons_into((*fs)[i], field + ".features[" + std::to_string(i) + "]", out, vertices,
                    limits);
  } else if (type == "Feature") {
    auto g = j.find("geometry");
    if (g == j.end()) throw bad(field + ".geometry", "missing");
    polygons_into(*g, field + ".geometry", out, vertices, limits);
  } else if (type == "Polygon") {
    out.push_back(
        polygon_of(j.value("coordinates", json()), field + ".coordinates", vertices, limits));
  } else if (type == "MultiPolygon") {
    const json c = j.value("coordinates", json());
    if (!c.is_array()) throw bad(field + ".coordinates", "must be an array of polygons");
    for (std::size_t i = 0; i < c.size(); ++i)
      out.push_back(
          polygon_of(c[i], field + ".coordinates[" + std::to_string(i) + "]", vertices, limits));
  } else {
    throw bad(field, "must be a Polygon, MultiPolygon, Feature or FeatureCollection");
  }
}

siting::Method method_of(const std::string& s, const std::string& field) {
  if (s == "heuristic") return siting::Method::heuristic;
  if (s == "exact") return siting::Method::exact;
  throw bad(field, "must be heuristic or exact, not '" + s + "'");
}

Status status_of(const std::string& s, const std::string& field) {
  const auto st = parse_status(s);
  if (!st) throw bad(field, "must be open, planned or closed, not '" + s + "'");
  return *st;
}

Family family_of(const std::string& s, const std::string& field) {
  const auto f = parse_family(s);
  if (!f) throw bad(field, "must be eldercare, meal or columbarium, not '" + s + "'");
  return *f;
}

// Bounds are the configured ones (PlanningLimits::overrides), checked as on every route.
void overrides_into(const Reader& r, StandardsOverrides& o, const PlanningLimits& limits) {
  constexpr double kAny = std::numeric_limits<double>::max();
  o.minutes = r.number("minutes", -kAny, kAny);
  o.speed_m_s = r.number("speed", -kAny, kAny);
  o.detour_factor = r.number("detour", -kAny, kAny);
  check_overrides(o, limits.overrides);
}

// nlohmann throws for a member of an unexpected JSON type (value("type", "") on a number);
// that is the client's mistake, reported without the library's words.
template <class F>
auto reading(F parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const nlohmann::json::exception&) {
    throw PlanningError(ErrorCode::invalid_body, "body",
                        "a member of the body has the wrong JSON type");
  }
}

std::vector<CandidateSite> candidates_of(const json& fc, const std::string& field,
                                         const PlanningLimits& limits) {
  if (!fc.is_object() || fc.value("type", "") != "FeatureCollection")
    throw bad(field, "must be a GeoJSON FeatureCollection of points");
  auto fs = fc.find("features");
  if (fs == fc.end() || !fs->is_array()) throw bad(field + ".features", "must be an array");
  if (fs->size() > limits.max_supplied_candidates)
    throw PlanningError(ErrorCode::too_large, field,
                        std::to_string(fs->size()) + " candidates supplied; at most " +
                            std::to_string(limits.max_supplied_candidates) + " are accepted");
  std::vector<CandidateSite> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < fs->size(); ++i) {
    const std::string f = field + ".features[" + std::to_string(i) + "]";
    const json& feat = (*fs)[i];
    CandidateSite c;
    c.pos = point_of(feat, f);
    c.id = "supplied-" + std::to_string(i + 1);
    if (auto p = feat.find("properties"); p != feat.end() && p->is_object()) {
      if (auto id = p->find("id"); id != p->end() && !id->is_null())
        c.id = id->is_string() ? id->get<std::string>() : id->dump();
      for (const char* k : {"cost", "capacity"}) {
        auto v = p->find(k);
        if (v == p->end() || v->is_null()) continue;
        if (!v->is_number() || !(v->get<double>() > 0) || !std::isfinite(v->get<double>()))
          throw bad(f + ".properties." + k, "must be a positive number");
        (std::string(k) == "cost" ? c.cost : c.capacity) = v->get<double>();
      }
    }
    if (auto id = feat.find("id"); id != feat.end() && !id->is_null())
      c.id = id->is_string() ? id->get<std::string>() : id->dump();
    if (!ids.insert(c.id).second) throw bad(f + ".id", "duplicate candidate id '" + c.id + "'");
    out.push_back(std::move(c));
  }
  return out;
}

SitingRequest siting_request_of(const json& body, const PlanningLimits& limits) {
  const Reader r(body, "", {"family", "type",         "existing_types", "profile",  "minutes",
                            "speed",  "detour",       "mode",           "weight",   "district",
                            "grid_m", "candidates",   "excluded_areas", "problem",  "k",
                            "budget", "site_cost",    "target",         "capacity", "min_spacing_m",
                            "method", "local_search", "time_limit_s",   "required"});
  SitingRequest q;
  if (auto f = r.string("family")) q.family = family_of(*f, "family");
  q.type = r.string("type").value_or("");
  if (q.type.empty()) throw bad("type", "give the facility type of the new sites");
  q.existing_types = r.list("existing_types");
  q.profile = r.string("profile").value_or("");
  overrides_into(r, q.overrides, limits);
  q.mode = r.string("mode").value_or("euclidean");
  if (auto w = r.string("weight")) {
    if (*w == "residents" || *w == "all")
      q.weight = DemandWeight::residents;
    else if (*w == "60plus" || *w == "residents_60plus")
      q.weight = DemandWeight::residents_60plus;
    else
      throw bad("weight", "must be residents or 60plus, not '" + *w + "'");
  }
  q.district = r.string("district").value_or("");
  q.grid_m = r.number("grid_m", limits.min_grid_m, 1e6);
  if (const json* c = r.get("candidates"))
    q.candidates = parse_candidates(*c, "candidates", limits);
  if (const json* x = r.get("excluded_areas"))
    q.excluded_areas = parse_polygons(*x, "excluded_areas", limits);
  if (const json* x = r.get("required")) q.required = parse_candidates(*x, "required", limits);

  if (auto k = r.number("k", 1, 1e6)) {
    if (std::floor(*k) != *k) throw bad("k", "must be a whole number");
    q.k = static_cast<std::size_t>(*k);
  }
  q.budget = r.number("budget", 0, 1e300);
  q.site_cost = r.number("site_cost", 1e-9, 1e300).value_or(1);
  const auto target = r.number("target", 1e-9, 1);
  if (target) q.target_share = *target;
  q.capacity = r.number("capacity", 1e-9, 1e300);
  q.min_spacing_m = r.number("min_spacing_m", 0, 1e6).value_or(0);
  if (auto p = r.string("problem")) {
    if (*p == "max_coverage")
      q.problem = siting::Problem::max_coverage;
    else if (*p == "set_cover")
      q.problem = siting::Problem::set_cover;
    else
      throw bad("problem", "must be max_coverage or set_cover, not '" + *p + "'");
  } else if (target && !q.k && !q.budget) {
    // A target alone asks how few sites reach it.
    q.problem = siting::Problem::set_cover;
  }
  if (q.problem == siting::Problem::max_coverage && !q.k && !q.budget)
    throw bad("k", "give k (number of new sites), a budget, or a target share");
  if (auto m = r.string("method")) q.method = method_of(*m, "method");
  q.local_search = r.boolean("local_search").value_or(true);
  q.time_limit_s = r.number("time_limit_s", 1e-3, 1e9);
  return q;
}

}  // namespace

json SitingRequest::to_json() const {
  json decided = json::array();
  for (const auto& c : required)
    decided.push_back({{"id", c.id},
                       {"lon", c.pos.lon},
                       {"lat", c.pos.lat},
                       {"cost", c.cost ? json(*c.cost) : json()},
                       {"capacity", c.capacity ? json(*c.capacity) : json()}});
  auto opt = [](const auto& v) { return v ? json(*v) : json(); };
  return {{"family", family ? json(std::string(lifecircle::to_string(*family))) : json()},
          {"type", type},
          {"existing_types", existing_types},
          {"profile", profile},
          {"minutes", opt(overrides.minutes)},
          {"speed", opt(overrides.speed_m_s)},
          {"detour", opt(overrides.detour_factor)},
          {"mode", mode},
          {"weight", weight == DemandWeight::residents ? "residents" : "60plus"},
          {"district", district},
          {"grid_m", opt(grid_m)},
          {"candidates_supplied", candidates.size()},
          {"excluded_areas", excluded_areas.size()},
          {"required", decided},
          {"problem", problem == siting::Problem::set_cover ? "set_cover" : "max_coverage"},
          {"k", opt(k)},
          {"budget", opt(budget)},
          {"site_cost", site_cost},
          {"target", problem == siting::Problem::set_cover ? json(target_share) : json()},
          {"capacity", opt(capacity)},
          {"min_spacing_m", min_spacing_m},
          {"method", method == siting::Method::exact ? "exact" : "heuristic"},
          {"local_search", local_search},
          {"time_limit_s", opt(time_limit_s)}};
}

namespace {

ScenarioRequest scenario_request_of(const json& body, const PlanningLimits& limits) {
  ScenarioRequest q;
  const json* changes = &body;
  json wrapped;
  if (body.is_object()) {
    const Reader r(
        body, "",
        {"changes", "family", "type", "profile", "minutes", "speed", "detour", "mode", "district"});
    if (auto f = r.string("family")) q.family = family_of(*f, "family");
    q.types = r.list("type");
    q.profile = r.string("profile").value_or("");
    overrides_into(r, q.overrides, limits);
    q.mode = r.string("mode").value_or("euclidean");
    q.district = r.string("district").value_or("");
    changes = r.get("changes");
    if (!changes) throw bad("changes", "give a list of changes");
  }
  if (!changes->is_array()) throw bad("changes", "must be an array of changes");
  if (changes->size() > limits.max_scenario_changes)
    throw PlanningError(ErrorCode::too_large, "changes",
                        std::to_string(changes->size()) + " changes; at most " +
                            std::to_string(limits.max_scenario_changes) + " are accepted");
  for (std::size_t i = 0; i < changes->size(); ++i) {
    const std::string f = "changes[" + std::to_string(i) + "]";
    const json& cj = (*changes)[i];
    if (!cj.is_object()) throw bad(f, "must be an object");
    const std::string op = cj.value("op", cj.value("action", ""));
    ScenarioChange c;
    if (op == "add") {
      const Reader r(cj, f, {"op", "feature"});
      const json* feat = r.get("feature");
      if (!feat || !feat->is_object()) throw bad(f + ".feature", "give a GeoJSON point feature");
      c.kind = ScenarioChange::Kind::add;
      Facility& fa = c.facility;
      fa.pos = point_of(*feat, f + ".feature");
      const json props = feat->value("properties", json::object());
      const Reader p(props, f + ".feature.properties",
                     {"id", "name", "family", "type", "status", "floor_area_m2", "beds",
                      "meal_capacity_per_day", "district_code", "street_code", "address"});
      fa.id = p.string("id").value_or("");
      if (fa.id.empty() && feat->contains("id") && (*feat)["id"].is_string())
        fa.id = (*feat)["id"].get<std::string>();
      if (fa.id.empty()) fa.id = "scenario-" + std::to_string(i + 1);
      c.id = fa.id;
      fa.name = p.string("name").value_or("");
      fa.type = p.string("type").value_or("");
      const FacilityTypeInfo* info = find_facility_type(fa.type);
      if (!info) throw bad(p.name("type"), "unknown facility type '" + fa.type + "'");
      fa.family = info->family;
      if (auto fam = p.string("family"); fam && family_of(*fam, p.name("family")) != fa.family)
        throw bad(p.name("family"), "does not match the type's family");
      if (auto s = p.string("status")) fa.status = status_of(*s, p.name("status"));
      fa.floor_area_m2 = p.number("floor_area_m2", 0, 1e9);
      fa.beds = p.number("beds", 0, 1e9);
      fa.meal_capacity_per_day = p.number("meal_capacity_per_day", 0, 1e9);
      fa.district_code = p.string("district_code").value_or("");
      fa.street_code = p.string("street_code").value_or("");
      fa.address = p.string("address").value_or("");
      fa.source = "scenario";
    } else if (op == "remove") {
      const Reader r(cj, f, {"op", "id"});
      c.kind = ScenarioChange::Kind::remove;
      c.id = r.string("id").value_or("");
    } else if (op == "move") {
      const Reader r(cj, f, {"op", "id", "lon", "lat", "geometry"});
      c.kind = ScenarioChange::Kind::move;
      c.id = r.string("id").value_or("");
      if (const json* g = r.get("geometry")) {
        c.pos = point_of(*g, f);
      } else {
        const auto lon = r.number("lon", -180, 180), lat = r.number("lat", -90, 90);
        if (!lon || !lat) throw bad(f + ".lon", "give lon and lat (WGS84) of the new position");
        c.pos = LonLat{*lon, *lat};
      }
    } else if (op == "change") {
      const Reader r(cj, f,
                     {"op", "id", "floor_area_m2", "meal_capacity_per_day", "beds", "status"});
      c.kind = ScenarioChange::Kind::change;
      c.id = r.string("id").value_or("");
      c.floor_area_m2 = r.number("floor_area_m2", 0, 1e9);
      c.meal_capacity_per_day = r.number("meal_capacity_per_day", 0, 1e9);
      c.beds = r.number("beds", 0, 1e9);
      if (auto s = r.string("status")) c.status = status_of(*s, f + ".status");
      if (!c.floor_area_m2 && !c.meal_capacity_per_day && !c.beds && !c.status)
        throw bad(f, "a change sets floor_area_m2, meal_capacity_per_day, beds or status");
    } else {
      throw bad(f + ".op", "must be add, remove, move or change");
    }
    if (c.id.empty()) throw bad(f + ".id", "give the facility id");
    q.changes.push_back(std::move(c));
  }
  return q;
}

}  // namespace

SitingRequest parse_siting_request(const json& body, const PlanningLimits& limits) {
  return reading([&] { return siting_request_of(body, limits); });
}

ScenarioRequest parse_scenario_request(const json& body, const PlanningLimits& limits) {
  return reading([&] { return scenario_request_of(body, limits); });
}

std::vector<CandidateSite> parse_candidates(const json& fc, const std::string& field,
                                            const PlanningLimits& limits) {
  return reading([&] { return candidates_of(fc, field, limits); });
}

MultiPolygon parse_polygons(const json& j, const std::string& field, const PlanningLimits& limits) {
  return reading([&] {
    MultiPolygon out;
    std::size_t vertices = 0;
    polygons_into(j, field, out, vertices, limits);
    return out;
  });
}

}  // namespace lifecircle::planning
