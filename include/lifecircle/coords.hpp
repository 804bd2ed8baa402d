// Coordinates and plain geometries: what the geometry module (src/geo) works on. Kept apart
// from the registry records in types.hpp so that geometry depends on nothing above it.
#pragma once

#include <vector>

namespace lifecircle {

// Served lon/lat are written with this many decimals (about 1 cm); polygons are kept valid at it.
inline constexpr int kServedCoordinateDecimals = 7;

// WGS84 longitude/latitude in degrees, always longitude first.
struct LonLat {
  double lon = 0;
  double lat = 0;
};

// A position in the dataset's metric CRS (metres; EPSG:32651 by default).
struct XY {
  double x = 0;
  double y = 0;
};

struct BBox {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  bool contains(double x, double y) const {
    return x >= min_x && x <= max_x && y >= min_y && y <= max_y;
  }
  bool intersects(const BBox& o) const {
    return !(o.min_x > max_x || o.max_x < min_x || o.min_y > max_y || o.max_y < min_y);
  }
};

// Polygon with its outer ring first and holes after; rings are closed (first == last).
template <class P>
struct PolygonT {
  std::vector<std::vector<P>> rings;
};
using Polygon = PolygonT<LonLat>;
using PolygonXY = PolygonT<XY>;
using MultiPolygon = std::vector<Polygon>;
using MultiPolygonXY = std::vector<PolygonXY>;

// The land within `radius` of the segment from `from` to `to` (a disc when they coincide).
struct Capsule {
  XY from, to;
  double radius = 0;
};

}  // namespace lifecircle
