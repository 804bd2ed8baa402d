// Reads every layer a manifest names through GDAL, converts coordinates to WGS84 and the
// metric CRS, validates, and builds a Dataset only when nothing is in error.
#pragma once

#include <memory>
#include <string>

#include "lifecircle/dataset.hpp"
#include "lifecircle/manifest.hpp"
#include "lifecircle/validation.hpp"

namespace lifecircle {

struct LoadResult {
  std::shared_ptr<const Dataset> dataset;  // null when report has errors: never half-loaded
  ValidationReport report;
};

LoadResult load_dataset(const Manifest& manifest);
// Reads the manifest too; a manifest error becomes a report error.
LoadResult load_dataset(const std::string& manifest_path);

}  // namespace lifecircle
