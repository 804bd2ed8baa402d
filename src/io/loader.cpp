#include "lifecircle/loader.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "geo/geos.hpp"
#include "io/gdal_handles.hpp"
#include "lifecircle/geometry.hpp"

namespace lifecircle {

namespace io {
void ensure_gdal_registered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}
}  // namespace io

namespace {

using io::GdalDatasetPtr;

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Parses a whole string as a number; blank is "absent", anything else that is not a number
// fails, so "12 m2" or "n/a" are reported rather than read as 12 or 0.
enum class NumParse { absent, ok, bad };
NumParse parse_number(const std::string& text, double& out) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return NumParse::absent;
  const auto last = text.find_last_not_of(" \t");
  const std::string t = text.substr(first, last - first + 1);
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(out)) return NumParse::bad;
  return NumParse::ok;
}

// Everything the loader needs to read one manifest layer, feature by feature, with problems
// reported against the layer's file and the feature's id.
class LayerReader {
 public:
  LayerReader(const LayerSource& src, std::string key, ValidationReport& report)
      : src_(src), key_(std::move(key)), report_(report) {}

  bool open() {
    io::ensure_gdal_registered();
    const bool is_file = src_.path.find(':') == std::string::npos || src_.path.rfind("/", 0) == 0;
    // GDAL's stat sees its virtual file systems (/vsimem/, /vsizip/) as well as real files.
    VSIStatBufL stat;
    if (is_file && VSIStatL(src_.path.c_str(), &stat) != 0) {
      report_.error("unreadable_file", src_.source, key_, "", "", "file not found: " + src_.path);
      return false;
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    ds_.reset(GDALDataset::Open(src_.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    const std::string gdal_msg = CPLGetLastErrorMsg();
    CPLPopErrorHandler();
    if (!ds_) {
      report_.error("unreadable_file", src_.source, key_, "", "",
                    "GDAL cannot open it as a vector source" +
                        (gdal_msg.empty() ? std::string() : ": " + gdal_msg));
      return false;
    }
    layer_ = src_.layer.empty() ? ds_->GetLayer(0) : ds_->GetLayerByName(src_.layer.c_str());
    if (layer_ == nullptr) {
      report_.error(
          "missing_layer", src_.source, key_, "", "",
          src_.layer.empty() ? "the source has no layer" : "no layer named '" + src_.layer + "'");
      return false;
    }
    return resolve_crs();
  }

  OGRLayer& layer() { return *layer_; }
  // A CSV source: problems name the line (the header is line 1, feature k is line k + 1).
  bool is_csv() const {
    return ds_ && ds_->GetDriver() && std::string(ds_->GetDriver()->GetDescription()) == "CSV";
  }
  const std::string& key() const { return key_; }
  const LayerSource& source() const { return src_; }
  ValidationReport& report() { return report_; }

  // Source field index for a served property, or -1.
  int field_index(const std::string& served) const {
    auto it = src_.fields.find(served);
    const std::string& name = it == src_.fields.end() ? served : it->second;
    return layer_->GetLayerDefn()->GetFieldIndex(name.c_str());
  }
  std::string field_name(const std::string& served) const {
    auto it = src_.fields.find(served);
    return it == src_.fields.end() ? served : it->second;
  }
  // A field the manifest maps explicitly must exist: a typo there would otherwise read as
  // "every feature lacks the field".
  bool check_mapped_fields() {
    bool ok = true;
    for (const auto& [served, field] : src_.fields) {
      if (layer_->GetLayerDefn()->GetFieldIndex(field.c_str()) < 0) {
        report_.error("missing_field", src_.source, key_, "", field,
                      "the manifest maps '" + served + "' to field '" + field +
                          "', which the layer does not have");
        ok = false;
      }
    }
    if (!src_.x_field.empty()) {
      for (const auto& f : {src_.x_field, src_.y_field}) {
        if (layer_->GetLayerDefn()->GetFieldIndex(f.c_str()) < 0) {
          report_.error("missing_field", src_.source, key_, "", f,
                        "coordinate column '" + f + "' not found");
          ok = false;
        }
      }
    }
    return ok;
  }

  // Converts source coordinates to WGS84 lon/lat.
  LonLat to_wgs84(double x, double y) const { return (*to_wgs84_)(x, y); }
  const CrsSpec& crs() const { return crs_; }

 private:
  bool resolve_crs() {
    if (src_.crs) {
      crs_ = *src_.crs;
    } else if (const OGRSpatialReference* srs = layer_->GetSpatialRef()) {
      const char* auth = srs->GetAuthorityName(nullptr);
      const char* code = srs->GetAuthorityCode(nullptr);
      if (auth && code && std::string(auth) == "EPSG" && std::string(code) == "4326") {
        crs_.kind = CrsSpec::Kind::wgs84;
      } else if (auth && code) {
        crs_ = {CrsSpec::Kind::proj, std::string(auth) + ":" + code};
      } else {
        char* wkt = nullptr;
        srs->exportToWkt(&wkt);
        crs_ = {CrsSpec::Kind::proj, wkt ? wkt : ""};
        CPLFree(wkt);
      }
    } else {
      crs_.kind = CrsSpec::Kind::wgs84;
    }
    try {
      to_wgs84_ = std::make_unique<ToWgs84>(crs_);
    } catch (const std::exception& e) {
      report_.error("bad_crs", src_.source, key_, "", "crs", e.what());
      return false;
    }
    return true;
  }

  const LayerSource& src_;
  std::string key_;
  ValidationReport& report_;
  GdalDatasetPtr ds_;
  OGRLayer* layer_ = nullptr;
  CrsSpec crs_;
  std::unique_ptr<ToWgs84> to_wgs84_;
};

// One feature seen through the manifest's field mapping.
class FeatureView {
 public:
  FeatureView(LayerReader& r, const OGRFeature& f, std::size_t index)
      : r_(r),
        f_(f),
        line_(r.is_csv() ? "line " + std::to_string(index + 2) : std::string()),
        label_(line_.empty() ? "#" + std::to_string(index + 1) : line_) {}

  void set_label(const std::string& id) {
    if (!id.empty()) label_ = id;
  }
  const std::string& label() const { return label_; }

  std::optional<std::string> text(const std::string& served) const {
    const int i = r_.field_index(served);
    if (i >= 0 && f_.IsFieldSetAndNotNull(i)) {
      std::string v = f_.GetFieldAsString(i);
      if (!v.empty()) return v;
    }
    auto d = r_.source().defaults.find(served);
    if (d != r_.source().defaults.end()) return d->second;
    return std::nullopt;
  }
  std::string text_or(const std::string& served, const std::string& fallback = {}) const {
    return text(served).value_or(fallback);
  }
  std::optional<std::string> required_text(const std::string& served) const {
    auto v = text(served);
    if (!v) error("missing_field", served, "required field is missing or empty");
    return v;
  }

  // A number, or nullopt when absent; a non-number or a negative value is reported.
  std::optional<double> number(const std::string& served, bool required = false,
                               bool non_negative = true) const {
    std::optional<double> out;
    const int i = r_.field_index(served);
    if (i >= 0 && f_.IsFieldSetAndNotNull(i)) {
      const OGRFieldType t = f_.GetFieldDefnRef(i)->GetType();
      if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        out = f_.GetFieldAsDouble(i);
      } else {
        double v = 0;
        const std::string raw = f_.GetFieldAsString(i);
        switch (parse_number(raw, v)) {
          case NumParse::ok:
            out = v;
            break;
          case NumParse::bad:
            error("non_numeric", served, "'" + raw + "' is not a number");
            return std::nullopt;
          case NumParse::absent:
            break;
        }
      }
    }
    if (!out) {
      auto d = r_.source().defaults.find(served);
      double v = 0;
      if (d != r_.source().defaults.end() && parse_number(d->second, v) == NumParse::ok) out = v;
    }
    if (!out && required) error("missing_field", served, "required number is missing");
    if (out && non_negative && *out < 0) {
      error("negative_value", served, "must not be negative, got " + std::to_string(*out));
      return std::nullopt;
    }
    return out;
  }

  void error(const std::string& code, const std::string& served, const std::string& msg) const {
    r_.report().error(code, r_.source().source, r_.key(), label_,
                      served.empty() ? "" : r_.field_name(served), at_line(msg));
  }
  void warning(const std::string& code, const std::string& served, const std::string& msg) const {
    r_.report().warning(code, r_.source().source, r_.key(), label_,
                        served.empty() ? "" : r_.field_name(served), at_line(msg));
  }

  const OGRFeature& feature() const { return f_; }
  LayerReader& reader() const { return r_; }

 private:
  // A CSV row is found by its line in a spreadsheet or editor, whatever its id says.
  std::string at_line(const std::string& msg) const {
    return line_.empty() ? msg : line_ + ": " + msg;
  }

  LayerReader& r_;
  const OGRFeature& f_;
  std::string line_;  // "line N" for CSV sources, else empty
  std::string label_;
};

// References to units of a layer that did not load cleanly: the layer's own errors are the root
// cause, so the features naming those units are counted and reported once, not one by one.
struct Cascade {
  explicit Cascade(bool parent_failed) : parent_layer_failed(parent_failed) {}
  bool parent_layer_failed;
  std::map<std::string, std::size_t> by_code;
  std::size_t features = 0;

  bool absorbs(const std::string& code) {
    if (!parent_layer_failed) return false;
    ++by_code[code];
    ++features;
    return true;
  }
  void report(ValidationReport& r, const LayerSource& src, const std::string& layer,
              const std::string& field, const char* what, const char* parent_layer) const {
    if (features == 0) return;
    std::string codes;
    std::size_t listed = 0;
    for (const auto& [code, n] : by_code) {
      if (listed++ == 5) {
        codes += ", ...";
        break;
      }
      codes += (codes.empty() ? "" : ", ") + code + " (" + std::to_string(n) + ")";
    }
    r.error("unloaded_parent", src.source, layer, "", field,
            std::to_string(features) + " " + what + " name " + std::to_string(by_code.size()) +
                " code(s) the " + parent_layer + " layer did not load because of its errors (" +
                codes + "); fix those errors first");
  }
};

// Shared state for one load: the metric projection, GEOS context and the manifest extent.
struct LoadContext {
  const Manifest& manifest;
  ValidationReport& report;
  MetricProjection proj;
  geos::Context geos;
  // Whether the districts or streets/towns layer reported errors (so some units are missing).
  bool districts_failed = false;
  bool streets_failed = false;
};

// Checks a WGS84 position against the manifest's extent, recognising swapped lat/lon.
bool check_position(const FeatureView& fv, LonLat p, const BBox& extent, const char* what) {
  if (!std::isfinite(p.lon) || !std::isfinite(p.lat)) {
    fv.error("bad_coordinates", "", std::string(what) + " has non-finite coordinates");
    return false;
  }
  if (extent.contains(p.lon, p.lat)) return true;
  char buf[160];
  if (extent.contains(p.lat, p.lon)) {
    std::snprintf(buf, sizeof buf, "%s (%.6f, %.6f) looks like latitude/longitude swapped", what,
                  p.lon, p.lat);
    fv.error("swapped_coordinates", "", buf);
  } else {
    std::snprintf(buf, sizeof buf,
                  "%s (%.6f, %.6f) lies outside the dataset extent [%.3f, %.3f, %.3f, %.3f]", what,
                  p.lon, p.lat, extent.min_x, extent.min_y, extent.max_x, extent.max_y);
    fv.error("outside_extent", "", buf);
  }
  return false;
}

std::vector<LonLat> read_ring(const FeatureView& fv, const OGRLinearRing& ring) {
  std::vector<LonLat> out;
  out.reserve(static_cast<std::size_t>(ring.getNumPoints()));
  for (int i = 0; i < ring.getNumPoints(); ++i)
    out.push_back(fv.reader().to_wgs84(ring.getX(i), ring.getY(i)));
  if (!out.empty() && (out.front().lon != out.back().lon || out.front().lat != out.back().lat))
    out.push_back(out.front());
  return out;
}

Polygon read_polygon(const FeatureView& fv, const OGRPolygon& poly) {
  Polygon p;
  if (poly.getExteriorRing() == nullptr) return p;
  p.rings.push_back(read_ring(fv, *poly.getExteriorRing()));
  for (int i = 0; i < poly.getNumInteriorRings(); ++i)
    p.rings.push_back(read_ring(fv, *poly.getInteriorRing(i)));
  return p;
}

// Reads a polygonal geometry into WGS84 and the metric CRS, repairing invalid polygons with
// MakeValid (a warning naming the feature), so analysis never meets a bow-tie.
bool read_polygons(LoadContext& ctx, const FeatureView& fv, bool required, MultiPolygon& wgs,
                   MultiPolygonXY& xy) {
  const OGRGeometry* g = fv.feature().GetGeometryRef();
  if (g == nullptr || g->IsEmpty()) {
    if (required) fv.error("empty_geometry", "", "the feature has no geometry");
    return !required;
  }
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon) {
    wgs.push_back(read_polygon(fv, *g->toPolygon()));
  } else if (type == wkbMultiPolygon) {
    for (const auto* part : *g->toMultiPolygon()) wgs.push_back(read_polygon(fv, *part));
  } else {
    fv.error("wrong_geometry_type", "",
             std::string("expected a (multi)polygon, got ") + OGRGeometryTypeToName(type));
    return false;
  }
  const BBox b = bbox_of(wgs);
  if (!check_position(fv, {b.min_x, b.min_y}, ctx.manifest.extent, "polygon corner") ||
      !check_position(fv, {b.max_x, b.max_y}, ctx.manifest.extent, "polygon corner"))
    return false;
  xy = project(wgs, ctx.proj);
  auto geom = geos::make_multipolygon(ctx.geos, xy);
  std::string reason;
  XY where;
  const bool valid = geos::is_valid(ctx.geos, geom.get(), &reason, &where);
  if (valid && geos::valid_when_rounded(ctx.geos, wgs)) return true;
  // Repaired and snapped to the served precision, so what is served is valid as written.
  auto fixed = geos::servable(ctx.geos, geom.get(), ctx.proj);
  const std::size_t parts_before = wgs.size();
  wgs = std::move(fixed.lonlat);
  xy = std::move(fixed.metric);
  if (wgs.empty()) {
    fv.error("degenerate_polygon", "", "the polygon has no area left after repair");
    return false;
  }
  char buf[200];
  if (!valid) {
    const LonLat at = ctx.proj.inverse(where);
    std::snprintf(buf, sizeof buf,
                  "invalid polygon (%s at lon %.6f, lat %.6f) repaired with MakeValid",
                  reason.c_str(), at.lon, at.lat);
  } else {
    std::snprintf(buf, sizeof buf,
                  "polygon invalid once rounded to %d decimals; snapped to that grid",
                  kServedCoordinateDecimals);
  }
  std::string msg = buf;
  if (wgs.size() != parts_before)
    msg += "; " + std::to_string(parts_before) + " part(s) became " + std::to_string(wgs.size());
  fv.warning("invalid_polygon_repaired", "", msg);
  return true;
}

// A point from the geometry, or from the x/y columns a CSV names.
std::optional<LonLat> read_point(LoadContext& ctx, const FeatureView& fv) {
  const auto& src = fv.reader().source();
  std::optional<LonLat> p;
  if (!src.x_field.empty()) {
    const auto x = fv.number(src.x_field, true, false);
    const auto y = fv.number(src.y_field, true, false);
    if (!x || !y) return std::nullopt;
    p = fv.reader().to_wgs84(*x, *y);
  } else {
    const OGRGeometry* g = fv.feature().GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) {
      fv.error("empty_geometry", "", "the feature has no point geometry");
      return std::nullopt;
    }
    if (wkbFlatten(g->getGeometryType()) != wkbPoint) {
      fv.error("wrong_geometry_type", "",
               std::string("expected a point, got ") +
                   OGRGeometryTypeToName(wkbFlatten(g->getGeometryType())));
      return std::nullopt;
    }
    const OGRPoint* pt = g->toPoint();
    p = fv.reader().to_wgs84(pt->getX(), pt->getY());
  }
  if (!check_position(fv, *p, ctx.manifest.extent, "point")) return std::nullopt;
  return p;
}

