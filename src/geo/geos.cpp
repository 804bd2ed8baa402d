#include "geo/geos.hpp"

namespace lifecircle::geos {
namespace {

// GEOS hands the reentrant handler an already formatted message.
void on_message(const char* message, void* userdata) {
  *static_cast<std::string*>(userdata) = message ? message : "";
}
GEOSCoordSequence* ring_sequence(GEOSContextHandle_t h, const std::vector<XY>& ring) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(ring.size()), 2);
  for (unsigned i = 0; i < ring.size(); ++i) GEOSCoordSeq_setXY_r(h, seq, i, ring[i].x, ring[i].y);
  return seq;
}

std::vector<XY> closed(std::vector<XY> ring) {
  if (!ring.empty() && (ring.front().x != ring.back().x || ring.front().y != ring.back().y)) {
    ring.push_back(ring.front());
  }
  return ring;
}

PolygonXY as_xy(const Polygon& p) {
  PolygonXY out;
  for (const auto& r : p.rings) {
    std::vector<XY> ring;
    ring.reserve(r.size());
    for (const auto& c : r) ring.push_back({c.lon, c.lat});
    out.rings.push_back(std::move(ring));
  }
  return out;
}

std::vector<XY> read_ring(GEOSContextHandle_t h, const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  std::vector<XY> out(n);
  for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(h, seq, i, &out[i].x, &out[i].y);
  return out;
}

void collect_polygons(GEOSContextHandle_t h, const GEOSGeometry* g, MultiPolygonXY& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g)) return;
    PolygonXY p;
    p.rings.push_back(read_ring(h, GEOSGetExteriorRing_r(h, g)));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i)
      p.rings.push_back(read_ring(h, GEOSGetInteriorRingN_r(h, g, i)));
    out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) collect_polygons(h, GEOSGetGeometryN_r(h, g, i), out);
  }
}

}  // namespace

Context::Context() : h_(GEOS_init_r()) {
  GEOSContext_setErrorMessageHandler_r(h_, on_message, &last_error_);
}

Context::~Context() { GEOS_finish_r(h_); }

GeomPtr own(const Context& ctx, GEOSGeometry* g, const char* what) {
  if (g == nullptr) throw GeosError(std::string("GEOS ") + what + " failed: " + ctx.last_error());
  return GeomPtr(g, GeomDeleter{ctx.get()});
}

GeomPtr make_point(const Context& ctx, double x, double y) {
  return own(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), x, y), "point");
}

GeomPtr make_polygon(const Context& ctx, const PolygonXY& p) {
  GEOSContextHandle_t h = ctx.get();
  if (p.rings.empty()) return own(ctx, GEOSGeom_createEmptyPolygon_r(h), "empty polygon");
  GEOSGeometry* shell = GEOSGeom_createLinearRing_r(h, ring_sequence(h, closed(p.rings[0])));
  if (shell == nullptr) throw GeosError("GEOS ring failed: " + ctx.last_error());
  std::vector<GEOSGeometry*> holes;
  for (std::size_t i = 1; i < p.rings.size(); ++i) {
    GEOSGeometry* hole = GEOSGeom_createLinearRing_r(h, ring_sequence(h, closed(p.rings[i])));
    if (hole == nullptr) {
      for (auto* x : holes) GEOSGeom_destroy_r(h, x);
      GEOSGeom_destroy_r(h, shell);
      throw GeosError("GEOS ring failed: " + ctx.last_error());
    }
    holes.push_back(hole);
  }
  return own(ctx,
             GEOSGeom_createPolygon_r(h, shell, holes.empty() ? nullptr : holes.data(),
                                      static_cast<unsigned>(holes.size())),
             "polygon");
}

GeomPtr make_multipolygon(const Context& ctx, const MultiPolygonXY& mp) {
  std::vector<GEOSGeometry*> parts;
  for (const auto& p : mp) parts.push_back(make_polygon(ctx, p).release());
  return own(ctx,
             GEOSGeom_createCollection_r(ctx.get(), GEOS_MULTIPOLYGON, parts.data(),
                                         static_cast<unsigned>(parts.size())),
             "multipolygon");
}

GeomPtr make_polygon(const Context& ctx, const Polygon& p) { return make_polygon(ctx, as_xy(p)); }

GeomPtr make_multipolygon(const Context& ctx, const MultiPolygon& mp) {
  MultiPolygonXY xy;
  for (const auto& p : mp) xy.push_back(as_xy(p));
  return make_multipolygon(ctx, xy);
}

PreparedPtr prepare(const Context& ctx, const GEOSGeometry* g) {
  const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.get(), g);
  if (p == nullptr) throw GeosError("GEOS prepare failed: " + ctx.last_error());
  return PreparedPtr(p, PreparedDeleter{ctx.get()});
}

MultiPolygonXY to_multipolygon_xy(const Context& ctx, const GEOSGeometry* g) {
  MultiPolygonXY out;
  if (g != nullptr) collect_polygons(ctx.get(), g, out);
  return out;
}

MultiPolygon to_multipolygon(const Context& ctx, const GEOSGeometry* g) {
  MultiPolygon out;
  for (const auto& p : to_multipolygon_xy(ctx, g)) {
    Polygon q;
    for (const auto& r : p.rings) {
      std::vector<LonLat> ring;
      ring.reserve(r.size());
      for (const auto& c : r) ring.push_back({c.x, c.y});
      q.rings.push_back(std::move(ring));
    }
    out.push_back(std::move(q));
  }
  return out;
}

GeomPtr unary_union(const Context& ctx, std::vector<GeomPtr> parts) {
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (auto& p : parts) raw.push_back(p.release());
  GeomPtr coll = own(ctx,
                     GEOSGeom_createCollection_r(ctx.get(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                 static_cast<unsigned>(raw.size())),
                     "collection");
  return own(ctx, GEOSUnaryUnion_r(ctx.get(), coll.get()), "union");
}

GeomPtr intersection(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
  return own(ctx, GEOSIntersection_r(ctx.get(), a, b), "intersection");
}

GeomPtr difference(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
  return own(ctx, GEOSDifference_r(ctx.get(), a, b), "difference");
}

GeomPtr buffer(const Context& ctx, const GEOSGeometry* g, double width, int quadsegs) {
  return own(ctx, GEOSBuffer_r(ctx.get(), g, width, quadsegs), "buffer");
}

GeomPtr simplify(const Context& ctx, const GEOSGeometry* g, double tolerance) {
  return own(ctx, GEOSTopologyPreserveSimplify_r(ctx.get(), g, tolerance), "simplify");
}

GeomPtr make_valid(const Context& ctx, const GEOSGeometry* g) {
  return own(ctx, GEOSMakeValid_r(ctx.get(), g), "make valid");
}

bool is_valid(const Context& ctx, const GEOSGeometry* g, std::string* reason) {
  const char r = GEOSisValid_r(ctx.get(), g);
  if (r == 1) return true;
  if (reason) {
    char* why = GEOSisValidReason_r(ctx.get(), g);
    *reason = why ? why : ctx.last_error();
    if (why) GEOSFree_r(ctx.get(), why);
  }
  return false;
}

double area(const Context& ctx, const GEOSGeometry* g) {
  double a = 0;
  if (GEOSArea_r(ctx.get(), g, &a) != 1) throw GeosError("GEOS area failed: " + ctx.last_error());
  return a;
}

}  // namespace lifecircle::geos
