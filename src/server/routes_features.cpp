// OGC API - Features: collections, their metadata and their items (Part 1 Core, GeoJSON,
// Part 2 `crs`).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "collections.hpp"
#include "json_writer.hpp"
#include "lifecircle/analysis_json.hpp"
#include "params.hpp"
#include "routes.hpp"

namespace lifecircle::server {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

namespace rel {
// OGC link relations (OGC API - Features Part 3 and Part 5).
inline constexpr std::string_view kQueryables = "http://www.opengis.net/def/rel/ogc/1.0/queryables";
inline constexpr std::string_view kSchema = "http://www.opengis.net/def/rel/ogc/1.0/schema";
}  // namespace rel

json link(const std::string& href, std::string_view rel, std::string_view type,
          std::string_view title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

const FeatureCollection& collection_or_404(const Request& req) {
  const std::string& id = req.path_param("collectionId");
  const FeatureCollection* c = find_collection(id);
  if (!c) throw not_found("no collection '" + id + "'; see /collections");
  return *c;
}

std::string crs_list_text() {
  std::string s;
  for (const auto& c : supported_crs()) s += (s.empty() ? "" : ", ") + std::string(c.uri);
  return s;
}

// Part 2: `crs` picks the output datum; only spatial collections offer anything but CRS84.
const SupportedCrs& crs_param(const Request& req, const FeatureCollection& c,
                              std::string_view name) {
  const std::string* v = req.param(name);
  if (!v) return supported_crs().front();
  const SupportedCrs* crs = find_crs(*v);
  if (!crs || (!c.spatial && crs->datum != OutputDatum::wgs84))
    throw invalid_parameter(
        "parameter '" + std::string(name) + "': unsupported CRS '" + v->substr(0, 64) +
        "'; supported: " + (c.spatial ? crs_list_text() : std::string(crs_uri::kCrs84)));
  return *crs;
}

std::shared_ptr<const std::optional<BBox>> cached_extent(ServiceContext& ctx,
                                                         const std::shared_ptr<const Dataset>& d,
                                                         const FeatureCollection& c) {
  return ctx.cache.get<std::optional<BBox>>("extent:" + c.id, d,
                                            [&c](const Dataset& ds) { return c.extent(ds); });
}

// Every feature of a collection already encoded as GeoJSON in CRS84: the dataset is immutable,
// so the hot path (a page of items) becomes a copy of ready bytes instead of escaping strings
// and formatting numbers on every request.
struct EncodedFeatures {
  std::string text;
  std::vector<std::size_t> offsets;  // feature i is text[offsets[i], offsets[i + 1])
  std::string_view feature(std::size_t i) const {
    return std::string_view(text).substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

std::shared_ptr<const EncodedFeatures> encoded_features(ServiceContext& ctx,
                                                        const std::shared_ptr<const Dataset>& d,
                                                        const FeatureCollection& c) {
  return ctx.cache.get<EncodedFeatures>("features:" + c.id, d, [&c](const Dataset& ds) {
    EncodedFeatures e;
    const std::size_t n = c.size(ds);
    e.offsets.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      e.offsets.push_back(e.text.size());
      c.write_feature(e.text, ds, i, OutputDatum::wgs84);
    }
    e.offsets.push_back(e.text.size());
    e.text.shrink_to_fit();
    return e;
  });
}

json collection_json(ServiceContext& ctx, const std::shared_ptr<const Dataset>& d,
                     const FeatureCollection& c, const std::string& base) {
  const std::string self = base + "/collections/" + c.id;
  json j = {{"id", c.id},
            {"title", c.title},
            {"description", c.description},
            {"itemType", "feature"},
            {"links",
             {link(self, "self", media::kJson, "this collection"),
              link(self + "/items", "items", media::kGeoJson, "the features as GeoJSON"),
              // RFC 8288 compares relation types case-insensitively; GDAL matches this spelling.
              link(self + "/schemas/feature", "describedBy", media::kJsonSchema,
                   "JSON Schema of one GeoJSON feature"),
              link(self + "/schema", rel::kSchema, media::kJsonSchema,
                   "the properties of the features (Part 5)"),
              link(self + "/queryables", rel::kQueryables, media::kJsonSchema,
                   "the properties the items can be filtered on")}}};
  if (c.spatial) {
    json crs = json::array();
    for (const auto& s : supported_crs()) crs.push_back(s.uri);
    j["crs"] = crs;
    j["storageCrs"] = crs_uri::kCrs84;
    const auto extent = cached_extent(ctx, d, c);
    if (*extent) {
      const BBox& b = **extent;
      j["extent"] = {
          {"spatial",
           {{"bbox", {{b.min_x, b.min_y, b.max_x, b.max_y}}}, {"crs", crs_uri::kCrs84}}}};
    }
  }
  return j;
}

Response json_schema_response(const ordered_json& body) {
  Response r;
  r.content_type = media::kJsonSchema;
  r.body = body.dump();
  return r;
}

ordered_json property_schema(const PropertySpec& p) {
  ordered_json j = {{"type", to_string(p.type)}, {"title", p.title}};
  if (p.presence == PropertySpec::Presence::nullable) j["description"] = "null where unknown";
  return j;
}

// Every property that each feature carries (null or not).
ordered_json required_properties(const FeatureCollection& c) {
  ordered_json required = ordered_json::array();
  for (const auto& p : c.schema)
    if (p.presence != PropertySpec::Presence::optional) required.push_back(p.name);
  return required;
}

// A JSON Schema of the collection's members `props`, with its geometry by role (Parts 3, 5).
ordered_json object_schema(const FeatureCollection& c, const std::string& id, ordered_json props) {
  if (c.spatial)
    props["geometry"] = {{"format", c.geometry_format}, {"x-ogc-role", "primary-geometry"}};
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", id},
          {"type", "object"},
          {"title", c.title},
          {"properties", std::move(props)}};
}

// Part 5 (draft): the feature properties at the top level, in their order, geometry by role.
// Types are single values, as QGIS and GDAL read them; nullable properties say so in words.
ordered_json returnables_schema(const FeatureCollection& c, const std::string& base) {
  ordered_json props = ordered_json::object();
  int seq = 1;
  for (const auto& p : c.schema) {
    ordered_json j = property_schema(p);
    j["x-ogc-propertySeq"] = seq++;
    if (p.name == c.schema.front().name) j["x-ogc-role"] = "id";
    props[p.name] = j;
  }
  ordered_json j = object_schema(c, base + "/collections/" + c.id + "/schema", std::move(props));
  j["required"] = required_properties(c);
  return j;
}

// One GeoJSON feature of the collection: what GDAL's OAPIF driver reads (`describedBy`).
ordered_json feature_schema(const FeatureCollection& c, const std::string& base) {
  // GDAL already makes a field `id` of the feature's `id` member; a property of that name (the
  // same value) listed again would give it two fields called id.
  ordered_json props = ordered_json::object();
  ordered_json required = ordered_json::array();
  for (const auto& p : c.schema) {
    if (p.name == "id") continue;
    props[p.name] = property_schema(p);
    if (p.presence != PropertySpec::Presence::optional) required.push_back(p.name);
  }
  ordered_json geometry = c.spatial
                              ? ordered_json{{"type", "object"}, {"format", c.geometry_format}}
                              : ordered_json{{"type", "null"}};
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", base + "/collections/" + c.id + "/schemas/feature"},
          {"title", c.title + ": GeoJSON feature"},
          {"type", "object"},
          {"required", {"type", "id", "geometry", "properties"}},
          {"properties",
           {{"type", {{"type", "string"}, {"enum", {"Feature"}}}},
            {"id", {{"type", "string"}}},
            {"geometry", geometry},
            {"properties", {{"type", "object"}, {"properties", props}, {"required", required}}}}}};
}

// Part 3: the parameters that filter the items, each with its values where they are fixed.
ordered_json queryables(const FeatureCollection& c, const std::string& base) {
  ordered_json props = ordered_json::object();
  for (const auto& f : c.filters) {
    ordered_json j = {{"type", "string"}, {"title", f.name}, {"description", f.description}};
    if (!f.allowed.empty()) j["enum"] = f.allowed;
    if (f.digits > 0) j["pattern"] = "^[0-9]{" + std::to_string(f.digits) + "}$";
    props[f.name] = j;
  }
  ordered_json j =
      object_schema(c, base + "/collections/" + c.id + "/queryables", std::move(props));
  j["additionalProperties"] = false;
  return j;
}

// The items URL with every parameter of this request kept, and limit/offset set.
std::string items_url(const Request& req, const FeatureCollection& c, std::size_t limit,
                      std::size_t offset) {
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& [k, v] : req.query)
    if (k != "limit" && k != "offset") q.emplace_back(k, v);
  q.emplace_back("limit", std::to_string(limit));
  q.emplace_back("offset", std::to_string(offset));
  std::sort(q.begin(), q.end());
  std::string url = req.base_url + "/collections/" + c.id + "/items";
  char sep = '?';
  for (const auto& [k, v] : q) {
    url += sep + percent_encode(k) + "=" + percent_encode(v);
    sep = '&';
  }
  return url;
}

