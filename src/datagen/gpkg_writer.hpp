// Writes plain feature tables into a GeoPackage through GDAL, in the order given, so that the
// same features always produce the same bytes (timestamps pinned with OGR_CURRENT_DATE).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lifecircle/types.hpp"

namespace lifecircle::datagen {

enum class FieldType { text, integer, real };
struct FieldDef {
  std::string name;
  FieldType type;
};

// A missing value (std::monostate) is written as NULL.
using Value = std::variant<std::monostate, std::string, long long, double>;

enum class GeometryKind { none, point, multipolygon };

struct OutFeature {
  std::vector<Value> values;    // one per FieldDef, same order
  std::optional<LonLat> point;  // GeometryKind::point
  MultiPolygon polygons;        // GeometryKind::multipolygon; empty: NULL geometry
};

class GpkgWriter {
 public:
  // Creates (replacing) the GeoPackage at `path`.
  explicit GpkgWriter(const std::string& path);
  ~GpkgWriter();
  GpkgWriter(const GpkgWriter&) = delete;
  GpkgWriter& operator=(const GpkgWriter&) = delete;

  // Layers in EPSG:4326 (longitude first); `description` goes into gpkg_contents. The R-tree
  // index is optional: the service builds its own, and it costs a quarter of a large layer.
  void write_layer(const std::string& name, const std::string& description, GeometryKind kind,
                   const std::vector<FieldDef>& fields, const std::vector<OutFeature>& features,
                   bool spatial_index = true);
  // Flushes and closes the file; called by the destructor when not called before.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lifecircle::datagen
