// RAII owners for GDAL handles: the one place that calls GDALClose or DestroyFeature.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>

namespace lifecircle::io {

struct DatasetCloser {
  void operator()(GDALDataset* d) const {
    if (d) GDALClose(GDALDataset::ToHandle(d));
  }
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDestroyer {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using OgrFeaturePtr = std::unique_ptr<OGRFeature, FeatureDestroyer>;

// Registers drivers once per process.
void ensure_gdal_registered();

}  // namespace lifecircle::io
