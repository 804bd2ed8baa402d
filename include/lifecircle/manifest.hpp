// The dataset manifest: which GDAL source holds each layer, its CRS and its field mapping.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "lifecircle/crs.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle {

// One layer of input: any GDAL vector source (file path relative to the manifest, or a
// connection string such as "PG:dbname=..."), an optional layer name, and how its fields map
// onto the properties lifecircle serves.
struct LayerSource {
  std::string source;          // as written in the manifest
  std::string path;            // resolved path or connection string handed to GDAL
  std::string layer;           // empty: the source's first layer
  std::optional<CrsSpec> crs;  // empty: take it from the source (WGS84 if it has none)
  // Served property name -> source field name. Properties not listed map to a field of the
  // same name when the source has one.
  std::map<std::string, std::string> fields;
  // Served property name -> constant value, for sources that lack a column (e.g. family).
  std::map<std::string, std::string> defaults;
  // For point tables without a geometry column (CSV): the coordinate columns.
  std::string x_field;
  std::string y_field;
};

struct Manifest {
  std::string path;  // the manifest file
  std::string dir;   // its directory; relative sources resolve against it
  std::string name;
  std::string title;
  std::string description;
  // The city the districts make up ("city": {"code": "310000", "name": "上海市"}); empty: the
  // code is derived from the district codes and the name is the title.
  std::string city_code;
  std::string city_name;
  std::string metric_crs = "EPSG:32651";
  // Plausible lon/lat extent of the data; coordinates outside it are errors.
  BBox extent{120.8, 30.6, 122.2, 31.95};
  std::optional<LayerSource> districts;
  // Land polygons per district code (boundary minus the sea); optional.
  std::optional<LayerSource> district_land;
  std::optional<LayerSource> streets_towns;
  std::optional<LayerSource> committees;
  std::optional<LayerSource> population;
  std::vector<LayerSource> facilities;
  std::optional<LayerSource> plan_indicators;
  std::string standards;  // resolved path of the standards table (JSON); empty: built-in path
  std::optional<LayerSource> network;  // walking network (lines or OSM); optional
};

class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a JSON manifest. Throws ManifestError naming the file and the offending key.
Manifest read_manifest(const std::string& path);

// The shipped Shanghai manifest (the embedded default).
std::string default_manifest_path();

}  // namespace lifecircle
