// Small planar geometry on lifecircle's own types. Heavier operations (union, buffer,
// MakeValid) go through GEOS in src/geo/geos.hpp.
#pragma once

#include "lifecircle/crs.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle {

BBox bbox_of(const MultiPolygon& mp);
BBox bbox_of(const MultiPolygonXY& mp);
// Signed-area-free planar area (outer minus holes), in the units squared of the input.
double area_of(const MultiPolygonXY& mp);
// Even-odd point-in-polygon over all rings; points on an edge may fall either way.
bool contains(const MultiPolygon& mp, LonLat p);
bool contains(const MultiPolygonXY& mp, XY p);
MultiPolygonXY project(const MultiPolygon& mp, const MetricProjection& proj);
MultiPolygon unproject(const MultiPolygonXY& mp, const MetricProjection& proj);
// Area-weighted centroid of the polygon (of its largest part when it has several).
XY centroid_of(const MultiPolygonXY& mp);

inline double distance(XY a, XY b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return __builtin_sqrt(dx * dx + dy * dy);
}

}  // namespace lifecircle
