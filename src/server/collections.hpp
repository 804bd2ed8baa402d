// The OGC API feature collections served from a Dataset: which records each one holds, which
// property filters it accepts, and how one record is written as a GeoJSON feature.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecircle/crs.hpp"
#include "lifecircle/dataset.hpp"

namespace lifecircle::server {

// CRS identifiers (OGC API - Features Part 2). GCJ-02 and BD-09 have no EPSG or OGC URI, so
// they get URNs of our own; all three keep longitude-first axis order.
namespace crs_uri {
inline constexpr std::string_view kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
inline constexpr std::string_view kGcj02 = "urn:lifecircle:crs:GCJ-02";
inline constexpr std::string_view kBd09 = "urn:lifecircle:crs:BD-09";
}  // namespace crs_uri

struct SupportedCrs {
  std::string_view uri;
  OutputDatum datum;
};
const std::vector<SupportedCrs>& supported_crs();
const SupportedCrs* find_crs(std::string_view uri);

struct FilterSpec {
  std::string name;
  std::string description;
  std::vector<std::string> allowed;  // empty: any value (codes); else values outside are a 400
  std::size_t digits = 0;            // > 0: an administrative code of exactly this many digits
};

// One property of a collection's features, as its schema, queryables and the OpenAPI document
// publish it (clients such as GDAL and QGIS type their fields from this).
enum class PropertyType { string, integer, number };
std::string_view to_string(PropertyType t);

struct PropertySpec {
  std::string name;
  PropertyType type = PropertyType::string;
  std::string title;
  // always: present with a value; nullable: present, null where unknown; optional: left out
  // where unknown.
  enum class Presence { always, nullable, optional } presence = Presence::always;
};

struct ItemQuery {
  std::optional<BBox> bbox;  // WGS84 lon/lat
  // Free-text terms (`q`): a record matches when any term occurs in its searchable text.
  std::vector<std::string> text;
  // Property name -> accepted values (a comma-separated list in the URL means "any of").
  std::vector<std::pair<std::string, std::vector<std::string>>> filters;
};

class FeatureCollection {
 public:
  virtual ~FeatureCollection() = default;

  std::string id;
  std::string title;
  std::string description;
  bool spatial = true;  // false: every feature has geometry null (no bbox, no crs)
  // OGC API - Features Part 5 geometry format: geometry-point, geometry-multipolygon, ...
  std::string geometry_format;
  std::vector<FilterSpec> filters;
  std::vector<PropertySpec> schema;  // in the order features carry them
  std::string text_search;           // what `q` searches; empty: no free-text search

  virtual std::size_t size(const Dataset& d) const = 0;
  // Indices of matching records, ascending (stable paging order).
  virtual std::vector<std::size_t> select(const Dataset& d, const ItemQuery& q) const = 0;
  virtual std::optional<std::size_t> find(const Dataset& d, std::string_view feature_id) const = 0;
  virtual std::string feature_id(const Dataset& d, std::size_t index) const = 0;
  // Appends one GeoJSON Feature object.
  virtual void write_feature(std::string& out, const Dataset& d, std::size_t index,
                             OutputDatum datum) const = 0;
  // Lon/lat envelope of every geometry; nullopt when there is none. Walks all data: cache it.
  virtual std::optional<BBox> extent(const Dataset& d) const = 0;
};

// In the order the service lists them.
const std::vector<std::unique_ptr<FeatureCollection>>& feature_collections();
const FeatureCollection* find_collection(std::string_view id);

}  // namespace lifecircle::server
