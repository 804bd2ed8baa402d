#include "lifecircle/geopackage.hpp"

#include <cpl_vsi.h>
#include <gdal_utils.h>

#include <stdexcept>
#include <utility>

#include "io/gdal_handles.hpp"

namespace lifecircle {
namespace {

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

// A GeoJSON text staged in GDAL's in-memory file system for as long as it is read.
class StagedGeoJson {
 public:
  StagedGeoJson(const std::string& name, std::string text)
      : path_("/vsimem/lifecircle_export_" + name + ".geojson"), text_(std::move(text)) {
    VSILFILE* f = VSIFileFromMemBuffer(path_.c_str(), reinterpret_cast<GByte*>(text_.data()),
                                       static_cast<vsi_l_offset>(text_.size()), FALSE);
    if (!f) throw std::runtime_error("cannot stage layer " + name);
    VSIFCloseL(f);
  }
  ~StagedGeoJson() { VSIUnlink(path_.c_str()); }
  StagedGeoJson(const StagedGeoJson&) = delete;
  StagedGeoJson& operator=(const StagedGeoJson&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string text_;
};

// Appends one layer: GDAL's GeoJSON reader infers the field types, its GPKG writer does the rest.
void append_layer(const std::string& path, bool create, const GeoPackageLayer& layer) {
  const StagedGeoJson staged(layer.name, layer.features.dump());
  io::GdalDatasetPtr src(
      GDALDataset::Open(staged.path().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!src) throw std::runtime_error("GDAL cannot read the " + layer.name + " layer");
  std::vector<std::string> args = {"-nln",   layer.name, "-nlt", layer.geometry_type,
                                   "-a_srs", "EPSG:4326"};
  if (create) args.insert(args.begin(), {"-f", "GPKG"});
  const TranslateOptions opts(args);
  GDALDatasetH in = GDALDataset::ToHandle(src.get());
  int usage_error = 0;
  bool ok = false;
  if (create) {
    const io::GdalDatasetPtr out(GDALDataset::FromHandle(
        GDALVectorTranslate(path.c_str(), nullptr, 1, &in, opts.p, &usage_error)));
    ok = out != nullptr;
  } else {
    const io::GdalDatasetPtr dst(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    // Appending into an open dataset returns that same handle; `dst` closes it.
    ok = dst && GDALVectorTranslate(nullptr, GDALDataset::ToHandle(dst.get()), 1, &in, opts.p,
                                    &usage_error) != nullptr;
  }
  if (!ok || usage_error)
    throw std::runtime_error("GDAL cannot write layer " + layer.name + " to " + path);
}

}  // namespace

void write_geopackage(const std::string& path, const std::vector<GeoPackageLayer>& layers) {
  io::ensure_gdal_registered();
  VSIUnlink(path.c_str());  // a fresh file: a GeoPackage left from another run would mix layers
  for (std::size_t i = 0; i < layers.size(); ++i) append_layer(path, i == 0, layers[i]);
}

}  // namespace lifecircle