// From the name alone; towns are refined by their committees once those are read.
std::string derive_street_kind(const std::string& name) {
  return street_town_kind(name, std::nullopt);
}

std::string derive_committee_kind(const std::string& name) { return committee_kind(name); }

bool valid_kind(const std::string& k) { return k == "urban" || k == "rural" || k == "zone"; }

// Reads every feature of a layer through `fn`, returning false when the layer could not be read.
template <class Fn>
bool for_each_feature(LayerReader& reader, Fn fn) {
  if (!reader.open() || !reader.check_mapped_fields()) return false;
  std::size_t index = 0;
  reader.layer().ResetReading();
  for (const auto& feature : reader.layer()) {
    FeatureView fv(reader, *feature, index++);
    fn(fv);
  }
  return true;
}

void load_districts(LoadContext& ctx, const LayerSource& src, DatasetContent& c) {
  const std::size_t errors_before = ctx.report.error_count();
  LayerReader reader(src, "districts", ctx.report);
  std::unordered_set<std::string> seen;
  for_each_feature(reader, [&](FeatureView& fv) {
    AdminUnit u;
    u.level = UnitLevel::district;
    u.code = fv.text_or("code");
    fv.set_label(u.code);
    const auto name = fv.required_text("name");
    if (u.code.empty()) fv.error("missing_field", "code", "required field is missing or empty");
    const auto pop = fv.number("population", true);
    const auto pop60 = fv.number("population_60plus");
    u.parent_code = fv.text_or("parent_code");
    u.source = fv.text_or("source");
    const bool geom_ok = read_polygons(ctx, fv, true, u.geometry, u.geometry_xy);
    if (u.code.empty() || !name || !pop || !geom_ok) return;
    if (!seen.insert(u.code).second) {
      fv.error("duplicate_id", "code", "district code " + u.code + " appears more than once");
      return;
    }
    if (pop60 && *pop60 > *pop)
      fv.error("inconsistent_value", "population_60plus", "exceeds population");
    u.name = *name;
    u.population = pop;
    u.population_60plus = pop60;
    u.area_m2 = area_of(u.geometry_xy);
    c.districts.push_back(std::move(u));
  });
  ctx.districts_failed = ctx.report.error_count() > errors_before;
}

