#include "geo/geos.hpp"

#include <cmath>
#include <map>

#include "lifecircle/geometry.hpp"

namespace lifecircle::geos {
namespace {

// GEOS hands the reentrant handler an already formatted message.
void on_message(const char* message, void* userdata) {
  *static_cast<std::string*>(userdata) = message ? message : "";
}
std::vector<XY> closed(std::vector<XY> ring) {
  if (!ring.empty() && (ring.front().x != ring.back().x || ring.front().y != ring.back().y)) {
    ring.push_back(ring.front());
  }
  return ring;
}

// A new coordinate sequence; the geometry built from it takes it over.
GEOSCoordSequence* sequence(const Context& ctx, const std::vector<XY>& points) {
  GEOSContextHandle_t h = ctx.get();
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(points.size()), 2);
  if (seq == nullptr) throw GeosError("GEOS coordinate sequence failed: " + ctx.last_error());
  for (unsigned i = 0; i < points.size(); ++i)
    GEOSCoordSeq_setXY_r(h, seq, i, points[i].x, points[i].y);
  return seq;
}

// A closed ring as an owned LinearRing (GEOS takes the sequence even when it refuses the ring).
GeomPtr make_ring(const Context& ctx, const std::vector<XY>& ring) {
  return own(ctx, GEOSGeom_createLinearRing_r(ctx.get(), sequence(ctx, closed(ring))), "ring");
}

// Answers of GEOS's predicates: 1 true, 0 false, 2 an exception inside GEOS.
bool predicate(const Context& ctx, char answer, const char* what) {
  if (answer == 2) throw GeosError(std::string("GEOS ") + what + " failed: " + ctx.last_error());
  return answer == 1;
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
    if (GEOSisEmpty_r(h, g) != 0) return;
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

GeomPtr make_multipoint(const Context& ctx, const std::vector<XY>& points) {
  std::vector<GeomPtr> parts;
  parts.reserve(points.size());
  for (const XY& p : points) parts.push_back(make_point(ctx, p.x, p.y));
  return make_collection(ctx, GEOS_MULTIPOINT, std::move(parts));
}

GeomPtr make_segments(const Context& ctx, const std::vector<std::array<XY, 2>>& segments) {
  std::vector<GeomPtr> parts;
  parts.reserve(segments.size());
  for (const auto& s : segments)
    parts.push_back(
        own(ctx, GEOSGeom_createLineString_r(ctx.get(), sequence(ctx, {s[0], s[1]})), "line"));
  return make_collection(ctx, GEOS_MULTILINESTRING, std::move(parts));
}

GeomPtr make_polygon(const Context& ctx, const PolygonXY& p) {
  GEOSContextHandle_t h = ctx.get();
  if (p.rings.empty()) return own(ctx, GEOSGeom_createEmptyPolygon_r(h), "empty polygon");
  // Every ring is owned until the polygon takes them all, so a bad ring leaks nothing.
  GeomPtr shell = make_ring(ctx, p.rings[0]);
  std::vector<GeomPtr> holes;
  for (std::size_t i = 1; i < p.rings.size(); ++i) holes.push_back(make_ring(ctx, p.rings[i]));
  std::vector<GEOSGeometry*> raw;
  for (auto& hole : holes) raw.push_back(hole.release());
  return own(ctx,
             GEOSGeom_createPolygon_r(h, shell.release(), raw.empty() ? nullptr : raw.data(),
                                      static_cast<unsigned>(raw.size())),
             "polygon");
}

GeomPtr make_multipolygon(const Context& ctx, const MultiPolygonXY& mp) {
  std::vector<GeomPtr> parts;
  parts.reserve(mp.size());
  for (const auto& p : mp) parts.push_back(make_polygon(ctx, p));
  return make_collection(ctx, GEOS_MULTIPOLYGON, std::move(parts));
}

GeomPtr capsule_union(const Context& ctx, const std::vector<Capsule>& capsules, int quadsegs) {
  // Discs are buffered one by one and united (a cascaded union); segments of one radius are
  // buffered as one MultiLineString, which dissolves the bands in a single pass.
  std::vector<GeomPtr> parts;
  std::map<double, std::vector<std::array<XY, 2>>> segments;
  for (const Capsule& c : capsules) {
    if (!(c.radius > 0)) continue;
    if (c.from.x == c.to.x && c.from.y == c.to.y) {
      parts.push_back(buffer(ctx, make_point(ctx, c.from.x, c.from.y).get(), c.radius, quadsegs));
    } else {
      segments[c.radius].push_back({c.from, c.to});
    }
  }
  for (const auto& [radius, segs] : segments)
    parts.push_back(buffer(ctx, make_segments(ctx, segs).get(), radius, quadsegs));
  if (parts.empty()) return own(ctx, GEOSGeom_createEmptyPolygon_r(ctx.get()), "empty polygon");
  return unary_union(ctx, std::move(parts));
}

GeomPtr make_collection(const Context& ctx, int type, std::vector<GeomPtr> parts) {
  // GEOS takes the parts over (and frees them when it fails), so they are released only here.
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (auto& p : parts) raw.push_back(p.release());
  return own(
      ctx,
      GEOSGeom_createCollection_r(ctx.get(), type, raw.data(), static_cast<unsigned>(raw.size())),
      "collection");
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

std::vector<const GEOSGeometry*> parts_of(const Context& ctx, const GEOSGeometry* g) {
  const int n = GEOSGetNumGeometries_r(ctx.get(), g);
  if (n < 0) throw GeosError("GEOS parts failed: " + ctx.last_error());
  std::vector<const GEOSGeometry*> out;
  for (int i = 0; i < n; ++i) out.push_back(GEOSGetGeometryN_r(ctx.get(), g, i));
  return out;
}

GeomPtr unary_union(const Context& ctx, std::vector<GeomPtr> parts) {
  const GeomPtr coll = make_collection(ctx, GEOS_GEOMETRYCOLLECTION, std::move(parts));
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

GeomPtr envelope(const Context& ctx, const GEOSGeometry* g) {
  return own(ctx, GEOSEnvelope_r(ctx.get(), g), "envelope");
}

GeomPtr voronoi(const Context& ctx, const GEOSGeometry* sites, const GEOSGeometry* extent) {
  return own(ctx, GEOSVoronoiDiagram_r(ctx.get(), sites, extent, 0.0, 0), "voronoi");
}

GeomPtr snap_to_grid(const Context& ctx, const GEOSGeometry* g, double grid_size) {
  return own(ctx, GEOSGeom_setPrecision_r(ctx.get(), g, grid_size, 0), "set precision");
}

XY point_on_surface(const Context& ctx, const GEOSGeometry* g) {
  const GeomPtr p = own(ctx, GEOSPointOnSurface_r(ctx.get(), g), "point on surface");
  XY out;
  if (GEOSGeomGetX_r(ctx.get(), p.get(), &out.x) != 1 ||
      GEOSGeomGetY_r(ctx.get(), p.get(), &out.y) != 1)
    throw GeosError("GEOS point on surface failed: " + ctx.last_error());
  return out;
}

bool contains(const Context& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
  return predicate(ctx, GEOSContains_r(ctx.get(), a, b), "contains");
}

bool contains(const Context& ctx, const GEOSPreparedGeometry* a, const GEOSGeometry* b) {
  return predicate(ctx, GEOSPreparedContains_r(ctx.get(), a, b), "prepared contains");
}

bool is_empty(const Context& ctx, const GEOSGeometry* g) {
  return predicate(ctx, GEOSisEmpty_r(ctx.get(), g), "is empty");
}

bool is_valid(const Context& ctx, const GEOSGeometry* g, std::string* reason, XY* location) {
  char* why = nullptr;
  GEOSGeometry* where = nullptr;
  const char r = GEOSisValidDetail_r(ctx.get(), g, 0, &why, &where);
  const GeomPtr place(where, GeomDeleter{ctx.get()});
  const std::string text = why ? why : "";
  if (why) GEOSFree_r(ctx.get(), why);
  if (!predicate(ctx, r, "validity check")) {
    if (reason) *reason = text;
    if (location && place) {
      GEOSGeomGetX_r(ctx.get(), place.get(), &location->x);
      GEOSGeomGetY_r(ctx.get(), place.get(), &location->y);
    }
    return false;
  }
  return true;
}

double area(const Context& ctx, const GEOSGeometry* g) {
  double a = 0;
  if (GEOSArea_r(ctx.get(), g, &a) != 1) throw GeosError("GEOS area failed: " + ctx.last_error());
  return a;
}

ServablePolygons servable(const Context& ctx, const GEOSGeometry* metric,
                          const MetricProjection& proj, int decimals, double min_area_m2) {
  GeomPtr valid;
  if (!is_valid(ctx, metric)) {
    valid = make_valid(ctx, metric);
    metric = valid.get();
  }
  // MakeValid leaves slivers (parts and holes of ~1e-10 m2) that collapse to rings of one or two
  // distinct points once written with a few decimals; they carry no area worth drawing.
  const MultiPolygonXY kept = without_slivers(to_multipolygon_xy(ctx, metric), min_area_m2);
  ServablePolygons out{unproject(kept, proj), kept};
  // Most polygons survive the rounding as they are; only the others pay for the snapping.
  if (valid_when_rounded(ctx, out.lonlat, decimals)) return out;
  GeomPtr lonlat = make_multipolygon(ctx, out.lonlat);
  // Reprojection can bring two nearly touching rings together; the snapping needs valid input.
  if (!is_valid(ctx, lonlat.get())) lonlat = make_valid(ctx, lonlat.get());
  const double grid = std::pow(10.0, -decimals);
  GeomPtr snapped;
  try {
    snapped = snap_to_grid(ctx, lonlat.get(), grid);
  } catch (const GeosError&) {
    // The precision reducer can fail on robustness grounds; round, then repair what collapsed.
    MultiPolygon rounded = to_multipolygon(ctx, lonlat.get());
    for (auto& poly : rounded)
      for (auto& ring : poly.rings)
        for (auto& c : ring) c = {std::round(c.lon / grid) * grid, std::round(c.lat / grid) * grid};
    MultiPolygonXY plain;
    for (const auto& poly : rounded) plain.push_back(as_xy(poly));
    snapped = make_valid(ctx, make_multipolygon(ctx, without_slivers(plain, 0)).get());
  }
  out.lonlat = to_multipolygon(ctx, snapped.get());
  std::string reason;
  if (!valid_when_rounded(ctx, out.lonlat, decimals, &reason))
    throw GeosError("polygon invalid at " + std::to_string(decimals) + " decimals: " + reason);
  out.metric = project(out.lonlat, proj);
  return out;
}

bool valid_when_rounded(const Context& ctx, const MultiPolygon& lonlat, int decimals,
                        std::string* reason) {
  const double scale = std::pow(10.0, decimals);
  MultiPolygon rounded = lonlat;
  for (auto& poly : rounded)
    for (auto& ring : poly.rings)
      for (auto& c : ring) {
        c.lon = std::round(c.lon * scale) / scale;
        c.lat = std::round(c.lat * scale) / scale;
      }
  try {
    return is_valid(ctx, make_multipolygon(ctx, rounded).get(), reason);
  } catch (const GeosError& e) {
    // A ring that rounding collapses below four positions cannot even be built.
    if (reason) *reason = e.what();
    return false;
  }
}

}  // namespace lifecircle::geos
