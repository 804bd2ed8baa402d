// The one place that owns GEOS handles. Analysis code uses these owners and never calls
// GEOSGeom_destroy_r itself. A GeosContext belongs to one thread at a time.
#pragma once

#include <geos_c.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "lifecircle/types.hpp"

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
GeomPtr make_polygon(const Context& ctx, const PolygonXY& p);
GeomPtr make_multipolygon(const Context& ctx, const MultiPolygonXY& mp);
GeomPtr make_polygon(const Context& ctx, const Polygon& p);  // lon/lat as x/y
GeomPtr make_multipolygon(const Context& ctx, const MultiPolygon& mp);
PreparedPtr prepare(const Context& ctx, const GEOSGeometry* g);

// Polygonal parts of any geometry (other parts are dropped), as lifecircle types.
MultiPolygonXY to_multipolygon_xy(const Context& ctx, const GEOSGeometry* g);
MultiPolygon to_multipolygon(const Context& ctx, const GEOSGeometry* g);

GeomPtr unary_union(const Context& ctx, std::vector<GeomPtr> parts);
GeomPtr intersection(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr difference(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
GeomPtr buffer(const Context& ctx, const GEOSGeometry* g, double width, int quadsegs = 16);
GeomPtr simplify(const Context& ctx, const GEOSGeometry* g, double tolerance);
GeomPtr make_valid(const Context& ctx, const GEOSGeometry* g);
bool is_valid(const Context& ctx, const GEOSGeometry* g, std::string* reason = nullptr);
double area(const Context& ctx, const GEOSGeometry* g);

}  // namespace lifecircle::geos