// Land polygons keyed by district code: each district's land within its boundary.
void load_district_land(LoadContext& ctx, const LayerSource& src, DatasetContent& c) {
  LayerReader reader(src, "district_land", ctx.report);
  std::unordered_map<std::string, AdminUnit*> by_code;
  for (auto& d : c.districts) by_code[d.code] = &d;
  for_each_feature(reader, [&](FeatureView& fv) {
    const std::string code = fv.text_or("code");
    fv.set_label(code);
    const auto it = by_code.find(code);
    if (it == by_code.end()) {
      fv.error("unknown_district", "code", "no district with code '" + code + "'");
      return;
    }
    MultiPolygon wgs;
    MultiPolygonXY xy;
    if (!read_polygons(ctx, fv, true, wgs, xy)) return;
    AdminUnit& d = *it->second;
    d.land_xy.insert(d.land_xy.end(), xy.begin(), xy.end());
    d.land_area_m2 = area_of(d.land_xy);
  });
}

// Streets/towns and committees: units under a parent, with a kind that may be derived from
// the name. One reader, so both layers report the same problems the same way.
struct ChildUnitLayer {
  const char* key;  // manifest layer key
  UnitLevel level;
  const char* what;         // "street/town", "committee"
  const char* parent_what;  // "district", "street/town"
  bool geometry;            // polygons optional (streets) or absent (committees)
  std::string (*derive_kind)(const std::string& name);
  const char* plural;        // "streets/towns", "committees"
  const char* parent_layer;  // "districts", "streets_towns"
};

