#include "collections.hpp"

#include <algorithm>
#include <numeric>

#include "json_writer.hpp"
#include "lifecircle/geometry.hpp"

namespace lifecircle::server {

const std::vector<SupportedCrs>& supported_crs() {
  static const std::vector<SupportedCrs> all = {{crs_uri::kCrs84, OutputDatum::wgs84},
                                                {crs_uri::kGcj02, OutputDatum::gcj02},
                                                {crs_uri::kBd09, OutputDatum::bd09}};
  return all;
}

std::string_view to_string(PropertyType t) {
  switch (t) {
    case PropertyType::integer:
      return "integer";
    case PropertyType::number:
      return "number";
    case PropertyType::string:
      break;
  }
  return "string";
}

const SupportedCrs* find_crs(std::string_view uri) {
  for (const auto& c : supported_crs())
    if (c.uri == uri) return &c;
  return nullptr;
}

namespace {

using Presence = PropertySpec::Presence;

// Substring test folding ASCII case only: UTF-8 sequences (Chinese names) compare byte for
// byte, which is exact because no UTF-8 character is a part of another. `term` is lower-case.
bool contains_folded(std::string_view text, std::string_view term) {
  if (term.empty()) return true;
  const auto lower = [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (std::size_t i = 0; i + term.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < term.size() && lower(text[i + k]) == term[k]) ++k;
    if (k == term.size()) return true;
  }
  return false;
}

// One collection over a vector of records of type T, configured by plain functions so each
// collection's definition below reads as a table.
template <class T>
class Table : public FeatureCollection {
 public:
  const std::vector<T>& (*items)(const Dataset&) = nullptr;
  std::string_view (*id_of)(const T&) = nullptr;
  void (*properties)(ObjectWriter&, const T&) = nullptr;
  // Appends the geometry value; nullptr for non-spatial collections (geometry null).
  void (*geometry)(std::string&, const T&, OutputDatum) = nullptr;
  // Lon/lat envelope of one record; nullopt when it has no geometry.
  std::optional<BBox> (*bbox)(const T&) = nullptr;
  // R-tree query for point-like records; when absent the bbox filter tests envelopes.
  std::vector<std::size_t> (Dataset::*index_query)(const BBox&) const = nullptr;
  // The value of a filterable property.
  std::string_view (*filter_value)(const T&, std::string_view name) = nullptr;
  // The texts `q` searches (see text_search); nullptr when the collection has no search.
  std::vector<std::string_view> (*searchable_text)(const T&) = nullptr;

  std::size_t size(const Dataset& d) const override { return items(d).size(); }

  std::vector<std::size_t> select(const Dataset& d, const ItemQuery& q) const override {
    const std::vector<T>& v = items(d);
    std::vector<std::size_t> candidates;
    if (q.bbox && index_query) {
      candidates = (d.*index_query)(*q.bbox);
    } else {
      candidates.resize(v.size());
      std::iota(candidates.begin(), candidates.end(), std::size_t{0});
    }
    if (!q.bbox && q.filters.empty() && q.text.empty()) return candidates;
    std::vector<std::size_t> out;
    out.reserve(candidates.size());
    for (const std::size_t i : candidates) {
      const T& t = v[i];
      if (q.bbox && !index_query) {
        const auto b = bbox ? bbox(t) : std::nullopt;
        if (!b || !b->intersects(*q.bbox)) continue;
      }
      bool ok = true;
      for (const auto& [name, values] : q.filters) {
        const std::string_view value = filter_value(t, name);
        if (std::find(values.begin(), values.end(), value) == values.end()) {
          ok = false;
          break;
        }
      }
      if (ok && !q.text.empty()) ok = matches_text(t, q.text);
      if (ok) out.push_back(i);
    }
    return out;
  }

  bool matches_text(const T& t, const std::vector<std::string>& terms) const {
    if (!searchable_text) return false;
    const std::vector<std::string_view> texts = searchable_text(t);
    for (const std::string& term : terms)
      for (const std::string_view text : texts)
        if (contains_folded(text, term)) return true;
    return false;
  }

  std::optional<std::size_t> find(const Dataset& d, std::string_view fid) const override {
    const std::vector<T>& v = items(d);
    for (std::size_t i = 0; i < v.size(); ++i)
      if (id_of(v[i]) == fid) return i;
    return std::nullopt;
  }

  std::string feature_id(const Dataset& d, std::size_t index) const override {
    return std::string(id_of(items(d)[index]));
  }

  void write_feature(std::string& out, const Dataset& d, std::size_t index,
                     OutputDatum datum) const override {
    const T& t = items(d)[index];
    out += R"({"type":"Feature","id":)";
    append_string(out, id_of(t));
    out += R"(,"geometry":)";
    if (geometry)
      geometry(out, t, datum);
    else
      out += "null";
    out += R"(,"properties":)";
    {
      ObjectWriter props(out);
      properties(props, t);
    }
    out.push_back('}');
  }

