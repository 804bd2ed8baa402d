// `lifecircle coverage ... --out FILE.gpkg`: the coverage run as a GeoPackage that QGIS opens,
// one layer per result (units with their metrics, uncovered cells, uncovered area, service areas).
#pragma once

#include <string>

#include "lifecircle/analyzer.hpp"

namespace lifecircle::cli {

// Computes what the layers need through `analyzer` (cached per request) and writes them to
// `path` with write_geopackage (io), replacing an existing file. Returns a one-line summary; throws
// std::runtime_error when GDAL cannot write.
std::string export_coverage_gpkg(const std::string& path, const Dataset& d, Analyzer& analyzer,
                                 const CoverageRequest& req);

}  // namespace lifecircle::cli