// Returns the codes whose kind was derived from the name (the layer had none).
std::unordered_set<std::string> load_child_units(LoadContext& ctx, const LayerSource& src,
                                                 const ChildUnitLayer& spec,
                                                 const std::vector<AdminUnit>& parents,
                                                 std::vector<AdminUnit>& out, bool parents_failed,
                                                 bool& failed) {
  const std::size_t errors_before = ctx.report.error_count();
  Cascade cascade(parents_failed);
  std::unordered_set<std::string> derived;
  LayerReader reader(src, spec.key, ctx.report);
  std::unordered_set<std::string> seen, parent_codes;
  for (const auto& p : parents) parent_codes.insert(p.code);
  for_each_feature(reader, [&](FeatureView& fv) {
    AdminUnit u;
    u.level = spec.level;
    u.code = fv.text_or("code");
    fv.set_label(u.code);
    if (u.code.empty()) fv.error("missing_field", "code", "required field is missing or empty");
    const auto name = fv.required_text("name");
    const auto parent = fv.required_text("parent_code");
    u.kind = fv.text_or("kind");
    u.source = fv.text_or("source");
    u.population = fv.number("population");
    u.population_60plus = fv.number("population_60plus");
    const bool geom_ok = !spec.geometry || read_polygons(ctx, fv, false, u.geometry, u.geometry_xy);
    if (u.code.empty() || !name || !parent || !geom_ok) return;
    if (u.kind.empty()) {
      u.kind = spec.derive_kind(*name);
      derived.insert(u.code);
    }
    if (!valid_kind(u.kind)) {
      fv.error("bad_value", "kind", "kind must be urban, rural or zone, got '" + u.kind + "'");
      return;
    }
    // Without a parent layer the registry cannot be checked, only read.
    if (!parent_codes.count(*parent) && (!parent_codes.empty() || parents_failed)) {
      if (cascade.absorbs(*parent)) return;
      fv.error("unknown_parent", "parent_code",
               std::string("no ") + spec.parent_what + " with code " + *parent);
      return;
    }
    if (!seen.insert(u.code).second) {
      fv.error("duplicate_id", "code",
               std::string(spec.what) + " code " + u.code + " appears more than once");
      return;
    }
    u.name = *name;
    u.parent_code = *parent;
    u.area_m2 = area_of(u.geometry_xy);
    out.push_back(std::move(u));
  });
  cascade.report(ctx.report, src, spec.key, reader.field_name("parent_code"), spec.plural,
                 spec.parent_layer);
  failed = ctx.report.error_count() > errors_before;
  return derived;
}