void append_link(std::string& out, bool& first, const std::string& href, std::string_view rel,
                 std::string_view type, std::string_view title) {
  if (!first) out.push_back(',');
  first = false;
  ObjectWriter w(out);
  w.str("href", href);
  w.str("rel", rel);
  w.str("type", type);
  w.str("title", title);
}

Response items(ServiceContext& ctx, const Request& req) {
  const FeatureCollection& c = collection_or_404(req);
  std::vector<std::string_view> allowed = {"limit", "offset", "f", "bom"};
  if (c.spatial) allowed.insert(allowed.end(), {"bbox", "bbox-crs", "crs"});
  for (const auto& f : c.filters) allowed.push_back(f.name);
  if (!c.text_search.empty()) allowed.push_back("q");
  require_known_params(req, allowed);
  require_format(req, {"json", "geojson", "csv"});
  if (const std::string* b = req.param("bom"); b && !(req.param("f") && *req.param("f") == "csv"))
    throw invalid_parameter("parameter 'bom' applies to f=csv only");

  const std::size_t limit =
      uint_param(req, "limit", ctx.options.paging.default_limit, 1, ctx.options.paging.max_limit);
  const std::size_t offset = uint_param(req, "offset", 0, 0, ctx.options.paging.max_offset);
  const SupportedCrs& out_crs = crs_param(req, c, "crs");

  ItemQuery q;
  q.bbox = bbox_param(req, "bbox");
  const SupportedCrs& bbox_crs = crs_param(req, c, "bbox-crs");
  if (q.bbox) q.bbox = bbox_to_wgs84(*q.bbox, bbox_crs.datum);
  for (const auto& f : c.filters) {
    const std::string* v = req.param(f.name);
    if (!v) continue;
    std::vector<std::string> values = split_list(*v);
    if (values.empty()) throw invalid_parameter("parameter '" + f.name + "' is empty", f.name);
    if (f.digits > 0)
      for (const auto& value : values)
        if (value.size() != f.digits || !std::all_of(value.begin(), value.end(), [](char ch) {
              return ch >= '0' && ch <= '9';
            }))
          throw invalid_parameter("parameter '" + f.name + "' lists " + std::to_string(f.digits) +
                                      "-digit codes, not '" + value.substr(0, 64) + "'",
                                  f.name);
    if (!f.allowed.empty())
      for (const auto& value : values)
        if (std::find(f.allowed.begin(), f.allowed.end(), value) == f.allowed.end()) {
          std::string list;
          for (const auto& a : f.allowed) list += (list.empty() ? "" : ", ") + a;
          throw invalid_parameter("parameter '" + f.name + "': unknown value '" +
                                      value.substr(0, 64) + "'; allowed: " + list,
                                  f.name);
        }
    q.filters.emplace_back(f.name, std::move(values));
  }
  if (const std::string* text = req.param("q")) {
    // OGC API - Records' `q`: comma-separated terms, any of which matches; case folded.
    for (std::string term : split_list(*text)) {
      term.erase(0, term.find_first_not_of(' '));
      term.erase(term.find_last_not_of(' ') + 1);
      for (char& ch : term)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (!term.empty()) q.text.push_back(std::move(term));
    }
    if (q.text.empty()) throw invalid_parameter("parameter 'q' has no search term");
  }

  const auto d = ctx.snapshot();
  const std::vector<std::size_t> matched = c.select(*d, q);
  const std::size_t begin = std::min(offset, matched.size());
  const std::size_t end = std::min(matched.size(), begin + limit);

  std::shared_ptr<const EncodedFeatures> encoded;
  std::size_t size = 1024;
  if (out_crs.datum == OutputDatum::wgs84) {
    encoded = encoded_features(ctx, d, c);
    for (std::size_t i = begin; i < end; ++i) size += encoded->feature(matched[i]).size() + 1;
  } else {
    size += (end - begin) * 512;
  }
  std::string out;
  out.reserve(size);
  out += R"({"type":"FeatureCollection","numberMatched":)";
  append_number(out, static_cast<double>(matched.size()));
  out += R"(,"numberReturned":)";
  append_number(out, static_cast<double>(end - begin));
  out += R"(,"timeStamp":)";
  append_string(out, utc_timestamp());
  out += R"(,"links":[)";
  bool first = true;
  append_link(out, first, items_url(req, c, limit, offset), "self", media::kGeoJson, "this page");
  if (end < matched.size())
    append_link(out, first, items_url(req, c, limit, end), "next", media::kGeoJson, "next page");
  if (offset > 0)
    append_link(out, first, items_url(req, c, limit, offset > limit ? offset - limit : 0), "prev",
                media::kGeoJson, "previous page");
  append_link(out, first, req.base_url + "/collections/" + c.id, "collection", media::kJson,
              "the collection");
  out += R"(],"features":[)";
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) out.push_back(',');
    if (encoded)
      out += encoded->feature(matched[i]);
    else
      c.write_feature(out, *d, matched[i], out_crs.datum);
  }
  out += "]}";

  // The registry for spreadsheets: the same page, one row per feature.
  if (const std::string* f = req.param("f"); f && *f == "csv") {
    Response r = csv_response(req, features_csv(nlohmann::json::parse(out)));
    if (c.spatial) r.headers.emplace_back("Content-Crs", "<" + std::string(out_crs.uri) + ">");
    return r;
  }
  Response r;
  r.content_type = media::kGeoJson;
  r.body = std::move(out);
  if (c.spatial) r.headers.emplace_back("Content-Crs", "<" + std::string(out_crs.uri) + ">");
  return r;
}

