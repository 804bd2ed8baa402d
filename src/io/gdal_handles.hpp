// RAII owners for GDAL handles, so no loader code calls GDALClose or DestroyFeature itself.
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

// Registers drivers once per process.
void ensure_gdal_registered();

}  // namespace lifecircle::io
