#include "cli/export_gpkg.hpp"

#include <cpl_vsi.h>
#include <gdal_utils.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "io/gdal_handles.hpp"
#include "lifecircle/analysis_json.hpp"

namespace lifecircle::cli {

namespace {

using nlohmann::json;

// Owns a GDALVectorTranslate option list.
struct TranslateOptions {
  GDALVectorTranslateOptions* p = nullptr;
  explicit TranslateOptions(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    p = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    if (!p) throw std::runtime_error("GDALVectorTranslateOptionsNew failed");
  }
  ~TranslateOptions() { GDALVectorTranslateOptionsFree(p); }
  TranslateOptions(const TranslateOptions&) = delete;
  TranslateOptions& operator=(const TranslateOptions&) = delete;
};

json only_kind(const json& fc, const std::string& kind) {
  json out = {{"type", "FeatureCollection"}, {"features", json::array()}};
  for (const auto& f : fc["features"])
    if (f["properties"].value("kind", "") == kind) out["features"].push_back(f);
  return out;
}

// Appends one GeoJSON feature collection as layer `name`: GDAL's GeoJSON reader infers the
// field types from every feature, its GPKG writer does the rest.
void append_layer(const std::string& path, bool create, const std::string& name, const json& fc,
                  const std::string& geometry_type) {
  const std::string mem = "/vsimem/lifecircle_export_" + name + ".geojson";
  const std::string text = fc.dump();
  VSILFILE* f =
      VSIFileFromMemBuffer(mem.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(text.data())),
                           static_cast<vsi_l_offset>(text.size()), FALSE);
  if (!f) throw std::runtime_error("cannot stage layer " + name);
  VSIFCloseL(f);
  io::GdalDatasetPtr src(GDALDataset::FromHandle(
      GDALOpenEx(mem.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!src) {
    VSIUnlink(mem.c_str());
    throw std::runtime_error("GDAL cannot read the " + name + " layer");
  }
  std::vector<std::string> args = {"-nln", name, "-nlt", geometry_type, "-a_srs", "EPSG:4326"};
  if (create) args.insert(args.begin(), {"-f", "GPKG"});
  TranslateOptions opts(args);
  GDALDatasetH in = GDALDataset::ToHandle(src.get());
  int usage_error = 0;
  bool ok = false;
  if (create) {
    GDALDatasetH out = GDALVectorTranslate(path.c_str(), nullptr, 1, &in, opts.p, &usage_error);
    ok = out != nullptr;
    if (out) GDALClose(out);
  } else {
    io::GdalDatasetPtr dst(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr)));
    // Appending into an open dataset returns that same handle; `dst` closes it.
    ok = dst && GDALVectorTranslate(nullptr, GDALDataset::ToHandle(dst.get()), 1, &in, opts.p,
                                    &usage_error) != nullptr;
  }
  VSIUnlink(mem.c_str());
  if (!ok || usage_error)
    throw std::runtime_error("GDAL cannot write layer " + name + " to " + path);
}

}  // namespace

std::string export_coverage_gpkg(const std::string& path, const Dataset& d, Analyzer& analyzer,
                                 const CoverageRequest& req) {
  io::ensure_gdal_registered();
  const auto c = analyzer.coverage(d, req);
  const auto g = analyzer.gaps(d, req);
  const auto s = analyzer.service_areas(d, req);
  const json gaps = gaps_geojson(*g);
  VSIUnlink(path.c_str());  // a fresh file: a GeoPackage left from another run would mix layers
  const std::string units = "coverage_" + std::string(to_string(req.by));
  append_layer(path, true, units, coverage_geojson(d, *c), "MULTIPOLYGON");
  append_layer(path, false, "uncovered_cells", only_kind(gaps, "cell"), "POINT");
  append_layer(path, false, "uncovered_area", only_kind(gaps, "area"), "MULTIPOLYGON");
  append_layer(path, false, "service_areas", service_areas_geojson(*s), "MULTIPOLYGON");
  return "wrote " + path + ": " + units + " (" + std::to_string(c->units.size()) +
         "), uncovered_cells (" + std::to_string(g->cells.size()) +
         "), uncovered_area (1), service_areas (" + std::to_string(s->size()) + ")";
}

}  // namespace lifecircle::cli