  std::optional<BBox> extent(const Dataset& d) const override {
    if (!bbox) return std::nullopt;
    std::optional<BBox> all;
    for (const T& t : items(d)) {
      const auto b = bbox(t);
      if (!b) continue;
      if (!all) {
        all = *b;
        continue;
      }
      all->min_x = std::min(all->min_x, b->min_x);
      all->min_y = std::min(all->min_y, b->min_y);
      all->max_x = std::max(all->max_x, b->max_x);
      all->max_y = std::max(all->max_y, b->max_y);
    }
    return all;
  }
};

std::optional<BBox> unit_bbox(const AdminUnit& u) {
  if (u.geometry.empty()) return std::nullopt;
  return bbox_of(u.geometry);
}

void unit_geometry(std::string& out, const AdminUnit& u, OutputDatum d) {
  if (u.geometry.empty())
    out += "null";
  else
    append_multipolygon(out, u.geometry, d);
}

std::string_view unit_code(const AdminUnit& u) { return u.code; }

const std::vector<std::string> kUnitKinds = {"urban", "rural", "zone"};

// Streets/towns and committees serve the same properties; population only where known.
void child_unit_properties(ObjectWriter& w, const AdminUnit& u) {
  w.str("code", u.code);
  w.str("name", u.name);
  w.str("parent_code", u.parent_code);
  w.str("kind", u.kind);
  if (u.population) w.num("population", *u.population);
  if (u.population_60plus) w.num("population_60plus", *u.population_60plus);
  w.str_or_null("source", u.source);
}

std::vector<PropertySpec> child_unit_schema(std::string_view parent) {
  return {{"code", PropertyType::string, "code"},
          {"name", PropertyType::string, "name"},
          {"parent_code", PropertyType::string, std::string("code of the ") + std::string(parent)},
          {"kind", PropertyType::string, "urban, rural or zone"},
          {"population", PropertyType::integer, "residents", Presence::optional},
          {"population_60plus", PropertyType::integer, "residents aged 60+", Presence::optional},
          {"source", PropertyType::string, "source", Presence::nullable}};
}

std::unique_ptr<FeatureCollection> districts() {
  auto c = std::make_unique<Table<AdminUnit>>();
  c->id = "districts";
  c->title = "Districts";
  c->description =
      "Districts (区) with their resident population (2020 census) and, where known, "
      "residents aged 60+. Feature id: the 6-digit administrative code.";
  c->items = [](const Dataset& d) -> const std::vector<AdminUnit>& { return d.districts(); };
  c->id_of = unit_code;
  c->properties = [](ObjectWriter& w, const AdminUnit& u) {
    w.str("code", u.code);
    w.str("name", u.name);
    w.num("population", u.population);
    if (u.population_60plus) w.num("population_60plus", *u.population_60plus);
    w.str_or_null("source", u.source);
  };
  c->geometry = unit_geometry;
  c->bbox = unit_bbox;
  c->geometry_format = "geometry-multipolygon";
  c->schema = {
      {"code", PropertyType::string, "6-digit administrative code"},
      {"name", PropertyType::string, "name"},
      {"population", PropertyType::integer, "residents (2020 census)", Presence::nullable},
      {"population_60plus", PropertyType::integer, "residents aged 60+", Presence::optional},
      {"source", PropertyType::string, "source", Presence::nullable}};
  c->filter_value = [](const AdminUnit&, std::string_view) { return std::string_view(); };
  return c;
}

std::unique_ptr<FeatureCollection> streets_towns() {
  auto c = std::make_unique<Table<AdminUnit>>();
  c->id = "streets_towns";
  c->title = "Streets and towns";
  c->description =
      "Streets (街道, urban), towns and townships (镇/乡, rural) and statistical zones "
      "(开发区/农场). Geometry is null where no boundary is known. Feature id: the "
      "9-digit code.";
  c->items = [](const Dataset& d) -> const std::vector<AdminUnit>& { return d.streets_towns(); };
  c->id_of = unit_code;
  c->properties = child_unit_properties;
  c->geometry = unit_geometry;
  c->bbox = unit_bbox;
  c->geometry_format = "geometry-multipolygon";
  c->schema = child_unit_schema("district");
  c->filters = {{"district_code", "6-digit code of the district (parent_code)", {}, 6},
                {"kind", "urban (街道), rural (镇/乡) or zone", kUnitKinds}};
  c->filter_value = [](const AdminUnit& u, std::string_view name) -> std::string_view {
    return name == "district_code" ? std::string_view(u.parent_code) : std::string_view(u.kind);
  };
  return c;
}

std::unique_ptr<FeatureCollection> committees() {
  auto c = std::make_unique<Table<AdminUnit>>();
  c->id = "committees";
  c->title = "Residents' and villagers' committees";
  c->description =
      "居委会 (urban) and 村委会 (rural) with the street/town they belong to; no "
      "geometry. Feature id: the 12-digit code.";
  c->spatial = false;
  c->items = [](const Dataset& d) -> const std::vector<AdminUnit>& { return d.committees(); };
  c->id_of = unit_code;
  c->properties = child_unit_properties;
  c->schema = child_unit_schema("street/town");
  c->filters = {{"street_code", "9-digit code of the street/town (parent_code)", {}, 9},
                {"kind", "urban (居委会) or rural (村委会)", kUnitKinds}};
  c->filter_value = [](const AdminUnit& u, std::string_view name) -> std::string_view {
    return name == "street_code" ? std::string_view(u.parent_code) : std::string_view(u.kind);
  };
  return c;
}

std::unique_ptr<FeatureCollection> facilities() {
  auto c = std::make_unique<Table<Facility>>();
  c->id = "facilities";
  c->title = "Facilities";
  c->description =
      "Eldercare facilities, meal sites and public columbaria (points). Feature id: "
      "the facility id.";
  c->items = [](const Dataset& d) -> const std::vector<Facility>& { return d.facilities(); };
  c->id_of = [](const Facility& f) -> std::string_view { return f.id; };
  c->properties = [](ObjectWriter& w, const Facility& f) {
    w.str("id", f.id);
    w.str("name", f.name);
    w.str("family", to_string(f.family));
    w.str("type", f.type);
    w.str("status", to_string(f.status));
    w.num("floor_area_m2", f.floor_area_m2);
    w.num("beds", f.beds);
    w.num("meal_capacity_per_day", f.meal_capacity_per_day);
    w.str_or_null("district_code", f.district_code);
    w.str_or_null("street_code", f.street_code);
    w.str_or_null("address", f.address);
    w.str_or_null("source", f.source);
  };
  c->geometry = [](std::string& out, const Facility& f, OutputDatum d) {
    append_point(out, f.pos, d);
  };
  c->bbox = [](const Facility& f) -> std::optional<BBox> {
    return BBox{f.pos.lon, f.pos.lat, f.pos.lon, f.pos.lat};
  };
  c->index_query = &Dataset::facilities_in;
  c->geometry_format = "geometry-point";
  c->schema = {
      {"id", PropertyType::string, "facility id"},
      {"name", PropertyType::string, "name"},
      {"family", PropertyType::string, "eldercare, meal or columbarium"},
      {"type", PropertyType::string, "facility type"},
      {"status", PropertyType::string, "open, planned or closed"},
      {"floor_area_m2", PropertyType::number, "floor area (m²)", Presence::nullable},
      {"beds", PropertyType::integer, "beds", Presence::nullable},
      {"meal_capacity_per_day", PropertyType::integer, "meals per day", Presence::nullable},
      {"district_code", PropertyType::string, "district code", Presence::nullable},
      {"street_code", PropertyType::string, "street/town code", Presence::nullable},
      {"address", PropertyType::string, "address", Presence::nullable},
      {"source", PropertyType::string, "source", Presence::nullable}};
  c->text_search = "name and address";
  c->searchable_text = [](const Facility& f) -> std::vector<std::string_view> {
    return {f.name, f.address};
  };
  std::vector<std::string> types;
  for (const auto& t : facility_types()) types.emplace_back(t.type);
  c->filters = {{"family", "facility family", {"eldercare", "meal", "columbarium"}},
                {"type", "facility type within its family", types},
                {"status", "operating status", {"open", "planned", "closed"}},
                {"district_code", "6-digit district code", {}, 6},
                {"street_code", "9-digit street/town code", {}, 9}};
  c->filter_value = [](const Facility& f, std::string_view name) -> std::string_view {
    if (name == "family") return to_string(f.family);
    if (name == "type") return f.type;
    if (name == "status") return to_string(f.status);
    if (name == "district_code") return f.district_code;
    return f.street_code;
  };
  return c;
}

std::unique_ptr<FeatureCollection> population() {
  auto c = std::make_unique<Table<PopulationCell>>();
  c->id = "population";
  c->title = "Population (demand cells)";
  c->description =
      "Residents (and residents aged 60+) per cell or point: the demand side of every "
      "coverage figure. A bbox selects cells by their representative point. Feature "
      "id: the cell id.";
  c->items = [](const Dataset& d) -> const std::vector<PopulationCell>& { return d.population(); };
  c->id_of = [](const PopulationCell& p) -> std::string_view { return p.id; };
  c->properties = [](ObjectWriter& w, const PopulationCell& p) {
    w.str("id", p.id);
    w.num("population", p.population);
    w.num("population_60plus", p.population_60plus);
    w.str_or_null("district_code", p.district_code);
    w.str_or_null("street_code", p.street_code);
    w.str_or_null("source", p.source);
  };
  c->geometry = [](std::string& out, const PopulationCell& p, OutputDatum d) {
    if (p.geometry.empty())
      append_point(out, p.pos, d);
    else
      append_multipolygon(out, p.geometry, d);
  };
  c->bbox = [](const PopulationCell& p) -> std::optional<BBox> {
    if (!p.geometry.empty()) return bbox_of(p.geometry);
    return BBox{p.pos.lon, p.pos.lat, p.pos.lon, p.pos.lat};
  };
  c->index_query = &Dataset::population_in;
  c->geometry_format = "geometry-any";  // cell polygons, or points for point demand
  // Residents may be apportioned to cells, so counts here are not always whole.
  c->schema = {
      {"id", PropertyType::string, "cell id"},
      {"population", PropertyType::number, "residents"},
      {"population_60plus", PropertyType::number, "residents aged 60+", Presence::nullable},
      {"district_code", PropertyType::string, "district code", Presence::nullable},
      {"street_code", PropertyType::string, "street/town code", Presence::nullable},
      {"source", PropertyType::string, "source", Presence::nullable}};
  c->filters = {{"district_code", "6-digit district code", {}, 6},
                {"street_code", "9-digit street/town code", {}, 9}};
  c->filter_value = [](const PopulationCell& p, std::string_view name) -> std::string_view {
    return name == "district_code" ? std::string_view(p.district_code)
                                   : std::string_view(p.street_code);
  };
  return c;
}

std::unique_ptr<FeatureCollection> plan_indicators() {
  auto c = std::make_unique<Table<PlanIndicator>>();
  c->id = "plan_indicators";
  c->title = "Plan indicators 2021-2025";
  c->description =
      "The main indicators of Shanghai's 14th five-year civil-affairs plan: baseline, "
      "target and latest reported value. Non-spatial: geometry is null.";
  c->spatial = false;
  c->items = [](const Dataset& d) -> const std::vector<PlanIndicator>& {
    return d.plan_indicators();
  };
  c->id_of = [](const PlanIndicator& p) -> std::string_view { return p.id; };
  c->properties = [](ObjectWriter& w, const PlanIndicator& p) {
    w.str("id", p.id);
    w.str("name_zh", p.name_zh);
    w.str_or_null("name_en", p.name_en);
    w.str_or_null("unit", p.unit);
    w.str_or_null("kind", p.kind);
    w.str_or_null("definition_zh", p.definition_zh);
    w.num("baseline_2020", p.baseline_2020);
    w.num("target_2025", p.target_2025);
    w.str_or_null("target_op", p.target_op);
    w.num("latest_value", p.latest_value);
    if (p.latest_year)
      w.num("latest_year", *p.latest_year);
    else
      w.key("latest_year") += "null";
    w.str_or_null("latest_note", p.latest_note);
    w.str_or_null("source", p.source);
  };
  c->schema = {
      {"id", PropertyType::string, "indicator id"},
      {"name_zh", PropertyType::string, "name (Chinese)"},
      {"name_en", PropertyType::string, "name (English)", Presence::nullable},
      {"unit", PropertyType::string, "unit", Presence::nullable},
      {"kind", PropertyType::string, "binding or expected", Presence::nullable},
      {"definition_zh", PropertyType::string, "definition (Chinese)", Presence::nullable},
      {"baseline_2020", PropertyType::number, "baseline 2020", Presence::nullable},
      {"target_2025", PropertyType::number, "target 2025", Presence::nullable},
      {"target_op", PropertyType::string, "how the target compares", Presence::nullable},
      {"latest_value", PropertyType::number, "latest reported value", Presence::nullable},
      {"latest_year", PropertyType::integer, "year of the latest value", Presence::nullable},
      {"latest_note", PropertyType::string, "note on the latest value", Presence::nullable},
      {"source", PropertyType::string, "source", Presence::nullable}};
  c->filters = {{"kind", "binding or expected", {"binding", "expected"}}};
  c->filter_value = [](const PlanIndicator& p, std::string_view) -> std::string_view {
    return p.kind;
  };
  return c;
}

}  // namespace

const std::vector<std::unique_ptr<FeatureCollection>>& feature_collections() {
  static const auto all = [] {
    std::vector<std::unique_ptr<FeatureCollection>> v;
    v.push_back(districts());
    v.push_back(streets_towns());
    v.push_back(committees());
    v.push_back(facilities());
    v.push_back(population());
    v.push_back(plan_indicators());
    return v;
  }();
  return all;
}

const FeatureCollection* find_collection(std::string_view id) {
  for (const auto& c : feature_collections())
    if (c->id == id) return c.get();
  return nullptr;
}

}  // namespace lifecircle::server
