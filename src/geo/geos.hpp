// The one place that owns GEOS handles. Analysis code uses these owners and never calls
// GEOSGeom_destroy_r itself. A GeosContext belongs to one thread at a time.
#pragma once

#include <geos_c.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "lifecircle/coords.hpp"
#include "lifecircle/crs.hpp"

namespace lifecircle::geos {

class GeosError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Context {
 public:
  Context();
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  GEOSContextHandle_t get() const { return h_; }
  // The last message GEOS reported on this context.
  const std::string& last_error() const { return last_error_; }

 private:
  GEOSContextHandle_t h_;
  std::string last_error_;
};

struct GeomDeleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(h, g);
  }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  GEOSContextHandle_t h;
  void operator()(const GEOSPreparedGeometry* g) const {
    if (g) GEOSPreparedGeom_destroy_r(h, g);
  }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

// Takes ownership of a raw result, throwing with GEOS's message when it is null.
GeomPtr own(const Context& ctx, GEOSGeometry* g, const char* what);

GeomPtr make_point(const Context& ctx, double x, double y);
GeomPtr make_multipoint(const Context& ctx, const std::vector<XY>& points);
// One two-point line per segment, as a MultiLineString.
GeomPtr make_segments(const Context& ctx, const std::vector<std::array<XY, 2>>& segments);
GeomPtr make_polygon(const Context& ctx, const PolygonXY& p);
GeomPtr make_multipolygon(const Context& ctx, const MultiPolygonXY& mp);
// The union of the capsules, each drawn with `quadsegs` segments per quarter circle.
GeomPtr capsule_union(const Context& ctx, const std::vector<Capsule>& capsules, int quadsegs);
GeomPtr make_polygon(const Context& ctx, const Polygon& p);  // lon/lat as x/y
GeomPtr make_multipolygon(const Context& ctx, const MultiPolygon& mp);
// A collection of `type` (GEOS_MULTIPOLYGON, GEOS_GEOMETRYCOLLECTION...) that takes the parts.
GeomPtr make_collection(const Context& ctx, int type, std::vector<GeomPtr> parts);
PreparedPtr prepare(const Context& ctx, const GEOSGeometry* g);

// Polygonal parts of any geometry (other parts are dropped), as lifecircle types.
MultiPolygonXY to_multipolygon_xy(const Context& ctx, const GEOSGeometry* g);
MultiPolygon to_multipolygon(const Context& ctx, const GEOSGeometry* g);
// The direct parts of a collection (the geometry itself otherwise), owned by `g`.
std::vector<const GEOSGeometry*> parts_of(const Context& ctx, const GEOSGeometry* g);

GeomPtr unary_union(const Context& ctx, std::vector<GeomPtr> parts);
GeomPtr intersection(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr difference(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr buffer(const Context& ctx, const GEOSGeometry* g, double width, int quadsegs = 16);
GeomPtr simplify(const Context& ctx, const GEOSGeometry* g, double tolerance);
GeomPtr make_valid(const Context& ctx, const GEOSGeometry* g);
GeomPtr envelope(const Context& ctx, const GEOSGeometry* g);
// Voronoi cells of the points of `sites`, extended to cover `extent`.
GeomPtr voronoi(const Context& ctx, const GEOSGeometry* sites, const GEOSGeometry* extent);
// Snaps every vertex to a grid of `grid_size` units and repairs what the snapping collapses,
// so the result is valid at that precision (GEOSGeom_setPrecision_r).
GeomPtr snap_to_grid(const Context& ctx, const GEOSGeometry* g, double grid_size);
// A point guaranteed to lie inside a polygonal geometry.
XY point_on_surface(const Context& ctx, const GEOSGeometry* g);

// Predicates. GEOS answers 2 on an internal error; these throw GeosError then, so an error is
// never read as "false".
bool contains(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
bool contains(const Context& ctx, const GEOSPreparedGeometry* a, const GEOSGeometry* b);
bool is_empty(const Context& ctx, const GEOSGeometry* g);
// False with the reason (and its location) when GEOS finds the geometry invalid.
bool is_valid(const Context& ctx, const GEOSGeometry* g, std::string* reason = nullptr,
              XY* location = nullptr);
double area(const Context& ctx, const GEOSGeometry* g);

// Polygons fit to serve: the polygonal parts of `metric` (metric CRS), made valid, parts and
// holes smaller than min_area_m2 dropped, converted to lon/lat and snapped to the grid of the
// served coordinates (`decimals` decimal degrees) so they stay valid once written. Returns the
// lon/lat polygons and their metric counterpart; throws GeosError if the result is still invalid.
struct ServablePolygons {
  MultiPolygon lonlat;
  MultiPolygonXY metric;
};
ServablePolygons servable(const Context& ctx, const GEOSGeometry* metric,
                          const MetricProjection& proj, int decimals = kServedCoordinateDecimals,
                          double min_area_m2 = 1.0);
// Whether lon/lat polygons stay valid once their coordinates are rounded to `decimals`.
bool valid_when_rounded(const Context& ctx, const MultiPolygon& lonlat,
                        int decimals = kServedCoordinateDecimals, std::string* reason = nullptr);

}  // namespace lifecircle::geos
