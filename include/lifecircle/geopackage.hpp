// Writing results as a GeoPackage (GDAL's GPKG driver), the file QGIS opens: one layer per
// GeoJSON FeatureCollection, field types inferred by GDAL from every feature.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lifecircle {

struct GeoPackageLayer {
  std::string name;
  nlohmann::json features;    // a GeoJSON FeatureCollection in WGS84
  std::string geometry_type;  // as ogr2ogr's -nlt: "MULTIPOLYGON", "POINT"...
};

// Writes the layers to `path`, replacing any file there. Throws std::runtime_error naming the
// layer GDAL cannot read or write.
void write_geopackage(const std::string& path, const std::vector<GeoPackageLayer>& layers);

}  // namespace lifecircle