Response item(ServiceContext& ctx, const Request& req) {
  const FeatureCollection& c = collection_or_404(req);
  require_known_params(req, c.spatial ? std::vector<std::string_view>{"f", "crs"}
                                      : std::vector<std::string_view>{"f"});
  require_format(req, {"json", "geojson"});
  const SupportedCrs& out_crs = crs_param(req, c, "crs");
  const auto d = ctx.snapshot();
  const std::string& fid = req.path_param("featureId");
  const auto index = c.find(*d, fid);
  if (!index) throw not_found("no feature '" + fid + "' in collection '" + c.id + "'");

  std::string out;
  c.write_feature(out, *d, *index, out_crs.datum);
  // Splice the links into the feature object written above (it ends with '}').
  out.pop_back();
  out += R"(,"links":[)";
  bool first = true;
  append_link(out, first, req.base_url + "/collections/" + c.id + "/items/" + percent_encode(fid),
              "self", media::kGeoJson, "this feature");
  append_link(out, first, req.base_url + "/collections/" + c.id, "collection", media::kJson,
              "the collection");
  out += "]}";

  Response r;
  r.content_type = media::kGeoJson;
  r.body = std::move(out);
  if (c.spatial) r.headers.emplace_back("Content-Crs", "<" + std::string(out_crs.uri) + ">");
  return r;
}

}  // namespace