// A town whose kind came from its name is urban when the committee registry lists committees
// for it and none is a villagers' committee (street_town_kind's rule).
void refine_town_kinds(std::vector<AdminUnit>& streets, const std::vector<AdminUnit>& committees,
                       const std::unordered_set<std::string>& derived) {
  std::unordered_map<std::string, bool> has_villages;
  for (const auto& c : committees) {
    bool& v = has_villages[c.parent_code];
    v = v || c.kind == "rural";
  }
  for (auto& u : streets) {
    if (!derived.count(u.code)) continue;
    const auto it = has_villages.find(u.code);
    if (it != has_villages.end()) u.kind = street_town_kind(u.name, it->second);
  }
}

const ChildUnitLayer kStreetLayer{
    "streets_towns",    UnitLevel::street_town, "street/town", "district", true,
    derive_street_kind, "streets/towns",        "districts"};
const ChildUnitLayer kCommitteeLayer{
    "committees", UnitLevel::committee,  "committee",  "street/town",
    false,        derive_committee_kind, "committees", "streets_towns"};

// Attribution by polygon needs the units' polygons; a temporary Dataset would copy them, so
// the loader uses this light index over the content it is building.
class UnitLocator {
 public:
  explicit UnitLocator(const std::vector<AdminUnit>& units) : units_(units) {
    for (std::size_t i = 0; i < units.size(); ++i)
      if (!units[i].geometry_xy.empty()) boxes_.push_back({bbox_of(units[i].geometry_xy), i});
  }
  const AdminUnit* at(XY p) const {
    for (const auto& [b, i] : boxes_)
      if (b.contains(p.x, p.y) && contains(units_[i].geometry_xy, p)) return &units_[i];
    return nullptr;
  }

