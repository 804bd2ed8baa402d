#include "lifecircle/manifest.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace lifecircle {
namespace {

const char* const kLayerKeys[] = {"districts",  "district_land", "streets_towns",   "committees",
                                  "population", "facilities",    "plan_indicators", "network"};

std::string str(const json& j, const std::string& key, const std::string& file,
                const std::string& where) {
  if (!j.contains(key)) return {};
  if (!j[key].is_string())
    throw ManifestError(file + ": " + where + "." + key + " must be a string");
  return j[key].get<std::string>();
}

std::map<std::string, std::string> string_map(const json& j, const std::string& key,
                                              const std::string& file, const std::string& where) {
  std::map<std::string, std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_object())
    throw ManifestError(file + ": " + where + "." + key + " must be an object");
  for (const auto& [k, v] : j[key].items()) {
    if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else if (v.is_number()) {
      out[k] = v.dump();
    } else {
      throw ManifestError(file + ": " + where + "." + key + "." + k + " must be a string");
    }
  }
  return out;
}

// GDAL connection strings ("PG:...", "/vsizip/...") pass through; file paths resolve
// against the manifest's directory so a manifest can be moved with its data.
std::string resolve(const std::string& source, const fs::path& dir) {
  if (source.find(':') != std::string::npos && source.rfind("/", 0) != 0) return source;
  if (source.rfind("/vsi", 0) == 0) return source;
  fs::path p(source);
  return p.is_absolute() ? p.string() : (dir / p).lexically_normal().string();
}

LayerSource layer(const json& j, const std::string& file, const std::string& where,
                  const fs::path& dir) {
  if (!j.is_object()) throw ManifestError(file + ": " + where + " must be an object");
  LayerSource l;
  l.source = str(j, "source", file, where);
  if (l.source.empty()) throw ManifestError(file + ": " + where + ".source is required");
  l.path = resolve(l.source, dir);
  l.layer = str(j, "layer", file, where);
  const std::string crs = str(j, "crs", file, where);
  l.crs = CrsSpec::parse(crs);
  l.fields = string_map(j, "fields", file, where);
  l.defaults = string_map(j, "defaults", file, where);
  l.x_field = str(j, "x_field", file, where);
  l.y_field = str(j, "y_field", file, where);
  if (l.x_field.empty() != l.y_field.empty())
    throw ManifestError(file + ": " + where + " needs both x_field and y_field, or neither");
  return l;
}

}  // namespace

Manifest read_manifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ManifestError(path + ": cannot open manifest");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double (1e400).
    throw ManifestError(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw ManifestError(path + ": the manifest must be a JSON object");

  Manifest m;
  m.path = path;
  const fs::path dir = fs::absolute(fs::path(path)).parent_path();
  m.dir = dir.string();
  m.name = str(j, "name", path, "manifest");
  m.title = str(j, "title", path, "manifest");
  m.description = str(j, "description", path, "manifest");
  if (j.contains("city")) {
    const json& c = j["city"];
    if (!c.is_object()) throw ManifestError(path + ": manifest.city must be {\"code\", \"name\"}");
    m.city_code = str(c, "code", path, "manifest.city");
    m.city_name = str(c, "name", path, "manifest.city");
  }
  if (const auto crs = str(j, "metric_crs", path, "manifest"); !crs.empty()) m.metric_crs = crs;
  if (j.contains("extent")) {
    const auto& e = j["extent"];
    if (!e.is_array() || e.size() != 4 ||
        !std::all_of(e.begin(), e.end(), [](const json& v) { return v.is_number(); }))
      throw ManifestError(path + ": manifest.extent must be [min_lon, min_lat, max_lon, max_lat]");
    m.extent = {e[0].get<double>(), e[1].get<double>(), e[2].get<double>(), e[3].get<double>()};
    if (m.extent.min_x >= m.extent.max_x || m.extent.min_y >= m.extent.max_y)
      throw ManifestError(path + ": manifest.extent has min >= max");
  }
  if (const auto s = str(j, "standards", path, "manifest"); !s.empty())
    m.standards = resolve(s, dir);

  if (!j.contains("layers") || !j["layers"].is_object())
    throw ManifestError(path + ": manifest.layers (an object) is required");
  const json& layers = j["layers"];
  for (const auto& [key, value] : layers.items()) {
    if (std::find(std::begin(kLayerKeys), std::end(kLayerKeys), key) == std::end(kLayerKeys))
      throw ManifestError(path + ": unknown layer 'layers." + key + "'");
    (void)value;
  }
  auto one = [&](const char* key) -> std::optional<LayerSource> {
    if (!layers.contains(key)) return std::nullopt;
    return layer(layers[key], path, std::string("layers.") + key, dir);
  };
  m.districts = one("districts");
  m.district_land = one("district_land");
  m.streets_towns = one("streets_towns");
  m.committees = one("committees");
  m.population = one("population");
  m.plan_indicators = one("plan_indicators");
  m.network = one("network");
  if (layers.contains("facilities")) {
    const json& f = layers["facilities"];
    if (f.is_array()) {
      for (std::size_t i = 0; i < f.size(); ++i)
        m.facilities.push_back(
            layer(f[i], path, "layers.facilities[" + std::to_string(i) + "]", dir));
    } else {
      m.facilities.push_back(layer(f, path, "layers.facilities", dir));
    }
  }
  if (!m.districts) throw ManifestError(path + ": layers.districts is required");
  return m;
}

std::string default_manifest_path() {
  return std::string(LIFECIRCLE_DATA_DIR) + "/shanghai/manifest.json";
}

}  // namespace lifecircle
