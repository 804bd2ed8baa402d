#include "lifecircle/analysis_json.hpp"

#include <cmath>
#include <sstream>
#include <unordered_map>

namespace lifecircle {
namespace {

using nlohmann::json;

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Distances beyond every facility are +inf in memory and null on the wire.
json finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
std::string cell(double v) {
  if (!std::isfinite(v)) return "";
  std::ostringstream o;
  o.precision(10);
  o << v;
  return o.str();
}
std::string cell(std::size_t v) { return std::to_string(v); }
std::string cell(int v) { return std::to_string(v); }
std::string cell(bool v) { return v ? "true" : "false"; }
template <class T>
std::string cell(const std::optional<T>& v) {
  return v ? cell(*v) : std::string();
}

// A sum of facility values is null when none is known: no data, not zero.
json known_sum(double sum, const Completeness& k) {
  return k.no_data() ? json(nullptr) : json(sum);
}

// An empty cell where no value is known (no data), as the JSON has null.
std::optional<double> known_cell(double sum, const Completeness& k) {
  return k.no_data() ? std::nullopt : std::optional<double>(sum);
}

class Csv {
 public:
  explicit Csv(std::initializer_list<const char*> header) {
    bool first = true;
    for (const char* h : header) out_ << (first ? "" : ",") << h, first = false;
    out_ << "\n";
  }
  template <class... T>
  void row(const T&... v) {
    bool first = true;
    ((out_ << (first ? "" : ",") << cell(v), first = false), ...);
    out_ << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

json feature(json geometry, json properties) {
  return {{"type", "Feature"},
          {"geometry", std::move(geometry)},
          {"properties", std::move(properties)}};
}
json collection(json features) {
  return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

const AdminUnit* unit_of(const Dataset& d, const std::string& level, const std::string& code) {
  if (level == "district") return d.district(code);
  if (level == "street_town") return d.street_town(code);
  return nullptr;
}

}  // namespace

void to_json(json& j, const TypeThreshold& t) {
  j = {{"type", t.type},     {"minutes", t.minutes},   {"speed_m_s", t.speed_m_s},
       {"walk_m", t.walk_m}, {"radius_m", t.radius_m}, {"facilities", t.facilities}};
}

void to_json(json& j, const UnitCoverage& u) {
  j = {{"level", u.level},
       {"code", u.code},
       {"name", u.name},
       {"parent_code", u.parent_code},
       {"kind", u.kind},
       {"residents", u.residents},
       {"residents_60plus", u.residents_60plus},
       {"covered", u.covered},
       {"covered_60plus", u.covered_60plus},
       {"ratio", opt(u.ratio)},
       {"ratio_60plus", opt(u.ratio_60plus)},
       {"demand_points", u.demand_points},
       {"demand_points_covered", u.demand_points_covered},
       {"demand_points_without_60plus", u.demand_points_without_60plus},
       {"demand_points_unsnapped", u.demand_points_unsnapped},
       {"residents_unsnapped", u.residents_unsnapped},
       {"residents_60plus_unsnapped", u.residents_60plus_unsnapped},
       {"ratio_snapped", opt(u.ratio_snapped)},
       {"ratio_60plus_snapped", opt(u.ratio_60plus_snapped)},
       {"facilities", u.facilities},
       {"area_m2", opt(u.area_m2)},
       {"covered_area_m2", opt(u.covered_area_m2)},
       {"area_ratio", opt(u.area_ratio)}};
}

void to_json(json& j, const CoverageResult& c) {
  const auto& s = c.request.selection;
  json statuses = json::array();
  for (Status st : s.statuses) statuses.push_back(to_string(st));
  j = {{"dataset", {{"name", c.dataset_name}, {"version", c.dataset_version}}},
       {"standards", {{"version", c.standards_version}, {"profile", c.profile_id}}},
       {"request",
        {{"family", s.family ? json(to_string(*s.family)) : json(nullptr)},
         {"types", s.types},
         {"status", statuses},
         {"by", to_string(c.request.by)},
         {"district", c.request.district.empty() ? json(nullptr) : json(c.request.district)},
         {"mode", c.mode},
         {"minutes", opt(c.request.overrides.minutes)},
         {"speed_m_s", opt(c.request.overrides.speed_m_s)},
         {"detour_factor", opt(c.request.overrides.detour_factor)}}},
       {"detour_factor", c.detour_factor},
       {"detour_source", c.detour_source},
       {"detour_factor_measured", opt(c.detour_factor_measured)},
       {"max_snap_m", opt(c.max_snap_m)},
       {"area_basis", c.area_basis.empty() ? json(nullptr) : json(c.area_basis)},
       {"thresholds", c.thresholds},
       {"facilities", c.facilities.size()},
       {"units", c.units},
       {"total", c.total},
       {"compute_ms", c.compute_ms}};
}

void to_json(json& j, const OnePlusNUnit& s) {
  j = {{"code", s.code},
       {"name", s.name},
       {"district_code", s.district_code},
       {"kind", s.kind},
       {"centers", s.centers},
       {"stations", s.stations},
       {"has_center", s.has_center},
       {"residents", s.residents},
       {"residents_covered", s.residents_covered},
       {"cells", s.cells},
       {"cells_covered", s.cells_covered}};
}

void to_json(json& j, const OnePlusNResult& r) {
  const json streets = r.streets;
  j = {{"profile", r.profile_id},
       {"mode", r.mode},
       {"detour_factor", r.detour_factor},
       {"detour_source", r.detour_source},
       {"detour_factor_measured", opt(r.detour_factor_measured)},
       {"thresholds", r.thresholds},
       {"units_listed", r.streets.size()},
       {"streets_towns", r.streets_populated},
       {"streets_towns_with_center", r.streets_with_center},
       {"streets_towns_without_residents", r.streets_without_residents},
       {"zones", r.zones},
       {"zones_with_residents", r.zones_populated},
       {"zones_with_center", r.zones_with_center},
       {"populated_cells", r.populated_cells},
       {"populated_cells_covered", r.populated_cells_covered},
       {"residents", r.residents},
       {"residents_covered", r.residents_covered},
       {"residents_60plus", r.residents_60plus},
       {"residents_60plus_covered", r.residents_60plus_covered},
       {"cells_without_center", r.cells_without_center.size()},
       {"populated_cells_unsnapped", r.populated_cells_unsnapped},
       {"residents_unsnapped", r.residents_unsnapped},
       {"residents_60plus_unsnapped", r.residents_60plus_unsnapped},
       {"streets", streets}};
}

void to_json(json& j, const GapsResult& g) {
  json cells = json::array();
  for (const auto& c : g.cells)
    cells.push_back({{"id", c.id},
                     {"district_code", c.district_code},
                     {"street_code", c.street_code},
                     {"population", c.population},
                     {"population_60plus", opt(c.population_60plus)},
                     {"distance_m", finite(c.distance_m)},
                     {"unsnapped", c.unsnapped},
                     {"lon", c.pos.lon},
                     {"lat", c.pos.lat}});
  j = {{"cells", cells.size()},
       {"population", g.population},
       {"population_60plus", g.population_60plus},
       {"cells_unsnapped", g.cells_unsnapped},
       {"population_unsnapped", g.population_unsnapped},
       {"population_60plus_unsnapped", g.population_60plus_unsnapped},
       {"area_m2", g.area_m2},
       {"simplify_m", g.simplify_m},
       {"uncovered", cells}};
}

void to_json(json& j, const ServiceArea& s) {
  j = {{"type", s.type},          {"mode", s.mode},
       {"walk_m", s.walk_m},      {"radius_m", opt(s.radius_m)},
       {"band_m", opt(s.band_m)}, {"facilities", s.facilities},
       {"area_m2", s.area_m2}};
}

void to_json(json& j, const PerThousandRow& r) {
  const Completeness k = r.area_known();
  j = {{"level", r.level},
       {"code", r.code},
       {"name", r.name},
       {"parent_code", r.parent_code},
       {"floor_area_m2", known_sum(r.floor_area_m2, k)},
       {"facilities", r.facilities},
       {"facilities_without_area", r.facilities_without_area},
       {"incomplete", k.incomplete()},
       {"share_known", opt(k.share_known())},
       {"residents", r.residents.total},
       {"residents_60plus", opt(r.residents.aged_60plus)},
       {"residents_source", r.residents.source},
       {"per_thousand_m2", opt(r.per_thousand)},
       {"target_m2", opt(r.target)},
       {"surplus_m2", opt(r.surplus_m2)},
       {"meets_target", opt(r.meets_target)},
       {"ratio_to_city", opt(r.ratio_to_city)},
       {"rank", opt(r.rank)}};
}

void to_json(json& j, const PerThousandResult& r) {
  j = {{"profile", r.profile_id},
       {"family", to_string(r.family)},
       {"counted_types", r.counted_types},
       {"has_target", r.has_target},
       {"note", r.note},
       {"citations", r.citations},
       {"rows", r.rows},
       {"city", r.city},
       {"city_complete", r.city_complete},
       {"incomplete_districts", r.incomplete_districts}};
}

void to_json(json& j, const MealCapacityRow& r) {
  const Completeness k = r.capacity_known();
  j = {{"level", r.level},
       {"code", r.code},
       {"name", r.name},
       {"sites", r.sites},
       {"sites_without_capacity", r.sites_without_capacity},
       {"incomplete", k.incomplete()},
       {"share_known", opt(k.share_known())},
       {"meals_per_day", known_sum(r.meals_per_day, k)},
       {"residents_60plus", opt(r.residents_60plus)},
       {"per_1000_60plus", opt(r.per_1000_60plus)},
       {"target_per_1000_60plus", opt(r.target_per_1000_60plus)},
       {"target_meals_per_day", opt(r.target_meals_per_day)},
       {"surplus_meals_per_day", opt(r.surplus_meals_per_day)},
       {"coverage_60plus", opt(r.coverage_60plus)},
       {"residents_60plus_unsnapped", opt(r.residents_60plus_unsnapped)},
       {"coverage_60plus_snapped", opt(r.coverage_60plus_snapped)}};
}

void to_json(json& j, const MealCapacityResult& r) {
  j = {{"profile", r.profile_id},
       {"counted_types", r.counted_types},
       {"city_target_meals_per_day", opt(r.city_target_meals_per_day)},
       {"target_year", opt(r.target_year)},
       {"citations", r.citations},
       {"rows", r.rows},
       {"city", r.city},
       {"city_complete", r.city_complete},
       {"incomplete_districts", r.incomplete_districts}};
}

void to_json(json& j, const RuralTownRow& r) {
  j = {{"code", r.code},
       {"name", r.name},
       {"district_code", r.district_code},
       {"kind", r.kind},
       {"columbaria", r.columbaria},
       {"meets_rule", r.meets_rule},
       {"residents", r.residents},
       {"centre", r.centre ? json{{"lon", r.centre->lon}, {"lat", r.centre->lat}} : json(nullptr)},
       {"centre_source", r.centre_source},
       {"nearest_m", opt(r.nearest_m)},
       {"centre_unsnapped", r.centre_unsnapped},
       {"nearest_id", r.nearest_id.empty() ? json(nullptr) : json(r.nearest_id)},
       {"nearest_name", r.nearest_name.empty() ? json(nullptr) : json(r.nearest_name)},
       {"nearest_district_code",
        r.nearest_district_code.empty() ? json(nullptr) : json(r.nearest_district_code)}};
}

void to_json(json& j, const ColumbariaResult& r) {
  json without = json::array();
  for (const auto& t : r.towns)
    if (!t.meets_rule) without.push_back(t.code);
  j = {{"profile", r.profile_id},
       {"mode", r.mode},
       {"detour_factor", r.detour_factor},
       {"detour_source", r.detour_source},
       {"detour_factor_measured", opt(r.detour_factor_measured)},
       {"min_per_rural_town", r.min_per_rural_town},
       {"types", r.types},
       {"rural_towns", r.rural_towns},
       {"rural_towns_without", r.rural_towns_without},
       {"centres_unsnapped", r.centres_unsnapped},
       {"without", without},
       {"citations", r.citations},
       {"towns", r.towns}};
}

void to_json(json& j, const StandardsProfile& p) {
  json access = json::object();
  for (const auto& [type, a] : p.access)
    access[type] = {{"minutes", a.minutes},     {"speed_m_s", a.speed_m_s},
                    {"walk_m", a.walk_m()},     {"radius_m", a.walk_m() / p.detour_factor},
                    {"citations", a.citations}, {"note", a.note}};
  json per_thousand = json::object();
  for (const auto& [fam, r] : p.per_thousand)
    per_thousand[fam] = {{"counted_types", r.counted_types},
                         {"citywide_target_m2", opt(r.citywide_target_m2)},
                         {"target_op", r.target_op},
                         {"target_year", opt(r.target_year)},
                         {"district_targets_m2", r.district_targets_m2},
                         {"class_targets_m2", r.class_targets_m2},
                         {"citations", r.citations},
                         {"note", r.note}};
  j = {{"id", p.id},
       {"title", p.title},
       {"citations", p.citations},
       {"detour_factor", p.detour_factor},
       {"detour_from_network", p.detour_from_network},
       {"detour_source", p.detour_source},
       {"access", access},
       {"per_thousand", per_thousand},
       {"district_classes", p.district_classes},
       {"meal_capacity",
        {{"counted_types", p.meal_capacity.counted_types},
         {"citywide_target_meals_per_day", opt(p.meal_capacity.citywide_target_meals_per_day)},
         {"target_per_1000_60plus", opt(p.meal_capacity.target_per_1000_60plus())},
         {"target_year", opt(p.meal_capacity.target_year)},
         {"citations", p.meal_capacity.citations}}},
       {"columbarium",
        {{"types", p.columbarium.types},
         {"min_per_rural_town", p.columbarium.min_per_rural_town},
         {"rural_kinds", p.columbarium.rural_kinds},
         {"kind_overrides", p.columbarium.kind_overrides},
         {"citations", p.columbarium.citations}}},
       {"one_plus_n",
        {{"center_types", p.one_plus_n.center_types},
         {"station_types", p.one_plus_n.station_types},
         {"citations", p.one_plus_n.citations}}}};
}

json geojson_geometry(const MultiPolygon& mp) {
  if (mp.empty()) return nullptr;
  json polys = json::array();
  for (const auto& p : mp) {
    json rings = json::array();
    for (const auto& r : p.rings) {
      json ring = json::array();
      for (const auto& c : r) ring.push_back({c.lon, c.lat});
      rings.push_back(std::move(ring));
    }
    polys.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}};
}

json coverage_geojson(const Dataset& d, const CoverageResult& c) {
  json features = json::array();
  for (const auto& u : c.units) {
    const AdminUnit* a = unit_of(d, u.level, u.code);
    features.push_back(feature(a ? geojson_geometry(a->geometry) : json(nullptr), u));
  }
  if (c.units.empty()) features.push_back(feature(nullptr, c.total));
  json out = collection(std::move(features));
  json meta = c;
  meta.erase("units");
  out["coverage"] = std::move(meta);
  return out;
}

json gaps_geojson(const GapsResult& g) {
  json features = json::array();
  json area_props = {{"kind", "area"},
                     {"population", g.population},
                     {"population_60plus", g.population_60plus},
                     {"cells_unsnapped", g.cells_unsnapped},
                     {"population_unsnapped", g.population_unsnapped},
                     {"area_m2", g.area_m2},
                     {"simplify_m", g.simplify_m}};
  features.push_back(feature(geojson_geometry(g.area), area_props));
  for (const auto& c : g.cells)
    features.push_back(feature({{"type", "Point"}, {"coordinates", {c.pos.lon, c.pos.lat}}},
                               {{"kind", "cell"},
                                {"id", c.id},
                                {"district_code", c.district_code},
                                {"street_code", c.street_code},
                                {"population", c.population},
                                {"population_60plus", opt(c.population_60plus)},
                                {"distance_m", finite(c.distance_m)},
                                {"unsnapped", c.unsnapped}}));
  return collection(std::move(features));
}

json service_areas_geojson(const std::vector<ServiceArea>& s) {
  json features = json::array();
  for (const auto& a : s) features.push_back(feature(geojson_geometry(a.area), a));
  return collection(std::move(features));
}

namespace {

// One feature per result row on its unit's polygon (`point` where the unit has none, else a
// null geometry), with the rest of the result under `meta_key`: ready for a choropleth.
template <class Row, class Result>
json unit_rows_geojson(const Dataset& d, const std::vector<Row>& rows, const Result& result,
                       const char* rows_key, const char* meta_key, const char* level,
                       std::optional<LonLat> (*point)(const Row&) = nullptr) {
  json features = json::array();
  for (const auto& row : rows) {
    const AdminUnit* a = unit_of(d, level, row.code);
    json geometry = a && !a->geometry.empty() ? geojson_geometry(a->geometry) : json(nullptr);
    if (geometry.is_null() && point != nullptr) {
      if (const auto p = point(row))
        geometry = {{"type", "Point"}, {"coordinates", {p->lon, p->lat}}};
    }
    features.push_back(feature(std::move(geometry), row));
  }
  json out = collection(std::move(features));
  json meta = result;
  meta.erase(rows_key);
  out[meta_key] = std::move(meta);
  return out;
}

}  // namespace

json per_thousand_geojson(const Dataset& d, const PerThousandResult& r) {
  const char* level = r.rows.empty() ? "district" : r.rows.front().level.c_str();
  return unit_rows_geojson(d, r.rows, r, "rows", "per_thousand", level);
}

json meal_capacity_geojson(const Dataset& d, const MealCapacityResult& r) {
  return unit_rows_geojson(d, r.rows, r, "rows", "meal_capacity", "district");
}

json columbaria_geojson(const Dataset& d, const ColumbariaResult& r) {
  // A town without a boundary is drawn at its population-weighted centre.
  return unit_rows_geojson(
      d, r.towns, r, "towns", "columbaria", "street_town",
      +[](const RuralTownRow& t) { return t.centre; });
}

json one_plus_n_geojson(const Dataset& d, const OnePlusNResult& r) {
  return unit_rows_geojson(d, r.streets, r, "streets", "one_plus_n", "street_town");
}

namespace {

void move_coordinates(json& c, OutputDatum datum) {
  if (!c.is_array() || c.empty()) return;
  if (c[0].is_number()) {
    if (c.size() < 2 || !c[1].is_number()) return;
    const LonLat p = to_output_datum({c[0].get<double>(), c[1].get<double>()}, datum);
    c[0] = p.lon;
    c[1] = p.lat;
    return;
  }
  for (auto& inner : c) move_coordinates(inner, datum);
}

}  // namespace

void to_output_datum(json& geojson, OutputDatum datum) {
  if (datum == OutputDatum::wgs84) return;
  if (geojson.is_array()) {
    for (auto& x : geojson) to_output_datum(x, datum);
    return;
  }
  if (!geojson.is_object()) return;
  if (auto it = geojson.find("coordinates"); it != geojson.end()) move_coordinates(*it, datum);
  for (const char* key : {"features", "geometry", "geometries"})
    if (auto it = geojson.find(key); it != geojson.end()) to_output_datum(*it, datum);
}

std::string features_csv(const json& fc) {
  static const json kNone;
  auto member = [](const json& j, const char* key) -> const json& {
    if (!j.is_object()) return kNone;
    const auto it = j.find(key);
    return it == j.end() ? kNone : *it;
  };
  auto is_point = [&](const json& f) {
    const json& g = member(f, "geometry");
    return g.is_object() && member(g, "type") == "Point";
  };
  const json& features = member(fc, "features");
  std::vector<std::string> keys;
  std::unordered_map<std::string, std::size_t> column;
  bool points = false;
  for (const auto& f : features) {
    const json& props = member(f, "properties");
    if (props.is_object())
      for (const auto& [k, v] : props.items())
        // The feature's id is the first column; a property repeating it would be a second "id".
        if (k != "id" && column.emplace(k, keys.size()).second) keys.push_back(k);
    points = points || is_point(f);
  }
  auto text = [](const json& v) {
    if (v.is_null()) return std::string();
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_float()) return cell(v.get<double>());
    return v.dump();
  };
  std::ostringstream out;
  out << "id";
  for (const auto& k : keys) out << "," << cell(k);
  if (points) out << ",lon,lat";
  out << "\n";
  for (const auto& f : features) {
    out << cell(text(member(f, "id")));
    const json& props = member(f, "properties");
    for (const auto& k : keys) out << "," << cell(text(member(props, k.c_str())));
    if (points) {
      if (is_point(f)) {
        const json& c = member(member(f, "geometry"), "coordinates");
        out << "," << cell(c[0].get<double>()) << "," << cell(c[1].get<double>());
      } else {
        out << ",,";
      }
    }
    out << "\n";
  }
  return out.str();
}

std::string service_areas_csv(const std::vector<ServiceArea>& s) {
  Csv csv{"type", "walk_m", "radius_m", "facilities", "area_m2"};
  for (const auto& a : s) csv.row(a.type, a.walk_m, a.radius_m, a.facilities, a.area_m2);
  return csv.str();
}

std::string coverage_csv(const CoverageResult& c) {
  Csv csv{"level",
          "code",
          "name",
          "parent_code",
          "residents",
          "residents_60plus",
          "covered",
          "covered_60plus",
          "ratio",
          "ratio_60plus",
          "demand_points",
          "demand_points_unsnapped",
          "residents_unsnapped",
          "residents_60plus_unsnapped",
          "ratio_snapped",
          "ratio_60plus_snapped",
          "facilities",
          "area_m2",
          "covered_area_m2",
          "area_ratio"};
  auto row = [&](const UnitCoverage& u) {
    csv.row(u.level, u.code, u.name, u.parent_code, u.residents, u.residents_60plus, u.covered,
            u.covered_60plus, u.ratio, u.ratio_60plus, u.demand_points, u.demand_points_unsnapped,
            u.residents_unsnapped, u.residents_60plus_unsnapped, u.ratio_snapped,
            u.ratio_60plus_snapped, u.facilities, u.area_m2, u.covered_area_m2, u.area_ratio);
  };
  for (const auto& u : c.units) row(u);
  row(c.total);
  return csv.str();
}

std::string gaps_csv(const GapsResult& g) {
  Csv csv{"id",         "district_code", "street_code", "population", "population_60plus",
          "distance_m", "unsnapped",     "lon",         "lat"};
  for (const auto& c : g.cells)
    csv.row(c.id, c.district_code, c.street_code, c.population, c.population_60plus,
            static_cast<double>(c.distance_m), c.unsnapped, c.pos.lon, c.pos.lat);
  return csv.str();
}

std::string per_thousand_csv(const PerThousandResult& r) {
  Csv csv{"level",
          "code",
          "name",
          "parent_code",
          "floor_area_m2",
          "facilities",
          "facilities_without_area",
          "incomplete",
          "share_known",
          "residents",
          "residents_60plus",
          "per_thousand_m2",
          "target_m2",
          "surplus_m2",
          "meets_target",
          "ratio_to_city",
          "rank"};
  auto row = [&](const PerThousandRow& x) {
    const Completeness k = x.area_known();
    csv.row(x.level, x.code, x.name, x.parent_code, known_cell(x.floor_area_m2, k), x.facilities,
            x.facilities_without_area, k.incomplete(), k.share_known(), x.residents.total,
            x.residents.aged_60plus, x.per_thousand, x.target, x.surplus_m2, x.meets_target,
            x.ratio_to_city, x.rank);
  };
  for (const auto& x : r.rows) row(x);
  row(r.city);
  row(r.city_complete);
  return csv.str();
}

std::string meal_capacity_csv(const MealCapacityResult& r) {
  Csv csv{"level",
          "code",
          "name",
          "sites",
          "sites_without_capacity",
          "incomplete",
          "share_known",
          "meals_per_day",
          "residents_60plus",
          "per_1000_60plus",
          "target_per_1000_60plus",
          "target_meals_per_day",
          "surplus_meals_per_day",
          "coverage_60plus"};
  auto row = [&](const MealCapacityRow& x) {
    const Completeness k = x.capacity_known();
    csv.row(x.level, x.code, x.name, x.sites, x.sites_without_capacity, k.incomplete(),
            k.share_known(), known_cell(x.meals_per_day, k), x.residents_60plus, x.per_1000_60plus,
            x.target_per_1000_60plus, x.target_meals_per_day, x.surplus_meals_per_day,
            x.coverage_60plus);
  };
  for (const auto& x : r.rows) row(x);
  row(r.city);
  row(r.city_complete);
  return csv.str();
}

std::string columbaria_csv(const ColumbariaResult& r) {
  Csv csv{"code",      "name",       "district_code", "kind",      "columbaria", "meets_rule",
          "residents", "centre_lon", "centre_lat",    "nearest_m", "nearest_id", "nearest_name"};
  for (const auto& t : r.towns)
    csv.row(t.code, t.name, t.district_code, t.kind, t.columbaria, t.meets_rule, t.residents,
            t.centre ? std::optional<double>(t.centre->lon) : std::nullopt,
            t.centre ? std::optional<double>(t.centre->lat) : std::nullopt, t.nearest_m,
            t.nearest_id, t.nearest_name);
  return csv.str();
}

std::string one_plus_n_csv(const OnePlusNResult& r) {
  Csv csv{"code",       "name",      "district_code",     "kind",  "centers",      "stations",
          "has_center", "residents", "residents_covered", "cells", "cells_covered"};
  for (const auto& s : r.streets)
    csv.row(s.code, s.name, s.district_code, s.kind, s.centers, s.stations, s.has_center,
            s.residents, s.residents_covered, s.cells, s.cells_covered);
  return csv.str();
}

}  // namespace lifecircle