 private:
  const std::vector<AdminUnit>& units_;
  std::vector<std::pair<BBox, std::size_t>> boxes_;
};

void load_population(LoadContext& ctx, const LayerSource& src, DatasetContent& c) {
  LayerReader reader(src, "population", ctx.report);
  std::unordered_set<std::string> seen;
  const UnitLocator districts(c.districts), streets(c.streets_towns);
  std::size_t unattributed = 0;
  for_each_feature(reader, [&](FeatureView& fv) {
    PopulationCell p;
    p.id = fv.text_or("id");
    fv.set_label(p.id);
    if (p.id.empty()) fv.error("missing_field", "id", "required field is missing or empty");
    const auto pop = fv.number("population", true);
    const auto pop60 = fv.number("population_60plus");
    p.district_code = fv.text_or("district_code");
    p.street_code = fv.text_or("street_code");
    p.source = fv.text_or("source");
    const OGRGeometry* g = fv.feature().GetGeometryRef();
    bool geom_ok = false;
    const bool point_demand =
        !src.x_field.empty() ||
        (g != nullptr && !g->IsEmpty() && wkbFlatten(g->getGeometryType()) == wkbPoint);
    if (point_demand) {
      if (auto pt = read_point(ctx, fv)) {
        p.pos = *pt;
        p.xy = ctx.proj.forward(p.pos);
        geom_ok = true;
      }
    } else {
      MultiPolygonXY xy;
      geom_ok = read_polygons(ctx, fv, true, p.geometry, xy);
      if (geom_ok) {
        // The centroid of a C-shaped clipped cell can fall outside it; then use a point that
        // is guaranteed inside, so the demand is attributed to the right unit.
        p.xy = centroid_of(xy);
        if (!contains(xy, p.xy)) {
          p.xy = geos::point_on_surface(ctx.geos, geos::make_multipolygon(ctx.geos, xy).get());
        }
        p.pos = ctx.proj.inverse(p.xy);
      }
    }
    if (p.id.empty() || !pop || !geom_ok) return;
    if (!seen.insert(p.id).second) {
      fv.error("duplicate_id", "id", "population id " + p.id + " appears more than once");
      return;
    }
    if (pop60 && *pop60 > *pop) {
      fv.error("inconsistent_value", "population_60plus", "exceeds population");
      return;
    }
    p.population = *pop;
    p.population_60plus = pop60;
    if (p.district_code.empty()) {
      if (const AdminUnit* d = districts.at(p.xy)) p.district_code = d->code;
    }
    if (p.street_code.empty()) {
      if (const AdminUnit* s = streets.at(p.xy)) p.street_code = s->code;
    }
    if (p.district_code.empty()) ++unattributed;
    c.population.push_back(std::move(p));
  });
  if (unattributed > 0) {
    ctx.report.warning("unattributed_demand", src.source, "population", "", "",
                       std::to_string(unattributed) +
                           " demand features lie in no district polygon; they count citywide only");
  }
}

// Ceilings of plausibility for one facility: Shanghai's largest eldercare homes have about
// 2,000 beds on some 60,000 m², a central kitchen cooks about 10,000 meals a day.
constexpr double kMaxPlausibleFloorAreaM2 = 200000;
constexpr double kMaxPlausibleBeds = 5000;
constexpr double kMaxPlausibleMealsPerDay = 50000;