void register_feature_routes(Router& router, ServiceContext& ctx) {
  router.get("/collections", [&ctx](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    const auto d = ctx.snapshot();
    json list = json::array();
    for (const auto& c : feature_collections())
      list.push_back(collection_json(ctx, d, *c, req.base_url));
    json crs = json::array();
    for (const auto& s : supported_crs()) crs.push_back(s.uri);
    return Response::json(
        {{"links",
          {link(req.base_url + "/collections", "self", media::kJson, "the feature collections")}},
         {"collections", list},
         {"crs", crs}});
  });

  router.get("/collections/{collectionId}", [&ctx](const Request& req) {
    const FeatureCollection& c = collection_or_404(req);
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    return Response::json(collection_json(ctx, ctx.snapshot(), c, req.base_url));
  });

  const auto schema_route = [&router](const std::string& path, auto make) {
    router.get(path, [make](const Request& req) {
      const FeatureCollection& c = collection_or_404(req);
      require_known_params(req, {"f"});
      require_format(req, {"json"});
      return json_schema_response(make(c, req.base_url));
    });
  };
  schema_route("/collections/{collectionId}/schema", returnables_schema);
  schema_route("/collections/{collectionId}/schemas/feature", feature_schema);
  schema_route("/collections/{collectionId}/queryables", queryables);

  router.get("/collections/{collectionId}/items",
             [&ctx](const Request& req) { return items(ctx, req); });
  router.get("/collections/{collectionId}/items/{featureId}",
             [&ctx](const Request& req) { return item(ctx, req); });
}

}  // namespace lifecircle::server
