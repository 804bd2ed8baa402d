// Reads every layer a manifest names through GDAL, converts coordinates to WGS84 and the
// metric CRS, validates, and builds a Dataset only when nothing is in error.
#pragma once

#include <functional>
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

// How layers beyond the vector registry are read. The walking network is built by the network
// module, which sits above io; a caller that wants it passes network_load_options() from
// lifecircle/network.hpp. Without a loader, a manifest's network layer is reported, not read.
struct LoadOptions {
  std::function<std::shared_ptr<const DistanceModel>(
      const LayerSource& layer, const std::string& metric_crs, ValidationReport& report)>
      load_network;
};

LoadResult load_dataset(const Manifest& manifest, const LoadOptions& options = {});
// Reads the manifest too; a manifest error becomes a report error.
LoadResult load_dataset(const std::string& manifest_path, const LoadOptions& options = {});

}  // namespace lifecircle