void load_facilities(LoadContext& ctx, const LayerSource& src, std::size_t layer_index,
                     std::unordered_set<std::string>& seen, DatasetContent& c) {
  LayerReader reader(src, "facilities[" + std::to_string(layer_index) + "]", ctx.report);
  const UnitLocator districts(c.districts), streets(c.streets_towns);
  std::unordered_map<std::string, const AdminUnit*> street_by_code;
  for (const auto& s : c.streets_towns) street_by_code[s.code] = &s;
  std::unordered_set<std::string> district_codes;
  for (const auto& d : c.districts) district_codes.insert(d.code);
  Cascade no_district(ctx.districts_failed), no_street(ctx.streets_failed);

  for_each_feature(reader, [&](FeatureView& fv) {
    Facility f;
    f.id = fv.text_or("id");
    fv.set_label(f.id);
    if (f.id.empty()) fv.error("missing_field", "id", "required field is missing or empty");
    const auto name = fv.required_text("name");
    const auto family = fv.required_text("family");
    const auto type = fv.required_text("type");
    const std::string status = fv.text_or("status", "open");
    f.floor_area_m2 = fv.number("floor_area_m2");
    f.beds = fv.number("beds");
    f.meal_capacity_per_day = fv.number("meal_capacity_per_day");
    // Far beyond any real facility: a unit or typing slip (cm² for m², a year for a day). Kept,
    // but said, since one such value would dominate a district's per-thousand figure.
    for (const auto& [field, value, ceiling] :
         {std::tuple{"floor_area_m2", f.floor_area_m2, kMaxPlausibleFloorAreaM2},
          std::tuple{"beds", f.beds, kMaxPlausibleBeds},
          std::tuple{"meal_capacity_per_day", f.meal_capacity_per_day, kMaxPlausibleMealsPerDay}})
      if (value && *value > ceiling)
        fv.warning("implausible_value", field,
                   std::string(field) + " " + std::to_string(static_cast<long long>(*value)) +
                       " is above " + std::to_string(static_cast<long long>(ceiling)) +
                       ", more than any single facility has; check the unit");
    f.district_code = fv.text_or("district_code");
    f.street_code = fv.text_or("street_code");
    f.address = fv.text_or("address");
    f.source = fv.text_or("source");
    const auto pos = read_point(ctx, fv);

    bool ok = !f.id.empty() && name && family && type && pos;
    std::optional<Family> fam;
    if (family) {
      fam = parse_family(*family);
      if (!fam) {
        fv.error("unknown_family", "family",
                 "'" + *family + "' is not one of eldercare, meal, columbarium");
        ok = false;
      }
    }
    if (type) {
      const FacilityTypeInfo* info = find_facility_type(*type);
      if (info == nullptr) {
        fv.error("unknown_type", "type", "unknown facility type '" + *type + "'");
        ok = false;
      } else if (fam && info->family != *fam) {
        fv.error("type_family_mismatch", "type",
                 "type '" + *type + "' belongs to family " + std::string(to_string(info->family)) +
                     ", not " + *family);
        ok = false;
      }
    }
    const auto st = parse_status(status);
    if (!st) {
      fv.error("unknown_status", "status", "'" + status + "' is not one of open, planned, closed");
      ok = false;
    }
    if (!ok) return;
    if (!seen.insert(f.id).second) {
      fv.error("duplicate_id", "id", "facility id " + f.id + " appears more than once");
      return;
    }
    f.name = *name;
    f.family = *fam;
    f.type = *type;
    f.status = *st;
    f.pos = *pos;
    f.xy = ctx.proj.forward(f.pos);

    const AdminUnit* located = districts.at(f.xy);
    if (f.district_code.empty()) {
      if (located == nullptr) {
        fv.warning("outside_districts", "", "the point lies in no district polygon");
      } else {
        f.district_code = located->code;
      }
    } else if (!district_codes.count(f.district_code)) {
      if (no_district.absorbs(f.district_code)) return;
      fv.error("unknown_district", "district_code", "no district with code " + f.district_code);
      return;
    } else if (located != nullptr && located->code != f.district_code) {
      // Boundaries are generalised; a registry's own district is kept, but flagged.
      fv.warning("district_mismatch", "district_code",
                 "registered in " + f.district_code + " but the point lies in " + located->code);
    }
    if (!f.street_code.empty()) {
      auto it = street_by_code.find(f.street_code);
      if (it == street_by_code.end()) {
        if (no_street.absorbs(f.street_code)) return;
        fv.error("unknown_street", "street_code", "no street/town with code " + f.street_code);
        return;
      }
      if (!f.district_code.empty() && it->second->parent_code != f.district_code) {
        fv.error("street_not_in_district", "street_code",
                 "street/town " + f.street_code + " belongs to district " +
                     it->second->parent_code + ", not " + f.district_code);
        return;
      }
    } else if (const AdminUnit* s = streets.at(f.xy)) {
      if (s->parent_code == f.district_code) f.street_code = s->code;
    }
    c.facilities.push_back(std::move(f));
  });
  no_district.report(ctx.report, src, reader.key(), reader.field_name("district_code"),
                     "facilities", "districts");
  no_street.report(ctx.report, src, reader.key(), reader.field_name("street_code"), "facilities",
                   "streets_towns");
}

