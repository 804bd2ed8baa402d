// Line-layer input through GDAL (GeoJSON, GeoPackage, PostGIS, Shapefile ...).
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "io/gdal_handles.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

using io::GdalDatasetPtr;

// The layer's CRS: the manifest's when given, else the source's, else WGS84.
CrsSpec layer_crs(const LayerSource& src, OGRLayer* layer) {
  if (src.crs) return *src.crs;
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  if (!srs) return CrsSpec{};
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code) {
    if (std::string(auth) == "EPSG" && std::string(code) == "4326") return CrsSpec{};
    CrsSpec s;
    s.kind = CrsSpec::Kind::proj;
    s.definition = std::string(auth) + ":" + code;
    return s;
  }
  char* wkt = nullptr;
  srs->exportToWkt(&wkt);
  CrsSpec s;
  s.kind = CrsSpec::Kind::proj;
  s.definition = wkt ? wkt : "";
  CPLFree(wkt);
  return s;
}

struct KeyHash {
  std::size_t operator()(const std::pair<long long, long long>& k) const {
    return std::hash<long long>()(k.first * 1000003LL) ^ std::hash<long long>()(k.second);
  }
};

}  // namespace

NetworkInput read_line_network(const LayerSource& src, const MetricProjection& metric,
                               ValidationReport& report) {
  io::ensure_gdal_registered();
  NetworkInput in;
  in.source = src.source.empty() ? src.path : src.source;
  GdalDatasetPtr ds(static_cast<GDALDataset*>(
      GDALOpenEx(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!ds) throw std::runtime_error(in.source + ": GDAL cannot open it as a vector source");
  OGRLayer* layer = src.layer.empty() ? (ds->GetLayerCount() > 0 ? ds->GetLayer(0) : nullptr)
                                      : ds->GetLayerByName(src.layer.c_str());
  if (!layer)
    throw std::runtime_error(in.source + ": no layer " +
                             (src.layer.empty() ? std::string("at all") : "'" + src.layer + "'"));
  const ToWgs84 to_wgs84(layer_crs(src, layer));

  // Attribute fields may be renamed in the manifest; absent fields mean "keep every line".
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  auto field_index = [&](const std::string& prop) {
    const auto it = src.fields.find(prop);
    const std::string name = it == src.fields.end() ? prop : it->second;
    return defn->GetFieldIndex(name.c_str());
  };
  const int f_highway = field_index("highway"), f_foot = field_index("foot"),
            f_access = field_index("access");
  auto value = [](OGRFeature* f, int idx) -> std::string {
    return idx >= 0 && f->IsFieldSetAndNotNull(idx) ? f->GetFieldAsString(idx) : "";
  };

  // Equal coordinates to 1 cm are one vertex: that is how separate lines connect.
  std::unordered_map<std::pair<long long, long long>, std::uint32_t, KeyHash> index;
  auto vertex = [&](double x, double y) {
    const XY p = metric.forward(to_wgs84(x, y));
    const std::pair<long long, long long> key{std::llround(p.x * 100), std::llround(p.y * 100)};
    auto [it, fresh] = index.emplace(key, static_cast<std::uint32_t>(in.vertices.size()));
    if (fresh) in.vertices.push_back(p);
    return it->second;
  };
  auto add_line = [&](const OGRLineString* ls) {
    std::uint32_t prev = UINT32_MAX;
    for (int i = 0; i < ls->getNumPoints(); ++i) {
      const std::uint32_t v = vertex(ls->getX(i), ls->getY(i));
      if (prev != UINT32_MAX && prev != v) in.segments.push_back({prev, v});
      prev = v;
    }
  };

  layer->ResetReading();
  for (io::OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    ++in.ways_read;
    const std::string fid = "#" + std::to_string(f->GetFID());
    if (f_highway >= 0) {
      const WalkRule rule =
          classify_way(value(f.get(), f_highway), value(f.get(), f_foot), value(f.get(), f_access));
      if (rule != WalkRule::kept) {
        ++in.ways_excluded[std::string(to_string(rule))];
        continue;
      }
    }
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) {
      report.warning("network_no_geometry", in.source, "network", fid, "",
                     "feature has no geometry; skipped");
      continue;
    }
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbLineString) {
      add_line(g->toLineString());
    } else if (type == wkbMultiLineString) {
      for (const auto* part : *g->toMultiLineString()) add_line(part);
    } else {
      report.warning("network_not_a_line", in.source, "network", fid, "",
                     std::string("geometry is ") + OGRGeometryTypeToName(type) +
                         ", not a (Multi)LineString; skipped");
      continue;
    }
    ++in.ways_kept;
  }
  return in;
}

}  // namespace lifecircle