void load_plan_indicators(LoadContext& ctx, const LayerSource& src, DatasetContent& c) {
  LayerReader reader(src, "plan_indicators", ctx.report);
  std::unordered_set<std::string> seen;
  for_each_feature(reader, [&](FeatureView& fv) {
    PlanIndicator p;
    p.id = fv.text_or("id");
    fv.set_label(p.id);
    if (p.id.empty()) {
      fv.error("missing_field", "id", "required field is missing or empty");
      return;
    }
    p.name_zh = fv.text_or("name_zh");
    p.name_en = fv.text_or("name_en");
    p.unit = fv.text_or("unit");
    p.kind = fv.text_or("kind");
    p.definition_zh = fv.text_or("definition_zh");
    p.baseline_2020 = fv.number("baseline_2020", false, false);
    p.target_2025 = fv.number("target_2025", false, false);
    p.target_op = fv.text_or("target_op");
    p.latest_value = fv.number("latest_value", false, false);
    if (auto y = fv.number("latest_year", false, false)) p.latest_year = static_cast<int>(*y);
    p.latest_note = fv.text_or("latest_note");
    p.source = fv.text_or("source");
    if (!seen.insert(p.id).second) {
      fv.error("duplicate_id", "id", "indicator id " + p.id + " appears more than once");
      return;
    }
    c.plan_indicators.push_back(std::move(p));
  });
}

}  // namespace

LoadResult load_dataset(const Manifest& m, const LoadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  LoadResult result;
  std::unique_ptr<LoadContext> ctx;
  try {
    ctx.reset(new LoadContext{m, result.report, MetricProjection(m.metric_crs), {}});
  } catch (const std::exception& e) {
    result.report.error("bad_crs", m.path, "", "", "metric_crs", e.what());
    return result;
  }

  DatasetContent c;
  c.info.name = m.name;
  c.info.title = m.title.empty() ? m.name : m.title;
  c.info.manifest_path = m.path;
  c.info.metric_crs = m.metric_crs;
  c.info.extent = m.extent;
  c.city.code = m.city_code;
  c.city.name = m.city_name;
  c.city.source = m.path;
  c.info.standards_path = m.standards.empty()
                              ? std::string(LIFECIRCLE_DATA_DIR) + "/standards/standards.json"
                              : m.standards;
  c.info.version = 1;

  try {
    if (m.districts) load_districts(*ctx, *m.districts, c);
    if (m.district_land) load_district_land(*ctx, *m.district_land, c);
    std::unordered_set<std::string> derived_kinds;
    if (m.streets_towns)
      derived_kinds = load_child_units(*ctx, *m.streets_towns, kStreetLayer, c.districts,
                                       c.streets_towns, ctx->districts_failed, ctx->streets_failed);
    bool committees_failed = false;
    if (m.committees) {
      load_child_units(*ctx, *m.committees, kCommitteeLayer, c.streets_towns, c.committees,
                       ctx->streets_failed, committees_failed);
      refine_town_kinds(c.streets_towns, c.committees, derived_kinds);
    }
    if (m.population) load_population(*ctx, *m.population, c);
    std::unordered_set<std::string> facility_ids;
    for (std::size_t i = 0; i < m.facilities.size(); ++i)
      load_facilities(*ctx, m.facilities[i], i, facility_ids, c);
    if (m.plan_indicators) load_plan_indicators(*ctx, *m.plan_indicators, c);
    if (m.network && options.load_network) {
      c.walking_network = options.load_network(*m.network, m.metric_crs, result.report);
      if (!c.walking_network && result.report.ok())
        result.report.error("network_unreadable", m.network->source, "network", "", "",
                            "the walking network could not be built");
    } else if (m.network) {
      result.report.warning("network_not_loaded", m.network->source, "network", "", "",
                            "this command does not read the walking network");
    }
  } catch (const std::exception& e) {
    // A library failure mid-load must not leave a partial dataset behind.
    result.report.error("load_failed", m.path, "", "", "", e.what());
  }
  if (!result.report.ok()) return result;

  c.info.loaded_at = now_iso8601();
  c.info.load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.dataset = std::make_shared<const Dataset>(std::move(c));
  return result;
}

LoadResult load_dataset(const std::string& path, const LoadOptions& options) {
  try {
    return load_dataset(read_manifest(path), options);
  } catch (const ManifestError& e) {
    LoadResult r;
    r.report.error("bad_manifest", path, "", "", "", e.what());
    return r;
  }
}

}  // namespace lifecircle
